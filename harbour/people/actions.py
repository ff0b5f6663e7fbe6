"""Writes in the people app. Each runs in one transaction with its audit event, so a
record and the trail of who changed it commit or roll back together."""

from django.db import transaction
from django.utils import timezone

from harbour.accounts.access import Acting
from harbour.audit.actions import record_access
from harbour.people.constants import ContactKind
from harbour.people.matching import name_key, name_tokens
from harbour.people.models import (
    Address,
    ContactPoint,
    NameToken,
    Person,
    PersonAlias,
    Relationship,
)

PERSON_FIELDS = [
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "estimated_birth_year",
    "gender",
    "gender_self_described",
    "pronouns",
    "languages",
    "interpreter_needed",
    "interpreter_language",
]


def _set_name_keys(obj) -> None:
    obj.given_name_key = name_key(obj.given_name)
    obj.family_name_key = name_key(obj.family_name)


def index_names(person: Person) -> None:
    """Rebuild the person's name tokens (search by name) from their names and aliases.
    Every action that changes a name calls it, in its own transaction."""
    aliases = PersonAlias.objects.filter(person=person).values_list("given_name", "family_name")
    names = [person.given_name, person.family_name, person.preferred_name]
    names += [part for alias in aliases for part in alias]
    NameToken.objects.filter(person=person).delete()
    NameToken.objects.bulk_create(
        NameToken(person=person, organisation_id=person.organisation_id, token=token)
        for token in sorted(name_tokens(*names))
    )


@transaction.atomic
def create_person(request, acting: Acting, *, phone: str = "", **fields) -> Person:
    """A new person in the acting organisation; a phone number becomes their first contact
    point, with nothing marked safe until the caseworker records it."""
    person = Person(organisation=acting.organisation, **fields)
    _set_name_keys(person)
    person.save(force_insert=True)
    index_names(person)
    if phone:
        ContactPoint.objects.create(
            person=person, kind=ContactKind.PHONE, value=phone, is_primary=True
        )
    record_access(request, "person.create", obj=person, person=person)
    return person


@transaction.atomic
def update_person(request, person: Person, **fields) -> None:
    for name in PERSON_FIELDS:
        setattr(person, name, fields[name])
    _set_name_keys(person)
    person.save(update_fields=[*PERSON_FIELDS, "given_name_key", "family_name_key"])
    index_names(person)
    record_access(request, "person.update", obj=person, person=person)


@transaction.atomic
def add_alias(request, person: Person, *, given_name: str, family_name: str) -> PersonAlias:
    alias = PersonAlias(person=person, given_name=given_name, family_name=family_name)
    _set_name_keys(alias)
    alias.save(force_insert=True)
    index_names(person)
    record_access(request, "person.add_alias", obj=alias, person=person)
    return alias


@transaction.atomic
def remove_alias(request, alias: PersonAlias) -> None:
    """Remove an alias entered in error (or a merged record's name that was never this
    person's): search and duplicate detection stop finding the person by it. The audit
    event keeps that there was one; the name itself goes."""
    person = alias.person
    record_access(request, "person.remove_alias", obj=alias, person=person)
    alias.delete()
    index_names(person)


CONTACT_FIELDS = [
    "kind",
    "value",
    "is_primary",
    "safe_to_call",
    "safe_to_leave_message",
    "safe_to_text",
    "safe_to_email",
    "safe_days",
    "safe_from",
    "safe_until",
    "code_word",
    "notes",
    "in_use",
]


@transaction.atomic
def save_contact_point(
    request, person: Person, contact: ContactPoint | None, **fields
) -> ContactPoint:
    """Add a contact point, or change one. One primary per person: marking this one primary
    unmarks the others."""
    adding = contact is None
    if contact is None:
        contact = ContactPoint(person=person)
    for name in CONTACT_FIELDS:
        setattr(contact, name, fields[name])
    if not contact.in_use:
        # A number no longer in use is nobody's way to reach them.
        contact.is_primary = False
    if contact.is_primary:
        person.contact_points.exclude(pk=contact.pk).update(is_primary=False)
    if adding:
        contact.save(force_insert=True)
    else:
        contact.save(update_fields=[*CONTACT_FIELDS, "value_index"])
    action = "contact.add" if adding else "contact.update"
    record_access(request, action, obj=contact, person=person)
    return contact


@transaction.atomic
def reveal_code_word(request, contact: ContactPoint) -> str | None:
    """The code word, with an audit event: it is the one thing that lets a caller prove
    who they are, so every look at it is on the record."""
    record_access(
        request, "contact.reveal_code_word", obj=contact, person=contact.person, reason="reveal"
    )
    return contact.code_word


ADDRESS_FIELDS = ["line1", "line2", "city", "province", "postal_code", "confidential", "current"]


@transaction.atomic
def save_address(request, person: Person, address: Address | None, **fields) -> Address:
    adding = address is None
    if address is None:
        address = Address(person=person)
    for name in ADDRESS_FIELDS:
        setattr(address, name, fields[name])
    if adding:
        address.save(force_insert=True)
    else:
        address.save(update_fields=ADDRESS_FIELDS)
    action = "address.add" if adding else "address.update"
    record_access(request, action, obj=address, person=person)
    return address


@transaction.atomic
def reveal_address(request, address: Address) -> Address:
    record_access(request, "address.reveal", obj=address, person=address.person, reason="reveal")
    return address


class RelationshipError(ValueError):
    pass


@transaction.atomic
def add_relationship(request, person: Person, other: Person, kind: str) -> Relationship:
    """`other` is `person`'s `kind`. Both belong to one organisation (the caller looked
    both up through access.py; this refuses anything else as a programming error)."""
    if other.organisation_id != person.organisation_id:
        raise RelationshipError("people of different organisations")
    if other.pk == person.pk:
        raise RelationshipError("a person cannot be related to themselves")
    relationship, _created = Relationship.objects.get_or_create(
        person=person, other=other, kind=kind
    )
    record_access(request, "relationship.add", obj=relationship, person=person)
    record_access(request, "relationship.add", obj=relationship, person=other)
    return relationship


@transaction.atomic
def remove_relationship(request, relationship: Relationship) -> None:
    record_access(request, "relationship.remove", obj=relationship, person=relationship.person)
    record_access(request, "relationship.remove", obj=relationship, person=relationship.other)
    relationship.delete()


class MergeError(ValueError):
    pass


# What the survivor takes from the merged record when it has nothing of its own.
FILL_BLANKS = [
    "preferred_name",
    "date_of_birth",
    "estimated_birth_year",
    "gender",
    "gender_self_described",
    "pronouns",
    "interpreter_language",
]


@transaction.atomic
def merge_people(request, survivor: Person, merged: Person) -> Person:
    """Fold `merged` into `survivor`: its aliases, contact points, addresses and
    relationships move; its names become aliases; blanks in the survivor are filled from it.
    The merged record stays, marked merged_into, hidden from lists; both people's access
    trails name the other."""
    # Lock both rows in a fixed order (by id), so two merges of the same pair cannot
    # deadlock, then check neither was merged by someone else in the meantime.
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=[survivor.pk, merged.pk])
        .order_by("pk")
    }
    if len(locked) != 2 or survivor.organisation_id != merged.organisation_id:
        raise MergeError("two people of one organisation are needed")
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if survivor.merged_into_id or merged.merged_into_id:
        raise MergeError("already merged")

    known = {(survivor.given_name, survivor.family_name)} | {
        (a.given_name, a.family_name) for a in survivor.aliases.all()
    }
    for given, family in (
        (merged.given_name, merged.family_name),
        (merged.preferred_name, merged.family_name),
    ):
        if given and (given, family) not in known:
            known.add((given, family))
            alias = PersonAlias(
                person=survivor, given_name=given, family_name=family, from_merge=True
            )
            _set_name_keys(alias)
            alias.save(force_insert=True)
    PersonAlias.objects.filter(person=merged).update(person=survivor)
    ContactPoint.objects.filter(person=merged).update(person=survivor, is_primary=False)
    Address.objects.filter(person=merged).update(person=survivor)
    _move_relationships(survivor, merged)

    changed: list[str] = []
    for name in FILL_BLANKS:
        if not getattr(survivor, name) and getattr(merged, name):
            setattr(survivor, name, getattr(merged, name))
            changed.append(name)
    if survivor.date_of_birth and survivor.estimated_birth_year:
        survivor.estimated_birth_year = None
    if merged.languages:
        languages = survivor.languages + [
            c for c in merged.languages if c not in survivor.languages
        ]
        if languages != survivor.languages:
            survivor.languages = languages
            changed.append("languages")
    if merged.interpreter_needed and not survivor.interpreter_needed:
        survivor.interpreter_needed = True
        changed.append("interpreter_needed")
    if merged.safe_phone:
        if not survivor.safe_phone:
            survivor.safe_phone = merged.safe_phone
            changed += ["safe_phone", "safe_phone_index"]
        else:
            ContactPoint.objects.create(
                person=survivor, kind=ContactKind.PHONE, value=merged.safe_phone
            )
    if changed:
        survivor.save(update_fields=[*dict.fromkeys([*changed, "estimated_birth_year"])])

    merged.merged_into = survivor
    merged.merged_at = timezone.now()
    merged.save(update_fields=["merged_into", "merged_at"])
    # Records merged into `merged` earlier now point straight at the survivor.
    Person.objects.filter(merged_into=merged).update(merged_into=survivor)
    # The survivor is found by every name either had; the merged record by none.
    index_names(survivor)
    NameToken.objects.filter(person=merged).delete()

    reason = f"merged {merged.pk} into {survivor.pk}"
    record_access(request, "person.merge", obj=survivor, person=survivor, reason=reason)
    record_access(request, "person.merge", obj=merged, person=merged, reason=reason)
    return survivor


def _move_relationships(survivor: Person, merged: Person) -> None:
    """Relationships of the merged record move to the survivor. One between the two of
    them would become a relationship with oneself, and one the survivor already has would
    be a duplicate: both are dropped."""
    Relationship.objects.filter(person=merged, other=survivor).delete()
    Relationship.objects.filter(person=survivor, other=merged).delete()
    outgoing = set(Relationship.objects.filter(person=survivor).values_list("other_id", "kind"))
    incoming = set(Relationship.objects.filter(other=survivor).values_list("person_id", "kind"))
    for rel in Relationship.objects.filter(person=merged):
        if (rel.other_id, rel.kind) in outgoing:
            rel.delete()
        else:
            rel.person = survivor
            rel.save(update_fields=["person"])
    for rel in Relationship.objects.filter(other=merged):
        if (rel.person_id, rel.kind) in incoming:
            rel.delete()
        else:
            rel.other = survivor
            rel.save(update_fields=["other"])
