"""Scoped reads of the access trail: coordinators and admins of an organisation see the
events of their organisation, and the events about one of its people."""

from django.db.models import QuerySet

from harbour.accounts.access import Acting
from harbour.audit.models import AccessEvent


def visible_events(user, acting: Acting) -> QuerySet[AccessEvent]:
    if not user.has_perm("audit.view_person_access", acting.organisation):
        return AccessEvent.objects.none()
    return AccessEvent.objects.filter(organisation=acting.organisation).select_related("actor")


def events_about_person(user, acting: Acting, person) -> QuerySet[AccessEvent]:
    return visible_events(user, acting).filter(person_id=str(person.pk))
