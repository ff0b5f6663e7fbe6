"""Referral journeys in a real browser: an officer refers from a phone and a caseworker
triages it into a case for someone already on file, then records a call, a service and a
follow-up; a visitor uses the quick exit, then
refers themselves; a friend refers on a victim's behalf. axe checks the public form and
the officer's form."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from harbour.accounts.constants import Role
from harbour.cases.models import Case, Contact, ServiceProvided, Task
from harbour.intake.constants import ReferralStatus, Source
from harbour.intake.models import Referral
from harbour.intake.tests.helpers import org, person
from harbour.people.constants import ContactKind
from harbour.people.models import ContactPoint
from harbour.testing.browser import NEUTRAL_TITLE, sign_in
from harbour.testing.fixtures import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} "
        + "; ".join(n["html"][:120] for n in v["nodes"])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def tick(page, input_id: str) -> None:
    # USWDS draws its own checkboxes and radios: a person taps the label.
    page.locator(f"label[for={input_id}]").click()


def switch_user(page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email)


def test_an_officer_refers_from_a_phone_and_a_caseworker_works_the_case(page, unit):
    """The whole first day of a case: the officer's referral from the scene, triage to the
    person already on file, a call, a service given in it, and the next follow-up."""
    police = org("Harbour Regional Police")
    make_user("lee@police.test", police, Role.OFFICER)
    casey = make_user("casey@unit.test", unit, Role.CASEWORKER)
    known = person(unit, "Robin", "Example")
    ContactPoint.objects.create(
        person=known, kind=ContactKind.PHONE, value="+19025550142", safe_to_call=True
    )
    problems = []

    page.set_viewport_size(PHONE)
    sign_in(page, "lee@police.test")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Refer a victim").click()
    page.wait_for_url("**/intake/police/new/")
    problems += serious(page)
    page.get_by_label("Send to").select_option(label=unit.name)
    page.get_by_label("Police occurrence number").fill("HRPS-26-000123")
    page.get_by_label("Offence").fill("Assault")
    tick(page, "id_victim_consented_0")
    tick(page, "id_risk_flags_3")  # children present: leaves the urgency as chosen
    page.get_by_label("What happened, and what help is needed").fill("Neighbour called 911.")
    page.locator("#id_victim-0-given_name").fill("Robin")
    page.locator("#id_victim-0-family_name").fill("Example")
    page.locator("#id_victim-0-date_of_birth").fill("1990-04-02")
    page.locator("#id_victim-0-phone").fill("902 555 0142")
    tick(page, "id_victim-0-safe_to_call")
    assert page.get_by_label("Your name").input_value() == "Lee"
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url("**/intake/sent/**")
    referral = Referral.objects.get()
    assert page.locator(".reference").inner_text() == referral.reference
    assert referral.source == Source.POLICE and referral.victim_consented is True
    problems += serious(page)

    page.set_viewport_size(DESKTOP)
    switch_user(page, "casey@unit.test")
    page.get_by_role("navigation").get_by_role("link", name="Triage").click()
    page.wait_for_url("**/intake/")
    problems += serious(page)
    page.get_by_role("link", name=referral.reference).click()
    page.wait_for_url(f"**/intake/{referral.pk}/")
    problems += serious(page)
    match = page.locator(".match label")
    assert "Robin Example" in match.inner_text()
    assert "same date of birth" in match.inner_text()
    match.click()
    page.get_by_label("Open a new case").check(force=True)
    tick(page, "id_programs_1")  # intimate partner violence
    page.get_by_role("button", name="Accept the referral").click()

    case = Case.objects.get()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert case.client == known
    referral.refresh_from_db()
    assert (referral.status, referral.case) == (ReferralStatus.ACCEPTED, case)
    assert case.program_codes == ["ipv"]

    # The first call, on the number the person said is safe to call.
    page.get_by_role("link", name="Record a contact").click()
    page.wait_for_url("**/contacts/new/")
    page.get_by_label("Number or address used").select_option(index=1)
    page.get_by_label("Outcome").select_option(label="Spoke with them")
    page.get_by_label("Duration (minutes)").fill("25")
    page.get_by_role("button", name="Record the contact").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    # A service given in that call.
    page.get_by_role("link", name="Record a service").click()
    page.wait_for_url("**/services/new/")
    page.get_by_label("Service", exact=True).select_option(label="Safety planning")
    page.get_by_role("button", name="Record the service").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    # And what happens next.
    page.get_by_role("link", name="Add a follow-up").click()
    page.wait_for_url("**/followups/new/")
    problems += serious(page)
    page.get_by_label("What to do").fill("Call back about the bail hearing")
    due = timezone.localtime(timezone.now() + timedelta(days=2), unit.tz)
    page.get_by_label("Due").fill(due.strftime("%Y-%m-%dT10:00"))
    page.get_by_role("button", name="Add the follow-up").click()
    page.wait_for_url(f"**/cases/{case.pk}/")

    followups = page.locator(".case-followups")
    assert followups.get_by_role("link", name="Call back about the bail hearing").is_visible()
    timeline = page.locator("ol.timeline")
    for line in (
        "Referral accepted: Police, by officer's form.",
        "Phone: we contacted them, spoke with them.",
        "Service provided: safety planning.",
        f"Follow-up set, due {due:%Y-%m-%d} 10:00.",
    ):
        assert timeline.get_by_text(line).is_visible(), line
    problems += serious(page)
    contact = Contact.objects.get(case=case)
    assert (contact.channel, contact.outcome, contact.duration_minutes) == ("phone", "reached", 25)
    assert ServiceProvided.objects.get(case=case).service == "safety_planning"
    assert Task.objects.get(case=case).owner == casey
    assert not problems, "\n".join(problems)


def test_a_visitor_exits_quickly_then_refers_themselves(page, unit, live_server, neutral_site):
    problems = []
    page.set_viewport_size(PHONE)
    page.goto(f"{neutral_site}/before")
    page.goto(f"{live_server.url}/help/{unit.slug}/")
    assert page.title() == "Support services"
    problems += serious(page)
    page.get_by_label("Your first name").fill("Sam")

    with page.expect_response("**/exit/"):
        page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(f"{neutral_site}/neutral")
    assert page.title() == NEUTRAL_TITLE
    # The exit replaced the form in the history: back leads to where the person was
    # before, never to the form and what was typed in it.
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{neutral_site}/before"
    assert page.context.cookies(live_server.url) == []

    page.goto(f"{live_server.url}/help/{unit.slug}/")
    page.get_by_label("Your first name").fill("Sam")
    page.get_by_label("Your phone number").fill("902 555 0177")
    tick(page, "id_safe_to_text")
    page.get_by_label("Safe times to make contact").fill("After 6 pm")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"**/help/{unit.slug}/sent/")

    assert page.title() == "Support services"
    text = page.locator("main").inner_text()
    assert "Your message has been received." in text
    for secret in ("Sam", "0177", unit.name, "victim", "Victim"):
        assert secret not in page.content(), secret
    problems += serious(page)
    referral = Referral.objects.get()
    assert referral.source == Source.SELF
    assert referral.victims[0].safe_to_text is True
    assert page.evaluate("() => sessionStorage.length + localStorage.length") == 0
    assert not problems, "\n".join(problems)


def test_a_friend_refers_and_triage_shows_them_as_the_referrer(page, unit):
    make_user("casey@unit.test", unit, Role.CASEWORKER)
    problems = []
    page.set_viewport_size(PHONE)
    page.goto(f"/help/{unit.slug}/")
    page.get_by_role("link", name="Asking for a family member or friend?").click()
    page.wait_for_url("**?for=other")
    problems += serious(page)
    page.get_by_label("Your name").fill("Jo Friend")
    tick(page, "id_referrer_relationship_1")  # friend
    page.locator("#id_referrer_phone").fill("902 555 0111")
    tick(page, "id_victim_knows_2")  # not sure
    page.get_by_label("Their first name").fill("Alex")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"**/help/{unit.slug}/sent/")

    page.set_viewport_size(DESKTOP)
    sign_in(page, "casey@unit.test")
    page.goto("/intake/")
    row = page.locator("table.triage-queue tbody tr").first
    assert "Family member or friend" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_load_state()
    referrer = page.locator("dl.referrer").inner_text()
    assert "Jo Friend" in referrer and "Friend" in referrer and "+19025550111" in referrer
    assert "Family member or friend" in page.locator("main").inner_text()
    assert "Not known" in page.locator(".consent-answer").inner_text()
    problems += serious(page)
    assert not problems, "\n".join(problems)
