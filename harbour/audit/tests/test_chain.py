"""The access trail: hash-chained, verified end to end, tampering named precisely, and on
PostgreSQL refused outright by a trigger."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from harbour.audit.actions import record_access
from harbour.audit.models import AccessEvent, ChainHead
from harbour.audit.verify import verify_chain
from harbour.people.models import Person

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def trail(users, unit):
    person = Person.objects.create(organisation=unit, given_name="Robin", family_name="Example")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    request.user = users["caseworker"]
    for i in range(5):
        record_access(request, "person.view", obj=person, person=person, reason=f"visit {i}")
    return person


def tamper(sql: str, params=()) -> None:
    """Change the table behind the application's back, as an attacker with database access
    would. On PostgreSQL the trigger must be bypassed first (replica role skips triggers),
    which only a superuser can do."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_it_links_each_event_to_the_one_before(trail):
    events = list(AccessEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert ChainHead.objects.get().hash == events[-1].hash


def test_it_records_who_what_why_when_and_from_where(trail, users):
    event = AccessEvent.objects.get(seq=1)
    assert event.actor == users["caseworker"]
    assert event.action == "person.view"
    assert event.person_id == str(trail.pk)
    assert event.object_type == "people.person"
    assert event.reason == "visit 0"
    assert event.ip == "192.0.2.10"
    assert event.at is not None


def test_verify_reports_an_intact_chain(trail, capsys):
    call_command("audit", "verify")
    assert "intact: 5 events checked" in capsys.readouterr().out


def test_it_catches_an_edited_row(trail):
    tamper("UPDATE audit_accessevent SET reason = %s WHERE seq = 3", ["nothing to see"])
    verdict = verify_chain()
    assert not verdict.intact
    assert verdict.broken_seq == 3
    assert "changed" in verdict.problem
    with pytest.raises(CommandError, match="BROKEN at event #3"):
        call_command("audit", "verify")


def test_it_catches_a_deleted_row(trail):
    tamper("DELETE FROM audit_accessevent WHERE seq = 2")
    verdict = verify_chain()
    assert (verdict.intact, verdict.broken_seq) == (False, 2)
    assert "missing" in verdict.problem


def test_it_catches_deleted_newest_rows(trail):
    tamper("DELETE FROM audit_accessevent WHERE seq >= 4")
    verdict = verify_chain()
    assert (verdict.intact, verdict.broken_seq) == (False, 4)


def test_it_catches_a_row_rewritten_with_a_fresh_hash(trail):
    # Recomputing the hash of an edited row does not help: the next row still points at the
    # old one.
    event = AccessEvent.objects.get(seq=2)
    event.reason = "rewritten"
    tamper(
        "UPDATE audit_accessevent SET reason = %s, hash = %s WHERE seq = 2",
        ["rewritten", event.compute_hash()],
    )
    verdict = verify_chain()
    assert (verdict.intact, verdict.broken_seq) == (False, 3)


def test_an_event_rolls_back_with_the_work_it_describes(users, unit):
    request = RequestFactory().get("/")
    request.user = users["caseworker"]
    with pytest.raises(RuntimeError), transaction.atomic():
        record_access(request, "person.view")
        raise RuntimeError("the view failed after recording")
    assert AccessEvent.objects.count() == 0
    assert verify_chain().intact


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accessevent SET reason = 'x' WHERE seq = 1",
        "DELETE FROM audit_accessevent WHERE seq = 1",
        "TRUNCATE audit_accessevent",
    ],
)
def test_postgresql_refuses_changes_to_the_trail(trail, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            # As the application runs: without the test suite's truncation flag.
            cursor.execute("SET LOCAL harbour.audit_truncate = 'deny'")
            # Fire the fixture's deferred foreign-key checks now, or PostgreSQL refuses the
            # TRUNCATE for that reason before our trigger is asked.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)
    assert AccessEvent.objects.count() == 5
