"""The access trail: one append-only row per access to a person's information, each
carrying the hash of the one before it, so any edit, deletion or insertion breaks the chain.

On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE on the table (migration 0002);
on SQLite `harbour audit verify` is what catches tampering.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AccessEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who acted, as text, so the record reads the same after a user is renamed, and names
    # integration keys and system jobs, which have no user.
    actor_label = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation", models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.CharField(max_length=64, blank=True, db_index=True)
    reason = models.CharField(max_length=500, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("access event")
        verbose_name_plural = _("access events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_label}"

    def compute_hash(self) -> str:
        payload = [
            self.seq,
            self.at.isoformat(),
            self.actor_id,
            self.actor_label,
            self.organisation_id,
            self.action,
            self.object_type,
            self.object_id,
            self.person_id,
            self.reason,
            self.ip,
            self.prev_hash,
        ]
        data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)
        return hashlib.sha256(data.encode()).hexdigest()


class ChainHead(models.Model):
    """The newest link: locked while an event is appended so links are made one at a time,
    and compared by `verify` so that deleting the newest events is caught too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"head #{self.seq}"
