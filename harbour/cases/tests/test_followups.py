"""Follow-ups on a case: adding one in the unit's local time, completing it (once, even
when two people press Done together), changing and cancelling it; each with its timeline
line and audit event, and never the title in either."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.constants import Role
from harbour.audit.models import AccessEvent
from harbour.cases import actions
from harbour.cases.constants import CaseStatus, TaskStatus, TimelineKind
from harbour.cases.models import Task, Team, TimelineEvent
from harbour.cases.tests.caseload_helpers import make_case, make_task
from harbour.testing.fixtures import make_user

HALIFAX = ZoneInfo("America/Halifax")
TITLE = "Call Robin about the peace bond"


def new_url(case):
    return reverse("cases:followup_new", kwargs={"case_id": case.pk})


def edit_url(task):
    return reverse("cases:followup_edit", kwargs={"task_id": task.pk})


def done_url(task):
    return reverse("cases:followup_done", kwargs={"task_id": task.pk})


def local(days: int, hour: int = 9, minute: int = 30) -> str:
    """A due time as the datetime-local field sends it, `days` from today in Halifax."""
    day = timezone.localdate(timezone=HALIFAX) + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def halifax(unit):
    unit.time_zone = "America/Halifax"
    unit.save(update_fields=["time_zone"])
    return unit


def last_message(response) -> str:
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_a_caseworker_adds_a_follow_up_due_in_the_units_local_time(client, users, unit):
    halifax(unit)
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker, activity=timezone.now() - timedelta(days=3))
    client.force_login(worker)
    response = client.post(
        new_url(case), {"title": TITLE, "due": local(3), "owner": worker.pk, "team": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": case.pk})
    task = Task.objects.get(case=case)
    expected = datetime.fromisoformat(local(3)).replace(tzinfo=HALIFAX)
    assert task.due_at == expected
    assert (task.title, task.owner, task.team, task.status) == (TITLE, worker, None, "open")
    assert task.created_by == worker
    event = TimelineEvent.objects.get(case=case)
    assert (event.kind, event.verb, event.object_id) == (TimelineKind.TASK, "created", str(task.pk))
    case.refresh_from_db()
    assert case.last_activity_at > timezone.now() - timedelta(minutes=1)
    audit = AccessEvent.objects.get(action="followup.create")
    assert (audit.object_id, audit.person_id) == (str(task.pk), str(case.client_id))


def test_the_title_stays_out_of_the_timeline_and_the_audit_trail(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    client.force_login(worker)
    client.post(new_url(case), {"title": TITLE, "due": local(1), "owner": worker.pk})
    task = Task.objects.get(case=case)
    client.post(edit_url(task), {"title": "Call again", "due": local(2), "owner": worker.pk})
    client.post(done_url(task))
    events = TimelineEvent.objects.filter(case=case)
    assert [e.verb for e in events.order_by("at", "id")] == ["created", "updated", "done"]
    for event in events:
        assert "Robin" not in str(event.data) and "Call" not in str(event.data)
    for audit in AccessEvent.objects.all():
        assert "Robin" not in audit.reason and "Call" not in audit.reason


def test_the_form_offers_the_case_team_and_tomorrow_morning(client, users, unit):
    team = Team.objects.create(organisation=unit, name="IPV team")
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker, team=team)
    client.force_login(worker)
    response = client.get(new_url(case))
    form = response.context["form"]
    assert (form["owner"].value(), form["team"].value()) == (worker.pk, team.pk)
    assert form["due"].value().hour == 9
    assert "America/Toronto" in response.content.decode()


def test_it_refuses_a_due_time_that_has_passed_and_writes_nothing(client, users, unit):
    halifax(unit)
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    client.force_login(worker)
    response = client.post(new_url(case), {"title": TITLE, "due": local(-1), "owner": worker.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["due"] == [
        "The due time has passed: choose a time from now on."
    ]
    assert not Task.objects.exists()
    assert not TimelineEvent.objects.exists()
    assert not AccessEvent.objects.filter(action="followup.create").exists()


def test_it_says_what_is_missing_or_malformed(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    client.force_login(worker)
    response = client.post(new_url(case), {"title": "  ", "due": "next tuesday"})
    errors = response.context["form"].errors
    assert errors["title"] == ["Say what is to be done."]
    assert errors["due"] == ["Enter when it is due as a date and a time."]
    response = client.post(new_url(case), {"title": "x" * 201, "due": local(1)})
    assert response.context["form"].errors["title"] == [
        "Say what is to be done in 200 characters or fewer."
    ]
    assert not Task.objects.exists()


def test_it_needs_an_owner_or_a_team(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    client.force_login(worker)
    response = client.post(new_url(case), {"title": TITLE, "due": local(1)})
    assert response.context["form"].errors["owner"] == [
        "Choose who does it: an owner, a team, or both."
    ]
    assert not Task.objects.exists()


def test_a_team_alone_may_own_a_follow_up(client, users, unit):
    team = Team.objects.create(organisation=unit, name="Night team")
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    client.force_login(worker)
    client.post(new_url(case), {"title": TITLE, "due": local(1), "team": team.pk})
    task = Task.objects.get()
    assert (task.owner, task.team) == (None, team)


def test_the_owner_must_be_a_caseworker_or_coordinator_of_the_unit(
    client, users, unit, other_unit, outsider
):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    client.force_login(worker)
    for stranger in (outsider, users[Role.VOLUNTEER], users[Role.ADMIN]):
        response = client.post(
            new_url(case), {"title": TITLE, "due": local(1), "owner": stranger.pk}
        )
        assert response.context["form"].errors["owner"] == ["Choose an owner from the list."]
    elsewhere = Team.objects.create(organisation=other_unit, name="Their team")
    response = client.post(new_url(case), {"title": TITLE, "due": local(1), "team": elsewhere.pk})
    assert response.context["form"].errors["team"] == ["Choose a team from the list."]
    assert not Task.objects.exists()


def test_the_action_refuses_an_owner_from_elsewhere_too(users, unit, outsider):
    case = make_case(unit)
    request = RequestFactory().post("/")
    request.user = users[Role.CASEWORKER]
    due = timezone.now() + timedelta(days=1)
    for owner in (outsider, users[Role.VOLUNTEER]):
        try:
            actions.create_followup(request, case, title=TITLE, due_at=due, owner=owner)
        except actions.CaseError as error:
            assert "caseworker or coordinator of this unit" in str(error)
        else:
            raise AssertionError("an owner from elsewhere was accepted")
    assert not Task.objects.exists()


def test_a_closed_case_takes_no_new_follow_up(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker, status=CaseStatus.CLOSED)
    client.force_login(worker)
    response = client.post(new_url(case), {"title": TITLE, "due": local(1), "owner": worker.pk})
    assert response.context["form"].non_field_errors() == [
        "This case is closed: reopen it before adding a follow-up."
    ]
    assert not Task.objects.exists()


def test_another_organisation_gets_404_on_every_follow_up_page(client, users, unit, outsider):
    case = make_case(unit, assigned_to=users[Role.CASEWORKER])
    task = make_task(case, owner=users[Role.CASEWORKER])
    client.force_login(outsider)
    assert client.get(new_url(case)).status_code == 404
    assert client.post(new_url(case), {"title": "x", "due": local(1)}).status_code == 404
    assert client.get(edit_url(task)).status_code == 404
    assert client.post(edit_url(task), {"cancel": "1"}).status_code == 404
    assert client.post(done_url(task)).status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_a_restricted_case_sends_the_user_to_the_glass_and_shows_nothing(client, users, unit):
    case = make_case(unit, restricted=True, restricted_reason="Staff member accused")
    task = make_task(case, title="Secret errand")
    client.force_login(users[Role.CASEWORKER])
    response = client.get(new_url(case))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"case_id": case.pk})
    assert client.get(edit_url(task)).status_code == 404
    assert client.post(done_url(task)).status_code == 404


def test_done_marks_it_done_once(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    task = make_task(case, owner=worker)
    client.force_login(worker)
    response = client.post(done_url(task))
    assert response["Location"] == reverse("cases:my_followups")
    task.refresh_from_db()
    assert (task.status, task.done_by) == (TaskStatus.DONE, worker)
    assert task.done_at is not None
    response = client.post(done_url(task))
    assert last_message(response) == "That follow-up was already closed."
    assert TimelineEvent.objects.filter(case=case, verb="done").count() == 1
    assert AccessEvent.objects.filter(action="followup.complete").count() == 1


def test_two_people_completing_at_once_complete_it_once(users, unit):
    case = make_case(unit)
    task = make_task(case, owner=users[Role.CASEWORKER])
    # Both requests read the follow-up while it was open; the conditional UPDATE decides.
    first, second = Task.objects.get(pk=task.pk), Task.objects.get(pk=task.pk)
    a, b = RequestFactory().post("/"), RequestFactory().post("/")
    a.user, b.user = users[Role.CASEWORKER], users[Role.COORDINATOR]
    assert actions.complete_followup(a, first) is True
    assert actions.complete_followup(b, second) is False
    task.refresh_from_db()
    assert task.done_by == users[Role.CASEWORKER]
    assert TimelineEvent.objects.filter(verb="done").count() == 1
    assert AccessEvent.objects.filter(action="followup.complete").count() == 1


def test_done_goes_back_to_the_page_it_came_from_on_this_site_only(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    one, two = make_task(case, owner=worker), make_task(case, owner=worker)
    client.force_login(worker)
    response = client.post(done_url(one), {"next": "/cases/followups/?page=1"})
    assert response["Location"] == "/cases/followups/?page=1"
    response = client.post(done_url(two), {"next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("cases:my_followups")


def test_reassigning_changes_the_owner_and_resets_the_reminder(client, users, unit):
    halifax(unit)
    worker, coordinator = users[Role.CASEWORKER], users[Role.COORDINATOR]
    case = make_case(unit, assigned_to=worker)
    task = make_task(case, owner=worker, reminded_at=timezone.now())
    client.force_login(coordinator)
    form = client.get(edit_url(task)).context["form"]
    data = {
        "title": form["title"].value(),
        "due": form["due"].value().strftime("%Y-%m-%dT%H:%M"),
        "owner": coordinator.pk,
    }
    response = client.post(edit_url(task), data)
    assert response.status_code == 302
    assert last_message(response) == "Follow-up changed."
    task.refresh_from_db()
    assert (task.owner, task.reminded_at) == (coordinator, None)
    event = TimelineEvent.objects.get(case=case, verb="updated")
    assert event.data == {"changed": ["owner"]}
    assert AccessEvent.objects.get(action="followup.update").reason == "owner"


def test_an_overdue_follow_up_keeps_its_past_due_time_when_reassigned(client, users, unit):
    worker, coordinator = users[Role.CASEWORKER], users[Role.COORDINATOR]
    case = make_case(unit, assigned_to=worker)
    task = make_task(case, owner=worker, due_in=-timedelta(days=2))
    client.force_login(coordinator)
    form = client.get(edit_url(task)).context["form"]
    due = form["due"].value().strftime("%Y-%m-%dT%H:%M")
    response = client.post(edit_url(task), {"title": task.title, "due": due, "team": ""})
    # No owner and no team: refused, nothing changed.
    assert response.context["form"].errors["owner"]
    response = client.post(
        edit_url(task), {"title": task.title, "due": due, "owner": coordinator.pk}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == coordinator and task.is_overdue


def test_moving_the_due_time_into_the_past_is_refused(client, users, unit):
    halifax(unit)
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    task = make_task(case, owner=worker)
    before = task.due_at
    client.force_login(worker)
    response = client.post(
        edit_url(task), {"title": task.title, "due": local(-2), "owner": worker.pk}
    )
    assert response.context["form"].errors["due"]
    task.refresh_from_db()
    assert task.due_at == before
    assert not TimelineEvent.objects.exists()


def test_saving_an_unchanged_form_writes_nothing(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    task = make_task(case, owner=worker)
    client.force_login(worker)
    form = client.get(edit_url(task)).context["form"]
    response = client.post(
        edit_url(task),
        {
            "title": task.title,
            "due": form["due"].value().strftime("%Y-%m-%dT%H:%M"),
            "owner": worker.pk,
        },
    )
    assert last_message(response) == "Nothing was changed."
    assert not TimelineEvent.objects.exists()


def test_cancelling_closes_it_and_it_can_no_longer_be_changed(client, users, unit):
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    task = make_task(case, owner=worker)
    client.force_login(worker)
    response = client.post(edit_url(task), {"cancel": "1"})
    assert last_message(response) == "Follow-up cancelled."
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert TimelineEvent.objects.get(case=case).verb == "cancelled"
    assert AccessEvent.objects.filter(action="followup.cancel").count() == 1
    response = client.post(edit_url(task), {"title": "Again", "due": local(1), "owner": worker.pk})
    assert last_message(response) == "That follow-up is closed and can no longer be changed."
    task.refresh_from_db()
    assert task.title != "Again"
    page = client.get(edit_url(task)).content.decode()
    assert "Cancelled" in page and "Save changes" not in page


def test_an_edit_racing_a_completion_is_refused(users, unit):
    case = make_case(unit)
    task = make_task(case, owner=users[Role.CASEWORKER])
    stale = Task.objects.get(pk=task.pk)
    request = RequestFactory().post("/")
    request.user = users[Role.COORDINATOR]
    actions.complete_followup(request, task)
    try:
        actions.update_followup(
            request, stale, title="New", due_at=stale.due_at, owner=users[Role.COORDINATOR]
        )
    except actions.CaseError as error:
        assert str(error) == "This follow-up was completed or cancelled meanwhile."
    else:
        raise AssertionError("a closed follow-up was changed")
    task.refresh_from_db()
    assert task.title != "New"


def test_a_coordinator_of_the_unit_may_own_a_follow_up(client, users, unit):
    other_coordinator = make_user("coord2@unit.test", unit, Role.COORDINATOR)
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    client.force_login(worker)
    client.post(new_url(case), {"title": TITLE, "due": local(1), "owner": other_coordinator.pk})
    assert Task.objects.get().owner == other_coordinator
