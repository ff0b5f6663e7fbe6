"""Occurrences over the API: a police records system pushes its export (a NIBRS flat file
or XML submission, or Harbour's CSV or JSON), and asks later what came of an import. Needs
an integration key with the occurrences:write scope; the occurrences belong to the key's
organisation.

The file is the request body, as it is (any content type); `format` and `file_name` are
query parameters. The import runs in the request: a daily export of a few thousand
incidents takes seconds. A backfill of years belongs to the command (`harbour import
occurrences`) or the upload page, which hands it to the task worker. Pushing the same file
again changes nothing (each occurrence is replaced only when its content changed).
"""

import tempfile
from datetime import datetime
from typing import Annotated
from uuid import UUID

from django.conf import settings
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from harbour.accounts.constants import KeyScope
from harbour.audit.actions import record_access
from harbour.lib.api_schema import ERROR_RESPONSES, Error
from harbour.screening.access import import_for_key
from harbour.screening.actions import ImportFailed, ImportRefused, import_occurrences
from harbour.screening.constants import SourceFormat
from harbour.screening.models import ImportRun

router = Router(tags=["occurrences"])

PROBLEMS_RETURNED = 200


class ImportQuery(Schema):
    format: SourceFormat = Field(description="nibrs-flat, nibrs-xml, csv or json")
    file_name: Annotated[str, Field(max_length=255)] = "upload"


class ProblemOut(Schema):
    line: int
    ori: str
    incident_number: str
    segment: str
    field: str
    reason: str
    warning: bool


class ImportOut(Schema):
    id: UUID
    status: str
    format: str
    file_name: str
    sha256: str
    started_at: datetime
    finished_at: datetime | None
    inserted: int
    replaced: int
    unchanged: int
    deleted: int
    rejected: int
    warnings: int
    zero_reports_added: int
    error: str
    problems: list[ProblemOut] = Field(
        description=f"The first {PROBLEMS_RETURNED} rejected records and warnings."
    )


def _out(run: ImportRun) -> dict:
    problems = run.rejections.all()[:PROBLEMS_RETURNED]
    return {
        "id": run.pk,
        "status": run.status,
        "format": run.source_format,
        "file_name": run.file_name,
        "sha256": run.sha256,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        **{name: getattr(run, name) for name in ImportOut.model_fields if hasattr(run, name)},
        "error": run.error,
        "problems": [
            {
                "line": p.line,
                "ori": p.ori,
                "incident_number": p.incident_number,
                "segment": p.segment,
                "field": p.field,
                "reason": p.reason,
                "warning": p.warning,
            }
            for p in problems
        ],
    }


def _key_allows(request) -> None:
    if not request.integration_key.allows(KeyScope.OCCURRENCES_WRITE):
        raise Http404


@router.post(
    "/imports",
    response={201: ImportOut, 409: Error, 413: Error, **ERROR_RESPONSES},
    url_name="import_occurrences",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
        }
    },
)
def create_import(request, query: Query[ImportQuery]):
    """Import the file in the body. Needs occurrences:write. 201 with what came of it (a
    rejected record does not stop the rest); 422 when the file cannot be imported at all
    (empty, not in the format, broken as a whole), nothing written; 409 when a batch failed
    (the batches before it stay; pushing the file again is safe); 413 past the size limit."""
    from harbour.api import error

    _key_allows(request)
    key = request.integration_key
    limit = settings.HARBOUR_IMPORT_MAX_BYTES
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as body:
        size = 0
        while chunk := request.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                return error(
                    request,
                    413,
                    "too_large",
                    f"The file is larger than {limit} bytes; import it with the command.",
                )
            body.write(chunk)
        body.seek(0)
        try:
            run = import_occurrences(
                body,
                organisation=key.organisation,
                source_format=query.format,
                file_name=query.file_name,
                request=request,
            )
        except ImportRefused as refusal:
            return error(
                request, 422, "refused", str(refusal), [{"field": "body", "message": str(refusal)}]
            )
        except ImportFailed as failure:
            return error(request, 409, "failed", str(failure))
    return Status(201, _out(run))


@router.get(
    "/imports/{run_id}",
    response={200: ImportOut, **ERROR_RESPONSES},
    url_name="get_occurrence_import",
)
def get_import(request, run_id: UUID):
    """What came of an import into your organisation (any door: the API, the upload page or
    the command). Needs occurrences:write; another organisation's import is 404."""
    found = import_for_key(request.integration_key, run_id)
    record_access(request, "occurrences.import_view", obj=found, reason="api")
    return _out(found)
