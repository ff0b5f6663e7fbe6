"""The occurrence import pages: upload a records-system file (imported by the task worker,
its progress followed on the run's page), and the imports so far with what came of each.
For coordinators and administrators of the organisation the occurrences belong to."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.actions import record_access
from harbour.screening.access import import_for, imports_for
from harbour.screening.actions import ImportRefused, stage_import
from harbour.screening.constants import ImportStatus
from harbour.screening.import_forms import UploadForm
from harbour.screening.models import ImportRun

IMPORTERS = (Role.COORDINATOR, Role.ADMIN)
# Rejected records and warnings listed on a run's page; the command lists them all.
PROBLEMS_SHOWN = 200


@staff_required(*IMPORTERS)
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = stage_import(
                upload.chunks(),
                organisation=request.acting.organisation,
                source_format=form.cleaned_data["source_format"],
                file_name=upload.name,
                user=request.user,
                request=request,
            )
        except ImportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The file is queued for import."))
            return redirect("occurrence_imports:detail", run_id=run.pk)
    page = Paginator(imports_for(request.acting), 50).get_page(request.GET.get("page"))
    return render(request, "screening/imports.html", {"form": form, "page": page})


def _context(run: ImportRun) -> dict:
    live = run.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    percent = min(100, round(100 * run.lines_done / run.lines_total)) if run.lines_total else 0
    return {"run": run, "live": live, "percent": 100 if not live else percent}


@staff_required(*IMPORTERS)
def import_detail(request, run_id):
    run = import_for(request.acting, run_id)
    record_access(request, "occurrences.import_view", obj=run)
    problems = list(run.rejections.all()[:PROBLEMS_SHOWN])
    context = _context(run)
    context.update(
        rejected=[p for p in problems if not p.warning],
        warnings=[p for p in problems if p.warning],
        more=run.rejected + run.warnings > len(problems),
    )
    return render(request, "screening/import_detail.html", context)


@staff_required(*IMPORTERS)
def import_progress(request, run_id):
    """The progress block alone, which the run's page polls while the import is going."""
    run = import_for(request.acting, run_id)
    return render(request, "screening/_import_progress.html", _context(run))
