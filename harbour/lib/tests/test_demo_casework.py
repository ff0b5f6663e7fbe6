"""The demo's machinery, on small streams: batches written once and topped up, rows written
by the bulk loader read back through the ORM, and the progress bar."""

import io
import uuid
from datetime import date, time

import pytest
from django.core.management import call_command
from django.utils import timezone

from harbour.accounts.models import Organisation
from harbour.cases.models import Case, Contact, TimelineEvent
from harbour.consent.models import Consent
from harbour.intake.models import Referral
from harbour.lib import bulk, demo_casework
from harbour.lib.demo_casework import Stream, Worker
from harbour.lib.progress import Progress
from harbour.people.matching import name_tokens
from harbour.people.models import ContactPoint, Person

TINY = Stream(
    name="test-tiny",
    number=9,
    days=60,
    batches=2,
    referrals_per_year=900,
    workers=(Worker("tiny1@vsu.demo", "Tiny One", "ipv"),),
)
MORE = Stream(
    name="test-more",
    number=10,
    days=30,
    batches=1,
    referrals_per_year=900,
    workers=(
        Worker("more1@vsu.demo", "More One", "sv"),
        Worker("more2@vsu.demo", "More Two", "general"),
    ),
)


def region() -> dict[str, Organisation]:
    # The region and its users, without the year of casework: the command's own helper.
    from harbour.accounts.management.commands.demo import Command

    return Command()._region()


def seed(*streams: Stream, now=None) -> dict[str, int]:
    return demo_casework.seed(region(), streams, password="harbour-demo-2026", now=now)


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Person, Case, Referral, Contact, TimelineEvent))


def test_a_stream_is_written_once_and_a_second_stream_tops_it_up(db):
    written = seed(TINY)
    assert written["cases"] == Case.objects.count() > 0
    first = counts()
    assert seed(TINY) == {}
    assert counts() == first
    # A scale with another stream adds only the new stream's batches.
    more = seed(TINY, MORE)
    assert more["cases"] == Case.objects.count() - first[1] > 0
    assert seed(TINY, MORE) == {}
    # Each batch's marker is its first case.
    markers = [TINY.marker(0), TINY.marker(1), MORE.marker(0)]
    assert Case.objects.filter(pk__in=markers).count() == 3


def test_an_interrupted_run_carries_on_with_the_months_it_did_not_write(db, monkeypatch):
    generate = demo_casework.Batch.generate

    def stop_at_the_second_month(batch):
        if batch.index == 1:
            raise KeyboardInterrupt
        generate(batch)

    monkeypatch.setattr(demo_casework.Batch, "generate", stop_at_the_second_month)
    with pytest.raises(KeyboardInterrupt):
        seed(TINY)
    first_month = Case.objects.count()
    assert Case.objects.filter(pk=TINY.marker(0)).exists()
    assert not Case.objects.filter(pk=TINY.marker(1)).exists()
    monkeypatch.setattr(demo_casework.Batch, "generate", generate)
    written = seed(TINY)
    assert written["cases"] == Case.objects.count() - first_month > 0
    assert Case.objects.filter(pk=TINY.marker(1)).exists()


def test_the_same_seed_makes_the_same_people(db):
    now = timezone.now()
    seed(TINY, now=now)
    names = sorted(Person.objects.values_list("given_name", "family_name"))
    Consent.objects.all().delete()
    Case.objects.all().delete()  # with their contacts, services, follow-ups, timelines
    Referral.objects.all().delete()
    Person.objects.all().delete()
    seed(TINY, now=now)
    assert sorted(Person.objects.values_list("given_name", "family_name")) == names


def test_rows_written_by_the_bulk_loader_read_back_through_the_orm(db):
    org = region()["VSU"]
    loader = bulk.Loader()
    people = loader.table(
        Person,
        "id organisation_id given_name family_name safe_phone safe_phone_index languages "
        "date_of_birth created trafficking_protection interpreter_needed preferred_name "
        "given_name_key family_name_key gender gender_self_described pronouns "
        "interpreter_language".split(),
    )
    seal = bulk.sealer(Person, "safe_phone")
    index = bulk.indexer(Person, "safe_phone_index")
    pid = uuid.uuid4()
    people.add(
        pid,
        org.pk,
        "Amani",
        "Chen",
        seal(pid, "+1 902 555 0142"),
        index("+1 902 555 0142"),
        bulk.RawJSON('["fr", "en"]'),
        date(1990, 5, 17),
        timezone.now(),
        False,
        False,
        *[""] * 7,
    )
    points = loader.table(
        ContactPoint,
        "id person_id kind value value_index safe_from code_word is_primary created "
        "safe_to_call safe_to_leave_message safe_to_text safe_to_email safe_days".split(),
    )
    cid = uuid.uuid4()
    points.add(
        cid,
        pid,
        "phone",
        bulk.sealer(ContactPoint, "value")(cid, "+1 902 555 0199"),
        bulk.indexer(ContactPoint, "value_index")("+1 902 555 0199"),
        time(9, 30),
        bulk.sealer(ContactPoint, "code_word")(cid, None),
        True,
        timezone.now(),
        *[False] * 4,
        [],
    )
    assert loader.flush() == 2
    person = Person.objects.get(pk=pid)
    assert person.safe_phone == "+1 902 555 0142"
    assert person.languages == ["fr", "en"]
    assert person.date_of_birth == date(1990, 5, 17)
    assert Person.objects.filter(safe_phone_index=index("(902) 555-0142")).get() == person
    point = ContactPoint.objects.get(pk=cid)
    assert (point.value, point.safe_from, point.code_word) == ("+1 902 555 0199", time(9, 30), None)


def test_a_token_sealed_for_one_row_does_not_open_in_another(db):
    from harbour.lib.crypto import DecryptionError
    from harbour.lib.fields import Ciphertext

    seal = bulk.sealer(Person, "safe_phone")
    field = Person._meta.get_field("safe_phone")
    one, two = uuid.uuid4(), uuid.uuid4()
    token = seal(one, "+1 902 555 0142")
    assert field.decrypt(Ciphertext(token, field.aad_for_pk(one))) == "+1 902 555 0142"
    try:
        field.decrypt(Ciphertext(token, field.aad_for_pk(two)))
    except DecryptionError:
        pass
    else:
        raise AssertionError("a token bound to one row opened in another")


def test_the_progress_bar_writes_a_line_each_tenth_when_not_on_a_terminal():
    out = io.StringIO()
    bar = Progress(20, "demo", out)
    for _ in range(20):
        bar.advance()
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("demo [") and "100% 20/20" in lines[-1]


def test_the_command_reports_what_it_wrote_then_that_nothing_was_needed(db, monkeypatch):
    monkeypatch.setitem(demo_casework.SCALES, "small", (TINY,))
    out = io.StringIO()
    call_command("demo", stdout=out, stderr=io.StringIO())
    assert "Demo casework (small) written in" in out.getvalue()
    out = io.StringIO()
    call_command("demo", stdout=out, stderr=io.StringIO())
    assert "nothing to add" in out.getvalue()
    assert "tiny1@vsu.demo" in out.getvalue()


def test_every_demo_person_is_found_by_name_as_one_made_by_the_actions(db):
    seed(TINY)
    people = list(Person.objects.prefetch_related("aliases", "name_tokens"))
    assert people
    for person in people:
        names = [person.given_name, person.family_name, person.preferred_name]
        names += [n for a in person.aliases.all() for n in (a.given_name, a.family_name)]
        assert {t.token for t in person.name_tokens.all()} == name_tokens(*names), person.pk
