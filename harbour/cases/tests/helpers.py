"""Shared builders for the case tests: cases opened the way triage opens them (so they
carry their first timeline line), people, contact points and relationships."""

from django.test import RequestFactory

from harbour.cases.actions import open_case
from harbour.cases.constants import Program
from harbour.cases.models import Case, Team
from harbour.people.constants import ContactKind, RelationshipKind
from harbour.people.models import ContactPoint, Person, Relationship


def request_as(user):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    request.user = user
    return request


def person(org, given="Robin", family="Example") -> Person:
    return Person.objects.create(organisation=org, given_name=given, family_name=family)


def case(org, user, client=None, *, programs=(Program.IPV,), **fields) -> Case:
    client = client or person(org)
    fields.setdefault("assigned_to", user)
    return open_case(request_as(user), org, client, programs=programs, **fields)


def phone(who, value="+19025550142", **flags) -> ContactPoint:
    return ContactPoint.objects.create(person=who, kind=ContactKind.PHONE, value=value, **flags)


def email(who, value="robin@example.ca", **flags) -> ContactPoint:
    return ContactPoint.objects.create(person=who, kind=ContactKind.EMAIL, value=value, **flags)


def relate(client, other, kind=RelationshipKind.PARENT) -> Relationship:
    """`other` is `client`'s `kind`."""
    return Relationship.objects.create(person=client, other=other, kind=kind)


def team(org, name="IPV team", *members) -> Team:
    t = Team.objects.create(organisation=org, name=name)
    t.members.add(*members)
    return t
