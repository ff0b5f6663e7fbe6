"""A caseworker's journey through the people pages in a real browser, on a phone-sized
screen: add a person, meet the likely duplicate first, record how it is safe to reach them,
and see the warning on the record. axe checks each page on the way."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from harbour.accounts.constants import Role
from harbour.people.matching import name_key
from harbour.people.models import ContactPoint, Person
from harbour.testing.browser import sign_in
from harbour.testing.fixtures import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_a_caseworker_adds_a_person_past_a_likely_duplicate_and_records_safe_contact(page, unit):
    make_user("casey@unit.test", unit, Role.CASEWORKER)
    Person.objects.create(
        organisation=unit,
        given_name="Katherine",
        family_name="MacLeod",
        given_name_key=name_key("Katherine"),
        family_name_key=name_key("MacLeod"),
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "casey@unit.test")
    problems = []

    page.goto("/people/new/")
    problems += serious(page)
    page.get_by_label("Given name").fill("Catherine")
    page.get_by_label("Family name").fill("McLeod")
    page.get_by_label("Phone number").fill("902 555 0142")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()

    # Katherine MacLeod sounds like Catherine McLeod: the likely duplicate comes first.
    assert page.get_by_role("heading", name="These people may be the same").is_visible()
    assert page.get_by_role("link", name="Katherine MacLeod").is_visible()
    problems += serious(page)
    page.get_by_role("button", name="None of these: add a new person").click()
    page.wait_for_load_state()

    person = Person.objects.get(given_name="Catherine")
    assert page.url.endswith(f"/people/{person.pk}/")
    problems += serious(page)

    # The number typed at creation is already a contact point; say how it is safe to use.
    page.get_by_role("link", name="Change").first.click()
    page.wait_for_url("**/contacts/**")
    problems += serious(page)
    # USWDS draws its own checkbox: a person taps the label, as here.
    page.locator("label[for=id_safe_to_call]").click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/people/{person.pk}/")

    contact = ContactPoint.objects.get(person=person)
    assert contact.safe_to_call is True
    assert contact.safe_to_leave_message is False
    assert page.get_by_text("Do NOT leave a message").first.is_visible()
    problems += serious(page)
    assert not problems, "\n".join(problems)
