"""The triage queue: new referrals by due time with the overdue flag and counts, a filter
by source, the recently decided, and nothing of another organisation's."""

import html
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from harbour.intake.constants import IntakeChannel, ReferralStatus, Source, Urgency
from harbour.intake.models import Referral
from harbour.intake.tests.helpers import referral

URL = reverse("intake:queue")


def test_new_referrals_are_listed_by_due_time_with_overdue_flagged(client, users, unit):
    now = timezone.now()
    routine = referral(unit, urgency=Urgency.ROUTINE, received_at=now)
    urgent = referral(unit, urgency=Urgency.URGENT, received_at=now)
    # Received yesterday as urgent: due four hours after, so overdue now.
    late = referral(unit, urgency=Urgency.URGENT, received_at=now - timedelta(days=1))
    client.force_login(users["caseworker"])
    response = client.get(URL)
    waiting = list(response.context["waiting"])
    assert waiting == [late, urgent, routine]
    assert [r.is_overdue for r in waiting] == [True, False, False]
    assert response.context["counts"] == {"waiting": 3, "overdue": 1}
    page = response.content.decode()
    assert page.count("Overdue</span>") == 1
    assert '<strong class="count" id="count-overdue">1</strong>' in page


def test_the_queue_shows_urgency_source_channel_and_age_but_no_names(client, users, unit):
    made = referral(unit, received_at=timezone.now() - timedelta(hours=3))
    client.force_login(users["coordinator"])
    page = html.unescape(client.get(URL).content.decode())
    assert made.reference in page
    for text in ("Routine", "Police", "Officer's form", "3\xa0hours ago"):
        assert text in page, text
    # Names are on the referral's own page, whose every opening is audited.
    assert "Robin" not in page


def test_a_victim_who_did_not_agree_is_flagged_in_the_queue(client, users, unit):
    referral(unit, victim_consented=False)
    client.force_login(users["caseworker"])
    assert "Victim did not agree" in client.get(URL).content.decode()


def test_the_queue_filters_by_source(client, users, unit):
    police = referral(unit)
    own = referral(unit, source=Source.SELF, channel=IntakeChannel.WEB_FORM)
    client.force_login(users["caseworker"])
    response = client.get(URL, {"source": Source.SELF})
    assert list(response.context["waiting"]) == [own]
    # The counts are the whole queue's, whatever the filter.
    assert response.context["counts"]["waiting"] == 2
    assert list(client.get(URL, {"source": "nonsense"}).context["waiting"]) == [police, own]


def test_decided_referrals_leave_the_queue_for_the_recent_list(client, users, unit):
    decided = referral(unit)
    Referral.objects.filter(pk=decided.pk).update(
        status=ReferralStatus.DECLINED,
        decided_at=timezone.now(),
        decided_by=users["caseworker"],
    )
    client.force_login(users["caseworker"])
    response = client.get(URL)
    assert list(response.context["waiting"]) == []
    assert list(response.context["decided"]) == [decided]
    assert response.context["counts"] == {"waiting": 0, "overdue": 0}


def test_another_organisations_referrals_are_never_listed(client, outsider, unit, other_unit):
    referral(unit)
    mine = referral(other_unit)
    client.force_login(outsider)
    response = client.get(URL)
    assert list(response.context["waiting"]) == [mine]
    assert response.context["counts"]["waiting"] == 1


def test_an_officer_has_no_queue(client, users):
    client.force_login(users["officer"])
    assert client.get(URL).status_code == 403


def test_a_long_queue_is_paged_fifty_at_a_time_in_due_order(client, users, unit):
    now = timezone.now()
    made = [referral(unit, received_at=now - timedelta(minutes=n)) for n in range(51)]
    by_due = sorted(made, key=lambda r: (r.due_at, r.pk))
    client.force_login(users["caseworker"])
    first = client.get(URL)
    assert list(first.context["waiting"]) == by_due[:50]
    assert first.context["has_next"] is True
    assert "?page=2" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert list(second.context["waiting"]) == by_due[50:]
    assert second.context["has_next"] is False
    # The counts are the whole queue's on every page.
    assert second.context["counts"]["waiting"] == 51
