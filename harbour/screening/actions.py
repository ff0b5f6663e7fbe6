"""Writes of the screening app. ``import_occurrences`` is the one entry point for occurrence
imports (the `harbour import occurrences` command now; the upload page and the API later).
"""

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.models import Organisation
from harbour.audit.actions import record_access
from harbour.screening import canadian, nibrs_flat, nibrs_xml
from harbour.screening.constants import ImportStatus, SourceFormat
from harbour.screening.imports import BATCH_SIZE, BatchFailed, Importer
from harbour.screening.models import ImportRun


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
# Warnings kept per run (a file with one unknown code on every line says so a million
# times: the count says how many there were, the first ones where).
WARNINGS_KEPT = 1_000

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


def survey(file: BinaryIO) -> Survey:
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
    file: BinaryIO,
    *,
    organisation: Organisation,
    source_format: str,
    file_name: str,
    user=None,
    request=None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
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

    with transaction.atomic():
        run = ImportRun.objects.create(
            organisation=organisation,
            source_format=source_format,
            file_name=os.path.basename(file_name)[:255],
            sha256=facts.sha256,
            size=facts.size,
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
    run.save(update_fields=["status", "finished_at"])
    return run


def _located(error: Exception) -> str:
    line = getattr(error, "line", None)
    if line:
        return _("Line %(line)s: %(error)s") % {"line": line, "error": error}
    return str(error)


def _lines(file: BinaryIO, total: int, progress: Callable[[int, int], None] | None) -> Iterator:
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
