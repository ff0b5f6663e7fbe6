"""Reminders of follow-ups coming due: once, within 24 hours, to the owner (or the team's
caseworkers when nobody owns it), by email that names nothing about the victim."""

import email
import threading
import time
from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.constants import Role
from harbour.accounts.models import Membership
from harbour.cases.constants import TaskStatus
from harbour.cases.models import Team
from harbour.cases.tasks import remind_due_followups
from harbour.cases.tests.caseload_helpers import make_case, make_task
from harbour.testing.fixtures import make_user

DUMMY = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


def smtp(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }


def wait_for(inbox, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(inbox.messages) < count and time.monotonic() < deadline:
        threading.Event().wait(0.05)


def body_of(message) -> str:
    return email.message_from_bytes(message.content).get_payload(decode=True).decode()


def test_it_reminds_once_of_follow_ups_due_within_24_hours(users, unit, settings):
    settings.MAILERS = DUMMY
    worker = users[Role.CASEWORKER]
    case = make_case(unit, assigned_to=worker)
    soon = make_task(case, owner=worker, due_in=timedelta(hours=23))
    later = make_task(case, owner=worker, due_in=timedelta(hours=25))
    overdue = make_task(case, owner=worker, due_in=-timedelta(hours=1))
    done = make_task(case, owner=worker, due_in=timedelta(hours=2), status=TaskStatus.DONE)
    assert remind_due_followups.call() == 1
    for task in (soon, later, overdue, done):
        task.refresh_from_db()
    assert soon.reminded_at is not None
    assert later.reminded_at is None and overdue.reminded_at is None and done.reminded_at is None
    assert remind_due_followups.call() == 0


def test_the_reminder_email_names_nothing_about_the_victim(users, unit, smtp_server):
    port, inbox = smtp_server
    unit.time_zone = "America/Halifax"
    unit.save(update_fields=["time_zone"])
    worker = users[Role.CASEWORKER]
    case = make_case(unit, given="Robin", family="Hidden", assigned_to=worker)
    case.occurrence_number = "HRPS-26-000777"
    case.save(update_fields=["occurrence_number"])
    task = make_task(
        case, owner=worker, due_in=timedelta(hours=5), title="Call Robin about the bail hearing"
    )
    with override_settings(MAILERS=smtp(port)):
        call_command("followup-reminders", "--now")
    wait_for(inbox, 1)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message.rcpt_tos == ["caseworker@unit.test"]
    body = body_of(message)
    local = timezone.localtime(task.due_at, unit.tz).strftime("%Y-%m-%d %H:%M")
    assert f"A follow-up of yours is due on {local} A" in body  # AST or ADT
    assert reverse("cases:followup_edit", kwargs={"task_id": task.pk}) in body
    for secret in ("Robin", "Hidden", "bail", case.number, case.occurrence_number, str(case.pk)):
        assert secret not in body
    subject = email.message_from_bytes(message.content)["Subject"]
    assert subject == "A follow-up is due soon"


def test_a_follow_up_without_owner_reminds_the_teams_caseworkers(
    users, unit, smtp_server, settings
):
    port, inbox = smtp_server
    settings.MAILERS = smtp(port)
    team = Team.objects.create(organisation=unit, name="Night team")
    gone = make_user("gone@unit.test", unit, Role.CASEWORKER)
    Membership.objects.filter(user=gone).update(is_active=False)
    francophone = make_user("fr@unit.test", unit, Role.COORDINATOR)
    francophone.preferred_language = "fr"
    francophone.save(update_fields=["preferred_language"])
    team.members.set([users[Role.CASEWORKER], users[Role.VOLUNTEER], gone, francophone])
    make_task(make_case(unit), team=team, due_in=timedelta(hours=3))
    assert remind_due_followups.call() == 2
    wait_for(inbox, 2)
    recipients = sorted(m.rcpt_tos[0] for m in inbox.messages)
    # The volunteer could not open the link; a former member no longer works here.
    assert recipients == ["caseworker@unit.test", "fr@unit.test"]
    french = next(m for m in inbox.messages if m.rcpt_tos == ["fr@unit.test"])
    assert "Un suivi qui vous est confié arrive à échéance" in body_of(french)


def test_rescheduling_a_reminded_follow_up_reminds_again(client, users, unit, settings):
    settings.MAILERS = DUMMY
    worker = users[Role.CASEWORKER]
    task = make_task(make_case(unit, assigned_to=worker), owner=worker, due_in=timedelta(hours=2))
    assert remind_due_followups.call() == 1
    client.force_login(worker)
    later = timezone.localtime(timezone.now() + timedelta(hours=10), unit.tz)
    client.post(
        reverse("cases:followup_edit", kwargs={"task_id": task.pk}),
        {"title": task.title, "due": later.strftime("%Y-%m-%dT%H:%M"), "owner": worker.pk},
    )
    task.refresh_from_db()
    assert task.reminded_at is None
    assert remind_due_followups.call() == 1


def test_the_command_queues_the_reminders_for_the_worker(db):
    from django_tasks_db.models import DBTaskResult

    call_command("followup-reminders")
    assert DBTaskResult.objects.filter(task_path__endswith="remind_due_followups").exists()
