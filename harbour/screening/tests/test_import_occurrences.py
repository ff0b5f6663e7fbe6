"""screening.actions.import_occurrences: what an import writes, replaces and deletes, what it
refuses and rejects, and that it is transactional per batch, idempotent and audited."""

import io
from datetime import date

import pytest
from django.db import connection

from harbour.audit.models import AccessEvent
from harbour.screening.actions import ImportFailed, ImportRefused, import_occurrences
from harbour.screening.constants import ImportStatus, PersonRole
from harbour.screening.imports import Importer
from harbour.screening.models import (
    ImportRejection,
    ImportRun,
    Occurrence,
    OccurrenceOffence,
    OccurrencePerson,
    OccurrenceRelationship,
    VictimOffence,
    ZeroReport,
)
from harbour.screening.records import Incident, Offence, Person
from harbour.screening.tests import nibrs_writer as w
from harbour.screening.tests.helpers import counts, run_import, snapshot

ORI = "VT0040100"


def test_it_imports_an_incident_with_its_offences_people_and_relationships(unit):
    lines = [
        w.administrative(ORI, "20-0001", date(2020, 3, 1), hour=22),
        w.offense(ORI, "20-0001", "13A", weapons=("20",)),
        w.offense(ORI, "20-0001", "290", bias=("88", "21")),
        w.victim(
            ORI,
            "20-0001",
            1,
            ("13A", "290"),
            age="34",
            sex="F",
            circumstances=("06",),
            injuries="L",
            relationships=((1, "XS"), (2, "ST")),
        ),
        w.offender(ORI, "20-0001", 1, age="36"),
        w.offender(ORI, "20-0001", 2, age="00", sex="U", race="U"),
        w.arrestee(ORI, "20-0001", 1, offence="13A"),
    ]
    run = run_import(unit, lines)

    assert run.status == ImportStatus.COMPLETED
    assert counts(run) == {"inserted": 1}
    occurrence = Occurrence.objects.get()
    assert occurrence.organisation == unit
    assert (occurrence.ori, occurrence.incident_number) == (ORI, "20-0001")
    assert (occurrence.incident_date, occurrence.incident_hour) == (date(2020, 3, 1), 22)
    assert occurrence.source_format == "nibrs-flat"
    assert (occurrence.weapon, occurrence.injury, occurrence.strangulation) == (True, True, False)
    assert occurrence.children_present is None
    assert occurrence.import_run == run
    assault, damage = occurrence.offences.order_by("nibrs_code")
    assert (assault.nibrs_code, assault.crime_against, assault.category) == (
        "13A",
        "person",
        "assault",
    )
    assert assault.weapon_force_codes == ["20"]
    assert assault.bias_motivated is False
    assert (damage.crime_against, damage.bias_motivation_codes, damage.bias_motivated) == (
        "property",
        ["88", "21"],
        True,
    )
    victim = occurrence.people.get(role=PersonRole.VICTIM)
    assert (victim.sequence_number, victim.age_low, victim.sex) == (1, 34, "F")
    assert victim.circumstance_codes == ["06"]
    assert victim.injury_codes == ["L"]
    assert set(victim.offences.values_list("nibrs_code", flat=True)) == {"13A", "290"}
    relationships = victim.relationships.order_by("offender_sequence_number")
    assert [
        (r.code, r.relationship_class, r.is_intimate, r.offender.sequence_number)
        for r in relationships
    ] == [("XS", "former_spouse", True, 1), ("ST", "stranger", False, 2)]
    arrestee = occurrence.people.get(role=PersonRole.ARRESTEE)
    assert (arrestee.arrest_offence_code, arrestee.arrest_date) == ("13A", date(2020, 3, 2))
    assert victim.given_name is None


def test_importing_the_same_file_again_changes_nothing(unit):
    lines = [*w.incident(ORI, "A1"), *w.incident(ORI, "A2"), w.zero_report("VT0041200", 2020, 4)]
    first = run_import(unit, lines)
    before = snapshot()

    second = run_import(unit, lines)

    assert counts(first) == {"inserted": 2, "zero_reports_added": 1}
    assert counts(second) == {"unchanged": 2}
    assert snapshot() == before


def test_a_changed_incident_replaces_the_one_on_file_in_place(unit):
    run_import(unit, w.incident(ORI, "C1", relationship="AQ"))
    occurrence = Occurrence.objects.get()

    run = run_import(unit, w.incident(ORI, "C1", relationship="BG"))

    assert counts(run) == {"replaced": 1}
    again = Occurrence.objects.get()
    assert again.pk == occurrence.pk
    assert again.import_run == run
    assert list(OccurrenceRelationship.objects.values_list("code", "relationship_class")) == [
        ("BG", "current_dating")
    ]
    assert OccurrencePerson.objects.count() == 2
    assert VictimOffence.objects.count() == 1


def test_a_delete_removes_the_incident_and_everything_in_it(unit):
    run_import(unit, [*w.incident(ORI, "D1"), *w.incident(ORI, "D2")])

    run = run_import(unit, [w.delete(ORI, "D1")])

    assert counts(run) == {"deleted": 1}
    assert list(Occurrence.objects.values_list("incident_number", flat=True)) == ["D2"]
    assert OccurrencePerson.objects.count() == 2
    assert OccurrenceOffence.objects.count() == 1
    assert VictimOffence.objects.count() == 1
    assert OccurrenceRelationship.objects.count() == 1


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_a_delete_then_an_insert_replaces_the_incident_keeping_its_id(unit, batch_size):
    run_import(unit, w.incident(ORI, "R1", relationship="AQ"))
    occurrence = Occurrence.objects.get()

    run = run_import(
        unit,
        [w.delete(ORI, "R1"), *w.incident(ORI, "R1", relationship="SE")],
        batch_size=batch_size,
    )

    assert counts(run) == {"replaced": 1}
    assert Occurrence.objects.get().pk == occurrence.pk
    assert OccurrenceRelationship.objects.get().code == "SE"


@pytest.mark.parametrize("batch_size, written", [(1000, {}), (1, {"inserted": 1})])
def test_an_insert_then_a_delete_in_one_file_leaves_nothing(unit, batch_size, written):
    run = run_import(unit, [*w.incident(ORI, "X1"), w.delete(ORI, "X1")], batch_size=batch_size)

    assert counts(run) == {**written, "deleted": 1}
    assert not Occurrence.objects.exists()


def test_the_last_insert_of_an_incident_in_a_file_wins(unit):
    run = run_import(
        unit, [*w.incident(ORI, "L1", relationship="AQ"), *w.incident(ORI, "L1", relationship="XR")]
    )

    assert counts(run) == {"inserted": 1}
    assert OccurrenceRelationship.objects.get().code == "XR"


def test_a_delete_of_an_incident_not_on_file_is_counted_and_harmless(unit):
    run = run_import(unit, [w.delete(ORI, "NOPE")])

    assert counts(run) == {"not_on_file": 1}
    assert run.status == ImportStatus.COMPLETED


def test_group_b_arrest_reports_are_counted_not_kept(unit):
    run = run_import(
        unit, [w.group_b_arrest(ORI, "237398"), w.group_b_arrest(ORI, "2", action="D")]
    )

    assert counts(run) == {"arrests_skipped": 2}
    assert snapshot() == {label: [] for label in snapshot()}


def test_a_zero_report_is_kept_and_deleted(unit):
    added = run_import(unit, [w.zero_report("VT0041200", 2020, 4)])
    assert counts(added) == {"zero_reports_added": 1}
    report = ZeroReport.objects.get()
    assert (report.ori, report.year, report.month, report.organisation) == (
        "VT0041200",
        2020,
        4,
        unit,
    )

    deleted = run_import(unit, [w.zero_report("VT0041200", 2020, 4, action="D")])

    assert counts(deleted) == {"zero_reports_deleted": 1}
    assert not ZeroReport.objects.exists()


def test_a_zero_report_for_a_month_with_incidents_on_file_is_rejected(unit):
    run_import(unit, w.incident(ORI, "Z1", date(2020, 4, 9)))

    run = run_import(unit, [w.zero_report(ORI, 2020, 4)])

    assert counts(run) == {"rejected": 1}
    rejection = ImportRejection.objects.get(run=run)
    assert rejection.line == 1
    assert "has incidents on file for 2020-04" in rejection.reason
    assert not ZeroReport.objects.exists()


def test_an_incident_removes_the_zero_report_of_its_month(unit):
    run_import(unit, [w.zero_report(ORI, 2020, 4), w.zero_report(ORI, 2020, 5)])

    run = run_import(unit, w.incident(ORI, "Z2", date(2020, 4, 30)))

    assert counts(run) == {"inserted": 1, "zero_reports_deleted": 1}
    assert list(ZeroReport.objects.values_list("month", flat=True)) == [5]


def test_rejected_records_are_kept_with_where_and_why_and_the_rest_is_imported(unit):
    bad = w.incident(ORI, "B1")
    bad[2] = w.victim(ORI, "B1", 1, ("13B",), victim_type="Q", relationships=((1, "BG"),))
    run = run_import(unit, [*w.incident(ORI, "G1"), *bad, *w.incident(ORI, "G2")])

    assert counts(run) == {"inserted": 2, "rejected": 1}
    assert sorted(Occurrence.objects.values_list("incident_number", flat=True)) == ["G1", "G2"]
    rejection = run.rejections.get()
    assert (
        rejection.line,
        rejection.segment,
        rejection.field,
        rejection.position,
        rejection.ori,
        rejection.incident_number,
    ) == (7, "victim", "type of victim (data element 25)", "71", ORI, "B1")
    assert "“Q” is not a valid value here" in rejection.reason


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "The file is empty."),
        (b"\r\n   \r\n", "nothing but blank lines"),
        (b"<?xml version='1.0'?><nibrs/>", "looks like XML"),
        (b"ori,incident_number\r\nVT1,2\r\n", "not a NIBRS flat file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
    ],
)
def test_a_file_that_is_not_nibrs_is_refused_and_changes_nothing(unit, data, reason):
    run_import(unit, w.incident(ORI, "K1"))
    before = snapshot()
    runs, events = ImportRun.objects.count(), AccessEvent.objects.count()

    with pytest.raises(ImportRefused, match=reason):
        run_import(unit, data)

    assert snapshot() == before
    assert ImportRun.objects.count() == runs
    assert AccessEvent.objects.count() == events


def fail_on_insert_of(incident_number: str) -> None:
    """A real database failure for one incident: a trigger that refuses its insert."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_boom BEFORE INSERT ON screening_occurrence "
                f"WHEN NEW.incident_number = '{incident_number}' "
                "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.incident_number = '{incident_number}' THEN "
                "RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$ "
                "LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_boom BEFORE INSERT ON screening_occurrence "
                "FOR EACH ROW EXECUTE FUNCTION refuse_boom()"
            )


def test_a_batch_that_fails_is_rolled_back_alone(unit):
    run_import(unit, w.incident(ORI, "S1", relationship="AQ"))
    fail_on_insert_of("BOOM")
    lines = [
        *w.incident(ORI, "P1"),  # batch 1
        *w.incident(ORI, "P2"),
        *w.incident(ORI, "S1", relationship="SE"),  # batch 2: a replacement, then the failure
        *w.incident(ORI, "BOOM"),
        *w.incident(ORI, "P3"),  # batch 3: never reached
        w.zero_report("VT0041200", 2020, 4),
    ]

    with pytest.raises(ImportFailed, match="lines 9 to 13 could not be written") as failure:
        run_import(unit, lines, batch_size=2)

    run = failure.value.run
    assert run.status == ImportStatus.FAILED
    assert "refused by test trigger" in run.error
    assert counts(run) == {"inserted": 2}
    assert ImportRun.objects.get(pk=run.pk).inserted == 2
    assert sorted(Occurrence.objects.values_list("incident_number", flat=True)) == [
        "P1",
        "P2",
        "S1",
    ]
    assert OccurrenceRelationship.objects.get(victim__occurrence__incident_number="S1").code == "AQ"
    assert not ZeroReport.objects.exists()


def test_the_import_is_audited(unit, users):
    run = run_import(unit, w.incident(ORI, "U1"), user=users["coordinator"], file_name="/x/y.txt")

    event = AccessEvent.objects.get(action="occurrences.import")
    assert (event.organisation, event.actor, event.object_id) == (
        unit,
        users["coordinator"],
        str(run.pk),
    )
    assert "y.txt" in event.reason
    assert run.started_by == users["coordinator"]
    assert run.file_name == "y.txt"
    assert len(run.sha256) == 64


def test_the_same_incident_in_another_organisation_is_another_occurrence(unit, other_unit):
    run_import(unit, w.incident(ORI, "O1", relationship="AQ"))

    run = run_import(other_unit, w.incident(ORI, "O1", relationship="SE"))
    deleted = run_import(other_unit, [w.delete(ORI, "O1")])

    assert counts(run) == {"inserted": 1}
    assert counts(deleted) == {"deleted": 1}
    mine = Occurrence.objects.get()
    assert mine.organisation == unit
    assert OccurrenceRelationship.objects.get().code == "AQ"


def test_progress_is_reported_in_lines(unit):
    heard = []
    run_import(
        unit, w.incident(ORI, "Q1"), progress=lambda done, total: heard.append((done, total))
    )
    assert heard == [(4, 4)]


def incident(**people) -> Incident:
    return Incident(
        ori=ORI,
        incident_number="N1",
        incident_date=date(2020, 3, 1),
        line=1,
        offences=[Offence(nibrs_code="13B")],
        people=[
            Person(role="victim", sequence_number=1, offence_codes=("13B",), **people),
            Person(role="offender", sequence_number=1),
        ],
    )


def importer(unit) -> Importer:
    run = ImportRun.objects.create(organisation=unit, source_format="csv", file_name="t.csv")
    return Importer(run)


def test_names_from_other_formats_are_stored_encrypted(unit):
    importer(unit).consume(
        [incident(given_name="Alex", family_name="Doe", date_of_birth=date(1990, 5, 6))]
    )

    victim = OccurrencePerson.objects.get(role="victim")
    assert (victim.given_name, victim.family_name, victim.date_of_birth) == (
        "Alex",
        "Doe",
        date(1990, 5, 6),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM screening_occurrenceperson WHERE role = 'victim'")
        (stored,) = cursor.fetchone()
    assert "Alex" not in stored


def test_an_incident_another_parser_got_wrong_is_rejected_not_written(unit):
    bad = incident()
    bad.people.append(Person(role="offender", sequence_number=1))
    bad.offences.append(Offence(nibrs_code="ZZZ"))
    runner = importer(unit)
    runner.consume([bad])

    assert runner.run.rejected == 1
    assert not Occurrence.objects.exists()
    reasons = list(ImportRejection.objects.values_list("reason", flat=True))
    assert reasons == [
        "Sequence number 1 appears twice in this incident.",
        "Offense code ZZZ is not in Harbour's offence taxonomy.",
    ]


def test_an_import_reads_a_file_object_from_its_start(unit):
    data = io.BytesIO(w.file_bytes(w.incident(ORI, "F1")))
    data.seek(10)
    run = import_occurrences(data, organisation=unit, source_format="nibrs-flat", file_name="f.txt")
    assert counts(run) == {"inserted": 1}
