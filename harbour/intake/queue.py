"""The rows of the triage queue, prepared once per page.

The queue is read all day by everyone on triage. Its rows are built here the way the
caseload's are (harbour.cases.caseload.case_rows): the page's ids first, in due order, then
only the fields a row shows; the number of people on each referral in one grouped query for
the page; and each label, local time and age worked out in Python once, so the template
does no per-row translation, date formatting or method calls."""

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from harbour.intake.constants import IntakeChannel, ReferralStatus, Source, Urgency
from harbour.intake.models import Referral, ReferralPerson

PAGE_SIZE = 50
MAX_PAGE = 200
DECIDED_SHOWN = 20

ROW_FIELDS = (
    "id",
    "status",
    "source",
    "channel",
    "urgency",
    "received_at",
    "due_at",
    "victim_consented",
)


def waiting_rows(waiting: QuerySet[Referral], number: int, tz) -> tuple[list[Any], bool]:
    """One page of the waiting referrals, most pressing first, and whether another page
    follows. Three queries."""
    start = (number - 1) * PAGE_SIZE
    ids = list(
        waiting.order_by("due_at", "pk").values_list("pk", flat=True)[start : start + PAGE_SIZE + 1]
    )
    has_next = len(ids) > PAGE_SIZE
    ids = ids[:PAGE_SIZE]
    by_id = {r.pk: r for r in Referral.objects.filter(pk__in=ids).only(*ROW_FIELDS)}
    people = dict(
        ReferralPerson.objects.filter(referral_id__in=ids)
        .values("referral_id")
        .annotate(n=Count("id"))
        .values_list("referral_id", "n")
    )
    now = timezone.now()
    urgencies = {value: str(label) for value, label in Urgency.choices}
    rows: list[Any] = []
    for pk in ids:
        if pk not in by_id:
            continue  # decided between the two queries
        r: Any = by_id[pk]
        _label(r)
        r.people_count = people.get(pk, 0)
        r.urgency_label = urgencies.get(r.urgency, r.urgency)
        r.urgent = r.urgency == Urgency.URGENT
        r.due_local = _local(r.due_at, tz)
        r.overdue = r.due_at < now
        # "3 hours ago", as a person says it.
        r.age = _("%(age)s ago") % {"age": timesince(r.received_at, now)}
        rows.append(r)
    return rows, has_next


def decided_rows(referrals: QuerySet[Referral], tz) -> list[Any]:
    """The newest decisions (read through the referral_decided index)."""
    statuses = {value: str(label) for value, label in ReferralStatus.choices}
    rows: list[Any] = list(
        referrals.filter(decided_at__isnull=False)
        .select_related("decided_by", "case")
        .only(
            *ROW_FIELDS,
            "decided_at",
            "decided_by__full_name",
            "decided_by__email",
            "case__id",
            "case__number",
        )
        .order_by("-decided_at")[:DECIDED_SHOWN]
    )
    for r in rows:
        _label(r)
        r.status_label = statuses.get(r.status, r.status)
        r.decided_local = _local(r.decided_at, tz)
        r.case_url = reverse("cases:detail", kwargs={"case_id": r.case.pk}) if r.case else ""
        r.decided_by_name = str(r.decided_by) if r.decided_by else ""
    return rows


_SOURCES = dict(Source.choices)
_CHANNELS = dict(IntakeChannel.choices)


def _label(r) -> None:
    r.url = reverse("intake:detail", kwargs={"referral_id": r.pk})
    r.source_label = str(_SOURCES.get(r.source, r.source))
    r.channel_label = str(_CHANNELS.get(r.channel, r.channel))


def _local(at, tz) -> str:
    return timezone.localtime(at, tz).strftime("%Y-%m-%d %H:%M")
