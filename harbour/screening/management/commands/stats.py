"""`harbour stats ipv --org SLUG --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--min-age N]`:
the IPV statistics for a period and for the same period a year earlier, with the change
in percent (docs/guide-statistics.md)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from harbour.accounts.models import Organisation
from harbour.screening import stats


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = "IPV statistics: harbour stats ipv --org SLUG --from YYYY-MM-DD --to YYYY-MM-DD [--json]"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["ipv"], help="which statistics")
        parser.add_argument("--org", required=True, help="slug of the organisation")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--min-age",
            type=int,
            default=None,
            help="youngest victim counted (default: the HARBOUR_STATS_MIN_VICTIM_AGE setting)",
        )

    def handle(self, *args, org: str, start: str, end: str, json: bool, min_age, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(
                _("There is no organisation with the slug “%(slug)s”.") % {"slug": org}
            )
        period = stats.Period(_date(start), _date(end))
        if period.end < period.start:
            raise CommandError(_("The period ends before it starts."))
        if min_age is not None and min_age < 0:
            raise CommandError(_("--min-age must be 0 or more."))
        result = stats.compare(organisation, period, min_age)
        if json:
            self.stdout.write(_json_dumps(stats.as_json(result)))
            return
        previous = period.previous()
        self.stdout.write(
            f"{'':36} {period.start}…{period.end}  {previous.start}…{previous.end}  change %"
        )
        for name in stats.FIGURES:
            now, before, change = (
                result[p][name] for p in ("period", "previous", "change_percent")
            )
            self.stdout.write(
                f"{name:36} {_show(now):>22}  {_show(before):>22}  {_show(change):>8}"
            )


def _show(value) -> str:
    return "—" if value is None else str(value)


def _json_dumps(value) -> str:
    return json.dumps(value, indent=2)
