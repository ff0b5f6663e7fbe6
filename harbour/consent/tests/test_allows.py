"""ledger.allows: the one consent check every disclosure makes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from harbour.accounts.constants import OrganisationKind
from harbour.consent.constants import Purpose, RecipientClass
from harbour.consent.ledger import allows
from harbour.consent.tests.helpers import consent, org
from harbour.people.models import Person


@pytest.fixture
def person(unit):
    return Person.objects.create(organisation=unit, given_name="Robin")


def test_a_recipient_class_matches_every_organisation_kind():
    assert set(RecipientClass.values) == set(OrganisationKind.values)


def test_a_consent_allows_within_its_window_only(person):
    shelter = org("Shelter")
    c = consent(person, recipient_organisation=shelter, days=30)
    assert allows(person, shelter, Purpose.REFERRAL, c.given_at) == c
    assert allows(person, shelter, Purpose.REFERRAL, c.given_at - timedelta(seconds=1)) is None
    assert allows(person, shelter, Purpose.REFERRAL, c.expires_at) is None
    assert allows(person, shelter, Purpose.REFERRAL, c.expires_at - timedelta(seconds=1)) == c


@settings(max_examples=40, deadline=None)
@given(offset=st.integers(min_value=-5 * 86400, max_value=40 * 86400))
def test_it_allows_exactly_from_given_until_expiry(django_db_blocker, offset):
    # Hypothesis runs many examples in one test: the rows live inside one atomic block
    # that is rolled back, so examples do not see each other.
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        unit = org("Unit", OrganisationKind.VSU)
        shelter = org("Shelter")
        person = Person.objects.create(organisation=unit, given_name="Robin")
        start = timezone.now()
        c = consent(person, given=start, days=30, recipient_organisation=shelter)
        at = start + timedelta(seconds=offset)
        expected = c if start <= at < c.expires_at else None
        assert allows(person, shelter, Purpose.REFERRAL, at) == expected
        transaction.set_rollback(True)


def test_a_revoked_consent_stops_allowing_from_the_revocation(person):
    shelter = org("Shelter")
    c = consent(person, recipient_organisation=shelter)
    revoked = timezone.now()
    c.revoke(revoked, "changed their mind")
    assert allows(person, shelter, Purpose.REFERRAL, revoked) is None
    assert allows(person, shelter, Purpose.REFERRAL, revoked - timedelta(seconds=1)) == c


def test_a_class_consent_allows_any_organisation_of_that_kind(person):
    c = consent(person, recipient_class=RecipientClass.HOSPITAL)
    assert allows(person, org("General", OrganisationKind.HOSPITAL), Purpose.REFERRAL) == c
    assert allows(person, org("Shelter"), Purpose.REFERRAL) is None


def test_an_organisation_consent_allows_that_organisation_only(person):
    shelter = org("Shelter")
    consent(person, recipient_organisation=shelter)
    assert allows(person, shelter, Purpose.REFERRAL) is not None
    assert allows(person, org("Other shelter"), Purpose.REFERRAL) is None


def test_a_consent_allows_its_purpose_only(person):
    police = org("Police", OrganisationKind.POLICE)
    consent(person, recipient_organisation=police, purpose=Purpose.REFERRAL)
    assert allows(person, police, Purpose.POLICE_SHARING) is None


def test_one_persons_consent_does_not_allow_another(person, unit):
    shelter = org("Shelter")
    consent(person, recipient_organisation=shelter)
    other = Person.objects.create(organisation=unit, given_name="Sam")
    assert allows(other, shelter, Purpose.REFERRAL) is None
