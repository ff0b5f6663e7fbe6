"""Follow-up pages: adding one to a case, completing, changing or cancelling it, and the
lists of open follow-ups (mine, a team's). Times are typed and shown in the organisation's
local time. Writes go through actions.py."""

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from harbour.accounts.access import Acting, staff_required
from harbour.accounts.constants import Role
from harbour.accounts.models import User
from harbour.cases import actions
from harbour.cases.access import (
    GlassRequired,
    case_for_user,
    case_staff_of,
    task_for_user,
    team_work_for_user,
    teams_of,
    visible_tasks,
)
from harbour.cases.constants import TaskStatus
from harbour.cases.models import Task, Team
from harbour.consent.forms import DateTimeInput

CASE = (Role.CASEWORKER, Role.COORDINATOR)
PAGE_SIZE = 50


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class FollowupForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("What to do"),
        max_length=200,
        help_text=gettext_lazy("Shown in follow-up lists; reminder emails never include it."),
        error_messages={
            "required": gettext_lazy("Say what is to be done."),
            "max_length": gettext_lazy("Say what is to be done in 200 characters or fewer."),
        },
    )
    due = forms.DateTimeField(
        label=gettext_lazy("Due"),
        widget=DateTimeInput(),
        error_messages={
            "required": gettext_lazy("Enter when it is due."),
            "invalid": gettext_lazy("Enter when it is due as a date and a time."),
        },
    )
    owner = StaffChoiceField(
        label=gettext_lazy("Owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("No owner: the team"),
        error_messages={"invalid_choice": gettext_lazy("Choose an owner from the list.")},
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=gettext_lazy("No team"),
        error_messages={"invalid_choice": gettext_lazy("Choose a team from the list.")},
    )

    def __init__(self, *args, acting: Acting, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = acting.organisation.tz
        self.task = task
        self.fields["due"].help_text = _("Date and time in the unit’s time zone (%(tz)s).") % {
            "tz": acting.organisation.time_zone
        }
        owner = self.fields["owner"]
        team = self.fields["team"]
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(team, forms.ModelChoiceField)
        owner.queryset = case_staff_of(acting)
        team.queryset = teams_of(acting)

    def local_initial(self, at: datetime) -> datetime:
        """A due time as the datetime-local field shows it: wall time in the unit's zone,
        to the minute."""
        return timezone.localtime(at, self.tz).replace(tzinfo=None, second=0, microsecond=0)

    def clean_due(self):
        # Read the typed wall time in the organisation's zone, not the server's.
        due = timezone.make_aware(self.cleaned_data["due"].replace(tzinfo=None), self.tz)
        unchanged = self.task is not None and self.local_initial(self.task.due_at) == (
            self.local_initial(due)
        )
        start_of_minute = timezone.now().replace(second=0, microsecond=0)
        if not unchanged and due < start_of_minute:
            raise forms.ValidationError(_("The due time has passed: choose a time from now on."))
        return due

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("owner") is None and data.get("team") is None:
            self.add_error("owner", _("Choose who does it: an owner, a team, or both."))
        return data


def _back(request, default: str, **kwargs):
    """Where a button sends the user back to: `next` if it is a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default, **kwargs)


@staff_required(*CASE)
def followup_new(request, case_id):
    try:
        case = case_for_user(request.user, request.acting, case_id)
    except GlassRequired:
        # The case page offers the break-glass form; nothing of the case is shown here.
        return redirect("cases:detail", case_id=case_id)
    tomorrow = timezone.localdate(timezone=request.acting.organisation.tz) + timedelta(days=1)
    initial = {
        "due": datetime.combine(tomorrow, time(9)),
        "owner": request.user.pk,
        "team": case.team_id,
    }
    form = FollowupForm(request.POST or None, acting=request.acting, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.create_followup(
                request,
                case,
                title=data["title"],
                due_at=data["due"],
                owner=data["owner"],
                team=data["team"],
            )
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Follow-up added."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/followup_form.html", {"form": form, "case": case})


@staff_required(*CASE)
def followup_edit(request, task_id):
    """The follow-up with its case number, and (while open) the forms to change, complete
    or cancel it."""
    task = task_for_user(request.user, request.acting, task_id)
    form = FollowupForm(
        request.POST if request.method == "POST" and "cancel" not in request.POST else None,
        acting=request.acting,
        task=task,
        initial={"title": task.title, "owner": task.owner_id, "team": task.team_id},
    )
    form.initial["due"] = form.local_initial(task.due_at)
    if request.method == "POST" and task.status == TaskStatus.OPEN:
        if "cancel" in request.POST:
            if actions.cancel_followup(request, task):
                messages.success(request, _("Follow-up cancelled."))
            else:
                messages.info(request, _("That follow-up was already closed."))
            return redirect("cases:followup_edit", task_id=task.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = actions.update_followup(
                    request,
                    task,
                    title=data["title"],
                    due_at=data["due"],
                    owner=data["owner"],
                    team=data["team"],
                )
            except actions.CaseError as error:
                form.add_error(None, str(error))
            else:
                if changed:
                    messages.success(request, _("Follow-up changed."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("cases:followup_edit", task_id=task.pk)
    elif request.method == "POST":
        messages.info(request, _("That follow-up is closed and can no longer be changed."))
        return redirect("cases:followup_edit", task_id=task.pk)
    return render(request, "cases/followup_edit.html", {"form": form, "task": task})


@require_POST
@staff_required(*CASE)
def followup_done(request, task_id):
    task = task_for_user(request.user, request.acting, task_id)
    if actions.complete_followup(request, task):
        messages.success(request, _("Follow-up done."))
    else:
        messages.info(request, _("That follow-up was already closed."))
    return _back(request, "cases:my_followups")


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _page_of(tasks, number: int) -> tuple[list[Task], bool]:
    """One page of follow-ups and whether another follows, without counting them all."""
    start = (number - 1) * PAGE_SIZE
    rows = list(tasks[start : start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def _when(tasks: list[Task], acting: Acting) -> list[tuple[str, Any]]:
    """Each follow-up with its group: overdue, today (in the unit's zone) or upcoming;
    and its local due time and links, worked out here once rather than by the template
    on every row."""
    now = timezone.now()
    tz = acting.organisation.tz
    tomorrow = timezone.localdate(now, tz) + timedelta(days=1)
    end_of_today = timezone.make_aware(datetime.combine(tomorrow, time()), tz)
    rows: list[tuple[str, Any]] = []
    for task in tasks:
        row: Any = task
        row.due_local = timezone.localtime(task.due_at, tz).strftime("%Y-%m-%d %H:%M")
        row.edit_url = reverse("cases:followup_edit", kwargs={"task_id": task.pk})
        row.done_url = reverse("cases:followup_done", kwargs={"task_id": task.pk})
        row.case_url = reverse("cases:detail", kwargs={"case_id": task.case_id})
        if task.due_at < now:
            rows.append(("overdue", task))
        elif task.due_at < end_of_today:
            rows.append(("today", task))
        else:
            rows.append(("upcoming", task))
    return rows


@staff_required(*CASE)
def my_followups(request):
    """My open follow-ups, soonest due first: so the overdue ones, then today's, then the
    rest. Below them, my teams' follow-ups that nobody owns yet."""
    acting = request.acting
    tasks = visible_tasks(request.user, acting)
    mine = (
        tasks.filter(owner=request.user, status=TaskStatus.OPEN)
        .select_related("case", "team")
        .order_by("due_at", "pk")
    )
    number = _page_number(request)
    page, has_next = _page_of(mine, number)
    # My teams' ids first (a handful): then each is read through the task_team index,
    # not every unowned follow-up of the organisation.
    my_teams = list(teams_of(acting).filter(members=request.user).values_list("pk", flat=True))
    unowned = (
        tasks.filter(owner__isnull=True, team__in=my_teams, status=TaskStatus.OPEN)
        .select_related("case", "team")
        .order_by("due_at", "pk")[:PAGE_SIZE]
    )
    return render(
        request,
        "cases/followup_mine.html",
        {
            "rows": _when(page, acting),
            "unowned": _when(list(unowned), acting),
            "page_number": number,
            "has_next": has_next,
        },
    )


@staff_required(*CASE)
def team_followups(request, team_id):
    """A team's open follow-ups with their owners, for its members and the coordinators."""
    team = team_work_for_user(request.user, request.acting, team_id)
    tasks = (
        visible_tasks(request.user, request.acting)
        .filter(team=team, status=TaskStatus.OPEN)
        .select_related("case", "owner")
        .order_by("due_at", "pk")
    )
    number = _page_number(request)
    page, has_next = _page_of(tasks, number)
    return render(
        request,
        "cases/followup_team.html",
        {
            "team": team,
            "rows": _when(page, request.acting),
            "page_number": number,
            "has_next": has_next,
        },
    )
