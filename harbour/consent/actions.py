"""Writes of the consent ledger: recording and revoking consents, and disclosing. Each
runs in one transaction with its audit event.

`disclose` is the door every disclosure goes through: it asks ledger.allows first, and
where no consent allows it, refuses unless a legal-basis exception is recorded with its
reason. A person under trafficking protection is never disclosed to police without their
consent: no legal basis overrides that (the program's rule is "always with the consent of
the trafficked person"; police contact against their will can put them and their family in
danger from traffickers and destroys the trust the program depends on).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harbour.accounts.constants import OrganisationKind
from harbour.accounts.models import Organisation
from harbour.audit.actions import record_access
from harbour.consent.constants import Method
from harbour.consent.ledger import allows
from harbour.consent.models import Consent, Disclosure
from harbour.people.models import Person


class ConsentError(ValueError):
    """A consent that cannot be recorded as given; the message says what to fix."""


class ConsentRequired(Exception):
    """A disclosure refused: no consent allows it (and no legal basis, or one that may not
    be used). Nothing was written. The message is for the person at the keyboard."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def record_consent(
    request,
    person: Person,
    *,
    purpose: str,
    method: str,
    given_at: datetime,
    expires_at: datetime,
    text_version: str,
    recipient_organisation: Organisation | None = None,
    recipient_class: str = "",
    witness_name: str = "",
) -> Consent:
    # The same rules as the database constraints, raised as errors a person can act on.
    if (recipient_organisation is None) == (not recipient_class):
        raise ConsentError(_("Name either one recipient organisation or a class of recipient."))
    if expires_at <= given_at:
        raise ConsentError(_("The consent must expire after it was given."))
    if method == Method.VERBAL_WITNESSED and not witness_name.strip():
        raise ConsentError(_("Verbal consent needs the name of the witness."))
    consent = Consent(
        organisation_id=person.organisation_id,
        person=person,
        purpose=purpose,
        recipient_organisation=recipient_organisation,
        recipient_class=recipient_class,
        method=method,
        witness_name=witness_name.strip(),
        given_at=given_at,
        expires_at=expires_at,
        text_version=text_version,
        recorded_by=request.user,
    )
    consent.save(force_insert=True)
    record_access(request, "consent.record", obj=consent, person=person)
    return consent


@transaction.atomic
def revoke_consent(request, consent: Consent, reason: str) -> bool:
    """Revoke from now on. Disclosures already made under it stay on the record."""
    revoked = consent.revoke(timezone.now(), reason)
    if revoked:
        record_access(request, "consent.revoke", obj=consent, person=consent.person)
    return revoked


@transaction.atomic
def disclose(
    request,
    person: Person,
    recipient: Organisation,
    purpose: str,
    what: str,
    *,
    legal_basis: str = "",
    reason: str = "",
) -> Disclosure:
    """Record that `what` about `person` is shared with `recipient` for `purpose`, under the
    consent that allows it or the legal basis given. Raises ConsentRequired and writes
    nothing when neither applies."""
    at = timezone.now()
    consent = allows(person, recipient, purpose, at)
    if consent is None:
        # TODO(cases, issue 3 item 4): trafficking_protection will be set from the
        # person's programs; until then a caseworker's flag on the person decides.
        if person.trafficking_protection and recipient.kind == OrganisationKind.POLICE:
            raise ConsentRequired(
                _(
                    "This person is in the human-trafficking program. They are never "
                    "disclosed to police without their consent, whatever the legal basis."
                )
            )
        if not legal_basis:
            raise ConsentRequired(
                _(
                    "No current consent allows sharing this with %(recipient)s for this "
                    "purpose. Record the person’s consent first, or the legal basis that "
                    "allows sharing without it."
                )
                % {"recipient": recipient}
            )
        if not reason.strip():
            raise ConsentRequired(_("Say why the legal basis applies."))
    disclosure = Disclosure(
        organisation_id=person.organisation_id,
        person=person,
        recipient_organisation=recipient,
        purpose=purpose,
        what=what,
        at=at,
        by=request.user,
        consent=consent,
        legal_basis="" if consent else legal_basis,
        legal_basis_reason=None if consent else reason.strip(),
    )
    disclosure.save(force_insert=True)
    # The trail names the basis, never the encrypted summary or reason.
    basis = f"consent {consent.pk}" if consent else f"legal basis: {legal_basis}"
    record_access(request, "disclosure.record", obj=disclosure, person=person, reason=basis)
    return disclosure
