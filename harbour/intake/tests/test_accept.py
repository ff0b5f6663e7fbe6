"""Accepting a referral over HTTP: link each victim to a person on file or create one,
open a case or attach to a live one, and land on the case; refusals write nothing; a
referral is decided once."""

from datetime import date

import pytest
from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.cases.actions import open_case
from harbour.cases.constants import CaseStatus, Priority, Program, TimelineKind
from harbour.cases.models import Case, Team, TimelineEvent
from harbour.intake.actions import IntakeError, VictimDecision, accept_referral
from harbour.intake.constants import ReferralStatus, Urgency
from harbour.intake.models import Referral
from harbour.intake.tests.helpers import person, referral, request_as, victim
from harbour.people.models import ContactPoint, Person


def url(made, name="intake:accept"):
    return reverse(name, kwargs={"referral_id": made.pk})


@pytest.fixture
def known(unit):
    return person(unit)


def accept(client, made, **data):
    return client.post(url(made), data)


def test_linking_a_known_person_and_opening_a_case_lands_on_the_case(client, users, unit, known):
    team = Team.objects.create(organisation=unit, name="IPV team")
    made = referral(unit, offence="Assault")
    named = made.victims[0]
    client.force_login(users["caseworker"])
    response = accept(
        client,
        made,
        **{
            f"person_{named.pk}": str(known.pk),
            f"case_{named.pk}": "new",
            "programs": [Program.IPV],
            "priority": Priority.HIGH,
            "assigned_to": str(users["caseworker"].pk),
            "team": str(team.pk),
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": case.pk})
    assert (case.client, case.priority, case.assigned_to, case.team) == (
        known,
        Priority.HIGH,
        users["caseworker"],
        team,
    )
    assert case.program_codes == [Program.IPV]
    assert case.occurrence_number == "HRPS-26-000123"
    made.refresh_from_db()
    assert (made.status, made.case, made.decided_by) == (
        ReferralStatus.ACCEPTED,
        case,
        users["caseworker"],
    )
    assert made.decided_at is not None
    named.refresh_from_db()
    assert named.person == known
    line = TimelineEvent.objects.get(case=case, kind=TimelineKind.REFERRAL)
    assert (line.verb, line.data) == ("accepted", {"source": "police", "channel": "officer_form"})
    assert line.object_id == str(made.pk)
    assert Person.objects.count() == 1
    assert AccessEvent.objects.filter(action="referral.accept", person_id=str(known.pk)).exists()


def test_a_new_person_is_created_with_the_safe_contact_answers(client, users, unit):
    made = referral(
        unit,
        people=[
            victim(
                given_name="Sam",
                family_name="Rivers",
                phone="902 555 0177",
                email="sam@example.ca",
                safe_to_text=True,
                safe_to_email=True,
                safe_times="After 6 pm",
                language="fr",
                interpreter_needed=True,
            )
        ],
    )
    named = made.victims[0]
    client.force_login(users["coordinator"])
    response = accept(
        client,
        made,
        **{
            f"person_{named.pk}": "new",
            f"case_{named.pk}": "new",
            "programs": [Program.GENERAL],
            "priority": Priority.NORMAL,
        },
    )
    assert response.status_code == 302
    created = Person.objects.get()
    assert (created.given_name, created.family_name, created.organisation) == (
        "Sam",
        "Rivers",
        unit,
    )
    assert (created.given_name_key, created.languages) == ("SM", ["fr"])
    assert (created.interpreter_needed, created.interpreter_language) == (True, "fr")
    phone = ContactPoint.objects.get(person=created, kind="phone")
    assert (phone.value, phone.is_primary, phone.safe_to_text, phone.safe_to_call) == (
        "+19025550177",
        True,
        True,
        False,
    )
    assert "After 6 pm" in phone.notes
    email = ContactPoint.objects.get(person=created, kind="email")
    assert (email.value, email.safe_to_email, email.is_primary) == ("sam@example.ca", True, False)
    assert Case.objects.get().client == created


def test_do_not_contact_is_carried_onto_the_new_contact_point(client, users, unit):
    made = referral(unit, people=[victim(phone="902 555 0177", no_contact=True)])
    named = made.victims[0]
    client.force_login(users["caseworker"])
    accept(
        client,
        made,
        **{
            f"person_{named.pk}": "new",
            f"case_{named.pk}": "new",
            "programs": [Program.GENERAL],
            "priority": Priority.NORMAL,
        },
    )
    point = ContactPoint.objects.get()
    assert not (point.safe_to_call or point.safe_to_text or point.safe_to_leave_message)
    assert "do not contact" in point.notes


def test_attaching_to_a_live_case_opens_no_new_one(client, users, unit, known):
    live = open_case(request_as(users["caseworker"]), unit, known, programs=[Program.IPV])
    made = referral(unit)
    named = made.victims[0]
    client.force_login(users["caseworker"])
    response = accept(
        client,
        made,
        **{
            f"person_{named.pk}": str(known.pk),
            f"case_{named.pk}": str(live.pk),
            "priority": "normal",
        },
    )
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": live.pk})
    assert Case.objects.count() == 1
    made.refresh_from_db()
    assert made.case == live
    assert TimelineEvent.objects.filter(case=live, kind=TimelineKind.REFERRAL).exists()


def test_every_victim_gets_a_case_and_the_first_is_the_referrals(client, users, unit, known):
    made = referral(unit, people=[victim(), victim(given_name="Kim", family_name="Lavoie")])
    first, second = made.victims
    client.force_login(users["caseworker"])
    accept(
        client,
        made,
        **{
            f"person_{first.pk}": str(known.pk),
            f"case_{first.pk}": "new",
            f"person_{second.pk}": "new",
            f"case_{second.pk}": "new",
            "programs": [Program.IPV],
            "priority": "normal",
        },
    )
    made.refresh_from_db()
    assert Case.objects.count() == 2
    assert made.case.client == known
    assert {c.client.given_name for c in Case.objects.all()} == {"Robin", "Kim"}


def test_the_priority_is_suggested_from_the_urgency(client, users, unit):
    made = referral(unit, urgency=Urgency.URGENT)
    client.force_login(users["caseworker"])
    form = client.get(url(made, "intake:detail")).context["accept_form"]
    assert form["priority"].value() == Priority.URGENT
    assert form["assigned_to"].value() == users["caseworker"].pk


@pytest.mark.parametrize(
    "choices, field, message",
    [
        ({}, "person", "Choose who this is"),
        ({"person": "new", "case": "new"}, "programs", "Choose at least one program"),
        ({"person": "new", "case": "LIVE"}, "case", "A new person has no case yet"),
        ({"person": "nobody", "case": "new", "programs": ["ipv"]}, "person", "valid choice"),
    ],
)
def test_an_incomplete_decision_is_refused_and_nothing_is_written(
    client, users, unit, known, choices, field, message
):
    live = open_case(request_as(users["caseworker"]), unit, known, programs=[Program.IPV])
    made = referral(unit)
    named = made.victims[0]
    data = {"priority": "normal", "programs": choices.get("programs", [])}
    if "person" in choices:
        data[f"person_{named.pk}"] = choices["person"]
    if "case" in choices:
        data[f"case_{named.pk}"] = str(live.pk) if choices["case"] == "LIVE" else choices["case"]
    client.force_login(users["caseworker"])
    events = AccessEvent.objects.filter(action__in=["referral.accept", "case.open"]).count()
    response = accept(client, made, **data)
    assert response.status_code == 200
    form = response.context["accept_form"]
    key = field if field == "programs" else f"{field}_{named.pk}"
    assert message in " ".join(form.errors[key])
    made.refresh_from_db()
    assert made.status == ReferralStatus.NEW and made.case is None
    assert Case.objects.count() == 1 and Person.objects.count() == 1
    assert AccessEvent.objects.filter(action__in=["referral.accept", "case.open"]).count() == events


def test_another_persons_case_cannot_be_attached(client, users, unit, known):
    someone = person(unit, "Robin", "Examples")
    theirs = open_case(request_as(users["caseworker"]), unit, someone, programs=[Program.IPV])
    # Born the same day as both: both are offered, each with their own cases.
    made = referral(unit, people=[victim(date_of_birth=date(1990, 4, 2))])
    named = made.victims[0]
    client.force_login(users["caseworker"])
    response = accept(
        client,
        made,
        **{
            f"person_{named.pk}": str(known.pk),
            f"case_{named.pk}": str(theirs.pk),
            "priority": "normal",
        },
    )
    assert response.status_code == 200
    assert "someone else’s" in response.context["accept_form"].errors[f"case_{named.pk}"][0]
    assert Referral.objects.get().status == ReferralStatus.NEW


def test_a_referral_is_accepted_once(client, users, unit, known):
    made = referral(unit)
    named = made.victims[0]
    data = {
        f"person_{named.pk}": str(known.pk),
        f"case_{named.pk}": "new",
        "programs": [Program.IPV],
        "priority": "normal",
    }
    client.force_login(users["caseworker"])
    accept(client, made, **data)
    again = accept(client, made, **data)
    assert again["Location"] == url(made, "intake:detail")
    assert Case.objects.count() == 1


def test_the_action_refuses_a_referral_decided_in_the_meantime(unit, users, known):
    # Two workers opened the same referral; the other one decided first. The conditional
    # UPDATE in the action refuses the second decision whatever the page showed.
    made = referral(unit)
    stale = Referral.objects.get(pk=made.pk)
    Referral.objects.filter(pk=made.pk).update(status=ReferralStatus.DECLINED)
    with pytest.raises(IntakeError) as refused:
        accept_referral(
            request_as(users["caseworker"]),
            stale,
            [VictimDecision(named=stale.victims[0], person=known)],
            programs=[Program.IPV],
        )
    assert "already been decided" in refused.value.message
    assert not Case.objects.exists()


def test_a_failed_case_rolls_the_whole_acceptance_back(unit, users, known):
    made = referral(unit)
    with pytest.raises(Exception, match="Choose at least one program"):
        accept_referral(
            request_as(users["caseworker"]),
            made,
            [VictimDecision(named=made.victims[0])],
            programs=[],
        )
    made.refresh_from_db()
    assert made.status == ReferralStatus.NEW
    assert Person.objects.count() == 1 and not Case.objects.exists()


def test_a_closed_case_cannot_be_attached(unit, users, known):
    closed = open_case(request_as(users["caseworker"]), unit, known, programs=[Program.IPV])
    closed.status, closed.close_reason = CaseStatus.CLOSED, "goals_met"
    closed.save(update_fields=["status", "close_reason"])
    made = referral(unit)
    with pytest.raises(IntakeError):
        accept_referral(
            request_as(users["caseworker"]),
            made,
            [VictimDecision(named=made.victims[0], person=known, case=closed)],
        )
    assert Referral.objects.get().status == ReferralStatus.NEW


def test_a_worker_of_another_organisation_cannot_be_assigned(unit, users, outsider, known):
    made = referral(unit)
    with pytest.raises(IntakeError):
        accept_referral(
            request_as(users["caseworker"]),
            made,
            [VictimDecision(named=made.victims[0], person=known)],
            programs=[Program.IPV],
            assigned_to=outsider,
        )
    assert not Case.objects.exists()


def test_another_organisation_gets_404_and_writes_nothing(client, outsider, unit, known):
    made = referral(unit)
    named = made.victims[0]
    client.force_login(outsider)
    response = accept(
        client,
        made,
        **{f"person_{named.pk}": "new", f"case_{named.pk}": "new", "programs": ["ipv"]},
    )
    assert response.status_code == 404
    assert Referral.objects.get().status == ReferralStatus.NEW
    assert not Case.objects.exists()
