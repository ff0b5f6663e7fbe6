"""Pages of the consent ledger: a person's consents, recording and revoking one, and the
person's disclosures with the form that records one (through actions.disclose)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.actions import record_access
from harbour.consent import actions
from harbour.consent.access import (
    consent_for_user,
    consent_person_for_user,
    consents_for_person,
    disclosures_for_person,
)
from harbour.consent.forms import ConsentForm, DisclosureForm, RevokeForm

CASE = (Role.CASEWORKER, Role.COORDINATOR)


@staff_required(*CASE)
def consent_list(request, person_id):
    person = consent_person_for_user(request.user, request.acting, person_id)
    consents = consents_for_person(request.user, request.acting, person)
    record_access(request, "consent.list", obj=person, person=person, reason="casework")
    return render(request, "consent/list.html", {"person": person, "consents": consents})


@staff_required(*CASE)
def consent_new(request, person_id):
    person = consent_person_for_user(request.user, request.acting, person_id)
    form = ConsentForm(request.POST or None, organisation=request.acting.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_consent(
                request,
                person,
                purpose=data["purpose"],
                method=data["method"],
                given_at=data["given_at"],
                expires_at=data["expires_at"],
                text_version=data["text_version"],
                recipient_organisation=data["recipient_organisation"],
                recipient_class=data["recipient_class"],
                witness_name=data["witness_name"],
            )
        except actions.ConsentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("consent:list", person_id=person.pk)
    return render(request, "consent/consent_form.html", {"form": form, "person": person})


@staff_required(*CASE)
def consent_detail(request, person_id, consent_id):
    consent = consent_for_user(request.user, request.acting, person_id, consent_id)
    record_access(request, "consent.view", obj=consent, person=consent.person, reason="casework")
    return render(
        request,
        "consent/detail.html",
        {"person": consent.person, "consent": consent, "revoke_form": RevokeForm()},
    )


@require_POST
@staff_required(*CASE)
def consent_revoke(request, person_id, consent_id):
    consent = consent_for_user(request.user, request.acting, person_id, consent_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        if actions.revoke_consent(request, consent, form.cleaned_data["reason"]):
            messages.success(request, _("Consent revoked. Nothing more may be shared under it."))
        else:
            messages.info(request, _("That consent was already revoked."))
        return redirect("consent:detail", person_id=consent.person_id, consent_id=consent.pk)
    return render(
        request,
        "consent/detail.html",
        {"person": consent.person, "consent": consent, "revoke_form": form},
    )


@staff_required(*CASE)
def disclosure_list(request, person_id):
    person = consent_person_for_user(request.user, request.acting, person_id)
    disclosures = disclosures_for_person(request.user, request.acting, person)
    record_access(request, "disclosure.list", obj=person, person=person, reason="casework")
    return render(
        request, "consent/disclosures.html", {"person": person, "disclosures": disclosures}
    )


@staff_required(*CASE)
def disclosure_new(request, person_id):
    person = consent_person_for_user(request.user, request.acting, person_id)
    form = DisclosureForm(request.POST or None, organisation=request.acting.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.disclose(
                request,
                person,
                data["recipient"],
                data["purpose"],
                data["what"],
                legal_basis=data["legal_basis"],
                reason=data["reason"],
            )
        except actions.ConsentRequired as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Disclosure recorded."))
            return redirect("consent:disclosures", person_id=person.pk)
    return render(request, "consent/disclosure_form.html", {"form": form, "person": person})
