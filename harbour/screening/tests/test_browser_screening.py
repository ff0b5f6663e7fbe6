"""A coordinator's journey in a real browser: open the outreach queue, open a matched
victim, offer services, and land on the referral in triage. axe checks each page."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from harbour.accounts.constants import Role
from harbour.intake.constants import ReferralStatus, Source
from harbour.intake.models import Referral
from harbour.screening.constants import PersonRole
from harbour.screening.models import Occurrence, OccurrencePerson, ScreeningMatch
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


def test_a_coordinator_offers_services_from_the_queue_and_the_referral_is_in_triage(page, unit):
    make_user("cora@unit.test", unit, Role.COORDINATOR)
    today = datetime.date.today()
    occurrence = Occurrence.objects.create(
        organisation=unit, ori="NS0000001", incident_number="26-004242", source_format="csv",
        incident_date=today, content_hash="-",
    )  # fmt: skip
    OccurrencePerson.objects.create(
        occurrence=occurrence, role=PersonRole.VICTIM, sequence_number=1, victim_type="I"
    )
    ScreeningMatch.objects.create(
        organisation=unit, occurrence=occurrence, ori=occurrence.ori,
        incident_number=occurrence.incident_number, victim_sequence_number=1,
        incident_date=today, reported_date=today, priority="high",
    )  # fmt: skip
    sign_in(page, "cora@unit.test")
    problems = []

    page.goto("/screening/")
    problems += serious(page)
    page.get_by_role("link", name="26-004242 V1").click()
    page.wait_for_load_state()
    problems += serious(page)
    page.get_by_role("button", name="Offer services").click()
    page.wait_for_load_state()

    referral = Referral.objects.get(source=Source.SCREENING)
    assert referral.status == ReferralStatus.NEW
    assert page.url.endswith(f"/intake/{referral.pk}/")
    page.goto("/intake/")
    assert page.get_by_role("link", name=referral.reference).is_visible()
    assert problems == []
