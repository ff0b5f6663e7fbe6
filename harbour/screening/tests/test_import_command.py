"""`harbour import occurrences FILE --format … --org SLUG`: its output, its refusals and its
exit status (the last through a real `harbour` process on a database of its own)."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from harbour.screening.models import ImportRun, Occurrence
from harbour.screening.tests import nibrs_writer as w
from harbour.screening.tests.helpers import VERMONT, snapshot

ORI = "VT0040100"


def harbour(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def nibrs_file(tmp_path):
    def write(lines: list[str], name: str = "submission.txt"):
        path = tmp_path / name
        path.write_bytes(w.file_bytes(lines))
        return str(path)

    return write


def test_it_imports_and_prints_what_came_of_it(unit):
    out, err = harbour(
        "import", "occurrences", str(VERMONT), "--format", "nibrs-flat", "--org", "unit"
    )

    assert Occurrence.objects.filter(organisation=unit).count() == 1041
    lines = out.splitlines()
    assert lines[0] == (
        "VTUCR0001_20200420_NIBRS_010.txt into Test Victim Services Unit (NIBRS flat file):"
    )
    assert [line.split()[0] for line in lines[1:]] == [
        "inserted",
        "replaced",
        "unchanged",
        "deleted",
        "deletes",
        "rejected",
        "zero",
        "Group",
    ]
    assert "  inserted " in out and out.splitlines()[1].endswith("1,041")
    assert "Rejected records" not in out
    # The progress bar goes to stderr, so stdout stays the result.
    assert "Importing [" in err and "100%" in err


def test_it_lists_every_rejected_record(unit, nibrs_file):
    bad = w.incident(ORI, "B1")
    bad[3] = w.offender(ORI, "B1", 1, sex="Z")
    path = nibrs_file([*w.incident(ORI, "G1"), *bad])

    out, _err = harbour("import", "occurrences", path, "--format", "nibrs-flat", "--org", "unit")

    assert "Rejected records:" in out
    assert (
        "  line 8, VT0040100, B1, offender, sex (data elements 27, 38, 48), position 44: "
        "“Z” is not a valid value here (expected F, M, U)." in out
    )
    assert Occurrence.objects.get().incident_number == "G1"


def test_an_unknown_organisation_is_refused_and_nothing_is_written(unit, nibrs_file):
    path = nibrs_file(w.incident(ORI, "A1"))

    with pytest.raises(CommandError, match="no organisation with the slug “nope”"):
        harbour("import", "occurrences", path, "--format", "nibrs-flat", "--org", "nope")

    assert not ImportRun.objects.exists()


def test_a_malformed_file_is_refused_and_changes_nothing(unit, nibrs_file, tmp_path):
    harbour(
        "import", "occurrences", nibrs_file(w.incident(ORI, "A1")), "--format", "nibrs-flat",
        "--org", "unit",
    )  # fmt: skip
    before = snapshot()
    path = tmp_path / "export.csv"
    path.write_text("ori,incident_number,date\nVT0040100,A1,2020-03-01\n")

    with pytest.raises(CommandError, match="not a NIBRS flat file.*Nothing was imported"):
        harbour("import", "occurrences", str(path), "--format", "nibrs-flat", "--org", "unit")

    assert snapshot() == before
    assert ImportRun.objects.count() == 1


def test_a_missing_file_is_refused(unit, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        harbour(
            "import", "occurrences", str(tmp_path / "gone.txt"), "--format", "nibrs-flat",
            "--org", "unit",
        )  # fmt: skip


@pytest.mark.parametrize("source_format", ["nibrs-xml", "csv", "json"])
def test_a_flat_file_named_as_another_format_is_refused_and_changes_nothing(
    unit, nibrs_file, source_format
):
    path = nibrs_file(w.incident(ORI, "A1"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        harbour("import", "occurrences", path, "--format", source_format, "--org", "unit")
    assert not ImportRun.objects.exists()


def test_a_format_it_does_not_know_is_refused_by_the_argument_parser(unit, nibrs_file):
    path = nibrs_file(w.incident(ORI, "A1"))
    with pytest.raises(CommandError, match="invalid choice: 'xls'"):
        harbour("import", "occurrences", path, "--format", "xls", "--org", "unit")


def test_a_failed_batch_prints_what_was_written_before_it(unit, nibrs_file):
    from harbour.screening.tests.test_import_occurrences import fail_on_insert_of

    fail_on_insert_of("BOOM")
    path = nibrs_file([*w.incident(ORI, "P1"), *w.incident(ORI, "BOOM")])
    out = io.StringIO()

    with pytest.raises(CommandError, match="lines 5 to 5 could not be written"):
        call_command(
            "import", "occurrences", path, "--format", "nibrs-flat", "--org", "unit",
            "--batch-size", "1", stdout=out, stderr=io.StringIO(),
        )  # fmt: skip

    assert out.getvalue().splitlines()[1].split() == ["inserted", "1"]


def test_exit_status_is_zero_when_imported_and_one_when_refused(tmp_path):
    # A real process on a database of its own: what a shell script sees.
    env = {
        "PATH": os.environ["PATH"],
        "HARBOUR_VAR_DIR": str(tmp_path),
        "HARBOUR_DEMO": "0",
        "HARBOUR_FIELD_KEYS": os.environ["HARBOUR_FIELD_KEYS"],
        "HARBOUR_BLIND_INDEX_KEY": os.environ["HARBOUR_BLIND_INDEX_KEY"],
        "SECRET_KEY": os.environ["SECRET_KEY"],
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "harbour", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    assert run("migrate", "--no-input", "-v", "0").returncode == 0
    made = run(
        "shell",
        "-c",
        "from harbour.accounts.models import Organisation; "
        "Organisation.objects.create(name='Lakeshore Police', slug='lps', kind='police')",
    )
    assert made.returncode == 0, made.stderr
    submission = tmp_path / "submission.txt"
    submission.write_bytes(w.file_bytes(w.incident(ORI, "A1")))

    imported = run(
        "import", "occurrences", str(submission), "--format", "nibrs-flat", "--org", "lps"
    )
    unknown = run("import", "occurrences", str(submission), "--format", "nibrs-flat", "--org", "x")
    xml = tmp_path / "submission.xml"
    xml.write_text("<?xml version='1.0'?><nibrs/>")
    malformed = run("import", "occurrences", str(xml), "--format", "nibrs-flat", "--org", "lps")

    assert imported.returncode == 0, imported.stderr
    assert "inserted" in imported.stdout
    assert unknown.returncode == 1
    assert "no organisation with the slug “x”" in unknown.stderr
    assert malformed.returncode == 1
    assert "looks like XML" in malformed.stderr
