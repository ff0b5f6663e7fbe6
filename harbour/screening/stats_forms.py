"""The statistics dashboard's period chooser."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from harbour.screening import stats

MAX_YEARS = 10


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        help_text=_("First incident date included, YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the first day as a date, YYYY-MM-DD.")},
    )
    end = forms.DateField(
        label=_("To"),
        help_text=_("Last incident date included, YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the last day as a date, YYYY-MM-DD.")},
    )
    min_age = forms.TypedChoiceField(
        label=_("Victims counted"),
        coerce=int,
        choices=[
            (0, _("Every victim")),
            (12, _("Aged 12 and over")),
            (15, _("Aged 15 and over")),
        ],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last day must not be before the first day."))
            elif (end - start).days > MAX_YEARS * 366:
                self.add_error("end", _("Choose a period of at most 10 years."))
        return data

    def period(self) -> stats.Period:
        return stats.Period(self.cleaned_data["start"], self.cleaned_data["end"])


def default_period(today: date) -> dict:
    """The twelve months before the current one."""
    end = today.replace(day=1)
    start = stats.previous_year(end)
    return {"start": start, "end": end - timedelta(days=1)}
