"""The NIBRS XML and Harbour CSV/JSON formats through the whole import: parsed, checked as
a whole first (a file broken at its end writes nothing), classified with the taxonomy
(UCR2 offences too), names stored encrypted, unknown UCR2 codes kept with a warning, and a
second import of the same file changing nothing."""

import io
import json
from pathlib import Path

import pytest
from django.db import connection

from harbour.screening.actions import ImportRefused, import_occurrences
from harbour.screening.models import ImportRejection, ImportRun, Occurrence, OccurrencePerson
from harbour.screening.tests.helpers import snapshot
from harbour.testing.reference import NIBRS

DATA = Path(__file__).parent / "data"
XML_SAMPLE = NIBRS / "nibrs_GroupAIncident_Sample.xml"


def run(unit, data: bytes, source_format: str):
    return import_occurrences(
        io.BytesIO(data), organisation=unit, source_format=source_format, file_name="x"
    )


def test_the_iepd_sample_imports_and_a_second_import_changes_nothing(unit):
    data = XML_SAMPLE.read_bytes()
    first = run(unit, data, "nibrs-xml")
    assert first.inserted >= 1 and first.rejected == 0
    occurrence = Occurrence.objects.get()
    assert occurrence.source_format == "nibrs-xml"
    assert occurrence.offences.exclude(crime_against="").exists()
    before = snapshot()
    again = run(unit, data, "nibrs-xml")
    assert (again.inserted, again.replaced, again.unchanged) == (0, 0, first.inserted)
    assert snapshot() == before


@pytest.mark.parametrize("source_format", ["json", "csv"])
def test_a_canadian_export_is_classified_by_its_ucr2_codes_with_names_encrypted(
    unit, source_format
):
    data = (DATA / f"occurrences.{source_format}").read_bytes()
    result = run(unit, data, source_format)
    assert result.rejected == 0
    occurrence = Occurrence.objects.get(incident_number="2024-000123")
    assert occurrence.ori == "NS0010000"
    # 1430 (assault level 1) is a crime against the person in an assault category.
    assault = occurrence.offences.get(ucr2_code="1430")
    assert (assault.crime_against, assault.category) == ("person", "assault")
    victim = OccurrencePerson.objects.get(occurrence=occurrence, role="victim")
    assert victim.family_name == "Samplecase"
    relationship = victim.relationships.get()
    assert (relationship.code_system, relationship.relationship_class) == ("ucr2", "former_spouse")
    assert relationship.is_intimate
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name FROM screening_occurrenceperson WHERE id = %s",
            [victim.pk.hex if connection.vendor == "sqlite" else victim.pk],
        )
        assert "Samplecase" not in str(cursor.fetchone()[0])
    before = snapshot()
    again = run(unit, data, source_format)
    assert again.inserted == again.replaced == 0
    assert snapshot() == before


def test_an_unknown_ucr2_code_is_kept_with_a_warning(unit):
    document = json.loads((DATA / "occurrences.json").read_text())
    document["occurrences"] = document["occurrences"][:1]
    document["occurrences"][0]["offences"] = [{"ucr2_code": "9999"}]
    document["occurrences"][0]["people"][0]["offences"] = ["9999"]
    result = run(unit, json.dumps(document).encode(), "json")
    assert (result.inserted, result.rejected, result.warnings) == (1, 0, 1)
    warning = ImportRejection.objects.get(run=result)
    assert warning.warning and "9999" in warning.reason
    offence = Occurrence.objects.get().offences.get()
    assert (offence.ucr2_code, offence.crime_against) == ("9999", "")


@pytest.mark.parametrize(
    "source_format, broken",
    [
        # Well-formed up to the last report, then cut off: not one report is imported.
        ("nibrs-xml", lambda data: data[: len(data) - 40]),
        ("json", lambda data: data.rstrip()[:-3]),
    ],
)
def test_a_file_broken_at_its_end_writes_nothing(unit, source_format, broken):
    source = XML_SAMPLE if source_format == "nibrs-xml" else DATA / "occurrences.json"
    with pytest.raises(ImportRefused):
        run(unit, broken(source.read_bytes()), source_format)
    assert not ImportRun.objects.exists()
    assert not Occurrence.objects.exists()
