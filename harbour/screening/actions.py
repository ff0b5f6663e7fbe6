"""Writes of the screening app. ``import_occurrences`` is the one entry point for occurrence
imports (the `harbour import occurrences` command now; the upload page and the API later).
"""

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.models import Organisation
from harbour.audit.actions import record_access
from harbour.lib.crypto import DecryptionError
from harbour.screening import canadian, nibrs_flat, nibrs_xml
from harbour.screening.constants import ImportStatus, SourceFormat
from harbour.screening.imports import BATCH_SIZE, BatchFailed, Importer
from harbour.screening.models import ImportRun


class Source(Protocol):
    """What an import reads: a binary file from its start (an open file, BytesIO, or a
    staged upload)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def __iter__(self) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class Format:
    """How Harbour reads a format: why a file is not in it, from its first line (or None);
    a check of the whole file that raises nibrs_xml.FormatError when it is broken as a
    whole (None where the parser needs none: the flat file is read a line at a time, every
    problem a rejected record); the parser; and whether the parser reports warnings."""

    not_in_format: Callable[[bytes], str | None]
    check: Callable[[Iterator[bytes]], None] | None
    parse: Callable[..., Iterator]
    warns: bool = False


PARSERS = {
    SourceFormat.NIBRS_FLAT: Format(nibrs_flat.not_nibrs, None, nibrs_flat.parse),
    SourceFormat.NIBRS_XML: Format(nibrs_xml.not_nibrs_xml, nibrs_xml.check, nibrs_xml.parse),
    SourceFormat.CSV: Format(canadian.not_csv, canadian.check_csv, canadian.parse_csv, True),
    SourceFormat.JSON: Format(canadian.not_json, canadian.check_json, canadian.parse_json, True),
}

# How often the progress callback hears from a run, in lines.
PROGRESS_EVERY = 10_000


class ImportRefused(Exception):
    """The file was refused before anything was written (not in the format, empty,
    unreadable, or a format Harbour does not read yet)."""


class ImportFailed(Exception):
    """A batch failed and was rolled back; ``run`` says what was written before it."""

    def __init__(self, run: ImportRun, message: str):
        self.run = run
        super().__init__(message)


@dataclass
class Survey:
    sha256: str
    size: int
    lines: int
    first_line: bytes | None


def survey(file: Source) -> Survey:
    """One pass over the file before anything is written: its hash, size, number of lines
    (for the progress bar) and first non-blank line (to refuse a file in another format)."""
    file.seek(0)
    digest = hashlib.sha256()
    size = lines = 0
    head = b""
    first: bytes | None = None
    last = b""
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
        lines += chunk.count(b"\n")
        last = chunk
        if first is None and len(head) < 1 << 20:
            head += chunk
            first = _first_line(head, complete=False)
    if first is None:
        first = _first_line(head, complete=True)
    if last and not last.endswith(b"\n"):
        lines += 1
    file.seek(0)
    return Survey(digest.hexdigest(), size, lines, first)


def _first_line(head: bytes, complete: bool) -> bytes | None:
    lines = head.split(b"\n")
    for line in lines if complete else lines[:-1]:
        if line.strip():
            return line
    return None


def import_occurrences(
    file: "Source",
    *,
    organisation: Organisation,
    source_format: str,
    file_name: str,
    user=None,
    request=None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    staged: ImportRun | None = None,
) -> ImportRun:
    """Import the occurrences in ``file`` (binary, seekable) into ``organisation``.

    Raises ImportRefused, having written nothing, when the file cannot be imported at all;
    ImportFailed when a batch failed (the run, marked failed, says what was written before
    it). Otherwise returns the completed run, rejected records and all. ``progress`` is
    called with (lines read, lines in the file) as the work goes on.
    """
    if source_format not in PARSERS:
        raise ImportRefused(
            _("“%(format)s” is not a format Harbour knows.") % {"format": source_format}
        )
    reader = PARSERS[SourceFormat(source_format)]
    try:
        facts = survey(file)
    except OSError as error:
        raise ImportRefused(
            _("The file could not be read: %(error)s") % {"error": error.strerror or error}
        ) from error
    if facts.size == 0:
        raise ImportRefused(_("The file is empty."))
    if facts.first_line is None:
        raise ImportRefused(_("The file holds nothing but blank lines."))
    reason = reader.not_in_format(facts.first_line)
    if reason:
        raise ImportRefused(reason)
    if reader.check is not None:
        # The whole file, before anything is written: a document broken at its end must not
        # leave its first half imported.
        try:
            reader.check(iter(file))
        except nibrs_xml.FormatError as error:
            raise ImportRefused(_located(error)) from error
        finally:
            file.seek(0)

    if staged is not None:
        # An upload queued by stage_import: its run and audit event exist already.
        run = staged
        run.sha256, run.size, run.lines_total = facts.sha256, facts.size, facts.lines
        run.status = ImportStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["sha256", "size", "lines_total", "status", "started_at"])
    else:
        run = _new_run(organisation, source_format, file_name, facts, user, request)
    return _run(run, file, reader, facts, progress, batch_size)


def _new_run(organisation, source_format, file_name, facts, user, request) -> ImportRun:
    with transaction.atomic():
        run = ImportRun.objects.create(
            organisation=organisation,
            source_format=source_format,
            file_name=os.path.basename(file_name)[:255],
            sha256=facts.sha256,
            size=facts.size,
            lines_total=facts.lines,
            started_by=user if user is not None and user.is_authenticated else None,
        )
        record_access(
            request,
            "occurrences.import",
            obj=run,
            organisation=organisation,
            actor=run.started_by,
            reason=f"{run.file_name} ({source_format}, sha256 {facts.sha256[:16]})",
        )
    return run


def _run(run: ImportRun, file, reader: Format, facts, progress, batch_size: int) -> ImportRun:
    importer = Importer(run, batch_size=batch_size)
    lines = _lines(file, facts.lines, progress)
    records = reader.parse(lines, on_warning=importer.warn) if reader.warns else reader.parse(lines)
    try:
        importer.consume(records)
    except nibrs_xml.FormatError as error:
        # The check passed, so the file changed while it was read.
        failure = BatchFailed(0, 0, error)
        run.status = ImportStatus.FAILED
        run.error = _located(error)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise ImportFailed(run, run.error) from failure
    except BatchFailed as failure:
        run.status = ImportStatus.FAILED
        run.error = str(failure)
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise ImportFailed(run, str(failure)) from failure
    run.status = ImportStatus.COMPLETED
    run.finished_at = timezone.now()
    run.lines_done = facts.lines
    run.save(update_fields=["status", "finished_at", "lines_done"])
    return run


def stage_import(
    chunks: Iterable[bytes], *, organisation: Organisation, source_format: str, file_name: str,
    user, request,
) -> ImportRun:  # fmt: skip
    """Queue an uploaded file for the task worker: the run (status queued) and its audit
    event in one transaction, the file encrypted under var/imports (staging.py), then the
    task, once the run is committed. The page of the run follows its progress."""
    if source_format not in PARSERS:
        raise ImportRefused(
            _("“%(format)s” is not a format Harbour knows.") % {"format": source_format}
        )
    from harbour.screening import staging
    from harbour.screening.tasks import import_staged

    with transaction.atomic():
        run = ImportRun.objects.create(
            organisation=organisation,
            source_format=source_format,
            file_name=os.path.basename(file_name)[:255],
            status=ImportStatus.QUEUED,
            started_by=user if user is not None and user.is_authenticated else None,
        )
        try:
            run.size = staging.store(run.pk, chunks)
        except OSError as error:
            staging.discard(run.pk)
            raise ImportRefused(
                _("The upload could not be stored: %(error)s") % {"error": error.strerror}
            ) from error
        run.save(update_fields=["size"])
        record_access(
            request,
            "occurrences.import",
            obj=run,
            organisation=organisation,
            reason=f"{run.file_name} ({source_format}, uploaded)",
        )
        transaction.on_commit(lambda: import_staged.enqueue(str(run.pk)))
    return run


def import_staged_run(run: ImportRun) -> ImportRun:
    """The worker's half of an upload: import the staged file into its run, record a
    refusal on the run (nothing written), and delete the staged file in every case."""
    from harbour.screening import staging

    def progress(done: int, total: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(lines_done=done, lines_total=total)

    try:
        return import_occurrences(
            staging.StagedFile(run.pk),
            organisation=run.organisation,
            source_format=run.source_format,
            file_name=run.file_name,
            progress=progress,
            staged=run,
        )
    except (ImportRefused, DecryptionError, FileNotFoundError) as refusal:
        # A staged file altered, cut short or gone reads as refused: nothing was written
        # (decryption fails in the survey, before the first batch).
        run.status = ImportStatus.REFUSED
        run.error = (
            str(refusal)
            if isinstance(refusal, ImportRefused)
            else _("The uploaded file could not be read back; upload it again.")
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    except ImportFailed as failure:
        return failure.run
    finally:
        staging.discard(run.pk)


def _located(error: Exception) -> str:
    line = getattr(error, "line", None)
    if line:
        return _("Line %(line)s: %(error)s") % {"line": line, "error": error}
    return str(error)


def _lines(file: Source, total: int, progress: Callable[[int, int], None] | None) -> Iterator:
    if progress is None:
        yield from file
        return
    done = 0
    for number, line in enumerate(file, 1):
        yield line
        if number % PROGRESS_EVERY == 0:
            done = number
            progress(done, total)
    progress(total, total)
