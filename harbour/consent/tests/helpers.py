"""Shared builders for the consent tests."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from harbour.accounts.constants import OrganisationKind
from harbour.accounts.models import Organisation
from harbour.consent.constants import Method, Purpose
from harbour.consent.models import Consent


def org(name: str, kind: str = OrganisationKind.AGENCY) -> Organisation:
    return Organisation.objects.create(name=name, slug=slugify(name), kind=kind)


def consent(person, *, days=365, given=None, purpose=Purpose.REFERRAL, **fields) -> Consent:
    given = given or timezone.now() - timedelta(days=1)
    fields.setdefault("method", Method.WRITTEN)
    fields.setdefault("text_version", "C1")
    return Consent.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        purpose=purpose,
        given_at=given,
        expires_at=given + timedelta(days=days),
        **fields,
    )
