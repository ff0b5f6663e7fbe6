"""Background work of the consent ledger: reminders before a consent lapses."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from harbour.consent.constants import REMINDER_DAYS
from harbour.consent.models import Consent


@task()
def remind_expiring_consents() -> int:
    """Email the worker who recorded each consent lapsing within REMINDER_DAYS, once.
    Returns how many reminders were sent.

    The email names nothing about the victim: only the date and a link to the consent page
    (its ids are random UUIDs), which opens only after sign-in."""
    now = timezone.now()
    due = Consent.objects.filter(
        revoked_at__isnull=True,
        reminder_sent_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=REMINDER_DAYS),
        recorded_by__isnull=False,
    ).select_related("recorded_by", "organisation")
    sent = 0
    for consent in due:
        # Claim with a conditional UPDATE: two runs at once (cron and a manual run) each
        # claim different rows, so nobody gets the same reminder twice. Claiming before
        # sending means a failed send is not retried: a missed reminder is safer than a
        # flood, and the consents list shows what is lapsing anyway.
        claimed = Consent.objects.filter(pk=consent.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue
        user = consent.recorded_by
        assert user is not None
        path = reverse(
            "consent:detail", kwargs={"person_id": consent.person_id, "consent_id": consent.pk}
        )
        expires = timezone.localtime(consent.expires_at, consent.organisation.tz).date()
        context = {"expires": expires, "link": settings.SITE_ROOT + path}
        with translation.override(user.preferred_language):
            subject = render_to_string("consent/email/reminder_subject.txt", context).strip()
            body = render_to_string("consent/email/reminder_body.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent
