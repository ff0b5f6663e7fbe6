"""Pages of intake for staff: the officer's and the agency's referral forms with the
sender's list of what they sent, and triage (the queue, a referral, and the decisions on
it). The public self-referral form is in public_views.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.accounts.access import staff_required
from harbour.accounts.constants import OrganisationKind, Role
from harbour.audit.actions import record_access
from harbour.cases.access import open_cases_of
from harbour.cases.actions import CaseError
from harbour.cases.constants import Priority
from harbour.intake import actions
from harbour.intake import queue as triage
from harbour.intake.access import (
    duplicate_candidates,
    receiving_units,
    referral_for_user,
    referrals_for_user,
    sent_referral_for_user,
    sent_referrals,
)
from harbour.intake.constants import IntakeChannel, ReferralStatus, RiskFlag, Source, Urgency
from harbour.intake.forms import (
    AcceptForm,
    DeclineForm,
    DuplicateForm,
    StaffReferralForm,
    VictimFormSet,
)
from harbour.intake.models import Referral
from harbour.people.access import visible_people
from harbour.people.matching import Name, Profile, likely_duplicates, phone_tokens

CASE = (Role.CASEWORKER, Role.COORDINATOR)
SENDERS = (Role.OFFICER, Role.PARTNER)

# The case priority triage suggests for a referral's urgency.
PRIORITY_FOR = {
    Urgency.URGENT: Priority.URGENT,
    Urgency.PRIORITY: Priority.HIGH,
    Urgency.ROUTINE: Priority.NORMAL,
}


# ---- sending: the officer's and the agency's forms ----


def _send(request, *, source: str, channel: str):
    acting = request.acting
    # A police-based unit's own officers refer to their unit; anyone else chooses one.
    own_unit = acting.organisation if acting.organisation.kind == OrganisationKind.VSU else None
    police = source == Source.POLICE
    form = StaffReferralForm(
        request.POST or None,
        police=police,
        choose_unit=own_unit is None,
        units=receiving_units(),
        initial=StaffReferralForm.initial_for(request.user),
    )
    victims = VictimFormSet(request.POST or None, prefix="victim")
    if request.method == "POST":
        valid = form.is_valid()
        valid = victims.is_valid() and valid
        if valid:
            data = form.cleaned_data
            try:
                referral, _created = actions.receive_referral(
                    request,
                    own_unit or data["to"],
                    source=source,
                    channel=channel,
                    people=[f.named() for f in victims.forms if f.cleaned_data],
                    urgency=data["urgency"],
                    sender_organisation=acting.organisation,
                    sender_reference=f"form-{data['submission']}",
                    occurrence_number=data["occurrence_number"],
                    offence=data["offence"],
                    risk_flags=data["risk_flags"],
                    victim_consented=data["victim_consented"],
                    referrer_name=data["referrer_name"],
                    referrer_role=data["referrer_role"],
                    referrer_phone=data["referrer_phone"],
                    referrer_email=data["referrer_email"],
                )
            except actions.IntakeError as error:
                form.add_error(None, error.message)
            except actions.ReferralConflict:
                form.add_error(
                    None,
                    _(
                        "This form was already sent, with other details. Send changes as a "
                        "new referral."
                    ),
                )
            else:
                return redirect("intake:sent_detail", referral_id=referral.pk)
    return render(
        request,
        "intake/send.html",
        {"form": form, "victims": victims, "police": police, "own_unit": own_unit},
    )


@staff_required(Role.OFFICER)
def police_new(request):
    return _send(request, source=Source.POLICE, channel=IntakeChannel.OFFICER_FORM)


@staff_required(Role.PARTNER)
def agency_new(request):
    return _send(request, source=Source.AGENCY, channel=IntakeChannel.AGENCY_FORM)


@staff_required(*SENDERS)
def sent(request):
    page = Paginator(sent_referrals(request.user, request.acting), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "intake/sent.html", {"page": page})


@staff_required(*SENDERS)
def sent_detail(request, referral_id):
    referral = sent_referral_for_user(request.user, request.acting, referral_id)
    return render(request, "intake/sent_detail.html", {"referral": referral})


# ---- triage ----


@staff_required(*CASE)
def queue(request):
    referrals = referrals_for_user(request.user, request.acting)
    source = request.GET.get("source", "")
    if source not in Source.values:
        source = ""
    waiting = referrals.filter(status=ReferralStatus.NEW)
    counts = {
        "waiting": waiting.count(),
        "overdue": waiting.filter(due_at__lt=timezone.now()).count(),
    }
    if source:
        waiting = waiting.filter(source=source)
    try:
        number = max(1, min(int(request.GET.get("page", "1")), triage.MAX_PAGE))
    except ValueError:
        number = 1
    tz = request.acting.organisation.tz
    rows, has_next = triage.waiting_rows(waiting, number, tz)
    return render(
        request,
        "intake/queue.html",
        {
            "waiting": rows,
            "page_number": number,
            "has_next": has_next and number < triage.MAX_PAGE,
            "counts": counts,
            # Every decision sets decided_at: this reads the newest through
            # referral_decided, instead of every referral the unit ever had.
            "decided": triage.decided_rows(referrals, tz),
            "source": source,
            "sources": Source.choices,
        },
    )


def _victim_choices(request, referral: Referral):
    """For each victim on the referral: the likely duplicates among the unit's people, and
    the live cases of each."""
    people = visible_people(request.user, request.acting)
    out = []
    for named in referral.victims:
        proposal = Profile(
            names=(Name(named.given_name or "", named.family_name or ""),),
            date_of_birth=named.date_of_birth,
            phones=phone_tokens(named.phone),
        )
        matches = likely_duplicates(people, proposal)
        cases = {
            m.person.pk: list(open_cases_of(request.user, request.acting, m.person))
            for m in matches
        }
        out.append((named, matches, cases))
    if out:
        record_access(request, "person.search", reason="duplicate check at triage")
    return out


def _accept_form(request, referral: Referral, victims, data=None) -> AcceptForm:
    user = request.user
    initial = {"priority": PRIORITY_FOR.get(Urgency(referral.urgency), Priority.NORMAL)}
    if request.acting.has(*CASE):
        initial["assigned_to"] = user.pk
    return AcceptForm(data, victims=victims, organisation=referral.organisation, initial=initial)


def _detail(request, referral, *, victims=None, accept=None, decline=None, duplicate=None):
    # The view itself is audited once per victim, naming the person once one is linked.
    for victim in referral.victims or [None]:
        person = victim.person if victim is not None else None
        record_access(request, "referral.view", obj=referral, person=person, reason="triage")
    flags = dict(RiskFlag.choices)
    context = {
        "referral": referral,
        "people": list(referral.people.all()),
        "risk_labels": [flags.get(code, code) for code in referral.risk_flags],
    }
    if referral.status == ReferralStatus.NEW:
        victims = victims if victims is not None else _victim_choices(request, referral)
        accept = accept or _accept_form(request, referral, victims)
        context.update(
            victims=[
                {
                    "named": named,
                    "matches": [(m, cases.get(m.person.pk, [])) for m in matches],
                    "person_field": accept[f"person_{named.pk}"],
                    "case_field": accept[f"case_{named.pk}"],
                }
                for named, matches, cases in victims
            ],
            accept_form=accept,
            decline_form=decline or DeclineForm(),
            duplicate_form=duplicate
            or DuplicateForm(
                candidates=duplicate_candidates(request.user, request.acting, referral),
                tz=referral.organisation.tz,
            ),
        )
    return render(request, "intake/detail.html", context)


@staff_required(*CASE)
def detail(request, referral_id):
    referral = referral_for_user(request.user, request.acting, referral_id)
    return _detail(request, referral)


def _already_decided(request, referral: Referral):
    messages.info(request, _("This referral has already been decided."))
    return redirect("intake:detail", referral_id=referral.pk)


@require_POST
@staff_required(*CASE)
def accept(request, referral_id):
    referral = referral_for_user(request.user, request.acting, referral_id)
    if referral.is_decided:
        return _already_decided(request, referral)
    victims = _victim_choices(request, referral)
    form = _accept_form(request, referral, victims, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.accept_referral(
                request,
                referral,
                form.decisions(),
                programs=data["programs"],
                priority=data["priority"],
                assigned_to=data["assigned_to"],
                team=data["team"],
            )
        except (actions.IntakeError, CaseError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Referral accepted."))
            return redirect("cases:detail", case_id=case.pk)
    return _detail(request, referral, victims=victims, accept=form)


@require_POST
@staff_required(*CASE)
def decline(request, referral_id):
    referral = referral_for_user(request.user, request.acting, referral_id)
    if referral.is_decided:
        return _already_decided(request, referral)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            actions.decline_referral(
                request, referral, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
        except actions.IntakeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Referral declined."))
            return redirect("intake:queue")
    return _detail(request, referral, decline=form)


@require_POST
@staff_required(*CASE)
def duplicate(request, referral_id):
    referral = referral_for_user(request.user, request.acting, referral_id)
    if referral.is_decided:
        return _already_decided(request, referral)
    candidates = duplicate_candidates(request.user, request.acting, referral)
    form = DuplicateForm(request.POST, candidates=candidates, tz=referral.organisation.tz)
    if form.is_valid():
        try:
            of = referral_for_user(request.user, request.acting, form.cleaned_data["of"])
            actions.mark_duplicate(request, referral, of)
        except Http404:
            form.add_error("of", _("Choose the referral this one repeats."))
        except actions.IntakeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Referral marked as a duplicate."))
            return redirect("intake:queue")
    return _detail(request, referral, duplicate=form)
