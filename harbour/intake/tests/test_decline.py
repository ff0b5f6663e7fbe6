"""Declining a referral with a reason, and marking one as a duplicate of another of the
same unit, over HTTP; refusals write nothing; a referral is decided once."""

from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.cases.actions import open_case
from harbour.cases.constants import Program, TimelineKind
from harbour.cases.models import TimelineEvent
from harbour.intake.constants import DeclineReason, ReferralStatus
from harbour.intake.models import Referral
from harbour.intake.tests.helpers import person, referral, request_as


def url(made, name):
    return reverse(name, kwargs={"referral_id": made.pk})


def test_a_caseworker_declines_with_a_reason(client, users, unit):
    made = referral(unit)
    client.force_login(users["caseworker"])
    response = client.post(
        url(made, "intake:decline"), {"reason": DeclineReason.OUT_OF_AREA, "note": "Lives in Truro"}
    )
    assert response["Location"] == reverse("intake:queue")
    made.refresh_from_db()
    assert (made.status, made.decline_reason, made.decline_note) == (
        ReferralStatus.DECLINED,
        DeclineReason.OUT_OF_AREA,
        "Lives in Truro",
    )
    assert (made.decided_by, made.case) == (users["caseworker"], None)
    event = AccessEvent.objects.get(action="referral.decline")
    assert event.reason == "out_of_area"


def test_other_needs_a_note(client, users, unit):
    made = referral(unit)
    client.force_login(users["caseworker"])
    response = client.post(url(made, "intake:decline"), {"reason": DeclineReason.OTHER})
    assert response.status_code == 200
    assert response.context["decline_form"].errors["note"] == ["Explain the reason in the note."]
    assert Referral.objects.get().status == ReferralStatus.NEW


def test_a_decline_without_a_reason_is_refused(client, users, unit):
    made = referral(unit)
    client.force_login(users["caseworker"])
    response = client.post(url(made, "intake:decline"), {"reason": "bored"})
    assert "reason" in response.context["decline_form"].errors
    response = client.post(url(made, "intake:decline"), {})
    assert response.context["decline_form"].errors["reason"] == ["Choose the reason for declining."]
    assert Referral.objects.get().status == ReferralStatus.NEW


def test_a_decided_referral_cannot_be_declined_again(client, users, unit):
    made = referral(unit)
    client.force_login(users["caseworker"])
    client.post(url(made, "intake:decline"), {"reason": DeclineReason.NOT_ELIGIBLE})
    response = client.post(url(made, "intake:decline"), {"reason": DeclineReason.OUT_OF_AREA})
    assert response["Location"] == url(made, "intake:detail")
    assert Referral.objects.get().decline_reason == DeclineReason.NOT_ELIGIBLE
    page = client.get(url(made, "intake:detail")).content.decode()
    assert "Not within our mandate" in page
    assert "Decline the referral" not in page


def test_a_referral_is_marked_as_a_duplicate_of_another(client, users, unit):
    first = referral(unit)
    second = referral(unit)
    client.force_login(users["coordinator"])
    form = client.get(url(second, "intake:detail")).context["duplicate_form"]
    assert [value for value, _label in form.fields["of"].choices][1:] == [str(first.pk)]
    response = client.post(url(second, "intake:duplicate"), {"of": str(first.pk)})
    assert response["Location"] == reverse("intake:queue")
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == (ReferralStatus.DUPLICATE, first)
    assert AccessEvent.objects.filter(action="referral.duplicate").exists()


def test_a_duplicate_of_an_accepted_referral_is_noted_on_its_case(client, users, unit):
    first = referral(unit)
    case = open_case(request_as(users["caseworker"]), unit, person(unit), programs=[Program.IPV])
    Referral.objects.filter(pk=first.pk).update(status=ReferralStatus.ACCEPTED, case=case)
    second = referral(unit)
    client.force_login(users["caseworker"])
    client.post(url(second, "intake:duplicate"), {"of": str(first.pk)})
    line = TimelineEvent.objects.get(case=case, kind=TimelineKind.REFERRAL)
    assert (line.verb, line.data) == ("duplicate", {"source": "police", "channel": "officer_form"})


def test_a_duplicate_must_name_a_referral_of_the_same_unit(client, users, unit, other_unit):
    elsewhere = referral(other_unit)
    made = referral(unit)
    client.force_login(users["caseworker"])
    for choice in (str(elsewhere.pk), str(made.pk), "", "not-a-uuid"):
        response = client.post(url(made, "intake:duplicate"), {"of": choice})
        assert response.status_code == 200
        assert response.context["duplicate_form"].errors["of"] == [
            "Choose the referral this one repeats."
        ]
    assert Referral.objects.get(pk=made.pk).status == ReferralStatus.NEW


def test_another_organisation_gets_404_on_every_decision(client, outsider, unit):
    made = referral(unit)
    other = referral(unit)
    client.force_login(outsider)
    assert (
        client.post(url(made, "intake:decline"), {"reason": "other", "note": "x"}).status_code
        == 404
    )
    assert client.post(url(made, "intake:duplicate"), {"of": str(other.pk)}).status_code == 404
    assert set(Referral.objects.values_list("status", flat=True)) == {ReferralStatus.NEW}


def test_an_officer_cannot_decide(client, users, unit):
    made = referral(unit)
    client.force_login(users["officer"])
    response = client.post(url(made, "intake:decline"), {"reason": DeclineReason.OUT_OF_AREA})
    assert response.status_code == 403
    assert Referral.objects.get().status == ReferralStatus.NEW


def test_referrals_of_the_same_occurrence_are_offered_first(client, users, unit):
    same = referral(unit, occurrence_number="HRPS-26-000777")
    referral(unit, occurrence_number="HRPS-26-000999")
    made = referral(unit, occurrence_number="HRPS-26-000777")
    client.force_login(users["caseworker"])
    form = client.get(url(made, "intake:detail")).context["duplicate_form"]
    choices = [value for value, _label in form.fields["of"].choices][1:]
    assert choices[0] == str(same.pk) and len(choices) == 2


def test_a_public_referral_is_offered_the_units_recent_referrals(client, users, unit):
    older = referral(unit)
    made = referral(
        unit, source="self", channel="web_form", occurrence_number="", victim_consented=None
    )
    client.force_login(users["caseworker"])
    form = client.get(url(made, "intake:detail")).context["duplicate_form"]
    assert [value for value, _label in form.fields["of"].choices][1:] == [str(older.pk)]
