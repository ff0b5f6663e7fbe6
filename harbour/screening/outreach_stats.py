"""Time from report to first contact, over a unit's screening matches.

Definition (docs/guide-screening.md): for each match with a first contact, the time from
the start of the day the police report was made (the occurrence's reported date, else its
incident date, in the organisation's time zone) to ``first_contact_at``, the first outreach
attempt that reached the person. The median and the 90th percentile (nearest rank) of those
times, over all the unit's matches that have one.
"""

import datetime
import math

from harbour.screening.models import ScreeningMatch


def time_to_first_contact(organisation) -> dict:
    tz = organisation.tz
    matches = ScreeningMatch.objects.filter(
        organisation=organisation, first_contact_at__isnull=False
    ).only("reported_date", "first_contact_at")
    times: list[datetime.timedelta] = []
    for match in matches:
        reached = match.first_contact_at
        if reached is not None:
            start = datetime.datetime.combine(match.reported_date, datetime.time.min, tzinfo=tz)
            times.append(reached - start)
    times.sort()
    if not times:
        return {"count": 0, "median": None, "p90": None}
    return {"count": len(times), "median": _rank(times, 0.5), "p90": _rank(times, 0.9)}


def _rank(times: list, share: float):
    # Nearest rank: the smallest value with at least `share` of the values at or below it.
    return times[max(0, math.ceil(share * len(times)) - 1)]
