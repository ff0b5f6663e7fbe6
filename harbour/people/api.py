"""People over the API: an integration key with the people:read scope reads its own
organisation's people; everything else is 404."""

from datetime import date
from uuid import UUID

from django.http import Http404
from ninja import Router, Schema

from harbour.accounts.constants import KeyScope
from harbour.audit.actions import record_access
from harbour.lib.api_schema import ERROR_RESPONSES
from harbour.people.models import Person

router = Router(tags=["people"])


class PersonOut(Schema):
    id: UUID
    given_name: str
    family_name: str
    date_of_birth: date | None


def person_for_key(key, person_id: UUID) -> Person:
    if not key.allows(KeyScope.PEOPLE_READ):
        raise Http404
    try:
        return Person.objects.get(pk=person_id, organisation=key.organisation)
    except Person.DoesNotExist:
        raise Http404 from None


@router.get("/{person_id}", response={200: PersonOut, **ERROR_RESPONSES})
def get_person(request, person_id: UUID):
    """One person of the key's organisation. Needs the people:read scope; audited."""
    person = person_for_key(request.integration_key, person_id)
    record_access(request, "person.view", obj=person, person=person, reason="api")
    return person
