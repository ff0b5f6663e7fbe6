"""Background work of screening: importing an uploaded occurrence file."""

from django.tasks import task

from harbour.screening.constants import ImportStatus
from harbour.screening.models import ImportRun


@task()
def import_staged(run_id: str) -> str:
    """Import the upload staged for ``run_id`` (actions.stage_import). A run already
    started (the task delivered twice) is left alone. Returns the run's final status."""
    from harbour.screening.actions import import_staged_run

    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    run = ImportRun.objects.select_related("organisation").get(pk=run_id)
    if not claimed:
        return run.status
    return import_staged_run(run).status
