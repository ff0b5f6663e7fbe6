"""Journeys through a real browser (Debian's Chromium, driven by Playwright) over real HTTP
against the live server: signing in with two factors, switching to French, the quick exit
on the public page, accessibility (axe-core) of every page these journeys reach, and that no
page talks to another host or breaks the Content-Security-Policy.

Run only these with `pytest -m browser`; skip them with `pytest -m "not browser"`.
"""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from harbour.accounts.constants import Role
from harbour.people.models import Person
from harbour.testing.browser import NEUTRAL_TITLE, sign_in, totp_code
from harbour.testing.fixtures import PASSWORD, make_user

# The live server answers from another thread, so each test commits for real and the
# database is flushed afterwards (the audit chain's head row is recreated on an empty trail).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Impacts that fail the build. "moderate" and "minor" findings are printed, not fatal.
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def caseworker(unit):
    return make_user("casey@unit.test", unit, Role.CASEWORKER)


@pytest.fixture
def everyone(unit):
    """One user holding every role that opens a page, so one sign-in reaches them all."""
    return make_user("robin@unit.test", unit, Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER)


@pytest.fixture
def person(unit):
    return Person.objects.create(organisation=unit, given_name="Alex", family_name="Tremblay")


def axe_findings(page) -> tuple[list[dict], list[dict]]:
    """(blocking, other) axe violations on the page as it is now."""
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    return blocking, [v for v in violations if v not in blocking]


def describe(url: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{url}: {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.append(f"      {node['failureSummary']}")
    return "\n".join(lines)


# a. Signing in ---------------------------------------------------------------------------


def test_a_caseworker_signs_in_with_password_then_authenticator_code(page, caseworker):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("casey@unit.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url("**/home/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Casey"
    assert page.get_by_role("navigation").get_by_role("link", name="People").is_visible()


def test_a_wrong_authenticator_code_keeps_the_door_shut(page, caseworker):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("casey@unit.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    now = time.time()
    valid = {totp_code(now + step) for step in (-30, 0, 30)}  # the tolerance allows ±1 step
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid)
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Sign In").click()

    expect(page.locator(".usa-error-message")).to_be_visible()
    assert page.url.endswith("/accounts/2fa/authenticate/")
    # Still half signed in: asking for a staff page leads back to the code, not the page.
    assert page.goto("/home/").url.endswith("/accounts/2fa/authenticate/")


# b. French ---------------------------------------------------------------------------------


def test_the_language_button_switches_to_french_and_it_stays_french(page, caseworker):
    sign_in(page, "casey@unit.test")
    page.get_by_role("button", name="Français").click()

    page.wait_for_url("**/home/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Bienvenue, Casey"
    assert page.get_by_role("button", name="Déconnexion").is_visible()

    page.get_by_role("navigation").get_by_role("link", name="Personnes").click()
    page.wait_for_url("**/people/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Personnes"
    assert page.get_by_role("button", name="English").is_visible()


def test_the_public_page_switches_to_french_before_anyone_signs_in(page):
    # On a phone, where USWDS hides the header's nav behind a Menu button this page lacks.
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("button", name="Français").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Services de soutien"
    assert page.get_by_role("link", name="Sortie rapide").is_visible()


# c. Quick exit -----------------------------------------------------------------------------


def record_page_after_quick_exit(page) -> list[dict]:
    """What the page looked like straight after Harbour's own quick-exit handler ran.

    The listeners added here run after harbour.js's (same element, registered later), in
    the instant between the page blanking itself and the browser leaving it."""
    seen: list[dict] = []
    page.expose_function("harbourTestSaw", lambda state: seen.append(state))
    page.evaluate(
        """() => {
          const report = () => window.harbourTestSaw({
            title: document.title,
            body: document.body.innerHTML,
            stored: sessionStorage.length + localStorage.length,
          });
          document.querySelector("[data-quick-exit]").addEventListener("click", report);
          document.addEventListener("keydown", report);
        }"""
    )
    return seen


def open_start_page_after_a_neutral_one(page, live_server, neutral_site) -> list[dict]:
    page.goto(f"{neutral_site}/before")
    page.goto(live_server.url + "/")
    page.evaluate("() => { sessionStorage.setItem('draft', 'x'); localStorage.setItem('d', 'x'); }")
    assert page.context.cookies(live_server.url), "the start page sets a CSRF cookie"
    return record_page_after_quick_exit(page)


def assert_left_no_trace(page, live_server, neutral_site, exit_response) -> None:
    assert page.url == f"{neutral_site}/neutral"
    assert page.title() == NEUTRAL_TITLE
    assert exit_response.status == 302
    clear = exit_response.all_headers().get("clear-site-data", "")
    for kind in ('"cache"', '"cookies"', '"storage"'):
        assert kind in clear, clear
    # The browser honoured Clear-Site-Data: nothing of Harbour's is left in this profile.
    assert page.context.cookies(live_server.url) == []

    # Back goes to where the person was before, never to Harbour.
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{neutral_site}/before"
    assert page.title() == NEUTRAL_TITLE
    assert "Support services" not in page.content()


def test_the_quick_exit_button_blanks_the_page_and_leaves_no_way_back(
    page, live_server, neutral_site
):
    seen = open_start_page_after_a_neutral_one(page, live_server, neutral_site)

    with page.expect_response("**/exit/") as exit_response:
        page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(f"{neutral_site}/neutral")

    assert seen == [{"title": "", "body": "", "stored": 0}]
    assert_left_no_trace(page, live_server, neutral_site, exit_response.value)


def test_pressing_shift_three_times_is_a_quick_exit(page, live_server, neutral_site):
    seen = open_start_page_after_a_neutral_one(page, live_server, neutral_site)

    with page.expect_response("**/exit/") as exit_response:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(f"{neutral_site}/neutral")

    # The first two presses leave the page alone; the third has blanked it.
    assert seen[-1] == {"title": "", "body": "", "stored": 0}
    assert seen[0]["title"] == "Support services"
    assert_left_no_trace(page, live_server, neutral_site, exit_response.value)


def test_two_shift_presses_do_not_exit(page, live_server):
    page.goto("/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == live_server.url + "/"
    assert page.get_by_role("heading", level=1).inner_text() == "Support services"


def test_public_pages_are_never_cached(page):
    for path in ("/", "/accounts/login/"):
        response = page.goto(path)
        assert "no-store" in response.headers["cache-control"], path


# d, e. Every page: accessible, self-contained, within the CSP -------------------------------


def tour(page, person):
    """Visit every page these journeys reach, signing in on the way; yield after each."""
    page.goto("/")
    yield "start page"
    page.get_by_role("link", name="Staff sign-in").click()
    page.wait_for_url("**/accounts/login/")
    yield "sign-in"
    page.get_by_label("Email").fill("robin@unit.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    yield "authenticator code"
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/home/")
    yield "home"
    for path in (
        "/people/",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/access/",
        "/audit/",
        "/manage/users/",
        "/manage/keys/",
        "/accounts/sessions/",
        "/accounts/2fa/",
    ):
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        yield path


def test_every_page_has_no_serious_accessibility_problem(page, everyone, person):
    """Each page is checked at phone and desktop width: USWDS shows and hides different
    things at each (the menu button, the search button's words)."""
    blocking, other = [], []
    for where in tour(page, person):
        for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            found, minor = axe_findings(page)
            blocking.append(describe(f"{where} ({name})", found))
            other.append(describe(f"{where} ({name})", minor))
    blocking = [b for b in blocking if b]
    if other := [o for o in other if o]:
        print("axe, moderate and minor:\n" + "\n".join(other))
    assert not blocking, "axe found serious or critical problems:\n" + "\n".join(blocking)


def test_axe_would_notice_a_serious_problem(page):
    """The check above proves something only if it can fail."""
    page.goto("/")
    page.evaluate(
        "() => document.querySelector('main').appendChild(document.createElement('button'))"
    )
    found, _ = axe_findings(page)
    assert "button-name" in {v["id"] for v in found}


def test_no_page_talks_to_another_host_or_breaks_the_csp(page, everyone, person):
    visited = list(tour(page, person))
    assert len(visited) == 12
    assert page.watch.foreign_requests == []
    assert page.watch.csp_violations == []
    assert page.watch.console_errors == []


def test_the_watch_would_notice_an_inline_script_or_a_foreign_request(page, live_server):
    """The guard above proves something only if it can fail."""
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(100)
    assert any("inline script" in text for text in page.watch.csp_violations)
    with pytest.raises(PlaywrightError):
        page.goto("http://192.0.2.1/")  # TEST-NET-1; the context aborts it before it leaves
    assert page.watch.foreign_requests == ["http://192.0.2.1/"]
    # Both were provoked on purpose; the fixture's own check must not count them.
    page.watch.csp_violations.clear()
    page.watch.foreign_requests.clear()


def test_a_new_user_enrols_an_authenticator_before_seeing_anything(page, unit):
    make_user("new@unit.test", unit, Role.CASEWORKER, mfa=False)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("new@unit.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    page.goto("/home/")
    # Changing two-factor settings always asks for the password again (allauth): a stolen
    # session alone cannot enrol or remove an authenticator.
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    blocking = []
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        blocking.append(describe(f"TOTP enrolment ({name})", axe_findings(page)[0]))
    assert not any(blocking), "\n".join(blocking)
    secret = page.locator("#authenticator_secret").input_value()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()
    assert page.goto("/home/").status == 200
    assert page.url.endswith("/home/")


def test_french_pages_have_no_serious_accessibility_problem(page, everyone, person):
    sign_in(page, "robin@unit.test")
    page.get_by_role("button", name="Français").first.click()
    page.wait_for_load_state()
    blocking = []
    for path in ("/home/", "/people/", f"/people/{person.pk}/", "/manage/users/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "fr"
        blocking.append(describe(f"{path} (fr)", axe_findings(page)[0]))
    assert not any(blocking), "\n".join(b for b in blocking if b)
