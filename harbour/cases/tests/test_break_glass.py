"""Restricted cases: the glass page names only the number; breaking it needs a reason, is
audited and lets the user in for a while; coordinators review every broken glass."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AccessEvent
from harbour.cases.models import BreakGlass, TimelineEvent
from harbour.cases.tests.helpers import case, person, team


@pytest.fixture
def restricted(unit, users):
    """Restricted to a team with only the admin on it (nobody who works cases here)."""
    sealed = team(unit, "Professional standards", users["admin"])
    victim = person(unit, "Jamie", "Sealed")
    return case(
        unit,
        users["admin"],
        victim,
        assigned_to=None,
        team=sealed,
        restricted=True,
        restricted_reason="The accused is a staff member",
    )


def detail(c):
    return reverse("cases:detail", kwargs={"case_id": c.pk})


def glass_url(c):
    return reverse("cases:break_glass", kwargs={"case_id": c.pk})


def test_the_case_shows_only_its_number_and_asks_for_a_reason(client, users, restricted):
    client.force_login(users["caseworker"])
    response = client.get(detail(restricted))
    page = response.content.decode()
    assert response.status_code == 403
    assert restricted.number in page and "Break the glass" in page
    for secret in ("Jamie", "Sealed", "staff member", "Professional standards"):
        assert secret not in page, secret
    assert not AccessEvent.objects.filter(action="case.view").exists()


def test_pages_on_a_restricted_case_show_the_glass_too(client, users, restricted):
    client.force_login(users["caseworker"])
    for name in ("cases:edit", "cases:contact_new", "cases:service_new", "cases:linked_new"):
        response = client.get(reverse(name, kwargs={"case_id": restricted.pk}))
        assert response.status_code == 403, name
        assert "Break the glass" in response.content.decode()


def test_a_short_reason_is_refused_and_nothing_is_recorded(client, users, restricted):
    client.force_login(users["caseworker"])
    response = client.post(glass_url(restricted), {"reason": "need it"})
    assert response.status_code == 403
    assert "at least 10 characters" in response.content.decode()
    assert not BreakGlass.objects.exists()
    assert client.get(detail(restricted)).status_code == 403


def test_breaking_the_glass_lets_the_user_in_and_is_on_record(client, users, restricted):
    client.force_login(users["caseworker"])
    response = client.post(glass_url(restricted), {"reason": "Client called the crisis line"})
    assert response.status_code == 302 and response["Location"] == detail(restricted)
    glass = BreakGlass.objects.get()
    assert (glass.user, glass.reason) == (users["caseworker"], "Client called the crisis line")
    event = AccessEvent.objects.get(action="case.break_glass")
    assert event.reason == "Client called the crisis line"
    assert event.person_id == str(restricted.client_id)
    assert TimelineEvent.objects.filter(case=restricted, kind="break_glass").exists()
    page = client.get(detail(restricted))
    assert page.status_code == 200 and "Jamie Sealed" in page.content.decode()
    assert "breaking the glass" in page.content.decode()


def test_the_glass_lets_in_for_eight_hours_only(client, users, restricted):
    client.force_login(users["caseworker"])
    client.post(glass_url(restricted), {"reason": "Client called the crisis line"})
    BreakGlass.objects.update(at=timezone.now() - timedelta(hours=8, minutes=1))
    assert client.get(detail(restricted)).status_code == 403


def test_the_team_opens_a_restricted_case_without_the_glass(client, users, restricted):
    restricted.team.members.add(users["caseworker"])
    client.force_login(users["caseworker"])
    assert client.get(detail(restricted)).status_code == 200
    # And posting the glass form then just leads in, recording nothing.
    assert client.post(glass_url(restricted), {"reason": "x" * 20}).status_code == 302
    assert not BreakGlass.objects.exists()


def test_another_organisation_gets_404_not_the_glass(client, restricted, outsider):
    client.force_login(outsider)
    assert client.get(detail(restricted)).status_code == 404
    assert client.post(glass_url(restricted), {"reason": "x" * 20}).status_code == 404
    assert not BreakGlass.objects.exists()


def test_a_restricted_case_linked_to_an_open_one_shows_as_its_number(
    client, users, unit, restricted
):
    worker = users["caseworker"]
    open_one = case(unit, worker, person(unit, "Casey"))
    restricted.linked_case = open_one
    restricted.client_role = "family"
    restricted.save(update_fields=["linked_case", "client_role"])
    client.force_login(worker)
    page = client.get(detail(open_one)).content.decode()
    assert restricted.number in page and "restricted case" in page
    assert "Jamie" not in page


# Review by coordinators.


def review_url():
    return reverse("cases:glass_review")


def test_coordinators_see_unreviewed_glass_first(client, users, unit, restricted):
    old = BreakGlass.objects.create(case=restricted, user=users["caseworker"], reason="Old one")
    BreakGlass.objects.filter(pk=old.pk).update(
        at=timezone.now() - timedelta(days=3),
        reviewed_at=timezone.now() - timedelta(days=2),
        reviewed_by=users["coordinator"],
        review_note="Fine",
    )
    BreakGlass.objects.create(case=restricted, user=users["caseworker"], reason="Newer one")
    BreakGlass.objects.create(case=restricted, user=users["coordinator"], reason="Newest one")
    client.force_login(users["coordinator"])
    page = client.get(review_url()).content.decode()
    assert page.index("Newest one") < page.index("Newer one") < page.index("Old one")
    assert "Reviewed by Coordinator" in page


def test_a_coordinator_marks_a_glass_reviewed_with_a_note(client, users, restricted):
    glass = BreakGlass.objects.create(
        case=restricted, user=users["caseworker"], reason="Client called the crisis line"
    )
    url = reverse("cases:glass_reviewed", kwargs={"glass_id": glass.pk})
    client.force_login(users["coordinator"])
    response = client.post(url, {"note": ""}, follow=True)
    assert "Write what you found" in response.content.decode()
    glass.refresh_from_db()
    assert glass.reviewed_at is None

    assert client.post(url, {"note": "Checked with the roster"}).status_code == 302
    glass.refresh_from_db()
    assert (glass.reviewed_by, glass.review_note) == (
        users["coordinator"],
        "Checked with the roster",
    )
    assert AccessEvent.objects.filter(action="case.review_break_glass").count() == 1
    # A second review does not overwrite the first.
    response = client.post(url, {"note": "Another note"}, follow=True)
    assert "already reviewed" in response.content.decode()
    glass.refresh_from_db()
    assert glass.review_note == "Checked with the roster"


def test_caseworkers_do_not_review_glass(client, users, restricted):
    glass = BreakGlass.objects.create(case=restricted, user=users["caseworker"], reason="x" * 12)
    client.force_login(users["caseworker"])
    assert client.get(review_url()).status_code == 403
    url = reverse("cases:glass_reviewed", kwargs={"glass_id": glass.pk})
    assert client.post(url, {"note": "mine"}).status_code == 403


def test_another_organisations_coordinator_sees_none_of_it(client, users, restricted, outsider):
    glass = BreakGlass.objects.create(case=restricted, user=users["caseworker"], reason="x" * 12)
    client.force_login(outsider)
    assert restricted.number not in client.get(review_url()).content.decode()
    url = reverse("cases:glass_reviewed", kwargs={"glass_id": glass.pk})
    assert client.post(url, {"note": "theirs"}).status_code == 404
    glass.refresh_from_db()
    assert glass.reviewed_at is None


def test_a_restricted_linked_case_opens_once_the_glass_is_broken(client, users, unit, restricted):
    worker = users["caseworker"]
    open_one = case(unit, worker, person(unit, "Casey"))
    restricted.linked_case = open_one
    restricted.client_role = "family"
    restricted.save(update_fields=["linked_case", "client_role"])
    BreakGlass.objects.create(case=restricted, user=worker, reason="Client called the line")
    client.force_login(worker)
    page = client.get(detail(open_one)).content.decode()
    assert "Jamie Sealed" in page and "restricted case" not in page
