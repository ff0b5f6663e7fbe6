"""`harbour rotate-keys`: re-encrypt every stored secret under the newest field key.

To rotate: put a new key first in HARBOUR_FIELD_KEYS, keeping the old ones after it, restart
Harbour, run `harbour rotate-keys`, then remove the old keys. It covers every encrypted
field of every model Django manages, and allauth's MFA secrets (where it also encrypts any
stored before harbour.accounts.mfa_adapter was in place).

Safe to run again (values already under the newest key are left alone) and while Harbour
serves: work goes in batches, one transaction each, and a row is rewritten only if it still
holds the token that was read, so an edit made meanwhile is never overwritten.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from harbour.lib import crypto
from harbour.lib.fields import Ciphertext, EncryptedField


@dataclass
class Tally:
    values: int = 0  # values re-encrypted (or that would be, on a dry run)
    rows: int = 0  # rows with at least one such value
    current: int = 0  # values already under the newest key
    plaintext: int = 0  # MFA secrets found unencrypted (counted in values too)
    raced: int = 0  # rows changed by someone else between our read and our write


def encrypted_models():
    """(model, its own encrypted fields) for every table Django manages."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        # Own fields only: a parent model's fields live in, and are rotated with, its table.
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedField)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = _("Re-encrypt encrypted fields and MFA secrets under the newest HARBOUR_FIELD_KEYS key.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("count what would change; write nothing")
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help=_("rows per transaction (default 500)")
        )

    def handle(self, *args, dry_run, batch_size, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.newest = crypto.keyring().newest
        self.tally = Tally()
        for model, fields in encrypted_models():
            self.rotate_model(model, fields)
        if apps.is_installed("allauth.mfa"):
            self.rotate_mfa()
        self.summarise()

    def progress(self, label: str, done: int, total: int) -> None:
        self.stdout.write(
            _("%(label)s: %(done)d of %(total)d rows")
            % {"label": label, "done": done, "total": total}
        )

    def fail(self, label: str, pk, field: str, error: Exception):
        # Earlier batches are committed; that is fine, since a rerun skips them.
        return CommandError(
            _("%(label)s %(pk)s, %(field)s: %(error)s")
            % {"label": label, "pk": pk, "field": field, "error": error}
        )

    def rotate_model(self, model, fields) -> None:
        manager = model._base_manager
        label = model._meta.label
        total = manager.count()
        done, last = 0, None
        while True:
            with transaction.atomic():
                batch = manager.order_by("pk")
                if last is not None:
                    batch = batch.filter(pk__gt=last)
                rows = list(
                    batch.values_list("pk", *[f.attname for f in fields])[: self.batch_size]
                )
                for pk, *values in rows:
                    self.rotate_row(manager, label, pk, dict(zip(fields, values, strict=True)))
            if not rows:
                break
            last = rows[-1][0]
            done += len(rows)
            self.progress(label, done, total)

    def rotate_row(self, manager, label, pk, values: dict[EncryptedField, Ciphertext | None]):
        read, rewritten = {}, {}
        for field, value in values.items():
            if value is None:
                continue
            try:
                if crypto.token_key_id(value.token) == self.newest:
                    self.tally.current += 1
                    continue
                aad = field.aad_for_pk(pk)
                # The padded JSON is re-sealed as it is: no need to parse it.
                token = crypto.encrypt(crypto.decrypt(value.token, aad), aad)
            except crypto.DecryptionError as error:
                raise self.fail(label, pk, field.name, error) from None
            read[field.attname] = value
            rewritten[field.attname] = Ciphertext(token)
        if not rewritten:
            return
        # Conditional on the tokens we read: a concurrent save wins, and we say so.
        if not self.dry_run and not manager.filter(pk=pk, **read).update(**rewritten):
            self.tally.raced += 1
            return
        self.tally.values += len(rewritten)
        self.tally.rows += 1

    def rotate_mfa(self) -> None:
        from allauth.mfa.models import Authenticator

        from harbour.accounts.mfa_adapter import AAD

        label = Authenticator._meta.label
        secrets = Authenticator.objects.filter(
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
        ).order_by("pk")
        total = secrets.count()
        done, last = 0, 0
        while True:
            with transaction.atomic():
                # Locked: the JSON document is rewritten whole, so nobody may change it between
                # our read and our write (allauth updates recovery codes as they are used).
                rows = list(secrets.select_for_update().filter(pk__gt=last)[: self.batch_size])
                for authenticator in rows:
                    self.rotate_authenticator(authenticator, label, AAD)
            if not rows:
                break
            last = rows[-1].pk
            done += len(rows)
            self.progress(label, done, total)

    def rotate_authenticator(self, authenticator, label: str, aad: bytes) -> None:
        data = dict(authenticator.data)
        changed = 0
        # TOTP keeps "secret"; recovery codes keep "seed", or "migrated_codes" when imported.
        for key in ("secret", "seed", "migrated_codes"):
            if key not in data:
                continue
            items = data[key] if isinstance(data[key], list) else [data[key]]
            new_items = []
            for item in items:
                try:
                    new_item = self.reencrypt_secret(item, aad)
                except crypto.DecryptionError as error:
                    raise self.fail(label, authenticator.pk, key, error) from None
                changed += new_item != item
                new_items.append(new_item)
            data[key] = new_items if isinstance(data[key], list) else new_items[0]
        if changed:
            self.tally.values += changed
            self.tally.rows += 1
            if not self.dry_run:
                authenticator.data = data
                authenticator.save(update_fields=["data"])

    def reencrypt_secret(self, value: str, aad: bytes) -> str:
        if not crypto.is_token(value):
            self.tally.plaintext += 1
            return crypto.encrypt(value.encode(), aad)
        if crypto.token_key_id(value) == self.newest:
            self.tally.current += 1
            return value
        return crypto.encrypt(crypto.decrypt(value, aad), aad)

    def summarise(self) -> None:
        tally = self.tally
        numbers = {"values": tally.values, "rows": tally.rows, "current": tally.current}
        if self.dry_run:
            line = _(
                "Dry run: would re-encrypt %(values)d values in %(rows)d rows; "
                "%(current)d already current."
            )
        else:
            line = _(
                "Re-encrypted %(values)d values in %(rows)d rows; %(current)d already current."
            )
        self.stdout.write(line % numbers)
        if tally.plaintext and self.dry_run:
            line = _("%(count)d MFA secrets are stored unencrypted and would be encrypted.")
            self.stdout.write(line % {"count": tally.plaintext})
        elif tally.plaintext:
            line = _("%(count)d MFA secrets were stored unencrypted and are now encrypted.")
            self.stdout.write(line % {"count": tally.plaintext})
        if tally.raced:
            line = _("%(count)d rows changed while this ran and were left as written; run again.")
            self.stdout.write(line % {"count": tally.raced})
