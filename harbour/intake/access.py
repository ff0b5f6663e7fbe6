"""Scoped reads of referrals. The receiving unit's caseworkers and coordinators triage its
referrals; an officer or agency worker sees the referrals they sent themselves (their
status, nothing of what triage found); an integration key sees the status of what its own
organisation sent. Every lookup by id raises Http404 for "missing" and "forbidden" alike.
"""

from datetime import timedelta

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from harbour.accounts.access import Acting
from harbour.accounts.constants import KeyScope, OrganisationKind
from harbour.accounts.models import Organisation
from harbour.intake.models import Referral

# How far around a referral triage looks for the one it may repeat.
DUPLICATE_WINDOW = timedelta(days=30)


def receiving_units() -> QuerySet[Organisation]:
    """The organisations a referral may be sent to."""
    return Organisation.objects.filter(kind=OrganisationKind.VSU)


def public_unit(slug: str) -> Organisation:
    """The unit behind a public self-referral form. Anything that is not a victim services
    unit is a 404, as an unknown slug is."""
    try:
        return receiving_units().get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None


def unit_for_key(slug: str) -> Organisation | None:
    return receiving_units().filter(slug=slug).first()


def referrals_for_user(user, acting: Acting) -> QuerySet[Referral]:
    """The acting unit's referrals, for those who triage them."""
    if not user.has_perm("intake.triage", acting.organisation):
        return Referral.objects.none()
    return Referral.objects.filter(organisation=acting.organisation)


def referral_for_user(user, acting: Acting, referral_id) -> Referral:
    try:
        return (
            referrals_for_user(user, acting)
            .select_related("sender_organisation", "decided_by", "duplicate_of", "case")
            .prefetch_related("people__person")
            .get(pk=referral_id)
        )
    except (Referral.DoesNotExist, ValueError):
        raise Http404 from None


def duplicate_candidates(user, acting: Acting, referral: Referral) -> QuerySet[Referral]:
    """Referrals the given one may repeat: the unit's others received within a month of it,
    those with the same occurrence number first."""
    around = (
        referral.received_at - DUPLICATE_WINDOW,
        referral.received_at + DUPLICATE_WINDOW,
    )
    candidates = (
        referrals_for_user(user, acting)
        .exclude(pk=referral.pk)
        .exclude(duplicate_of=referral)
        .filter(received_at__range=around)
    )
    if referral.occurrence_number:
        same = When(occurrence_number=referral.occurrence_number, then=Value(0))
        candidates = candidates.annotate(
            rank=Case(same, default=Value(1), output_field=IntegerField())
        ).order_by("rank", "-received_at")
    else:
        candidates = candidates.order_by("-received_at")
    return candidates[:50]


def sent_referrals(user, acting: Acting) -> QuerySet[Referral]:
    """What this user sent from the acting organisation, newest first."""
    return (
        Referral.objects.filter(sent_by=user, sender_organisation=acting.organisation)
        .select_related("organisation")
        .order_by("-received_at")
    )


def sent_referral_for_user(user, acting: Acting, referral_id) -> Referral:
    try:
        return sent_referrals(user, acting).get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError):
        raise Http404 from None


def referral_for_key(key, sender_reference: str) -> Referral:
    """A referral as its sender's integration key sees it: by the sender's reference, its
    own organisation's only, with the referrals:write scope."""
    if not key.allows(KeyScope.REFERRALS_WRITE):
        raise Http404
    try:
        return Referral.objects.get(
            sender_organisation=key.organisation, sender_reference=sender_reference
        )
    except Referral.DoesNotExist:
        raise Http404 from None
