"""The consent ledger: what a person agreed to share, with whom, for what, until when; and
every disclosure made, with the consent or the legal basis that allowed it.

The consent text is recorded as a version label (`text_version`, e.g. "VSU-C1 2026-01")
rather than a table of texts: the unit's consent forms are printed and e-signed outside
Harbour today, so the label is what ties a consent to the words the person saw. A versioned
text table can replace it when Harbour renders the forms itself.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.models import Organisation
from harbour.consent.constants import LegalBasis, Method, Purpose, RecipientClass
from harbour.lib.fields import EncryptedTextField
from harbour.people.models import Person


class Consent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The organisation that recorded it: the person's own.
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    # Exactly one of the two (consent_one_recipient): a named organisation, or any
    # organisation of a kind ("any hospital").
    recipient_organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient organisation"),
    )
    recipient_class = models.CharField(
        _("class of recipient"), max_length=20, choices=RecipientClass.choices, blank=True
    )
    method = models.CharField(_("how it was given"), max_length=20, choices=Method.choices)
    witness_name = models.CharField(_("witness"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("given"))
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    text_version = models.CharField(_("version of the consent text"), max_length=50)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            models.Index(fields=["person", "purpose", "expires_at"], name="consent_allows"),
            models.Index(fields=["expires_at", "reminder_sent_at"], name="consent_reminders"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recipient_organisation__isnull=False) & Q(recipient_class=""))
                | (Q(recipient_organisation__isnull=True) & ~Q(recipient_class="")),
                name="consent_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("given_at")),
                name="consent_expires_after_given",
            ),
            models.CheckConstraint(
                condition=~Q(method=Method.VERBAL_WITNESSED) | ~Q(witness_name=""),
                name="consent_verbal_has_witness",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_purpose_display())

    @property
    def recipient_label(self) -> str:
        if self.recipient_organisation_id:
            return str(self.recipient_organisation)
        return str(self.get_recipient_class_display())

    def status(self, at=None) -> str:
        at = at or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= at:
            return "revoked"
        if at < self.given_at:
            return "pending"
        if at >= self.expires_at:
            return "expired"
        return "active"

    def revoke(self, at, reason: str) -> bool:
        """Revoke, unless already revoked. A conditional UPDATE, so two workers revoking at
        once keep the first time and reason."""
        count = Consent.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=at, revoked_reason=reason
        )
        if count:
            self.revoked_at, self.revoked_reason = at, reason
        return bool(count)


class Disclosure(models.Model):
    """Something about a person shared outside their organisation: what, with whom, when, by
    whom, and under which consent or legal basis (exactly one, disclosure_one_basis)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, models.PROTECT, related_name="disclosures")
    recipient_organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="+", verbose_name=_("recipient")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    what = EncryptedTextField(_("what was shared"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True)
    consent = models.ForeignKey(
        Consent, models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices, blank=True
    )
    legal_basis_reason = EncryptedTextField(_("why the legal basis applies"), null=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        constraints = [
            models.CheckConstraint(
                condition=(Q(consent__isnull=False) & Q(legal_basis=""))
                | (Q(consent__isnull=True) & ~Q(legal_basis="")),
                name="disclosure_one_basis",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_purpose_display())
