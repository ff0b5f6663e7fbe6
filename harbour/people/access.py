"""Scoped reads of people: a user sees the people of their acting organisation, and only
with a role that works with identified victims."""

from django.db.models import QuerySet
from django.http import Http404

from harbour.accounts.access import Acting
from harbour.accounts.constants import KeyScope
from harbour.people.models import Person


def visible_people(user, acting: Acting) -> QuerySet[Person]:
    if not user.has_perm("people.view_person", acting.organisation):
        return Person.objects.none()
    return Person.objects.filter(organisation=acting.organisation)


def person_for_user(user, acting: Acting, person_id) -> Person:
    try:
        return visible_people(user, acting).get(pk=person_id)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None


def person_for_access_review(user, acting: Acting, person_id) -> Person:
    """A person whose access trail the user may review. Admins review access without being
    able to open the record itself, so this does not go through visible_people."""
    if not user.has_perm("audit.view_person_access", acting.organisation):
        raise Http404
    try:
        return Person.objects.get(pk=person_id, organisation=acting.organisation)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None


def person_for_key(key, person_id) -> Person:
    """A person as seen by an integration key: its own organisation's, with people:read."""
    if not key.allows(KeyScope.PEOPLE_READ):
        raise Http404
    try:
        return Person.objects.get(pk=person_id, organisation=key.organisation)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None
