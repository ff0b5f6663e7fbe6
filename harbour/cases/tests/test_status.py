"""The case lifecycle: moves allowed by constants.TRANSITIONS, closing with a reason,
reopening, and a change made by someone else meanwhile."""

import pytest
from django.urls import reverse

from harbour.audit.models import AccessEvent
from harbour.cases.actions import CaseError, change_status
from harbour.cases.models import Case, TimelineEvent
from harbour.cases.tests.helpers import case, request_as


@pytest.fixture
def c(unit, users):
    return case(unit, users["caseworker"])


def post(client, c, status, **fields):
    data = {"status": status, "expected": Case.objects.get(pk=c.pk).status, **fields}
    return client.post(reverse("cases:status", kwargs={"case_id": c.pk}), data)


def test_a_case_moves_from_open_to_active(client, users, c):
    client.force_login(users["caseworker"])
    assert post(client, c, "active").status_code == 302
    assert Case.objects.get(pk=c.pk).status == "active"
    event = TimelineEvent.objects.get(case=c, kind="status")
    assert event.data == {"from": "open", "to": "active"}
    assert AccessEvent.objects.filter(action="case.status", object_id=str(c.pk)).exists()


def test_closing_needs_a_reason_and_other_needs_a_note(client, users, c):
    client.force_login(users["caseworker"])
    response = post(client, c, "closed")
    assert response.context["form"].errors["close_reason"] == ["Choose why the case is closed."]
    response = post(client, c, "closed", close_reason="other")
    assert response.context["form"].errors["close_note"] == ["Explain why the case is closed."]
    assert Case.objects.get(pk=c.pk).status == "open"
    assert not TimelineEvent.objects.filter(case=c, kind="status").exists()

    post(client, c, "closed", close_reason="goals_met")
    c.refresh_from_db()
    assert (c.status, c.close_reason) == ("closed", "goals_met") and c.closed_at
    page = client.get(reverse("cases:detail", kwargs={"case_id": c.pk})).content.decode()
    assert "Case closed: support complete: goals met." in page


def test_reopening_a_closed_case_makes_it_reopened(client, users, c):
    client.force_login(users["caseworker"])
    post(client, c, "closed", close_reason="declined")
    assert post(client, c, "reopened").status_code == 302
    c.refresh_from_db()
    assert c.status == "reopened" and c.reopened_at and c.closed_at is None
    assert c.close_reason == ""
    moves = TimelineEvent.objects.filter(case=c, kind="status").order_by("id")
    assert [e.data for e in moves] == [
        {"from": "open", "to": "closed", "reason": "declined"},
        {"from": "closed", "to": "reopened"},
    ]


def test_a_move_the_lifecycle_does_not_allow_is_refused(client, users, c):
    client.force_login(users["caseworker"])
    # Open cannot go straight to reopened, nor stay open.
    for status in ("reopened", "open", "nonsense"):
        response = post(client, c, status)
        assert "status" in response.context["form"].errors, status
    assert Case.objects.get(pk=c.pk).status == "open"


def test_the_action_refuses_a_move_outside_the_lifecycle(users, c):
    with pytest.raises(CaseError, match="cannot be moved"):
        change_status(request_as(users["caseworker"]), c, "reopened")


def test_a_change_made_meanwhile_is_not_overridden(client, users, c):
    client.force_login(users["caseworker"])
    # Both pages showed "open"; the coordinator put the case on hold first.
    change_status(request_as(users["coordinator"]), c, "on_hold")
    response = client.post(
        reverse("cases:status", kwargs={"case_id": c.pk}),
        {"status": "closed", "expected": "open", "close_reason": "goals_met"},
    )
    assert "Someone changed the status meanwhile" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert Case.objects.get(pk=c.pk).status == "on_hold"


def test_the_status_change_moves_the_last_activity(users, c):
    before = c.last_activity_at
    change_status(request_as(users["caseworker"]), c, "active")
    assert Case.objects.get(pk=c.pk).last_activity_at > before


def test_another_organisation_gets_404(client, c, outsider):
    client.force_login(outsider)
    assert post(client, c, "active").status_code == 404
    assert Case.objects.get(pk=c.pk).status == "open"
