"""Pages of one case: the case page with its timeline and safe-contact panel, editing,
status, contacts, services, linked family and friends' cases, and restricted-case access
(break the glass, and the coordinators' review of broken glass).

Caseloads, search, follow-ups and teams have their own modules (caseload.py, followups.py,
teams.py)."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.actions import record_access
from harbour.cases import actions, timeline
from harbour.cases.access import (
    GlassRequired,
    case_for_user,
    contact_for_user,
    glass_for_review,
    glass_for_reviewer,
    linked_cases_of,
    may_see,
    restricted_case_for_glass,
    service_for_user,
)
from harbour.cases.constants import ClientRole, TaskStatus
from harbour.cases.forms import (
    CaseForm,
    ContactForm,
    GlassForm,
    LinkedCaseForm,
    ReviewForm,
    ServiceForm,
    StatusForm,
)
from harbour.cases.models import Case
from harbour.cases.safe_contact import inside_safe_times
from harbour.cases.services import taxonomy
from harbour.people.access import relationships_of
from harbour.people.models import ContactPoint

CASE = (Role.CASEWORKER, Role.COORDINATOR)
TIMELINE_PAGE = 50
# Open follow-ups listed on the case page, soonest first; the rest are on the lists.
FOLLOWUPS_SHOWN = 10


def _glass_page(request, case: Case, form: GlassForm):
    """The page a restricted case shows to someone outside its team: its number and the
    break-glass form, nothing else about it."""
    context = {"case_id": case.pk, "case_number": case.number, "form": form}
    return render(request, "cases/glass.html", context, status=403)


def case_page(view):
    """A view of one case (or something on it): if the case is restricted and the user may
    not open it, show the break-glass page instead."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except GlassRequired as required:
            return _glass_page(request, required.case, GlassForm())

    return wrapper


@dataclass(frozen=True)
class TimelinePage:
    number: int
    events: list
    has_previous: bool
    has_next: bool


def timeline_page(case: Case, number: str | None) -> TimelinePage:
    """One page of the case's timeline, newest first. No count of all the lines (a long
    case has thousands): one row beyond the page says whether there is an older page."""
    try:
        n = max(1, int(number or 1))
    except ValueError:
        n = 1
    start = (n - 1) * TIMELINE_PAGE
    events = case.timeline.select_related("actor").order_by("-at", "-id")
    rows = list(events[start : start + TIMELINE_PAGE + 1])
    return TimelinePage(n, rows[:TIMELINE_PAGE], n > 1, len(rows) > TIMELINE_PAGE)


def _seen(user, case: Case | None) -> tuple[Case, bool] | None:
    return None if case is None else (case, may_see(user, case))


@staff_required(*CASE)
@case_page
def case_detail(request, case_id):
    case = case_for_user(request.user, request.acting, case_id)
    record_access(request, "case.view", obj=case, person=case.client)
    tz = request.acting.organisation.tz
    now = timezone.now()
    points = [
        (cp, inside_safe_times(cp, now, tz)) for cp in case.client.contact_points.all() if cp.in_use
    ]
    page = timeline_page(case, request.GET.get("page"))
    followups = [
        (task, timezone.localtime(task.due_at, tz).strftime("%Y-%m-%d %H:%M"), task.due_at < now)
        for task in case.tasks.filter(status=TaskStatus.OPEN)
        .select_related("owner", "team")
        .order_by("due_at")[:FOLLOWUPS_SHOWN]
    ]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "programs": list(case.programs.all()),
            "points": points,
            "primary": _seen(request.user, case.linked_case),
            "linked": linked_cases_of(request.user, request.acting, case),
            "page": page,
            "lines": timeline.render(page.events, tz),
            "status_form": StatusForm(case=case),
            "is_victim_case": case.client_role == ClientRole.VICTIM,
            "followups": followups,
        },
    )


@require_POST
@staff_required(*CASE)
def break_glass(request, case_id):
    case = restricted_case_for_glass(request.user, request.acting, case_id)
    if may_see(request.user, case):
        return redirect("cases:detail", case_id=case.pk)
    form = GlassForm(request.POST)
    if not form.is_valid():
        return _glass_page(request, case, form)
    actions.break_glass(request, case, form.cleaned_data["reason"])
    messages.warning(
        request,
        _("You opened a restricted case. Your reason is on record and a coordinator reviews it."),
    )
    return redirect("cases:detail", case_id=case.pk)


@staff_required(Role.COORDINATOR)
def glass_review(request):
    glasses = glass_for_review(request.user, request.acting)
    page = Paginator(glasses, 50).get_page(request.GET.get("page"))
    record_access(request, "case.list_break_glass", reason="review")
    return render(request, "cases/glass_review.html", {"page": page})


@require_POST
@staff_required(Role.COORDINATOR)
def glass_reviewed(request, glass_id):
    glass = glass_for_reviewer(request.user, request.acting, glass_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["note"]))
    elif actions.review_glass(request, glass, form.cleaned_data["note"]):
        messages.success(request, _("Marked reviewed."))
    else:
        messages.info(request, _("Another coordinator has already reviewed it."))
    return redirect("cases:glass_review")


@staff_required(*CASE)
@case_page
def case_edit(request, case_id):
    case = case_for_user(request.user, request.acting, case_id)
    form = CaseForm(request.POST or None, case=case, initial=CaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.update_case(
                request,
                case,
                programs=data["programs"],
                priority=data["priority"],
                assigned_to=data["assigned_to"],
                team=data["team"],
                restricted=data["restricted"],
                restricted_reason=data["restricted_reason"],
                occurrence_number=data["occurrence_number"],
                lift_reason=data.get("lift_reason", ""),
            )
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            if not changed:
                messages.info(request, _("Nothing changed."))
            elif case.restricted and not may_see(request.user, case):
                messages.warning(
                    request,
                    _(
                        "The case is restricted to its team, and you are not on it: to open it "
                        "again you will need to give a reason."
                    ),
                )
            else:
                messages.success(request, _("Changes saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/edit.html", {"case": case, "form": form})


@require_POST
@staff_required(*CASE)
@case_page
def case_status(request, case_id):
    case = case_for_user(request.user, request.acting, case_id)
    form = StatusForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_status(
                request,
                case,
                data["status"],
                expected=data["expected"],
                close_reason=data.get("close_reason", ""),
                close_note=data.get("close_note", ""),
            )
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The case is now %(status)s.") % {"status": case.get_status_display()},
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/status_form.html", {"case": case, "form": form})


def _people_around(case: Case) -> list:
    """The client, then the people related to them (each once), for the contact form."""
    people = [case.client]
    for rel in relationships_of(case.client):
        other, _label = rel.seen_from(case.client)
        if all(other.pk != p.pk for p in people):
            people.append(other)
    return people


@staff_required(*CASE)
@case_page
def contact_new(request, case_id):
    case = case_for_user(request.user, request.acting, case_id)
    tz = request.acting.organisation.tz
    people = _people_around(case)
    # Only numbers and addresses still in use are offered (record_contact refuses the others).
    points = ContactPoint.objects.filter(person__in=people, in_use=True).select_related("person")
    form = ContactForm(request.POST or None, people=people, points=list(points), tz=tz)
    warning = ""
    if request.method == "GET":
        # The form lists the client's and their relations' numbers and addresses.
        record_access(request, "case.contact_form", obj=case, person=case.client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_contact(
                request,
                case,
                person=data["person"],
                channel=data["channel"],
                direction=data["direction"],
                at=data["at"],
                outcome=data["outcome"],
                contact_point=data["contact_point"],
                duration_minutes=data["duration_minutes"],
                notes=data["notes"],
                confirmed_outside_safe_times=data["confirm_outside_safe_times"],
            )
        except actions.OutsideSafeTimes as outside:
            warning = str(outside)
            form.show_confirmation()
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request, "cases/contact_form.html", {"case": case, "form": form, "warning": warning}
    )


@staff_required(*CASE)
@case_page
def contact_detail(request, case_id, contact_id):
    contact = contact_for_user(request.user, request.acting, case_id, contact_id)
    record_access(request, "contact.view", obj=contact, person=contact.person, reason="casework")
    return render(
        request,
        "cases/contact_detail.html",
        {"case": contact.case, "contact": contact, "services": contact.services.all()},
    )


@staff_required(*CASE)
@case_page
def service_new(request, case_id):
    case = case_for_user(request.user, request.acting, case_id)
    tz = request.acting.organisation.tz
    contacts = list(case.contacts.order_by("-at")[:30])
    form = ServiceForm(request.POST or None, contacts=contacts, tz=tz)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_service(
                request,
                case,
                service=data["service"],
                at=data["at"],
                minutes=data["minutes"],
                contact=data["contact"],
                notes=data["notes"],
            )
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Service recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/service_form.html", {"case": case, "form": form})


@staff_required(*CASE)
@case_page
def service_detail(request, case_id, service_id):
    service = service_for_user(request.user, request.acting, case_id, service_id)
    record_access(request, "service.view", obj=service, person=service.case.client)
    return render(
        request,
        "cases/service_detail.html",
        {
            "case": service.case,
            "service": service,
            "label": taxonomy().label(service.service),
        },
    )


@staff_required(*CASE)
@case_page
def linked_new(request, case_id):
    case = case_for_user(request.user, request.acting, case_id)
    related = []
    for rel in relationships_of(case.client):
        other, label = rel.seen_from(case.client)
        if all(other.pk != p.pk for p, _label in related):
            related.append((other, label))
    form = LinkedCaseForm(
        request.POST or None, related=related, initial={"programs": case.program_codes}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            linked = actions.open_linked_case(
                request,
                request.acting,
                case,
                client_role=data["client_role"],
                programs=data["programs"],
                person=data["person"],
                new_person=form.new_person_fields(),
                relationship=data.get("relationship", ""),
            )
        except actions.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Case %(number)s opened, linked to case %(victim)s.")
                % {"number": linked.number, "victim": case.number},
            )
            return redirect("cases:detail", case_id=linked.pk)
    return render(request, "cases/linked_form.html", {"case": case, "form": form})
