"""A coordinator imports a police records-system file in a real browser: uploads it, sees
it wait for the worker, and watches the page turn to the result without reloading it (the
progress block polls with htmx under the strict CSP). axe checks each page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from harbour.accounts.constants import Role
from harbour.screening.models import ImportRun
from harbour.screening.tasks import import_staged
from harbour.testing.browser import sign_in
from harbour.testing.fixtures import make_user
from harbour.testing.reference import VERMONT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_a_coordinator_uploads_a_file_and_the_page_follows_the_import(page, unit):
    make_user("coco@unit.test", unit, Role.COORDINATOR)
    sign_in(page, "coco@unit.test")
    problems = []

    page.goto("/screening/imports/")
    problems += serious(page)
    page.get_by_label("File from the records system").set_input_files(str(VERMONT))
    page.get_by_label("Format").select_option("nibrs-flat")
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert page.get_by_text("Waiting to start").is_visible()
    problems += serious(page)
    url = page.url

    # The worker's turn (the test runs it here, on the same database).
    run = ImportRun.objects.get()
    assert import_staged.call(str(run.pk)) == "completed"

    # No reload: the polled progress block turns into the result.
    page.get_by_text("Completed").wait_for(timeout=10_000)
    assert page.url == url
    assert page.locator(".import-counts").get_by_text("1041").is_visible()
    problems += serious(page)
    assert problems == []
