"""Safe days and times, read in the organisation's time zone, including windows that run
past midnight and days that change the clocks."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from harbour.cases.safe_contact import inside_safe_times
from harbour.people.models import ContactPoint

HALIFAX = ZoneInfo("America/Halifax")
TORONTO = ZoneInfo("America/Toronto")
MON, FRI, SAT = 0, 4, 5


def point(days=(), start=None, end=None) -> ContactPoint:
    # Not saved: the rule reads only these three fields.
    return ContactPoint(safe_days=list(days), safe_from=start, safe_until=end)


def at(tz, *args) -> datetime:
    return datetime(*args, tzinfo=tz)


def test_nothing_recorded_means_any_day_any_time():
    assert inside_safe_times(point(), at(TORONTO, 2026, 3, 7, 3, 0), TORONTO)


def test_days_only():
    p = point(days=[MON])
    assert inside_safe_times(p, at(TORONTO, 2026, 3, 2, 23, 59), TORONTO)  # Monday
    assert not inside_safe_times(p, at(TORONTO, 2026, 3, 3, 0, 0), TORONTO)  # Tuesday


def test_the_window_includes_its_start_and_excludes_its_end():
    p = point(start=time(9), end=time(17))
    assert inside_safe_times(p, at(TORONTO, 2026, 3, 2, 9, 0), TORONTO)
    assert inside_safe_times(p, at(TORONTO, 2026, 3, 2, 16, 59), TORONTO)
    assert not inside_safe_times(p, at(TORONTO, 2026, 3, 2, 17, 0), TORONTO)
    assert not inside_safe_times(p, at(TORONTO, 2026, 3, 2, 8, 59), TORONTO)


def test_the_time_is_read_on_the_organisations_clock():
    p = point(start=time(9), end=time(10))
    moment = datetime(2026, 3, 2, 13, 30, tzinfo=UTC)  # 09:30 in Halifax, 08:30 in Toronto
    assert inside_safe_times(p, moment, HALIFAX)
    assert not inside_safe_times(p, moment, TORONTO)


def test_a_window_past_midnight_belongs_to_the_day_it_starts():
    p = point(days=[FRI], start=time(22), end=time(2))
    assert inside_safe_times(p, at(TORONTO, 2026, 3, 6, 23, 0), TORONTO)  # Friday night
    assert inside_safe_times(p, at(TORONTO, 2026, 3, 7, 1, 30), TORONTO)  # Saturday 01:30
    assert not inside_safe_times(p, at(TORONTO, 2026, 3, 6, 1, 30), TORONTO)  # Friday 01:30
    assert not inside_safe_times(p, at(TORONTO, 2026, 3, 7, 23, 0), TORONTO)  # Saturday night
    assert not inside_safe_times(p, at(TORONTO, 2026, 3, 6, 12, 0), TORONTO)


def test_the_window_follows_the_local_clock_across_daylight_saving():
    p = point(start=time(9), end=time(10))
    # 09:30 local on the Saturday before and the Monday after clocks go forward (8 March).
    assert inside_safe_times(p, datetime(2026, 3, 7, 14, 30, tzinfo=UTC), TORONTO)
    assert inside_safe_times(p, datetime(2026, 3, 9, 13, 30, tzinfo=UTC), TORONTO)
    assert not inside_safe_times(p, datetime(2026, 3, 9, 14, 30, tzinfo=UTC), TORONTO)


moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(TORONTO)
)
times = st.times().map(lambda t: t.replace(microsecond=0))


@given(moment=moments, start=times, end=times)
def test_every_day_ticked_is_the_same_as_none_ticked(moment, start, end):
    if start == end:
        return
    everyday = point(days=range(7), start=start, end=end)
    anyday = point(start=start, end=end)
    assert inside_safe_times(everyday, moment, TORONTO) == inside_safe_times(
        anyday, moment, TORONTO
    )


@given(moment=moments, start=times, end=times)
def test_inside_means_on_the_clock_between_start_and_end(moment, start, end):
    if start == end:
        return
    now = moment.astimezone(TORONTO).time().replace(tzinfo=None)
    expected = start <= now < end if start < end else now >= start or now < end
    assert inside_safe_times(point(start=start, end=end), moment, TORONTO) == expected


def test_nothing_outgoing_goes_to_a_number_no_longer_in_use():
    from harbour.cases.constants import Channel, ContactOutcome, Direction
    from harbour.cases.safe_contact import check

    point = ContactPoint(kind="phone", safe_to_call=True, safe_to_text=True, in_use=False)
    at = datetime(2026, 3, 2, 14, tzinfo=UTC)
    for channel in (Channel.PHONE, Channel.TEXT):
        verdict = check(
            channel=channel,
            direction=Direction.OUTGOING,
            outcome=ContactOutcome.REACHED,
            point=point,
            at=at,
            tz=ZoneInfo("America/Halifax"),
        )
        assert "no longer in use" in str(verdict.refusal)
    # A call from it is still recorded: the person chose to use it.
    incoming = check(
        channel=Channel.PHONE,
        direction=Direction.INCOMING,
        outcome=ContactOutcome.REACHED,
        point=point,
        at=at,
        tz=ZoneInfo("America/Halifax"),
    )
    assert not incoming.refusal
