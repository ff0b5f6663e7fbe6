"""The people a unit works with. This is the foundation's slice of the person record
(name, date of birth, a safe phone number); core casework extends it (aliases, contact
points with safe-contact preferences, addresses, relationships)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.models import Organisation
from harbour.lib.fields import BlindIndexField, EncryptedTextField, phone_key


class Person(models.Model):
    # UUID primary keys are set before the first save, so encrypted fields can bind their
    # ciphertext to the row from the start.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="people")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # Encrypted at rest and bound to this row (DESIGN.md §4.6); found by its digits through
    # the blind index, never by comparing the column.
    safe_phone = EncryptedTextField(_("safe phone number"), null=True, blank=True)
    safe_phone_index = BlindIndexField(source="safe_phone", normalise=phone_key)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()
