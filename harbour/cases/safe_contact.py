"""Safe contact (DESIGN §4.8): whether a contact point may be used for a call, a text, a
message or an email, and whether a moment falls inside its safe days and times.

Safe days and times are read in the organisation's time zone. A window that ends before it
starts (22:00–02:00) runs past midnight and belongs to the day it starts on: with Friday
ticked, Saturday 01:00 is inside, Friday 01:00 is not.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from harbour.cases.constants import Channel, ContactOutcome, Direction
from harbour.people.constants import ContactKind
from harbour.people.models import ContactPoint

# Channels that use a phone number or an email address on file.
PHONE_CHANNELS = frozenset({Channel.PHONE, Channel.TEXT})
NEEDS_CONTACT_POINT = frozenset({Channel.PHONE, Channel.TEXT, Channel.EMAIL})
# Outgoing channels checked against the safe days and times (a warning, not a refusal).
TIMED_CHANNELS = PHONE_CHANNELS


def inside_safe_times(point: ContactPoint, at: datetime, tz: ZoneInfo) -> bool:
    """Whether `at` falls inside the point's safe days and times (no days: any day; no
    times: any time)."""
    local = at.astimezone(tz)
    day, now = local.weekday(), local.time().replace(tzinfo=None)
    start, end = point.safe_from, point.safe_until
    if start is None or end is None:
        return not point.safe_days or day in point.safe_days
    if start < end:
        in_window, window_day = start <= now < end, day
    elif now >= start:
        in_window, window_day = True, day
    else:
        # After midnight in a window that began the evening before.
        in_window = now < end
        window_day = (local - timedelta(days=1)).weekday()
    return in_window and (not point.safe_days or window_day in point.safe_days)


@dataclass(frozen=True)
class Verdict:
    """What the safe-contact rules say about a contact: a refusal (nothing may be
    recorded), or a warning the worker must confirm."""

    refusal: str = ""
    warning: str = ""


def check(
    *,
    channel: str,
    direction: str,
    outcome: str,
    point: ContactPoint | None,
    at: datetime,
    tz: ZoneInfo,
) -> Verdict:
    outgoing = direction == Direction.OUTGOING
    if point is None:
        if outgoing and channel in NEEDS_CONTACT_POINT:
            return Verdict(refusal=_("Choose the phone number or email address you used."))
        if outgoing and outcome == ContactOutcome.LEFT_MESSAGE:
            return Verdict(
                refusal=_(
                    "Choose the number or address the message was left on: Harbour "
                    "checks that it is safe to leave a message there."
                )
            )
        return Verdict()
    if outgoing and not point.in_use:
        return Verdict(
            refusal=_(
                "This number or address is marked no longer in use: it may now be someone "
                "else’s. Nothing was recorded."
            )
        )
    if channel in PHONE_CHANNELS and point.kind != ContactKind.PHONE:
        return Verdict(refusal=_("A call or a text needs a phone number, not an email address."))
    if channel == Channel.EMAIL and point.kind != ContactKind.EMAIL:
        return Verdict(refusal=_("An email needs an email address, not a phone number."))
    # A message they left us is no risk to them; one we leave them may be heard by anyone.
    if outgoing and outcome == ContactOutcome.LEFT_MESSAGE and not point.safe_to_leave_message:
        return Verdict(
            refusal=_(
                "It is NOT safe to leave a message on this number or address: the "
                "person said so. Nothing was recorded."
            )
        )
    if outgoing and channel == Channel.TEXT and not point.safe_to_text:
        return Verdict(refusal=_("It is NOT safe to text this number. Nothing was recorded."))
    if outgoing and channel == Channel.EMAIL and not point.safe_to_email:
        return Verdict(refusal=_("It is NOT safe to email this address. Nothing was recorded."))
    if outgoing and channel == Channel.PHONE and not point.safe_to_call:
        return Verdict(refusal=_("It is NOT safe to call this number. Nothing was recorded."))
    if outgoing and channel in TIMED_CHANNELS and not inside_safe_times(point, at, tz):
        return Verdict(
            warning=_(
                "This is outside the safe days and times the person gave for this "
                "number. Record it anyway only if you did contact them then."
            )
        )
    return Verdict()
