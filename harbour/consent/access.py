"""Scoped reads of the consent ledger. Everything is reached through the person, so a
consent of another organisation's person is a 404 like the person."""

from django.db.models import QuerySet
from django.http import Http404

from harbour.accounts.access import Acting
from harbour.consent.models import Consent, Disclosure
from harbour.people.access import person_for_user
from harbour.people.models import Person


def consent_person_for_user(user, acting: Acting, person_id) -> Person:
    if not user.has_perm("consent.view_consent", acting.organisation):
        raise Http404
    return person_for_user(user, acting, person_id)


def consents_for_person(user, acting: Acting, person: Person) -> QuerySet[Consent]:
    if not user.has_perm("consent.view_consent", acting.organisation):
        return Consent.objects.none()
    if person.organisation_id != acting.organisation.pk:
        return Consent.objects.none()
    return Consent.objects.filter(person=person).select_related(
        "recipient_organisation", "recorded_by"
    )


def consent_for_user(user, acting: Acting, person_id, consent_id) -> Consent:
    person = consent_person_for_user(user, acting, person_id)
    try:
        return consents_for_person(user, acting, person).get(pk=consent_id)
    except (Consent.DoesNotExist, ValueError):
        raise Http404 from None


def disclosures_for_person(user, acting: Acting, person: Person) -> QuerySet[Disclosure]:
    if not user.has_perm("consent.view_consent", acting.organisation):
        return Disclosure.objects.none()
    if person.organisation_id != acting.organisation.pk:
        return Disclosure.objects.none()
    return Disclosure.objects.filter(person=person).select_related(
        "recipient_organisation", "consent", "by"
    )
