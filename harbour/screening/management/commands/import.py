"""`harbour import occurrences FILE --format nibrs-flat|nibrs-xml|csv|json --org SLUG`:
import police occurrences from a records-system export, with a progress bar on stderr,
then print what came of it, every rejected record and every warning
(docs/guide-screening.md, docs/format-occurrences.md).

Exit status 0: the file was imported (rejected records, if any, are listed). Exit status 1:
nothing was imported (unknown organisation, missing file, a file not in the format, a
whole file broken), or a batch failed, in which case the batches before it stay and
importing the file again is safe.
"""

from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from harbour.accounts.models import Organisation
from harbour.lib.progress import Progress
from harbour.screening.actions import ImportFailed, ImportRefused, import_occurrences
from harbour.screening.constants import SourceFormat
from harbour.screening.imports import BATCH_SIZE
from harbour.screening.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import police occurrences: harbour import occurrences FILE "
        "--format nibrs-flat|nibrs-xml|csv|json --org SLUG"
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["occurrences"], help="what to import")
        parser.add_argument("file", help="the file to import")
        parser.add_argument(
            "--format",
            dest="source_format",
            required=True,
            choices=SourceFormat.values,
            help="the file's format (docs/guide-screening.md, docs/format-occurrences.md)",
        )
        parser.add_argument(
            "--org", required=True, help="slug of the organisation the occurrences belong to"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"records written per transaction (default {BATCH_SIZE})",
        )

    def handle(self, *args, file: str, source_format: str, org: str, batch_size: int, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(
                _("There is no organisation with the slug “%(slug)s”; nothing was imported.")
                % {"slug": org}
            )
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        bar: Progress | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = Progress(total, _("Importing"), cast(TextIO, self.stderr))
            bar.advance(done - bar.done)

        try:
            with open(file, "rb") as stream:
                run = import_occurrences(
                    stream,
                    organisation=organisation,
                    source_format=source_format,
                    file_name=file,
                    progress=progress,
                    batch_size=batch_size,
                )
        except OSError as error:
            raise CommandError(
                _("%(file)s cannot be read (%(error)s); nothing was imported.")
                % {"file": file, "error": error.strerror or error}
            ) from error
        except ImportRefused as refusal:
            raise CommandError(
                _("%(reason)s Nothing was imported.") % {"reason": refusal}
            ) from refusal
        except ImportFailed as failure:
            if bar is not None:
                bar.close()
            self._report(failure.run)
            raise CommandError(str(failure)) from failure
        if bar is not None:
            bar.close()
        self._report(run)

    def _report(self, run: ImportRun) -> None:
        self.stdout.write(
            _("%(file)s into %(organisation)s (%(format)s):")
            % {
                "file": run.file_name,
                "organisation": run.organisation,
                "format": run.get_source_format_display(),
            }
        )
        always = {"inserted", "replaced", "unchanged", "deleted", "rejected"}
        labels = {f.name: str(f.verbose_name) for f in ImportRun._meta.concrete_fields}
        rows = [
            (labels[name], getattr(run, name))
            for name in ImportRun.COUNTS
            if name in always or getattr(run, name)
        ]
        width = max(len(label) for label, _count in rows)
        for label, count in rows:
            self.stdout.write(f"  {label:<{width}}  {count:>9,}")
        problems = list(run.rejections.all())
        for heading, kept in ((_("Rejected records:"), False), (_("Warnings:"), True)):
            listed = [p for p in problems if p.warning == kept]
            if listed:
                self.stdout.write(heading)
            self._list(listed)

    def _list(self, rejections) -> None:
        for rejection in rejections:
            where = ", ".join(
                part
                for part in (
                    _("line %(line)s") % {"line": rejection.line},
                    rejection.ori,
                    rejection.incident_number,
                    rejection.segment,
                    rejection.field,
                    rejection.position and _("position %(p)s") % {"p": rejection.position},
                )
                if part
            )
            self.stdout.write(f"  {where}: {rejection.reason}")
