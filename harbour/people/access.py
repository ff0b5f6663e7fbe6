"""Scoped reads of people: a user sees the people of their acting organisation, and only
with a role that works with identified victims."""

from django.db.models import Q, QuerySet
from django.http import Http404

from harbour.accounts.access import Acting
from harbour.accounts.constants import KeyScope
from harbour.lib.fields import blind_lookup, digits_only
from harbour.people.matching import search_ranges
from harbour.people.models import (
    Address,
    ContactPoint,
    NameToken,
    Person,
    PersonAlias,
    Relationship,
)

# A typed query with this many digits (and no letters) is a phone number: "555 0142" is
# seven. Fewer digits is more likely part of something else.
PHONE_DIGITS = 7
# Words of a name query used; more would only make the query slower, never better.
NAME_WORDS = 5


def visible_people(user, acting: Acting) -> QuerySet[Person]:
    """The acting organisation's people, without records merged into another."""
    if not user.has_perm("people.view_person", acting.organisation):
        return Person.objects.none()
    return Person.objects.filter(organisation=acting.organisation, merged_into__isnull=True)


def looks_like_phone(query: str) -> bool:
    return len(digits_only(query)) >= PHONE_DIGITS and not any(c.isalpha() for c in query)


def people_with_phone(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """The people among `people` reached at this number: exact, through the blind indexes
    (the numbers themselves are encrypted and cannot be searched). The two lookups run
    here, one index each, and the result filters by their ids: as one OR beside the
    organisation the database may read every person instead."""
    safe = Person.objects.filter(**blind_lookup(Person, "safe_phone", query))
    contacts = ContactPoint.objects.filter(**blind_lookup(ContactPoint, "value", query))
    ids = {*safe.values_list("pk", flat=True), *contacts.values_list("person_id", flat=True)}
    return people.filter(pk__in=ids)


def people_named(people: QuerySet[Person], query: str, organisation) -> QuerySet[Person]:
    """The people among `people` (of `organisation`) with, for every word of `query`, a
    name or alias word that starts with it or sounds like it: "rob ex" finds Robin
    Example, and Robin known as Rob Exton; "jon" finds John. Each word is one index range
    over the name tokens (NameToken), never a scan of every name."""
    tokens = NameToken.objects.filter(organisation=organisation).values("person_id")
    for word, upper, sound in search_ranges(query, NAME_WORDS):
        # Two subqueries, not one with an OR inside: each then reads name_token_lookup
        # (organisation, token) as a range or a point.
        match = Q(pk__in=tokens.filter(token__gte=word, token__lt=upper))
        if sound:
            match |= Q(pk__in=tokens.filter(token=sound))
        people = people.filter(match)
    return people


def person_for_user(user, acting: Acting, person_id) -> Person:
    try:
        return visible_people(user, acting).get(pk=person_id)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None


def survivor_of_merged(user, acting: Acting, person_id) -> Person | None:
    """The record a merged-away person now lives in, or None. Lets an old link (a bookmark,
    an audit entry) lead to the surviving record instead of a dead end."""
    if not user.has_perm("people.view_person", acting.organisation):
        return None
    merged = (
        Person.objects.filter(
            pk=person_id, organisation=acting.organisation, merged_into__isnull=False
        )
        .select_related("merged_into")
        .first()
    )
    if merged is None:
        return None
    survivor = merged.merged_into
    # A survivor may itself have been merged since; merge_people re-points older merges,
    # so one more step is the most there can be.
    assert survivor is not None
    if survivor.merged_into_id is not None:
        survivor = survivor.merged_into
    return survivor


def contact_point_for_user(user, acting: Acting, person_id, contact_id) -> ContactPoint:
    person = person_for_user(user, acting, person_id)
    try:
        return ContactPoint.objects.select_related("person").get(pk=contact_id, person=person)
    except (ContactPoint.DoesNotExist, ValueError):
        raise Http404 from None


def alias_for_user(user, acting: Acting, person_id, alias_id) -> PersonAlias:
    person = person_for_user(user, acting, person_id)
    try:
        return PersonAlias.objects.select_related("person").get(pk=alias_id, person=person)
    except (PersonAlias.DoesNotExist, ValueError):
        raise Http404 from None


def address_for_user(user, acting: Acting, person_id, address_id) -> Address:
    person = person_for_user(user, acting, person_id)
    try:
        return Address.objects.select_related("person").get(pk=address_id, person=person)
    except (Address.DoesNotExist, ValueError):
        raise Http404 from None


def relationship_for_user(user, acting: Acting, person_id, relationship_id) -> Relationship:
    """A relationship of the person, stored from either side."""
    person = person_for_user(user, acting, person_id)
    try:
        return Relationship.objects.select_related("person", "other").get(
            Q(person=person) | Q(other=person), pk=relationship_id
        )
    except (Relationship.DoesNotExist, ValueError):
        raise Http404 from None


def relationships_of(person: Person) -> QuerySet[Relationship]:
    """Both directions: the rows this person wrote and the rows that name them."""
    return (
        Relationship.objects.filter(Q(person=person) | Q(other=person))
        .select_related("person", "other")
        .order_by("created")
    )


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
