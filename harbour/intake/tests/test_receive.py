"""receive_referral, the one seam every door uses: triage targets and the urgency rule,
idempotency on the sender's reference (and the race behind it), the rules every door
shares, refusals that write nothing, encryption and the audit trail."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from harbour.accounts.constants import OrganisationKind
from harbour.audit.models import AccessEvent
from harbour.intake.actions import (
    IntakeError,
    ReferralConflict,
    _insert_or_existing,
    receive_referral,
)
from harbour.intake.constants import (
    IntakeChannel,
    ReferralRole,
    ReferralStatus,
    RiskFlag,
    Source,
    Urgency,
)
from harbour.intake.models import Referral, ReferralPerson
from harbour.intake.tests.helpers import org, referral, request_as, victim


@pytest.fixture
def police(db):
    return org("Harbour Regional Police")


def _nothing_written():
    return (
        not Referral.objects.exists()
        and not ReferralPerson.objects.exists()
        and not AccessEvent.objects.filter(action="referral.receive").exists()
    )


@pytest.mark.parametrize(
    "urgency, hours",
    [(Urgency.ROUTINE, 72), (Urgency.PRIORITY, 24), (Urgency.URGENT, 4)],
)
def test_it_sets_the_triage_due_time_from_the_urgency(unit, urgency, hours):
    received = timezone.now() - timedelta(minutes=5)
    made = referral(unit, urgency=urgency, received_at=received)
    assert made.status == ReferralStatus.NEW
    assert made.urgency == urgency
    assert made.due_at == received + timedelta(hours=hours)


@pytest.mark.parametrize(
    "flag", [RiskFlag.WEAPON, RiskFlag.STRANGULATION, RiskFlag.THREATS_TO_KILL]
)
@pytest.mark.parametrize("source", [Source.POLICE, Source.AGENCY])
def test_a_high_risk_flag_makes_any_referral_urgent(unit, flag, source):
    made = referral(unit, source=source, urgency=Urgency.ROUTINE, risk_flags=[flag])
    assert made.urgency == Urgency.URGENT
    assert made.due_at == made.received_at + timedelta(hours=4)


def test_other_flags_leave_the_urgency_as_sent(unit):
    made = referral(
        unit,
        urgency=Urgency.PRIORITY,
        risk_flags=[RiskFlag.CHILDREN_PRESENT, RiskFlag.RECENT_SEPARATION],
    )
    assert made.urgency == Urgency.PRIORITY
    assert made.risk_flags == ["children_present", "recent_separation"]


def test_a_resend_with_the_same_reference_returns_the_first_and_writes_nothing(unit, police):
    fields = {"sender_organisation": police, "sender_reference": "RMS-1", "offence": "Assault"}
    first = referral(unit, **fields)
    counts = (Referral.objects.count(), ReferralPerson.objects.count(), AccessEvent.objects.count())
    again, created = receive_referral(
        request_as(),
        unit,
        source=Source.POLICE,
        channel=IntakeChannel.OFFICER_FORM,
        people=[victim()],
        victim_consented=True,
        occurrence_number="HRPS-26-000123",
        **fields,
    )
    assert (again, created) == (first, False)
    assert counts == (
        Referral.objects.count(),
        ReferralPerson.objects.count(),
        AccessEvent.objects.count(),
    )


def test_a_resend_with_other_content_is_a_conflict_and_changes_nothing(unit, police):
    first = referral(unit, sender_organisation=police, sender_reference="RMS-1")
    with pytest.raises(ReferralConflict) as refused:
        referral(
            unit,
            sender_organisation=police,
            sender_reference="RMS-1",
            people=[victim(given_name="Robyn")],
        )
    assert refused.value.referral == first
    assert Referral.objects.count() == 1
    assert ReferralPerson.objects.get().given_name == "Robin"


def test_a_resend_listing_the_victims_in_another_order_is_the_same_referral(unit, police):
    people = [victim(given_name="Robin"), victim(given_name="Alex")]
    first = referral(unit, sender_organisation=police, sender_reference="R", people=people)
    again = referral(unit, sender_organisation=police, sender_reference="R", people=people[::-1])
    assert again == first


def test_the_same_reference_from_two_senders_is_two_referrals(unit, police):
    agency = org("Harbour Shelter", OrganisationKind.AGENCY)
    one = referral(unit, sender_organisation=police, sender_reference="REF-1")
    two = referral(unit, source=Source.AGENCY, sender_organisation=agency, sender_reference="REF-1")
    assert one != two


def test_a_concurrent_send_that_committed_first_wins_the_race(unit, police):
    # The insert of a second row with the same sender's reference hits the unique
    # constraint (as a concurrent send would after both passed the existence check): the
    # savepoint catches it and the committed row comes back.
    first = referral(unit, sender_organisation=police, sender_reference="RACE-1")
    racer = Referral(
        organisation=unit,
        source=Source.POLICE,
        channel=IntakeChannel.API,
        due_at=timezone.now(),
        sender_organisation=police,
        sender_reference="RACE-1",
    )
    assert _insert_or_existing(racer) == first
    assert Referral.objects.count() == 1


def test_people_are_kept_in_the_order_given_with_their_safe_contact_answers(unit):
    made = referral(
        unit,
        people=[
            victim(
                given_name="Robin",
                phone="(902) 555-0142",
                safe_to_call=True,
                safe_times="Mornings",
                language="fr",
                interpreter_needed=True,
            ),
            victim(given_name="Alex", no_contact=True),
        ],
    )
    first, second = made.victims
    assert (first.given_name, first.phone, first.safe_to_call) == ("Robin", "+19025550142", True)
    assert (first.safe_to_text, first.safe_times, first.language) == (False, "Mornings", "fr")
    assert (second.given_name, second.no_contact, second.phone) == ("Alex", True, None)


def test_a_self_referral_is_its_own_consent(unit):
    made = referral(unit, source=Source.SELF, channel=IntakeChannel.WEB_FORM, victim_consented=None)
    assert made.victim_consented is True


def test_a_family_member_may_not_know_whether_the_victim_agrees(unit):
    made = referral(
        unit,
        source=Source.FAMILY_FRIEND,
        channel=IntakeChannel.WEB_FORM,
        victim_consented=None,
        referrer_name="Jo Example",
        referrer_relationship=ReferralRole.FAMILY,
    )
    assert made.victim_consented is None


def test_what_could_reveal_someone_is_encrypted_at_rest(unit):
    made = referral(
        unit,
        narrative="He said he would find her",
        referrer_name="Constable Lee",
        people=[victim(phone="902 555 0142", safe_times="after 6")],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT narrative, referrer_name FROM intake_referral WHERE id = %s",
            [made.pk.hex if connection.vendor == "sqlite" else made.pk],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT given_name, phone, safe_times FROM intake_referralperson")
        row += cursor.fetchone()
    assert not any(secret in str(row) for secret in ("find her", "Lee", "Robin", "555", "after 6"))


def test_receiving_is_audited_with_codes_only(unit):
    made = referral(unit, narrative="Confidential words")
    event = AccessEvent.objects.get(action="referral.receive")
    assert (event.organisation, event.object_id) == (unit, str(made.pk))
    assert event.reason == "police by officer_form"
    assert "Robin" not in event.reason and "Confidential" not in event.reason


def test_an_officers_referral_records_who_sent_it(unit, users):
    made = referral(unit, user=users["officer"])
    assert made.sent_by == users["officer"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"victim_consented": None}, "Say whether the victim agreed"),
        ({"risk_flags": ["made_up"]}, "Choose risk flags from the list"),
        ({"urgency": "yesterday"}, "Choose the urgency"),
        ({"people": []}, "Name at least one victim"),
        ({"people": [victim(given_name="  ")]}, "Enter the person’s given name"),
        ({"people": [victim(phone="12345")]}, "not a phone number we can call"),
        ({"people": [victim(email="not-an-email")]}, "Enter an email address"),
        ({"people": [victim(date_of_birth=date(1899, 12, 31))]}, "cannot be before 1900"),
        ({"people": [victim(language="xx")]}, "Choose a language"),
        (
            {"people": [victim(phone="902 555 0142", no_contact=True, safe_to_call=True)]},
            "cannot go with a safe way",
        ),
        ({"people": [victim(safe_to_text=True)]}, "Give the phone number that is safe"),
        ({"people": [victim(safe_to_email=True)]}, "Give the email address that is safe"),
        ({"occurrence_number": "x" * 41}, "at most 40 characters"),
        ({"offence": "Assault\x00"}, "not allowed"),
        ({"sender_reference": "REF-without-a-sender"}, "needs a referring organisation"),
    ],
)
def test_it_refuses_what_no_door_may_send_and_writes_nothing(unit, fields, message):
    if "people" in fields and fields["people"] == []:
        fields["people"] = [victim(role=ReferralRole.CHILD)]
    with pytest.raises(IntakeError) as refused:
        referral(unit, **fields)
    assert message in refused.value.message
    assert _nothing_written()


def test_it_refuses_a_date_of_birth_in_the_future(unit):
    tomorrow = timezone.localdate() + timedelta(days=2)
    with pytest.raises(IntakeError) as refused:
        referral(unit, people=[victim(date_of_birth=tomorrow)])
    assert refused.value.field == "people.0.date_of_birth"
    assert _nothing_written()


def test_it_refuses_a_referral_to_anything_but_a_victim_services_unit(police):
    with pytest.raises(IntakeError) as refused:
        referral(police)
    assert refused.value.field == "to"
    assert _nothing_written()


def test_a_family_referral_needs_the_referrers_name(unit):
    with pytest.raises(IntakeError):
        referral(unit, source=Source.FAMILY_FRIEND, channel=IntakeChannel.WEB_FORM)
    assert _nothing_written()
