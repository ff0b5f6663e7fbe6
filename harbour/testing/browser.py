"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

The browser starts once per session; every test gets a fresh context (no cookies, no
storage, no cache), so tests cannot lean on each other. Every page is watched: a request to
any origin other than the live server (or the neutral quick-exit site below), or a
Content-Security-Policy violation in the console, fails the test that caused it.

Playwright never downloads a browser here: police networks have no internet, and neither
does CI. The suite uses the distribution's /usr/bin/chromium.
"""

import http.server
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from harbour.testing.fixtures import PASSWORD, TOTP_SECRET

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NEUTRAL_TITLE = "Weekend forecast"
NEUTRAL_HTML = (
    f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{NEUTRAL_TITLE}"
    "</title></head><body><main><h1>Weekend forecast</h1><p>Sunny, 21°C.</p></main></body></html>"
).encode()


class _NeutralHandler(http.server.BaseHTTPRequestHandler):
    """Serves the same harmless page at every path: whatever the quick exit lands on."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(NEUTRAL_HTML)))
        self.end_headers()
        self.wfile.write(NEUTRAL_HTML)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serving static files the way production does.

    pytest-django wraps the server in staticfiles' StaticFilesHandler, which answers
    /static/ from the source folders by unhashed name, so every hashed URL the manifest
    storage writes into a page is a 404 and the browser sees Harbour without its styles
    or scripts (and without the quick exit's keyboard shortcut). Here WhiteNoise, in
    the middleware, serves the files collected by the session's collectstatic, as it
    does in production."""
    from django.test.testcases import LiveServerThread
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or "localhost"
    server = LiveServer(addr, start=False)
    host = server.thread.host
    server.thread = LiveServerThread(
        host, static_handler=_through, connections_override=server.thread.connections_override
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


def _through(application):
    return application


@pytest.fixture(scope="session")
def neutral_site():
    """A second origin on loopback standing in for the neutral site the quick exit opens.

    It has to be a different origin from Harbour: Clear-Site-Data and the browser's
    history behave per origin, and a "neutral" page served by Harbour itself would still
    be Harbour in the history list."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NeutralHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it: a missing browser is a broken run
        pytest.skip(message)
    # Playwright's sync API keeps an asyncio loop running on this thread, and while a loop
    # runs Django looks connections up per context instead of per thread: every test after
    # the browser starts would get new connection objects, without the test database's
    # serialized contents (so serialized_rollback silently restored nothing). Keep the
    # ones this thread already has.
    held = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in held.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class PageWatch:
    """What a page did that it must not: talk to another host, or break the CSP."""

    allowed_origins: set[str]
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return f"{parts.scheme}://{parts.netloc}" in self.allowed_origins

    def on_request(self, request):
        if not self.allows(request.url):
            self.foreign_requests.append(request.url)

    def on_console(self, message):
        if message.type != "error":
            return
        text = message.text
        self.console_errors.append(text)
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_violations.append(text)

    def problems(self) -> list[str]:
        return [f"request to another host: {url}" for url in self.foreign_requests] + [
            f"CSP violation: {text}" for text in self.csp_violations
        ]


@pytest.fixture
def quick_exit_to_neutral(settings, neutral_site):
    """Point the quick exit at the loopback neutral site (the test environment's default,
    port 9, refuses connections, which would leave the browser on an error page)."""
    settings.HARBOUR_QUICK_EXIT_URL = f"{neutral_site}/neutral"
    return settings.HARBOUR_QUICK_EXIT_URL


@pytest.fixture
def page(browser, live_server, neutral_site, quick_exit_to_neutral):
    """A page in a fresh browser context, watched for foreign requests and CSP violations."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-CA", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = PageWatch(allowed_origins={live_server.url, neutral_site})
    page.on("request", watch.on_request)
    # Recorded above, and stopped here: nothing a test does may leave this machine.
    context.route(lambda url: not watch.allows(url), lambda route: route.abort())
    page.on("console", watch.on_console)
    page.watch = watch
    yield page
    context.close()
    assert not watch.problems(), "\n".join(watch.problems())


def totp_code(at: float | None = None) -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(at or time.time()) // 30))


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in as a person does: the form, then the authenticator code."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/home/")
