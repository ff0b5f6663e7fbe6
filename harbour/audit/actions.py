"""Writing the access trail. Views and API functions call `record_access` for every view,
search, export or print of a person's information (DESIGN §4.4)."""

from django.db import transaction
from django.utils import timezone

from harbour.audit.models import AccessEvent, ChainHead


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client chose to send, unless
    # a trusted proxy sets it (then configure the proxy to overwrite REMOTE_ADDR).
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _actor(request, actor):
    if actor is not None:
        return actor, str(actor)
    # An API call acts as its key even if the caller's browser also holds a session.
    key = getattr(request, "integration_key", None)
    if key is not None:
        return None, f"integration key “{key.name}”"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, f"{user.full_name} <{user.email}>"
    return None, "system"


def _organisation(request, organisation):
    if organisation is not None:
        return organisation
    key = getattr(request, "integration_key", None)
    if key is not None:
        return key.organisation
    acting = getattr(request, "acting", None)
    return acting.organisation if acting is not None else None


@transaction.atomic
def record_access(
    request,
    action: str,
    *,
    obj=None,
    person=None,
    reason: str = "",
    organisation=None,
    actor=None,
) -> AccessEvent:
    """Append one event to the chain, in the caller's transaction: if the caller's work
    rolls back, so does its trail, and nothing is recorded that did not happen."""
    user, label = _actor(request, actor)
    # The row lock serialises writers on PostgreSQL; on SQLite the IMMEDIATE transaction
    # mode already does. Either way no two events can claim the same predecessor.
    # The head row comes with the migrations; it is only ever missing on an empty trail
    # (a test database emptied between tests). If someone deleted it under a non-empty
    # trail, the next event collides with seq 1 and every audited action fails loudly.
    ChainHead.objects.get_or_create(pk=1)
    head = ChainHead.objects.select_for_update().get(pk=1)
    event = AccessEvent(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=user,
        actor_label=label[:200],
        organisation=_organisation(request, organisation),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        person_id=str(person.pk) if person is not None else "",
        reason=reason[:500],
        ip=client_ip(request),
        prev_hash=head.hash,
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event
