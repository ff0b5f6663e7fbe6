"""The IPV statistics dashboard and its CSV export (docs/guide-statistics.md): coordinators
and analysts of the unit, over their own organisation's occurrences only."""

import csv
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.actions import record_access
from harbour.screening import stats
from harbour.screening.stats_forms import PeriodForm, default_period

STATS_ROLES = (Role.COORDINATOR, Role.ANALYST)


def _labels() -> dict[str, str]:
    return {
        "incidents": _("Incidents"),
        "crimes_against_persons_incidents": _("Crime-against-person incidents"),
        "ipv_incidents": _("IPV incidents"),
        "ipv_share_of_crimes_against_persons": _("IPV share of crime-against-person incidents"),
        "family_or_ipv_incidents": _("Family-or-IPV incidents"),
        "ipv_victims": _("IPV victims"),
        "sexual_offence_victims": _("Sexual offence victims"),
        "human_trafficking_victims": _("Human trafficking victims"),
        "bias_incidents": _("Bias-motivated incidents"),
    }


def _form(request) -> PeriodForm:
    if "start" in request.GET or "end" in request.GET:
        return PeriodForm(request.GET)
    today = timezone.localdate(timezone=request.acting.organisation.tz)
    initial = {**default_period(today), "min_age": stats.default_min_age()}
    data = {key: str(value) for key, value in initial.items()}
    return PeriodForm(data)


@dataclass
class Bar:
    x: float
    width: float
    y: float
    height: float


CHART_WIDTH, CHART_HEIGHT = 640, 200


def _chart(months: list[dict]) -> dict:
    """Bars for a server-drawn SVG: per month, crime-against-person incidents and IPV
    incidents side by side, scaled to the busiest month."""
    top = max([m["person"] for m in months] + [m["ipv"] for m in months] + [1])
    slot = CHART_WIDTH / max(len(months), 1)
    bars = []
    for index, month in enumerate(months):
        pair = []
        for offset, value in ((0.1, month["person"]), (0.5, month["ipv"])):
            height = CHART_HEIGHT * value / top
            pair.append(
                Bar(index * slot + offset * slot, slot * 0.4, CHART_HEIGHT - height, height)
            )
        bars.append(pair)
    return {"bars": bars, "top": top, "width": CHART_WIDTH, "height": CHART_HEIGHT}


@staff_required(*STATS_ROLES)
def stats_dashboard(request) -> HttpResponse:
    form = _form(request)
    context: dict = {"form": form}
    if form.is_valid():
        period, min_age = form.period(), form.cleaned_data["min_age"]
        organisation = request.acting.organisation
        result = stats.compare(organisation, period, min_age)
        labels = _labels()
        context.update(
            period=period,
            previous=period.previous(),
            rows=[
                (
                    labels[name],
                    result["period"][name],
                    result["previous"][name],
                    result["change_percent"][name],
                )
                for name in stats.FIGURES
            ],
            more=(more := stats.dashboard(organisation, period, min_age)),
            chart=_chart(more["months"]),
            query=_query(form),
        )
        record_access(request, "screening.view_stats", reason="statistics")
    return render(request, "screening/stats.html", context)


def _query(form: PeriodForm) -> str:
    return urlencode({key: str(form.cleaned_data[key]) for key in ("start", "end", "min_age")})


@staff_required(*STATS_ROLES)
def stats_csv(request) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(request, "screening/stats.html", {"form": form}, status=400)
    period = form.period()
    result = stats.compare(request.acting.organisation, period, form.cleaned_data["min_age"])
    record_access(request, "screening.export_stats", reason="statistics")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ipv-statistics-{period.start}-{period.end}.csv"'
    )
    writer = csv.writer(response)
    previous = period.previous()
    writer.writerow(
        [
            "figure",
            f"{period.start}..{period.end}",
            f"{previous.start}..{previous.end}",
            "change_percent",
        ]
    )
    for name in stats.FIGURES:
        writer.writerow(
            [
                name,
                *(
                    "" if result[part][name] is None else result[part][name]
                    for part in ("period", "previous", "change_percent")
                ),
            ]
        )
    return response
