"""Shared builders for the intake tests: organisations, referrals received through the
action every door uses, and the POST bodies of the staff and public forms."""

import uuid
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils.text import slugify

from harbour.accounts.constants import OrganisationKind
from harbour.accounts.models import Organisation
from harbour.intake.actions import Named, receive_referral
from harbour.intake.constants import IntakeChannel, Source
from harbour.people.matching import name_key
from harbour.people.models import Person


def org(name: str, kind: str = OrganisationKind.POLICE) -> Organisation:
    return Organisation.objects.create(name=name, slug=slugify(name), kind=kind)


def request_as(user=None):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    request.user = user or AnonymousUser()
    return request


def victim(**fields) -> Named:
    fields.setdefault("given_name", "Robin")
    fields.setdefault("family_name", "Example")
    return Named(**fields)


def referral(unit, *, people=None, user=None, **fields):
    """A referral received as the officer's form would send it, unless told otherwise."""
    fields.setdefault("source", Source.POLICE)
    fields.setdefault("channel", IntakeChannel.OFFICER_FORM)
    fields.setdefault("victim_consented", True)
    fields.setdefault("occurrence_number", "HRPS-26-000123")
    made, _created = receive_referral(request_as(user), unit, people=people or [victim()], **fields)
    return made


def person(unit, given="Robin", family="Example", born=date(1990, 4, 2)) -> Person:
    """A person already on file, with the name keys duplicate detection reads."""
    return Person.objects.create(
        organisation=unit,
        given_name=given,
        family_name=family,
        given_name_key=name_key(given),
        family_name_key=name_key(family),
        date_of_birth=born,
    )


def victim_fields(n: int = 0, **overrides) -> dict:
    fields = {
        "given_name": "Robin",
        "family_name": "Example",
        "date_of_birth": "1990-04-02",
        "phone": "902 555 0142",
        "email": "",
        "safe_to_call": "on",
        "safe_times": "Weekdays 9 to 11",
        "language": "fr",
    }
    fields.update(overrides)
    return {f"victim-{n}-{k}": v for k, v in fields.items() if v is not None}


def staff_form(*extra_victims: dict, **overrides) -> dict:
    """The officer's form, filled in: one victim, consent given, routine."""
    data = {
        "submission": str(uuid.uuid4()),
        "occurrence_number": "HRPS-26-000123",
        "offence": "Assault",
        "victim_consented": "yes",
        "urgency": "routine",
        "narrative": "Called to a disturbance; the victim asked for support.",
        "referrer_name": "Constable Lee",
        "referrer_role": "4821",
        "referrer_phone": "902 555 0199",
        "referrer_email": "lee@police.test",
        "victim-TOTAL_FORMS": "3",
        "victim-INITIAL_FORMS": "0",
        "victim-MIN_NUM_FORMS": "1",
        "victim-MAX_NUM_FORMS": "3",
        **victim_fields(0),
    }
    for i, fields in enumerate(extra_victims, start=1):
        data.update(victim_fields(i, **fields))
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def public_form(**overrides) -> dict:
    data = {
        "for": "self",
        "given_name": "Sam",
        "family_name": "Rivers",
        "phone": "902 555 0177",
        "safe_to_text": "on",
        "safe_times": "After 6 pm",
        "language": "en",
        "narrative": "I would like to talk to someone.",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
