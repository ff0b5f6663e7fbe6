"""Reminders before a consent lapses: once, to the worker who recorded it, by email that
names nothing about the victim."""

import email
import threading
import time
from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from harbour.consent.models import Consent
from harbour.consent.tasks import remind_expiring_consents
from harbour.consent.tests.helpers import consent
from harbour.people.models import Person


def _expiring_in(person, user, days: float, **fields) -> Consent:
    given = timezone.now() - timedelta(days=100)
    c = consent(person, given=given, recipient_class="agency", recorded_by=user, **fields)
    c.expires_at = timezone.now() + timedelta(days=days)
    c.save(update_fields=["expires_at"])
    return c


def test_it_reminds_once_of_consents_expiring_within_14_days(users, unit, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    person = Person.objects.create(organisation=unit, given_name="Robin")
    worker = users["caseworker"]
    soon = _expiring_in(person, worker, 13)
    later = _expiring_in(person, worker, 15)
    lapsed = _expiring_in(person, worker, -1)
    revoked = _expiring_in(person, worker, 5, revoked_at=timezone.now())
    assert remind_expiring_consents.call() == 1
    for c in (soon, later, lapsed, revoked):
        c.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert later.reminder_sent_at is None and lapsed.reminder_sent_at is None
    assert revoked.reminder_sent_at is None
    assert remind_expiring_consents.call() == 0


def test_the_reminder_email_names_nothing_about_the_victim(
    users,
    unit,
    smtp_server,
):
    port, inbox = smtp_server
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }
    person = Person.objects.create(organisation=unit, given_name="Robin", family_name="Hidden")
    c = _expiring_in(person, users["caseworker"], 3)
    with override_settings(MAILERS=mailers):
        call_command("consent-reminders", "--now")
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message.rcpt_tos == ["caseworker@unit.test"]
    body = email.message_from_bytes(message.content).get_payload(decode=True).decode()
    local = timezone.localtime(c.expires_at, unit.tz).date().isoformat()
    assert f"A consent you recorded expires on {local}" in body
    assert f"/people/{person.pk}/consents/{c.pk}/" in body
    assert "Robin" not in body and "Hidden" not in body and "agency" not in body.lower()


def test_the_command_queues_the_reminders_for_the_worker(db):
    from django_tasks_db.models import DBTaskResult

    call_command("consent-reminders")
    assert DBTaskResult.objects.filter(task_path__endswith="remind_expiring_consents").exists()
