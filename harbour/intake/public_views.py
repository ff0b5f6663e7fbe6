"""The public self-referral form: a person asks for support for themselves, or a family
member or friend asks on their behalf. No account, and nothing left behind: the page has
the quick-exit control, is never cached (privacy middleware), has a neutral title, asks the
browser not to remember what was typed (autocomplete off), stores nothing in the browser
and starts no session. Submissions are limited per client address (PUBLIC_FORM_LIMIT per
PUBLIC_FORM_WINDOW, counted in Django's cache) so the form cannot be used to flood a unit.
"""

import hashlib

from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from harbour.audit.actions import client_ip
from harbour.intake.access import public_unit
from harbour.intake.actions import IntakeError, receive_referral
from harbour.intake.constants import (
    PUBLIC_FORM_LIMIT,
    PUBLIC_FORM_WINDOW,
    IntakeChannel,
    Source,
)
from harbour.intake.forms import PublicReferralForm


def _limit_key(request) -> str:
    # Hashed: the cache never holds a visitor's address.
    address = client_ip(request) or "unknown"
    return "intake:public:" + hashlib.sha256(address.encode()).hexdigest()


def over_limit(request) -> bool:
    return (cache.get(_limit_key(request)) or 0) >= PUBLIC_FORM_LIMIT


def count_submission(request) -> None:
    key = _limit_key(request)
    # add() starts the window only if none is running; incr() never resets it.
    if not cache.add(key, 1, timeout=int(PUBLIC_FORM_WINDOW.total_seconds())):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=int(PUBLIC_FORM_WINDOW.total_seconds()))


@require_http_methods(["GET", "POST"])
def referral_form(request, org_slug):
    unit = public_unit(org_slug)
    for_other = (request.POST.get("for") or request.GET.get("for")) == "other"
    form = PublicReferralForm(request.POST or None, for_other=for_other)
    context = {"form": form, "unit": unit, "for_other": for_other, "public_page": True}
    if request.method == "POST":
        if over_limit(request):
            context["limited"] = True
            return render(request, "intake/public_form.html", context, status=429)
        if form.is_bot:
            # Answered as a success, so a bot learns nothing; nothing is saved.
            count_submission(request)
            return redirect("public:referral_sent", org_slug=unit.slug)
        if form.is_valid():
            count_submission(request)
            data = form.cleaned_data
            try:
                receive_referral(
                    request,
                    unit,
                    source=Source.FAMILY_FRIEND if for_other else Source.SELF,
                    channel=IntakeChannel.WEB_FORM,
                    people=[form.named()],
                    victim_consented=form.victim_consented() if for_other else True,
                    referrer_name=data.get("referrer_name", ""),
                    referrer_phone=data.get("referrer_phone", ""),
                    referrer_email=data.get("referrer_email", ""),
                    referrer_relationship=data.get("referrer_relationship", ""),
                    narrative=data["narrative"],
                )
            except IntakeError as error:
                form.add_error(None, error.message)
            else:
                return redirect("public:referral_sent", org_slug=unit.slug)
    return render(request, "intake/public_form.html", context)


@require_GET
def referral_sent(request, org_slug):
    # Says nothing about the service or what was sent: someone may look at this screen.
    public_unit(org_slug)
    return render(request, "intake/public_sent.html", {"public_page": True})
