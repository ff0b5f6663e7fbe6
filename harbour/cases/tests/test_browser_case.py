"""A caseworker's day on a case in a real browser: open the case, try to leave a voicemail
on a number where that is not safe and meet the refusal, record the call and a service and
see both on the timeline; then a colleague breaks the glass on a restricted case, and a
coordinator reviews it. axe checks each page on the way."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from harbour.accounts.constants import Role
from harbour.cases.models import BreakGlass, Contact, ServiceProvided
from harbour.cases.tests.helpers import case, person, phone, team
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


def test_a_caseworker_records_a_call_and_a_service_and_a_colleague_breaks_the_glass(
    page, live_server, unit
):
    casey = make_user("casey@unit.test", unit, Role.CASEWORKER)
    make_user("sam@unit.test", unit, Role.CASEWORKER)
    make_user("kim@unit.test", unit, Role.COORDINATOR)
    admin = make_user("lee@unit.test", unit, Role.ADMIN)
    c = case(unit, casey, person(unit, "Robin", "Example"))
    # Safe to call, NOT safe to leave a message; any day, any time.
    phone(c.client, safe_to_call=True, safe_to_leave_message=False)
    sealed = case(
        unit,
        admin,
        person(unit, "Jamie", "Sealed"),
        assigned_to=None,
        team=team(unit, "Professional standards", admin),
        restricted=True,
        restricted_reason="The accused is a staff member",
    )
    problems: list[str] = []

    sign_in(page, "casey@unit.test")
    page.goto(f"/cases/{c.pk}/")
    assert page.get_by_role("heading", name=f"Case {c.number}").is_visible()
    assert page.get_by_text("Do NOT leave a message").is_visible()
    problems += serious(page)

    # A voicemail on a number where it is not safe: refused, nothing written.
    page.get_by_role("link", name="Record a contact").click()
    page.wait_for_url("**/contacts/new/")
    problems += serious(page)
    page.get_by_label("Number or address used").select_option(
        label="Phone: +19025550142 (NOT safe: message, text)"
    )
    page.get_by_label("Outcome").select_option(label="Left a voicemail or message")
    page.get_by_role("button", name="Record the contact").click()
    page.wait_for_load_state()
    assert page.get_by_text("It is NOT safe to leave a message").is_visible()
    assert not Contact.objects.exists()
    problems += serious(page)

    # The call itself: spoke with them.
    page.get_by_label("Outcome").select_option(label="Spoke with them")
    page.get_by_label("Duration (minutes)").fill("20")
    page.get_by_role("button", name="Record the contact").click()
    page.wait_for_url(f"**/cases/{c.pk}/")
    assert Contact.objects.get().outcome == "reached"

    # A service given in that call.
    page.get_by_role("link", name="Record a service").click()
    page.wait_for_url("**/services/new/")
    problems += serious(page)
    page.get_by_label("Service", exact=True).select_option(label="Safety planning")
    page.get_by_label("Time spent (minutes)").fill("30")
    page.get_by_role("button", name="Record the service").click()
    page.wait_for_url(f"**/cases/{c.pk}/")
    assert ServiceProvided.objects.get().service == "safety_planning"

    timeline = page.locator("ol.timeline")
    assert timeline.get_by_text("Phone: we contacted them, spoke with them.").is_visible()
    assert timeline.get_by_text("Service provided: safety planning.").is_visible()
    problems += serious(page)

    # A colleague, not on the restricted case's team, meets the glass and breaks it.
    page.context.clear_cookies()
    sign_in(page, "sam@unit.test")
    page.goto(f"/cases/{sealed.pk}/")
    assert page.get_by_role("heading", name=f"Case {sealed.number} is restricted").is_visible()
    assert page.get_by_text("Jamie").count() == 0
    problems += serious(page)
    page.get_by_label("Why do you need to open this case?").fill(
        "Covering the crisis line tonight; the client called"
    )
    page.get_by_role("button", name="Break the glass and open the case").click()
    page.wait_for_url(f"**/cases/{sealed.pk}/")
    assert page.get_by_role("link", name="Jamie Sealed").is_visible()
    assert BreakGlass.objects.get().user.email == "sam@unit.test"
    problems += serious(page)

    # The coordinator reviews it.
    page.context.clear_cookies()
    sign_in(page, "kim@unit.test")
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("link", name="Broken glass").click()
    page.wait_for_url("**/cases/glass/")
    assert page.get_by_text("Covering the crisis line tonight").is_visible()
    problems += serious(page)
    page.get_by_label("Review note").fill("Checked against the on-call roster")
    page.get_by_role("button", name="Mark reviewed").click()
    page.wait_for_url("**/cases/glass/")
    assert page.get_by_text("Reviewed by Kim").is_visible()
    assert BreakGlass.objects.get().review_note == "Checked against the on-call roster"
    assert not problems, "\n".join(problems)
