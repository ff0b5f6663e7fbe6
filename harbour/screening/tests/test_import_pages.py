"""The import page and the API: a coordinator uploads a records-system file, it waits
encrypted for the task worker, the run's page follows its progress and then shows what came
of it; a records system pushes a file over the API and reads the result back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from harbour.accounts.constants import KeyScope
from harbour.audit.models import AccessEvent
from harbour.screening import staging
from harbour.screening.constants import ImportStatus
from harbour.screening.models import ImportRun, Occurrence
from harbour.screening.tasks import import_staged
from harbour.screening.tests import nibrs_writer as w
from harbour.screening.tests.helpers import snapshot
from harbour.testing.fixtures import make_key
from harbour.testing.reference import VERMONT

LIST = reverse("occurrence_imports:list")


def upload(client, data: bytes, source_format="nibrs-flat", name="VT.txt"):
    return client.post(
        LIST, {"file": SimpleUploadedFile(name, data), "source_format": source_format}
    )


@pytest.fixture
def coordinator(client, users):
    client.force_login(users["coordinator"])
    return client


def test_an_upload_waits_encrypted_then_the_worker_imports_it(
    coordinator, unit, django_capture_on_commit_callbacks
):
    data = VERMONT.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(coordinator, data)
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("occurrence_imports:detail", args=[run.pk])
    assert (run.status, run.size, run.organisation) == (ImportStatus.QUEUED, len(data), unit)
    assert DBTaskResult.objects.filter(task_path__endswith="import_staged").exists()
    # On disk only as encrypted chunks: no line of the file is there as written.
    staged = staging.path_for(run.pk).read_bytes()
    assert data.split(b"\r\n")[0] not in staged and len(staged) > len(data)
    progress = coordinator.get(reverse("occurrence_imports:progress", args=[run.pk]))
    assert 'hx-trigger="every 2s"' in progress.content.decode()
    assert "Waiting to start" in progress.content.decode()

    assert import_staged.call(str(run.pk)) == ImportStatus.COMPLETED
    run.refresh_from_db()
    assert (run.inserted, run.rejected, run.lines_done) == (1041, 0, run.lines_total)
    assert not staging.path_for(run.pk).exists()
    page = coordinator.get(reverse("occurrence_imports:detail", args=[run.pk])).content.decode()
    assert "Completed" in page and "hx-trigger" not in page
    assert AccessEvent.objects.filter(action="occurrences.import", object_id=str(run.pk)).exists()
    assert AccessEvent.objects.filter(action="occurrences.import_view").exists()
    # The task delivered twice leaves a finished run alone.
    assert import_staged.call(str(run.pk)) == ImportStatus.COMPLETED
    assert Occurrence.objects.count() == 1041


def test_a_file_not_in_its_format_is_refused_by_the_worker_and_writes_nothing(coordinator):
    upload(coordinator, w.file_bytes(w.incident("ZZ0000001", "A1")), source_format="json")
    run = ImportRun.objects.get()
    assert import_staged.call(str(run.pk)) == ImportStatus.REFUSED
    run.refresh_from_db()
    assert run.error and not Occurrence.objects.exists()
    assert not staging.path_for(run.pk).exists()
    page = coordinator.get(reverse("occurrence_imports:detail", args=[run.pk])).content.decode()
    assert "Refused" in page


def test_a_staged_file_altered_on_disk_is_refused_not_imported(coordinator):
    upload(coordinator, w.file_bytes(w.incident("ZZ0000001", "A1")))
    run = ImportRun.objects.get()
    path = staging.path_for(run.pk)
    token = path.read_text()
    path.write_text(token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:])
    assert import_staged.call(str(run.pk)) == ImportStatus.REFUSED
    run.refresh_from_db()
    assert "could not be read back" in run.error
    assert not Occurrence.objects.exists()


def test_the_upload_form_says_what_is_missing_and_writes_nothing(coordinator):
    response = coordinator.post(LIST, {"source_format": "nibrs-flat"})
    assert "Choose the file to import." in response.content.decode()
    response = upload(coordinator, b"", name="empty.txt")
    assert "The file is empty." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_another_organisations_import_is_404(client, outsider, unit):
    run = ImportRun.objects.create(organisation=unit, source_format="csv", file_name="x.csv")
    client.force_login(outsider)
    assert client.get(reverse("occurrence_imports:detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("occurrence_imports:progress", args=[run.pk])).status_code == 404


# ---- the API -------------------------------------------------------------------------------


def push(client, token, data: bytes, source_format="nibrs-flat"):
    url = reverse("api:import_occurrences") + f"?format={source_format}&file_name=VT.txt"
    return client.post(
        url, data, content_type="application/octet-stream", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_records_system_pushes_a_file_and_a_second_push_changes_nothing(client, unit):
    _key, token = make_key(unit, [KeyScope.OCCURRENCES_WRITE])
    first = push(client, token, VERMONT.read_bytes())
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["status"], body["inserted"], body["rejected"]) == ("completed", 1041, 0)
    before = snapshot()
    again = push(client, token, VERMONT.read_bytes()).json()
    assert (again["inserted"], again["unchanged"]) == (0, 1041)
    assert snapshot() == before
    url = reverse("api:get_occurrence_import", kwargs={"run_id": body["id"]})
    read = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert read.json()["inserted"] == 1041


def test_the_api_refuses_a_file_it_cannot_import_and_writes_nothing(client, unit):
    _key, token = make_key(unit, [KeyScope.OCCURRENCES_WRITE])
    response = push(client, token, b"")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "The file is empty."
    response = push(client, token, w.file_bytes(w.incident("ZZ0000001", "A1")), "nibrs-xml")
    assert response.status_code == 422
    assert not Occurrence.objects.exists()


def test_the_api_refuses_a_file_past_its_size_limit(client, unit):
    _key, token = make_key(unit, [KeyScope.OCCURRENCES_WRITE])
    with override_settings(HARBOUR_IMPORT_MAX_BYTES=1000):
        response = push(client, token, VERMONT.read_bytes())
    assert response.status_code == 413
    assert not ImportRun.objects.exists()
