"""Screening pages: the outreach queue and a matched victim with its decisions (caseworkers
and coordinators of the unit), and the screening rules with their preview (coordinators)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.actions import record_access
from harbour.cases.access import case_staff_of
from harbour.intake.actions import IntakeError
from harbour.people.access import people_named, visible_people
from harbour.people.matching import Name, Profile, likely_duplicates
from harbour.people.models import ContactPoint
from harbour.screening import outreach
from harbour.screening.access import match_for, matches_for, rule_for, rules_for
from harbour.screening.constants import MatchStatus, RulePriority
from harbour.screening.forms import (
    AssignForm,
    AttemptForm,
    ExistingClientForm,
    NoActionForm,
    RuleForm,
)
from harbour.screening.models import ScreeningMatch, ScreeningRule
from harbour.screening.outreach_stats import time_to_first_contact
from harbour.screening.screen import ensure_default_rules, preview, save_version, values_of

CASE = (Role.CASEWORKER, Role.COORDINATOR)
PAGE = 100


def _match(request, match_id) -> ScreeningMatch:
    return match_for(request.acting, match_id)


def _rule(request, rule_id) -> ScreeningRule:
    return rule_for(request.acting, rule_id)


@staff_required(*CASE)
def queue(request):
    organisation = request.acting.organisation
    matches = matches_for(request.acting)
    status = request.GET.get("status", MatchStatus.NEW)
    if status not in MatchStatus.values and status != "all":
        status = MatchStatus.NEW
    priority = request.GET.get("priority", "")
    if priority not in RulePriority.values:
        priority = ""
    shown = matches if status == "all" else matches.filter(status=status)
    if priority:
        shown = shown.filter(priority=priority)
    rows = list(
        shown.order_by("priority", "matched_at")
        .select_related("assigned_to")
        .prefetch_related("reasons")[:PAGE]
    )
    now = timezone.now()
    for row in rows:
        row.age_days = (now - row.matched_at).days
    counts = matches.aggregate(
        waiting=Count("pk", filter=Q(status=MatchStatus.NEW)),
        high=Count("pk", filter=Q(status=MatchStatus.NEW, priority=RulePriority.HIGH)),
    )
    record_access(request, "screening.queue")
    return render(
        request,
        "screening/queue.html",
        {
            "rows": rows,
            "counts": counts,
            "status": status,
            "priority": priority,
            "statuses": MatchStatus.choices,
            "priorities": RulePriority.choices,
            "contact": time_to_first_contact(organisation),
        },
    )


def _candidates(request, match, victim):
    """Likely existing clients: by name where the records system gave names (Canadian
    exports), and whoever the worker searched for."""
    people = visible_people(request.user, request.acting)
    found = []
    if victim is not None and victim.given_name:
        proposal = Profile(
            names=(Name(victim.given_name, victim.family_name or ""),),
            date_of_birth=victim.date_of_birth,
        )
        found = [m.person for m in likely_duplicates(people, proposal)]
    query = request.GET.get("q", "").strip()
    searched = list(people_named(people, query, request.acting.organisation)[:20]) if query else []
    return found, searched, query


def _detail(request, match, *, status=200, **forms):
    victim = outreach.victim_of(match)
    likely, searched, query = _candidates(request, match, victim)
    context = {
        "match": match,
        "victim": victim,
        "reasons": list(match.reasons.select_related("rule")),
        "likely": likely,
        "searched": searched,
        "query": query,
        "assign_form": forms.get("assign_form") or AssignForm(staff=case_staff_of(request.acting)),
        "no_action_form": forms.get("no_action_form") or NoActionForm(),
        "client_error": forms.get("client_error"),
        "attempt_form": forms.get("attempt_form") or _attempt_form(request, match),
        "attempts": list(match.attempts.select_related("recorded_by")),
    }
    return render(request, "screening/match.html", context, status=status)


@staff_required(*CASE)
def match_detail(request, match_id):
    match = _match(request, match_id)
    record_access(request, "screening.view_match", obj=match)
    return _detail(request, match)


@require_POST
@staff_required(*CASE)
def assign(request, match_id):
    match = _match(request, match_id)
    form = AssignForm(request.POST, staff=case_staff_of(request.acting))
    if not form.is_valid():
        return _detail(request, match, status=400, assign_form=form)
    outreach.assign(request, match, form.cleaned_data["assigned_to"])
    messages.success(request, _("Assigned."))
    return redirect("screening:match", match_id=match.pk)


@require_POST
@staff_required(*CASE)
def offer(request, match_id):
    match = _match(request, match_id)
    try:
        referral = outreach.offer_services(request, match)
    except (outreach.OutreachError, IntakeError) as error:
        messages.error(request, str(error))
        return redirect("screening:match", match_id=match.pk)
    messages.success(request, _("Services offered: the referral is in triage."))
    return redirect("intake:detail", referral_id=referral.pk)


def _attempt_form(request, match, data=None):
    points = (
        ContactPoint.objects.filter(person=match.person)
        if match.person
        else ContactPoint.objects.none()
    )
    return AttemptForm(data, points=points, tz=request.acting.organisation.tz)


@require_POST
@staff_required(*CASE)
def attempt(request, match_id):
    match = _match(request, match_id)
    form = _attempt_form(request, match, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            outreach.record_attempt(
                request,
                match,
                channel=data["channel"],
                outcome=data["outcome"],
                at=data["at"],
                point=data["contact_point"],
                notes=data["notes"],
            )
        except outreach.OutreachError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Attempt recorded."))
            return redirect("screening:match", match_id=match.pk)
    return _detail(request, match, status=400, attempt_form=form)


@require_POST
@staff_required(*CASE)
def no_action(request, match_id):
    match = _match(request, match_id)
    form = NoActionForm(request.POST)
    if not form.is_valid():
        return _detail(request, match, status=400, no_action_form=form)
    try:
        outreach.no_action(request, match, form.cleaned_data["reason"])
    except outreach.OutreachError as error:
        messages.error(request, str(error))
    return redirect("screening:match", match_id=match.pk)


@require_POST
@staff_required(*CASE)
def existing_client(request, match_id):
    match = _match(request, match_id)
    form = ExistingClientForm(request.POST, people=visible_people(request.user, request.acting))
    if not form.is_valid():
        error = form.errors["person"][0]
        return _detail(request, match, status=400, client_error=error)
    try:
        outreach.existing_client(request, match, form.cleaned_data["person"])
    except outreach.OutreachError as error:
        messages.error(request, str(error))
    return redirect("screening:match", match_id=match.pk)


@staff_required(Role.COORDINATOR)
def rules(request):
    organisation = request.acting.organisation
    ensure_default_rules(organisation)
    items = list(rules_for(request.acting))
    record_access(request, "screening.rules")
    return render(request, "screening/rules.html", {"rules": items})


@staff_required(Role.COORDINATOR)
def rule_edit(request, rule_id):
    rule = _rule(request, rule_id)
    assert rule.current is not None
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule.current))
    count = None
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if "preview" in request.POST:
            count = preview(values, rule.organisation)
        else:
            version = save_version(rule, values, request.user)
            record_access(request, "screening.rule_edit", obj=version)
            messages.success(
                request, _("Saved as version %(number)s.") % {"number": version.number}
            )
            return redirect("screening:rules")
    elif request.method == "GET":
        count = preview(values_of(rule.current), rule.organisation)
    record_access(request, "screening.rule", obj=rule)
    status = 400 if form.errors else 200
    return render(
        request,
        "screening/rule_edit.html",
        {"rule": rule, "form": form, "count": count, "versions": rule.versions.all()[:20]},
        status=status,
    )
