"""Shared by the import tests: running an import from lines, and a snapshot of everything
an import writes, to prove that a second import or a refused one changed nothing."""

import io

from harbour.screening.actions import import_occurrences
from harbour.screening.models import (
    Occurrence,
    OccurrenceOffence,
    OccurrencePerson,
    OccurrenceRelationship,
    VictimOffence,
    ZeroReport,
)
from harbour.screening.tests import nibrs_writer as w
from harbour.testing import reference

VERMONT = reference.VERMONT


def run_import(organisation, lines: list[str] | bytes, **options):
    data = lines if isinstance(lines, bytes) else w.file_bytes(lines)
    return import_occurrences(
        io.BytesIO(data),
        organisation=organisation,
        source_format=options.pop("source_format", "nibrs-flat"),
        file_name=options.pop("file_name", "test.txt"),
        **options,
    )


def snapshot() -> dict[str, list]:
    """Every row an import writes (but the import's own record and audit event)."""
    return {
        model._meta.label: sorted(model.objects.order_by().values_list(), key=repr)
        for model in (
            Occurrence,
            OccurrenceOffence,
            OccurrencePerson,
            VictimOffence,
            OccurrenceRelationship,
            ZeroReport,
        )
    }


def counts(run) -> dict[str, int]:
    return {name: getattr(run, name) for name in run.COUNTS if getattr(run, name)}
