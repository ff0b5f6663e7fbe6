"""Referrals from every door (self, family or friend, police, agency, and later screening
and on-scene call-outs) and the people named on them, waiting in one triage queue.

What a referrer tells us about a person stays on the referral, encrypted where it says how
to reach them, until triage links it to a person on file or creates one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.models import Organisation
from harbour.cases.models import Case
from harbour.intake.constants import (
    DeclineReason,
    IntakeChannel,
    ReferralRole,
    ReferralStatus,
    Source,
    Urgency,
)
from harbour.lib.fields import EncryptedDateField, EncryptedTextField
from harbour.people.constants import Language
from harbour.people.models import Person


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The unit the referral is for.
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="referrals")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=IntakeChannel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # Triage target: received_at + TRIAGE_TARGETS[urgency].
    due_at = models.DateTimeField(_("triage due"))
    # Who sent it: a police service or agency (a key or a member's form), or nobody (the
    # public form). The sender's own reference makes a resend idempotent.
    sender_organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_sent",
        verbose_name=_("referring organisation"),
    )
    sender_reference = models.CharField(_("sender's reference"), max_length=80, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurrence_number = models.CharField(_("police occurrence number"), max_length=40, blank=True)
    offence = models.CharField(_("offence"), max_length=200, blank=True)
    # RiskFlag codes.
    risk_flags = models.JSONField(_("risk flags"), default=list, blank=True)
    # Police and agency referrals must say whether the victim agreed to be referred; a
    # self-referral is its own consent.
    victim_consented = models.BooleanField(_("victim agreed to the referral"), null=True)
    # The referrer: an officer, an agency worker, or a family member or friend.
    referrer_name = EncryptedTextField(_("referrer's name"), null=True, blank=True)
    referrer_role = models.CharField(_("referrer's role or badge"), max_length=100, blank=True)
    referrer_phone = EncryptedTextField(_("referrer's phone"), null=True, blank=True)
    referrer_email = EncryptedTextField(_("referrer's email"), null=True, blank=True)
    referrer_relationship = models.CharField(
        _("referrer is the victim's"), max_length=20, choices=ReferralRole.choices, blank=True
    )
    narrative = EncryptedTextField(_("what happened / what help is wanted"), null=True, blank=True)
    suggested_programs = models.JSONField(default=list, blank=True)
    # Triage.
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.CharField(
        _("reason"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("note"), max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    case = models.ForeignKey(Case, models.SET_NULL, null=True, blank=True, related_name="referrals")

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["sender_organisation", "sender_reference"],
                condition=~models.Q(sender_reference=""),
                name="referral_sender_reference_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_at"], name="referral_queue"),
            models.Index(fields=["organisation", "occurrence_number"], name="referral_occurrence"),
            models.Index(fields=["organisation", "-decided_at"], name="referral_decided"),
        ]

    def __str__(self) -> str:
        return str(self.get_source_display())

    @property
    def is_overdue(self) -> bool:
        return self.status == ReferralStatus.NEW and self.due_at < timezone.now()

    @property
    def reference(self) -> str:
        """The short reference a sender is told ("R-3F2A9C1B"): for reading over the phone,
        not for lookups (the id is)."""
        return f"R-{self.id.hex[:8].upper()}"

    @property
    def is_decided(self) -> bool:
        return self.status != ReferralStatus.NEW

    @property
    def victims(self) -> list["ReferralPerson"]:
        return [p for p in self.people.all() if p.role == ReferralRole.VICTIM]


class ReferralPerson(models.Model):
    """A person named on a referral, as the referrer described them. Triage links them to
    a person on file (`person`) or creates one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, models.CASCADE, related_name="people")
    role = models.CharField(_("role"), max_length=20, choices=ReferralRole.choices)
    # The order the referrer listed them in: the first victim is the referral's client.
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    given_name = EncryptedTextField(_("given name"), null=True, blank=True)
    family_name = EncryptedTextField(_("family name"), null=True, blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), null=True, blank=True)
    email = EncryptedTextField(_("email"), null=True, blank=True)
    # How it is safe to make contact, as the referrer or the victim said.
    safe_to_call = models.BooleanField(_("safe to call"), default=False)
    safe_to_leave_message = models.BooleanField(_("safe to leave a message"), default=False)
    safe_to_text = models.BooleanField(_("safe to text"), default=False)
    safe_to_email = models.BooleanField(_("safe to email"), default=False)
    safe_times = EncryptedTextField(_("safe times to reach them"), null=True, blank=True)
    # "Do not contact me, I will call": whatever else is known, nobody reaches out.
    no_contact = models.BooleanField(_("do not contact: they will get in touch"), default=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    person = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="referral_mentions"
    )

    class Meta:
        ordering = ["role", "position"]
        verbose_name = _("person on a referral")
        verbose_name_plural = _("people on referrals")

    def __str__(self) -> str:
        return str(self.get_role_display())

    @property
    def language_label(self) -> str:
        return str(dict(Language.choices).get(self.language, self.language))
