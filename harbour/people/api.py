"""People over the API: an integration key with the people:read scope reads its own
organisation's people; everything else is 404."""

from datetime import date
from uuid import UUID

from ninja import Router, Schema

from harbour.audit.actions import record_access
from harbour.lib.api_schema import ERROR_RESPONSES
from harbour.people.access import person_for_key

router = Router(tags=["people"])


class PersonOut(Schema):
    id: UUID
    given_name: str
    family_name: str
    date_of_birth: date | None


@router.get("/{person_id}", response={200: PersonOut, **ERROR_RESPONSES})
def get_person(request, person_id: UUID):
    """One person of the key's organisation. Needs the people:read scope; audited."""
    person = person_for_key(request.integration_key, person_id)
    record_access(request, "person.view", obj=person, person=person, reason="api")
    return person
