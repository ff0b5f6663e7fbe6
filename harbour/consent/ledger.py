"""`allows`: the one check every disclosure makes (DESIGN §4.7). No request, no user: it
answers "does a consent cover this, at this moment?" and nothing else."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from harbour.accounts.models import Organisation
from harbour.consent.models import Consent
from harbour.people.models import Person


def allows(
    person: Person, recipient: Organisation, purpose: str, at: datetime | None = None
) -> Consent | None:
    """The consent that allows disclosing `person` to `recipient` for `purpose` at `at`, or
    None. A consent counts when given at or before `at`, expiring after it, not revoked by
    then, and naming the recipient or the recipient's class (its organisation kind)."""
    at = at or timezone.now()
    return (
        Consent.objects.filter(person=person, purpose=purpose)
        .filter(given_at__lte=at)
        .filter(expires_at__gt=at)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=at))
        .filter(Q(recipient_organisation=recipient) | Q(recipient_class=recipient.kind))
        .order_by("-given_at", "pk")
        .first()
    )
