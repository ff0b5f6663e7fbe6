"""Background work of the cases app: reminders of follow-ups coming due."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from harbour.accounts.constants import CASE_ROLES
from harbour.accounts.models import Membership, User
from harbour.cases.constants import REMINDER_HOURS, TaskStatus
from harbour.cases.models import Task


def _recipients(followup: Task) -> list[User]:
    """The owner; with no owner, the team's members who work cases in its organisation
    (a volunteer on the team could not open the link)."""
    if followup.owner is not None:
        return [followup.owner] if followup.owner.is_active else []
    if followup.team is None:
        return []
    works_cases = Membership.objects.filter(
        user=OuterRef("pk"),
        organisation_id=followup.organisation_id,
        role__in=CASE_ROLES,
        is_active=True,
    )
    return list(followup.team.members.filter(Exists(works_cases), is_active=True))


@task()
def remind_due_followups() -> int:
    """Email whoever must do each open follow-up due within REMINDER_HOURS, once.
    Returns how many emails were sent.

    The email names nothing about the victim, nor the follow-up's title (staff-written,
    it may name someone): only the due time and a link to the follow-up (its id is a
    random UUID), which opens only after sign-in."""
    now = timezone.now()
    due = Task.objects.filter(
        status=TaskStatus.OPEN,
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=now + timedelta(hours=REMINDER_HOURS),
    ).select_related("owner", "team", "organisation")
    sent = 0
    for followup in due:
        # Claim with a conditional UPDATE: two runs at once (cron and a manual run) each
        # claim different rows, so nobody gets the same reminder twice. Claiming before
        # sending means a failed send is not retried: a missed reminder is safer than a
        # flood, and "My follow-ups" lists what is due anyway.
        claimed = Task.objects.filter(
            pk=followup.pk, status=TaskStatus.OPEN, reminded_at__isnull=True
        ).update(reminded_at=now)
        if not claimed:
            continue
        path = reverse("cases:followup_edit", kwargs={"task_id": followup.pk})
        # Formatted here: the template's date filter would use the server's zone, not the
        # organisation's.
        local = timezone.localtime(followup.due_at, followup.organisation.tz)
        context = {"due": local.strftime("%Y-%m-%d %H:%M %Z"), "link": settings.SITE_ROOT + path}
        for user in _recipients(followup):
            with translation.override(user.preferred_language):
                subject = render_to_string("cases/email/followup_subject.txt", context).strip()
                body = render_to_string("cases/email/followup_body.txt", context)
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent
