"""A caseworker's day in a real browser: filter the caseload, find a case by name and by
police occurrence number, open it, add a follow-up and find it in "My follow-ups". axe
checks each page on the way."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from harbour.accounts.constants import Role
from harbour.cases.constants import Program
from harbour.cases.models import Task
from harbour.cases.tests.caseload_helpers import make_case
from harbour.testing.browser import sign_in
from harbour.testing.fixtures import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_a_caseworker_filters_finds_opens_and_follows_up_a_case(page, unit):
    casey = make_user("casey@unit.test", unit, Role.CASEWORKER)
    ipv = make_case(
        unit,
        given="Katherine",
        family="MacLeod",
        assigned_to=casey,
        programs=[Program.IPV],
        occurrence_number="HRPS-26-000123",
    )
    sv = make_case(
        unit,
        given="Dana",
        family="Whitfield",
        assigned_to=casey,
        programs=[Program.SEXUAL_VIOLENCE],
    )
    make_case(unit, given="Someone", family="Else", programs=[Program.IPV])
    sign_in(page, "casey@unit.test")
    problems = []

    page.get_by_role("link", name="My cases").first.click()
    page.wait_for_url("**/cases/")
    table = page.locator("table.caseload")
    assert table.get_by_text("Katherine MacLeod").is_visible()
    assert table.get_by_text("Dana Whitfield").is_visible()
    assert table.get_by_text("Someone Else").count() == 0
    problems += serious(page)

    page.get_by_label("Program").select_option("sexual_violence")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/cases/?*program=sexual_violence*")
    assert table.get_by_text("Dana Whitfield").is_visible()
    assert table.get_by_text("Katherine MacLeod").count() == 0
    problems += serious(page)

    search = page.get_by_label(
        "Find a case by client name, phone number, case number or occurrence number"
    )
    search.fill("katherine macleod")
    page.get_by_role("button", name="Find a case").click()
    page.wait_for_url("**/cases/search/?q=*")
    assert page.locator("table.caseload").get_by_text("Katherine MacLeod").is_visible()
    problems += serious(page)

    search = page.get_by_label(
        "Find a case by client name, phone number, case number or occurrence number"
    )
    search.fill("HRPS-26-000123")
    page.get_by_role("button", name="Find a case").click()
    page.wait_for_url("**/cases/search/?q=HRPS*")
    results = page.locator("table.caseload tbody tr")
    assert results.count() == 1
    results.get_by_role("link", name=ipv.number).click()
    page.wait_for_url(f"**/cases/{ipv.pk}/")
    assert page.get_by_role("heading", name=f"Case {ipv.number}").is_visible()

    # The case page (built beside this) links here; the address is the follow-up form's.
    page.goto(f"/cases/{ipv.pk}/followups/new/")
    problems += serious(page)
    page.get_by_label("What to do").fill("Call back about the bail hearing")
    due = timezone.localtime(timezone.now() + timedelta(days=2), unit.tz)
    page.get_by_label("Due").fill(due.strftime("%Y-%m-%dT10:00"))
    page.get_by_role("button", name="Add the follow-up").click()
    page.wait_for_url(f"**/cases/{ipv.pk}/")
    task = Task.objects.get(case=ipv)
    assert task.owner == casey

    page.get_by_role("link", name="Follow-ups").first.click()
    page.wait_for_url("**/cases/followups/")
    row = page.locator("table.followups tbody tr").filter(
        has_text="Call back about the bail hearing"
    )
    assert row.count() == 1
    assert row.get_by_role("link", name=ipv.number).is_visible()
    problems += serious(page)
    assert sv.number not in page.content()

    # On a phone the table stacks, one case per block with its labels.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/cases/")
    assert page.get_by_text("Katherine MacLeod").is_visible()
    problems += serious(page)
    assert not problems, "\n".join(problems)
