"""The statistics dashboard (/screening/stats/) and its CSV: the figures, the period
chooser's refusals, the audit trail, and only one's own organisation's occurrences."""

import csv
import io
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from harbour.accounts.constants import Role
from harbour.audit.models import AccessEvent
from harbour.screening.tests.test_stats import incident
from harbour.testing.browser import sign_in
from harbour.testing.fixtures import make_user

PERIOD = {"start": "2020-01-01", "end": "2020-12-31", "min_age": "0"}


@pytest.fixture
def occurrences(unit):
    incident(unit, offences=["13B"], day=date(2020, 3, 5))
    incident(unit, offences=["13A"], victims=[{"relationships": ["ST"]}], day=date(2020, 4, 1))
    incident(unit, offences=["09A"], day=date(2020, 4, 2))
    incident(unit, offences=["220"], day=date(2019, 4, 2))


def test_an_analyst_sees_the_figures_assaults_homicides_trend_and_classes(
    client, users, occurrences
):
    client.force_login(users[Role.ANALYST])

    response = client.get("/screening/stats/", PERIOD)

    assert response.status_code == 200
    more = response.context["more"]
    assert (more["assaults"], more["ipv_assaults"], str(more["ipv_share_of_assaults"])) == (
        2,
        1,
        "0.5000",
    )
    assert (more["homicides"], more["ipv_homicides"]) == (1, 1)
    assert [(m["month"].month, m["person"], m["ipv"]) for m in more["months"]] == [
        (3, 1, 1),
        (4, 2, 1),
    ]
    assert [count for _, count in more["relationship_classes"]] == [2, 1]
    body = response.content.decode()
    assert "<svg" in body and "IPV incidents" in body and "2020-04" in body
    event = AccessEvent.objects.get(action="screening.view_stats")
    assert event.actor_id == users[Role.ANALYST].pk


def test_the_csv_has_every_figure_for_both_periods_and_the_change(client, users, occurrences):
    client.force_login(users[Role.COORDINATOR])

    response = client.get("/screening/stats/figures.csv", PERIOD)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "figure",
        "2020-01-01..2020-12-31",
        "2019-01-01..2019-12-31",
        "change_percent",
    ]
    assert rows[1] == ["incidents", "3", "1", "200.0"]
    assert rows[2] == ["crimes_against_persons_incidents", "3", "0", ""]
    assert AccessEvent.objects.filter(action="screening.export_stats").exists()


def test_without_a_period_it_shows_the_last_twelve_months(client, users):
    client.force_login(users[Role.COORDINATOR])

    response = client.get("/screening/stats/")

    assert response.status_code == 200
    period = response.context["period"]
    assert period.end.day in (28, 29, 30, 31) and (period.end - period.start).days in (364, 365)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2020-02-30", "end": "2020-03-01", "min_age": "0"}, "Enter the first day"),
        ({"start": "2020-03-01", "end": "2020-02-01", "min_age": "0"}, "must not be before"),
        ({"start": "2000-01-01", "end": "2020-02-01", "min_age": "0"}, "at most 10 years"),
        ({"start": "2020-01-01", "end": "2020-02-01", "min_age": "13"}, "Select a valid choice"),
    ],
)
def test_a_bad_period_is_refused_with_a_message(client, users, query, message):
    client.force_login(users[Role.COORDINATOR])

    response = client.get("/screening/stats/", query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "rows" not in response.context
    assert not AccessEvent.objects.filter(action="screening.view_stats").exists()


def test_another_organisations_coordinator_sees_none_of_these_occurrences(
    client, outsider, occurrences
):
    client.force_login(outsider)

    response = client.get("/screening/stats/", PERIOD)

    assert response.context["rows"][0][1:3] == (0, 0)


def test_a_caseworker_may_not_see_statistics(client, users):
    client.force_login(users[Role.CASEWORKER])

    assert client.get("/screening/stats/", PERIOD).status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_and_its_errors_pass_axe(page, unit):
    make_user("ana@unit.test", unit, Role.ANALYST)
    incident(unit, day=date(2020, 3, 5))
    sign_in(page, "ana@unit.test")
    problems = []
    for query in ("start=2020-01-01&end=2020-12-31&min_age=0", "start=x&end=2020-01-01&min_age=0"):
        page.goto(f"/screening/stats/?{query}")
        violations = Axe().run(page).response["violations"]
        problems += [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert problems == []
