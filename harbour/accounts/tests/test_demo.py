"""`harbour demo` seeds the synthetic region and a believable year of the unit's casework,
idempotently, with the mixes docs/demo-data.md describes and nothing real-looking in it.

The demo is seeded once for the module (it takes seconds) inside a transaction that is
rolled back at the end; each test runs in its own savepoint within it.
"""

import collections
import itertools
import os
import re
import statistics
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from harbour.accounts.constants import OrganisationKind, Role
from harbour.accounts.models import Membership, Organisation, User
from harbour.cases.constants import LIVE_STATUSES, CaseStatus, ClientRole, Program, TimelineKind
from harbour.cases.models import Case, CaseProgram, Contact, ServiceProvided, Task, TimelineEvent
from harbour.consent.models import Consent
from harbour.intake.constants import ReferralStatus, Source
from harbour.intake.models import Referral, ReferralPerson
from harbour.lib import crypto
from harbour.lib.demo_casework import SERVICE_CODES, TEAMS, YEAR
from harbour.people.models import Address, ContactPoint, Person, Relationship

FICTIONAL_PHONE = re.compile(r"^\+1 \d{3} 555 01\d\d$")
RESERVED_EMAIL = re.compile(r"^[a-z]+\.[a-z]+\d*@example\.(org|net|com)$")


def seed():
    with open(os.devnull, "w") as out:
        call_command("demo", stdout=out, stderr=out)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            seed()
            yield
            transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in ("accounts", "people", "cases", "intake", "consent", "screening")
    }


def shares(values) -> dict[str, float]:
    counts = collections.Counter(values)
    total = sum(counts.values())
    return {key: n / total for key, n in counts.items()}


def test_it_seeds_two_police_services_a_unit_three_partners_and_a_monitoring_centre(demo, db):
    kinds = sorted(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count(OrganisationKind.POLICE) == 2
    assert kinds.count(OrganisationKind.VSU) == 1
    assert kinds.count(OrganisationKind.MONITORING) == 1
    partners = [k for k in kinds if k in (OrganisationKind.AGENCY, OrganisationKind.HOSPITAL)]
    assert len(partners) == 3


def test_there_is_a_user_for_every_role_who_can_sign_in(demo, db):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for email in ("caseworker@vsu.demo", "coordinator@vsu.demo", "caseworker7@vsu.demo"):
        assert User.objects.get(email=email).check_password("harbour-demo-2026")


def test_running_it_again_changes_nothing(demo, db):
    before = row_counts()
    seed()
    assert row_counts() == before


def test_a_year_of_casework_in_the_documented_volumes(demo, db):
    assert 2_300 <= Referral.objects.count() <= 2_700
    assert 1_550 <= Case.objects.count() <= 2_100
    assert 21_000 <= Contact.objects.count() <= 30_000
    assert Person.objects.count() >= 2 * Case.objects.count()
    # Every referral names its people; every case came through triage or is a family
    # member's case linked to the victim's.
    assert not Referral.objects.filter(people__isnull=True).exists()
    primary = Case.objects.filter(linked_case__isnull=True)
    assert not primary.filter(referrals__isnull=True).exists()


def test_referrals_come_mostly_from_police_then_self(demo, db):
    source = shares(Referral.objects.values_list("source", flat=True))
    assert 0.45 <= source[Source.POLICE] <= 0.60
    ranked = sorted(source, key=source.get, reverse=True)
    assert ranked[:2] == [Source.POLICE, Source.SELF]
    assert set(source) == set(Source.values)


def test_ipv_is_the_majority_and_homicide_and_trafficking_are_few(demo, db):
    cases = Case.objects.count()
    with_program = collections.Counter(CaseProgram.objects.values_list("program", flat=True))
    assert with_program[Program.IPV] / cases > 0.5
    assert 0 < with_program[Program.HOMICIDE] / cases < 0.08
    assert 0 < with_program[Program.TRAFFICKING] / cases < 0.04
    trafficking = Case.objects.filter(programs__program=Program.TRAFFICKING)
    assert not trafficking.filter(client__trafficking_protection=False).exists()
    flagged = Person.objects.filter(trafficking_protection=True)
    assert not flagged.exclude(cases__programs__program=Program.TRAFFICKING).exists()


def test_most_cases_closed_and_each_caseworker_carries_a_live_caseload(demo, db):
    status = shares(Case.objects.values_list("status", flat=True))
    assert 0.65 <= status[CaseStatus.CLOSED] <= 0.88
    assert not Case.objects.filter(status=CaseStatus.CLOSED, close_reason="").exists()
    live = collections.Counter(
        Case.objects.filter(status__in=LIVE_STATUSES).values_list("assigned_to_id", flat=True)
    )
    workers = Membership.objects.filter(organisation__short_name="VSU", role=Role.CASEWORKER)
    loads = [live[m.user_id] for m in workers]
    assert len(loads) == len(YEAR.workers)
    assert 30 <= statistics.mean(loads) <= 60
    assert all(15 <= n <= 75 for n in loads)
    # Each is on a team, and the teams are the unit's three.
    assert {w.team for w in YEAR.workers} == set(TEAMS)
    for worker in YEAR.workers:
        assert User.objects.get(email=worker.email).teams.get().name == TEAMS[worker.team]


def test_contacts_are_mostly_calls_and_many_attempts_go_unanswered(demo, db):
    contacts = Contact.objects.all()
    channel = shares(contacts.values_list("channel", flat=True))
    assert max(channel, key=channel.get) == "phone"
    assert {"phone", "text", "drop_in", "home_visit", "on_scene", "virtual", "email", "letter"} == (
        set(channel)
    )
    outcome = shares(contacts.values_list("outcome", flat=True))
    assert outcome["no_answer"] >= 0.10
    assert 0.5 <= outcome["reached"] <= 0.75
    # Never a message left where it is not safe to leave one, never a call where it is not
    # safe to call (unless the client called in).
    unsafe = Contact.objects.filter(contact_point__safe_to_leave_message=False)
    assert not unsafe.filter(outcome="left_message").exists()
    calls = Contact.objects.filter(channel="phone", direction="outgoing")
    assert not calls.filter(contact_point__safe_to_call=False).exists()


def test_times_follow_the_working_week_in_the_units_time_zone(demo, db):
    tz = Organisation.objects.get(short_name="VSU").tz
    now = timezone.now()
    contacts = list(Contact.objects.values_list("at", "channel"))
    assert all(now - timedelta(days=366) <= at <= now for at, _ in contacts)
    local = [(at.astimezone(tz), channel) for at, channel in contacts]
    weekdays = sum(1 for at, _ in local if at.weekday() < 5) / len(local)
    assert weekdays > 0.9
    calls = [at for at, channel in local if channel == "phone"]
    office = sum(1 for at in calls if 8 <= at.hour < 17) / len(calls)
    assert office > 0.95


def test_services_come_from_the_taxonomy_and_every_change_has_a_timeline_line(demo, db):
    codes = set(ServiceProvided.objects.values_list("service", flat=True))
    assert codes <= set(SERVICE_CODES)
    assert len(codes) == len(SERVICE_CODES)
    events = collections.Counter(TimelineEvent.objects.values_list("kind", flat=True))
    assert events[TimelineKind.CONTACT] == Contact.objects.count()
    assert events[TimelineKind.SERVICE] == ServiceProvided.objects.count()
    assert events[TimelineKind.CASE] == Case.objects.count()
    assert events[TimelineKind.CONSENT] == Consent.objects.count()
    assert events[TimelineKind.STATUS] >= Case.objects.filter(status=CaseStatus.CLOSED).count()
    # Codes only: nothing in a timeline line's data is free text.
    allowed = {"source", "channel", "direction", "outcome", "service", "purpose", "from", "to"}
    allowed.add("reason")
    for data in TimelineEvent.objects.values_list("data", flat=True).distinct()[:500]:
        assert set(data) <= allowed


def test_cases_are_numbered_per_year_in_order_of_opening(demo, db):
    tz = Organisation.objects.get(short_name="VSU").tz
    rows = list(Case.objects.order_by("opened_at").values_list("number", "opened_at"))
    by_year = collections.defaultdict(list)
    for number, opened in rows:
        year, n = number.split("-")
        assert year == str(opened.astimezone(tz).year) and len(n) == 5
        by_year[year].append(int(n))
    for numbers in by_year.values():
        # No gaps, no repeats; in order of opening but for a relative's case opened days
        # after the victim's, which takes its number with the victim's month.
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        late = sum(1 for a, b in itertools.pairwise(numbers) if b < a)
        assert late / len(numbers) < 0.1
    assert not Case.objects.filter(last_activity_at__lt=F("opened_at")).exists()


def test_there_is_a_triage_queue_and_follow_ups_some_of_them_late(demo, db):
    now = timezone.now()
    waiting = Referral.objects.filter(status=ReferralStatus.NEW)
    assert 15 <= waiting.count() <= 45
    assert 0 < waiting.filter(due_at__lt=now).count() < waiting.count()
    open_tasks = Task.objects.filter(status="open")
    late = open_tasks.filter(due_at__lt=now).count()
    assert 0.05 <= late / open_tasks.count() <= 0.5
    assert not Task.objects.filter(status="done", done_at__isnull=True).exists()


def test_family_members_have_cases_of_their_own_linked_to_the_victims(demo, db):
    linked = Case.objects.filter(linked_case__isnull=False)
    assert linked.count() >= 20
    assert not linked.filter(client_role=ClientRole.VICTIM).exists()
    assert (
        not Case.objects.filter(linked_case__isnull=True)
        .exclude(client_role=ClientRole.VICTIM)
        .exists()
    )
    assert Relationship.objects.filter(kind="former_partner").exists()
    assert Relationship.objects.filter(kind="child").exists()


def test_a_few_restricted_cases_each_with_a_team(demo, db):
    restricted = Case.objects.filter(restricted=True)
    assert 1 <= restricted.count() <= 40
    assert not restricted.filter(team__isnull=True).exists()
    assert not restricted.filter(restricted_reason="").exists()


def test_safe_contact_preferences_vary(demo, db):
    phones = ContactPoint.objects.filter(kind="phone", is_primary=True)
    total = phones.count()
    assert 0.1 < phones.filter(safe_to_call=False).count() / total < 0.6
    assert 0.2 < phones.filter(safe_to_text=False).count() / total < 0.7
    assert phones.filter(safe_from__isnull=False).exists()
    assert phones.filter(code_word__isnull=False).exists()
    assert Address.objects.filter(confidential=True).exists()
    assert Address.objects.filter(confidential=False).exists()


def test_every_phone_number_is_fictional_and_every_email_reserved(demo, db):
    numbers = [p.safe_phone for p in Person.objects.exclude(safe_phone=None)]
    numbers += [r.phone for r in ReferralPerson.objects.exclude(phone=None)]
    numbers += [r.referrer_phone for r in Referral.objects.exclude(referrer_phone=None)]
    emails = [r.referrer_email for r in Referral.objects.exclude(referrer_email=None)]
    for point in ContactPoint.objects.all():
        (numbers if point.kind == "phone" else emails).append(point.value)
    assert len(numbers) > 5_000 and len(emails) > 500
    assert [n for n in numbers if not FICTIONAL_PHONE.match(n)] == []
    assert [e for e in emails if not RESERVED_EMAIL.match(e)] == []


def test_encrypted_fields_are_stored_as_tokens_and_decrypt(demo, db):
    contact = Contact.objects.exclude(notes=None).first()
    address = Address.objects.exclude(line1=None).first()
    person = ReferralPerson.objects.exclude(given_name=None).first()
    code = ContactPoint.objects.exclude(code_word=None).first()
    for obj, name in [
        (contact, "notes"),
        (address, "line1"),
        (person, "given_name"),
        (code, "code_word"),
    ]:
        table = obj._meta.db_table
        with connection.cursor() as cursor:
            pk = obj._meta.pk.get_db_prep_value(obj.pk, connection)
            cursor.execute(f"SELECT {name} FROM {table} WHERE id = %s", [pk])  # noqa: S608
            stored = cursor.fetchone()[0]
        plain = getattr(obj, name)
        assert crypto.is_token(stored)
        assert isinstance(plain, str) and plain and plain not in stored
    assert address.city in ("Harbour", "Lakeshore")
    # Found again through the blind index, as the people search does.
    point = ContactPoint.objects.filter(kind="phone").first()
    from harbour.lib.fields import blind_lookup

    found = ContactPoint.objects.filter(**blind_lookup(ContactPoint, "value", point.value))
    assert point in found


def test_demo_people_without_cases_keep_their_fictional_safe_phones(demo, db):
    bare = Person.objects.filter(safe_phone__isnull=False, contact_points__isnull=True)
    assert bare.count() == 25
    assert all(FICTIONAL_PHONE.match(p.safe_phone) for p in bare)


def test_the_unit_has_a_year_of_police_occurrences_to_screen(demo, db):
    from harbour.screening.models import Occurrence, OccurrenceRelationship

    unit = Organisation.objects.get(short_name="VSU")
    occurrences = Occurrence.objects.filter(organisation=unit)
    assert occurrences.count() >= 1_900
    dates = sorted(occurrences.values_list("incident_date", flat=True))
    assert (dates[-1] - dates[0]).days > 300
    # Synthetic agencies only, and intimate partner violence among them.
    assert all(ori.startswith("ZZ") for ori in occurrences.values_list("ori", flat=True))
    assert OccurrenceRelationship.objects.filter(is_intimate=True).exists()
