"""The officer's referral form, the officer's list of what they sent, and the confirmation
page, over HTTP."""

from datetime import timedelta

import pytest
from django.urls import reverse

from harbour.accounts.constants import OrganisationKind, Role
from harbour.audit.models import AccessEvent
from harbour.intake.constants import IntakeChannel, Source, Urgency
from harbour.intake.models import Referral, ReferralPerson
from harbour.intake.tests.helpers import org, referral, staff_form
from harbour.testing.fixtures import make_user

URL = reverse("intake:police_new")


@pytest.fixture
def police(db):
    return org("Harbour Regional Police")


@pytest.fixture
def constable(police):
    """An officer of a police service (not of the unit): must choose where to send."""
    return make_user("lee@police.test", police, Role.OFFICER)


def test_the_form_is_prefilled_with_the_officers_details(client, users):
    officer = users["officer"]
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["referrer_name"].value() == officer.full_name
    assert form["referrer_email"].value() == officer.email
    # The consent question has no default: the officer must answer it.
    assert form["victim_consented"].value() is None
    # An officer of the unit itself sends to the unit: no choice to make.
    assert "to" not in form.fields


def test_an_officer_of_the_unit_refers_a_victim_to_the_unit(client, users, unit):
    client.force_login(users["officer"])
    response = client.post(URL, staff_form(risk_flags=["children_present"]))
    made = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:sent_detail", kwargs={"referral_id": made.pk})
    assert (made.organisation, made.source, made.channel) == (
        unit,
        Source.POLICE,
        IntakeChannel.OFFICER_FORM,
    )
    assert (made.sender_organisation, made.sent_by) == (unit, users["officer"])
    assert (made.occurrence_number, made.offence) == ("HRPS-26-000123", "Assault")
    assert made.victim_consented is True
    assert made.risk_flags == ["children_present"]
    assert (made.referrer_name, made.referrer_role) == ("Constable Lee", "4821")
    assert (made.referrer_phone, made.referrer_email) == ("+19025550199", "lee@police.test")
    assert made.due_at == made.received_at + timedelta(hours=72)
    victim = ReferralPerson.objects.get()
    assert (victim.given_name, victim.phone, victim.safe_to_call) == (
        "Robin",
        "+19025550142",
        True,
    )
    assert (victim.safe_to_text, victim.safe_times, victim.language) == (
        False,
        "Weekdays 9 to 11",
        "fr",
    )


def test_a_victim_who_did_not_consent_is_still_referred(client, users):
    client.force_login(users["officer"])
    assert client.post(URL, staff_form(victim_consented="no")).status_code == 302
    assert Referral.objects.get().victim_consented is False


def test_a_missing_consent_answer_is_refused_and_nothing_is_written(client, users):
    client.force_login(users["officer"])
    response = client.post(URL, staff_form(victim_consented=None))
    assert response.status_code == 200
    assert response.context["form"].errors["victim_consented"] == [
        "Say whether the victim agreed to be referred."
    ]
    assert not Referral.objects.exists()


def test_a_missing_occurrence_number_is_refused(client, users):
    client.force_login(users["officer"])
    response = client.post(URL, staff_form(occurrence_number=""))
    assert response.context["form"].errors["occurrence_number"] == [
        "Enter the police occurrence number."
    ]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "victim, field, message",
    [
        ({"given_name": ""}, "given_name", "Enter the victim’s given name."),
        ({"phone": "12345"}, "phone", "This is not a phone number we can call."),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", "cannot be before 1900"),
        ({"phone": "", "safe_to_call": "on"}, "phone", "Give the phone number"),
        ({"no_contact": "on"}, "no_contact", "cannot go with a safe way"),
        ({"email": "nope", "safe_to_call": None}, "email", "Enter an email address"),
    ],
)
def test_bad_victim_details_are_refused_and_nothing_is_written(
    client, users, victim, field, message
):
    client.force_login(users["officer"])
    data = staff_form()
    data.update({f"victim-0-{k}": v for k, v in victim.items() if v is not None})
    for key in [k for k, v in victim.items() if v is None]:
        data.pop(f"victim-0-{key}")
    response = client.post(URL, data)
    assert response.status_code == 200
    errors = response.context["victims"].forms[0].errors[field]
    assert message in " ".join(errors)
    assert not Referral.objects.exists()


def test_a_bad_phone_number_for_the_officer_is_refused(client, users):
    client.force_login(users["officer"])
    response = client.post(URL, staff_form(referrer_phone="555"))
    assert "not a phone number" in response.context["form"].errors["referrer_phone"][0]
    assert not Referral.objects.exists()


def test_up_to_three_victims_go_on_one_referral(client, users):
    client.force_login(users["officer"])
    data = staff_form(
        {"given_name": "Alex", "phone": "", "safe_to_call": None},
        {"given_name": "Kim", "phone": "", "safe_to_call": None},
    )
    assert client.post(URL, data).status_code == 302
    made = Referral.objects.get()
    assert [p.given_name for p in made.victims] == ["Robin", "Alex", "Kim"]


def test_a_weapon_makes_the_referral_urgent(client, users):
    client.force_login(users["officer"])
    client.post(URL, staff_form(risk_flags=["weapon"], urgency="routine"))
    made = Referral.objects.get()
    assert made.urgency == Urgency.URGENT
    assert made.due_at == made.received_at + timedelta(hours=4)


def test_sending_the_same_form_twice_makes_one_referral(client, users):
    client.force_login(users["officer"])
    data = staff_form()
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_an_officer_of_a_police_service_chooses_the_unit(client, constable, unit, police):
    org("Harbour Shelter", OrganisationKind.AGENCY)
    client.force_login(constable)
    form = client.get(URL).context["form"]
    assert list(form.fields["to"].queryset) == [unit]
    response = client.post(URL, staff_form())
    assert response.context["form"].errors["to"] == [
        "Choose the victim services unit to send it to."
    ]
    assert not Referral.objects.exists()
    assert client.post(URL, staff_form(to=str(unit.pk))).status_code == 302
    made = Referral.objects.get()
    assert (made.organisation, made.sender_organisation) == (unit, police)


def test_only_a_unit_can_be_chosen(client, constable, police):
    client.force_login(constable)
    response = client.post(URL, staff_form(to=str(police.pk)))
    assert "Select a valid choice" in response.context["form"].errors["to"][0]
    assert not Referral.objects.exists()


def test_the_confirmation_shows_the_reference_and_nothing_the_unit_learns(client, users):
    client.force_login(users["officer"])
    response = client.post(URL, staff_form(), follow=True)
    made = Referral.objects.get()
    page = response.content.decode()
    assert made.reference in page
    assert "Waiting for triage" in page
    assert "Robin" not in page


def test_the_sent_list_shows_the_officers_own_referrals_with_status(client, users, unit):
    mine = referral(unit, user=users["officer"], sender_organisation=unit)
    someone_elses = referral(
        unit, user=make_user("kim@unit.test", unit, Role.OFFICER), sender_organisation=unit
    )
    client.force_login(users["officer"])
    response = client.get(reverse("intake:sent"))
    assert list(response.context["page"]) == [mine]
    page = response.content.decode()
    assert mine.reference in page and someone_elses.reference not in page
    assert "Waiting for triage" in page


def test_another_officers_referral_is_a_404(client, users, unit):
    other = make_user("kim@unit.test", unit, Role.OFFICER)
    made = referral(unit, user=other, sender_organisation=unit)
    client.force_login(users["officer"])
    url = reverse("intake:sent_detail", kwargs={"referral_id": made.pk})
    assert client.get(url).status_code == 404
    client.force_login(other)
    assert client.get(url).status_code == 200


def test_the_sent_pages_never_touch_the_audit_trail_of_a_person(client, users, unit):
    made = referral(unit, user=users["officer"], sender_organisation=unit)
    client.force_login(users["officer"])
    client.get(reverse("intake:sent_detail", kwargs={"referral_id": made.pk}))
    assert not AccessEvent.objects.filter(action="referral.view").exists()


def test_a_caseworker_cannot_use_the_officers_form(client, users):
    client.force_login(users["caseworker"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, staff_form()).status_code == 403
    assert not Referral.objects.exists()


def test_more_victims_than_the_form_takes_are_refused(client, users):
    client.force_login(users["officer"])
    data = staff_form(
        {"given_name": "Alex", "phone": "", "safe_to_call": None},
        {"given_name": "Kim", "phone": "", "safe_to_call": None},
        {"given_name": "Lou", "phone": "", "safe_to_call": None},
        **{"victim-TOTAL_FORMS": "4"},
    )
    response = client.post(URL, data)
    assert response.status_code == 200
    assert response.context["victims"].non_form_errors() == [
        "Name at most 3 victims; add others to a second referral."
    ]
    assert not Referral.objects.exists()


def test_a_form_without_its_submission_token_is_refused(client, users):
    client.force_login(users["officer"])
    response = client.post(URL, staff_form(submission="not-a-token"))
    assert response.status_code == 200
    assert "open a new referral form" in response.content.decode()
    assert not Referral.objects.exists()
