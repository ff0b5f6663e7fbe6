"""Encrypted model fields and the blind indexes that let us find rows by them.

``EncryptedTextField`` and its siblings store a harbour.lib.crypto token in a text column.
The value is JSON before it is encrypted, so ``""``, ``0`` and ``False`` each round-trip as
themselves; Python ``None`` is SQL NULL and is never encrypted.

Each token is bound to ``"<db_table>:<pk>:<attname>"``. A row's id must therefore exist
before it is inserted (check harbour.E001: the primary key needs a default, like Harbour's
``UUIDField(primary_key=True, default=uuid.uuid4)``), and renaming the table or column needs a
migration that re-encrypts. ``from_db_value`` cannot see the row, so the database value
arrives as a ``Ciphertext`` that the field's descriptor decrypts on first read with the
instance's primary key; assignment stores plaintext, and ``pre_save`` encrypts it.

Queries cannot compare ciphertexts to plaintext (encryption is randomised), so lookups other
than ``isnull`` are refused. Exact matches go through a ``BlindIndexField``::

    safe_phone = EncryptedTextField(null=True, blank=True)
    safe_phone_index = BlindIndexField(source="safe_phone", normalise=digits_only)

    Person.objects.filter(**blind_lookup(Person, "safe_phone", "+1 555 0142 7781"))

``QuerySet.update()`` and ``bulk_update()`` with plaintext are refused: they skip ``pre_save``
and would otherwise write plaintext. Save the instance instead. ``values()`` returns
``Ciphertext`` objects, never plaintext.
"""

import datetime
import json
import re
from collections.abc import Callable
from typing import Any

from django.core import checks, exceptions
from django.db import models
from django.db.models import signals
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harbour.lib import crypto

# Plaintext is padded to a multiple of this many bytes (JSON ignores trailing spaces), so a
# token's length does not give away the exact length of what it holds.
PAD_TO = 16


class Ciphertext:
    """A token as read from the database, not yet decrypted.

    ``aad`` is the context the token was bound to, fixed once the row it came from is known,
    so a later change of primary key (copying a row) still decrypts the original.
    """

    __slots__ = ("token", "aad")

    def __init__(self, token: str, aad: bytes | None = None):
        self.token = token
        self.aad = aad

    @property
    def key_id(self) -> str:
        return crypto.token_key_id(self.token)

    def __repr__(self) -> str:
        return "<Ciphertext>"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ciphertext) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class EncryptedAttribute(DeferredAttribute):
    """Decrypts on first read with the instance's own primary key, then caches the plaintext
    in the instance. A data descriptor (it has ``__set__``), so every read comes through here."""

    field: "EncryptedField"

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext):
            if value.aad is None:
                value.aad = self.field.aad(instance)
            value = self.field.decrypt(value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        if isinstance(value, Ciphertext) and value.aad is None:
            # Read straight from __dict__: while Model.__init__ runs, a pk declared after this
            # field is not set yet, and reading it through its descriptor would query for it.
            pk = instance.__dict__.get(instance._meta.pk.attname)
            if pk is not None:
                value.aad = self.field.aad_for_pk(pk)
        instance.__dict__[self.field.attname] = value


class EncryptedExact(Exact):
    """``field=None`` (which Django turns into isnull) and ``field=<Ciphertext>`` (comparing
    stored tokens, as rotate-keys does) are the only exact matches that mean anything."""

    def __init__(self, lhs, rhs):
        if rhs is not None and not isinstance(rhs, Ciphertext):
            raise exceptions.FieldError(refused_lookup(lhs.target, "exact"))
        super().__init__(lhs, rhs)


def refused_lookup(field, lookup_name: str) -> str:
    return _(
        "%(field)s is encrypted and cannot be queried with '%(lookup)s'. Use isnull, or an "
        "exact match through its blind index (harbour.lib.fields.blind_lookup)."
    ) % {"field": field, "lookup": lookup_name}


class EncryptedField(models.Field):
    """Base for encrypted fields: a text column holding a token of the JSON of the value.
    Subclasses say how a value becomes JSON (``to_json``) and back (``from_json``)."""

    descriptor_class = EncryptedAttribute
    empty_strings_allowed = False
    description = gettext_lazy("Encrypted value")

    def get_internal_type(self) -> str:
        return "TextField"

    # ---- checks ----

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_row_id(), *self._check_options()]

    def _check_row_id(self):
        pk = self.model._meta.pk
        if pk is None or pk.has_default():
            return []
        return [
            checks.Error(
                "Encrypted fields bind their ciphertext to the row id, which must be known "
                "before the row is inserted.",
                hint="Give the primary key a default, e.g. "
                "UUIDField(primary_key=True, default=uuid.uuid4).",
                obj=self,
                id="harbour.E001",
            )
        ]

    def _check_options(self):
        if not (self.unique or self.db_index or self.primary_key):
            return []
        return [
            checks.Error(
                "Encrypted fields cannot be unique, indexed or a primary key: every encryption "
                "of a value is different.",
                hint="Add a BlindIndexField for exact lookups.",
                obj=self,
                id="harbour.E002",
            )
        ]

    # ---- queries ----

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return EncryptedExact
        raise exceptions.FieldError(refused_lookup(self, lookup_name))

    def get_transform(self, lookup_name):
        raise exceptions.FieldError(refused_lookup(self, lookup_name))

    # ---- between Python and the database ----

    def aad_for_pk(self, pk) -> bytes:
        # The pk's canonical form, so "ABC…" and UUID("abc…") bind to the same row.
        pk = self.model._meta.pk.to_python(pk)
        return f"{self.model._meta.db_table}:{pk}:{self.attname}".encode()

    def aad(self, instance) -> bytes:
        if instance.pk is None:
            raise ValueError(
                f"{self.model._meta.label}.{self.name} cannot be encrypted before the row "
                "has a primary key."
            )
        return self.aad_for_pk(instance.pk)

    def plaintext(self, value) -> bytes:
        """What is sealed for ``value``: its JSON, padded to a multiple of PAD_TO bytes."""
        text = json.dumps(self.to_json(self.to_python(value)), separators=(",", ":"))
        data = text.encode()
        return data + b" " * (-len(data) % PAD_TO)

    def encrypt(self, value, aad: bytes) -> Ciphertext:
        return Ciphertext(crypto.encrypt(self.plaintext(value), aad), aad)

    def decrypt(self, ciphertext: Ciphertext) -> Any:
        assert ciphertext.aad is not None
        data = crypto.decrypt(ciphertext.token, ciphertext.aad)
        try:
            return self.from_json(json.loads(data))
        except (TypeError, ValueError):
            # `from None`: the JSON error object holds the decrypted text.
            raise crypto.DecryptionError(
                _("%(field)s decrypted to something it cannot read.") % {"field": self}
            ) from None

    def from_db_value(self, value, expression, connection):
        return None if value is None else Ciphertext(value)

    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname)
        if value is None:
            return None
        aad = self.aad(model_instance)
        if isinstance(value, Ciphertext) and value.aad == aad:
            # Unread since it was loaded: the stored token is still right for this row.
            return value
        # Plaintext, or a token from before the row's pk changed (a copied row).
        return self.encrypt(getattr(model_instance, self.attname), aad)

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return value.token
        # Only pre_save makes a Ciphertext, so plaintext here came by a path that skips it
        # (QuerySet.update, bulk_update, a default in a migration) and would be stored bare.
        raise TypeError(
            f"{self.model._meta.label}.{self.name} is encrypted per row: set it on the "
            "instance and save() it; QuerySet.update() and bulk_update() cannot encrypt."
        )

    # ---- per type ----

    def to_json(self, value):
        return value

    def from_json(self, value):
        return value


class EncryptedTextField(EncryptedField):
    description = gettext_lazy("Encrypted text")
    # As CharField: a new instance of a non-null field starts as "", not None.
    empty_strings_allowed = True

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def from_json(self, value):
        if not isinstance(value, str):
            raise ValueError
        return value

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.CharField, **kwargs})


class EncryptedIntegerField(EncryptedField):
    description = gettext_lazy("Encrypted integer")

    def to_python(self, value):
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            # Django's usual message quotes the value; this one must not.
            raise exceptions.ValidationError(_("Enter a whole number."), code="invalid") from None

    def from_json(self, value):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError
        return value

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.IntegerField, **kwargs})


class EncryptedBooleanField(EncryptedField):
    description = gettext_lazy("Encrypted true or false")

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        if value in ("t", "True", "true", "1", 1):
            return True
        if value in ("f", "False", "false", "0", 0):
            return False
        raise exceptions.ValidationError(_("Enter true or false."), code="invalid")

    def from_json(self, value):
        if not isinstance(value, bool):
            raise ValueError
        return value

    def formfield(self, **kwargs):
        from django import forms

        form_class = forms.NullBooleanField if self.null else forms.BooleanField
        return super().formfield(**{"form_class": form_class, "required": False, **kwargs})


class EncryptedDateField(EncryptedField):
    description = gettext_lazy("Encrypted date")

    def to_python(self, value):
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            raise exceptions.ValidationError(_("Enter a date, not a date and time."), "invalid")
        if isinstance(value, datetime.date):
            return value
        try:
            parsed = parse_date(value)
        except (TypeError, ValueError):
            parsed = None
        if parsed is None:
            raise exceptions.ValidationError(_("Enter a valid date."), code="invalid")
        return parsed

    def to_json(self, value):
        return value.isoformat()

    def from_json(self, value):
        return datetime.date.fromisoformat(value)

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.DateField, **kwargs})


class EncryptedJSONField(EncryptedField):
    """Any JSON value. Python ``None`` is SQL NULL, so JSON ``null`` is not stored as such."""

    description = gettext_lazy("Encrypted JSON")

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


# ---- blind indexes ----


def digits_only(value: str) -> str:
    """Phone numbers compare by their digits: "+1 (555) 0142-7781" is "155501427781"."""
    return re.sub(r"\D", "", str(value))


def phone_key(value: str) -> str:
    """A North American number compares the same with or without its country code:
    "+1 902 555 0142" and "(902) 555-0142" are both "9025550142". Other numbers keep all
    their digits."""
    digits = digits_only(value)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    return digits


def email_or_phone_key(value: str) -> str:
    """A contact point's value: an email address compares case-insensitively, anything
    else as a phone number (phone_key)."""
    text = str(value).strip()
    if "@" in text:
        return text.lower()
    return phone_key(text)


class BlindIndexField(models.CharField):
    """HMAC of a normalised encrypted value, set in ``pre_save`` from ``source``.

    ``purpose`` separates index keys; it defaults to ``"<app>.<model>.<source>"`` and must stay
    fixed once rows are written (pass it explicitly before renaming the model). A value that
    normalises to "" is not indexed (NULL), so blank values never match each other.
    """

    def __init__(
        self,
        *args,
        source: str,
        normalise: Callable[[Any], str],
        purpose: str | None = None,
        **kwargs,
    ):
        self.source = source
        self.normalise = normalise
        self.purpose = purpose
        kwargs.update(max_length=64, db_index=True, null=True, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for option in ("max_length", "db_index", "null", "blank", "editable"):
            kwargs.pop(option, None)
        kwargs.update(source=self.source, normalise=self.normalise)
        if self.purpose is not None:
            kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            signals.pre_save.connect(self._refuse_stale_index, sender=cls, weak=False)

    @property
    def index_purpose(self) -> str:
        return self.purpose or f"{self.model._meta.label_lower}.{self.source}"

    def digest(self, value) -> str | None:
        if value is None:
            return None
        normalised = self.normalise(value)
        if not normalised:
            return None
        return crypto.blind_index(self.index_purpose, normalised)

    def pre_save(self, model_instance, add):
        value = self.digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    def _refuse_stale_index(self, sender, instance, update_fields=None, **kwargs):
        # A save that writes the source but not its index would leave the index matching the
        # old value; refusing is clearer than finding out from a lookup that misses.
        if update_fields and self.source in update_fields and self.name not in update_fields:
            raise ValueError(
                f"save(update_fields=...) names {self.source!r} but not its blind index "
                f"{self.name!r}; name both."
            )

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            source = self.model._meta.get_field(self.source)
        except exceptions.FieldDoesNotExist:
            source = None
        if not isinstance(source, EncryptedField):
            errors.append(
                checks.Error(
                    f"BlindIndexField source {self.source!r} is not an encrypted field of "
                    f"{self.model._meta.label}.",
                    obj=self,
                    id="harbour.E003",
                )
            )
        return errors


def blind_lookup(model: type[models.Model], source: str, value) -> dict[str, str]:
    """Filter arguments that find rows whose ``source`` field equals ``value`` once both are
    normalised: ``Person.objects.filter(**blind_lookup(Person, "safe_phone", number))``."""
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source == source:
            digest = field.digest(value)
            if digest is None:
                # Filtering on NULL would match every row without a value: never what a
                # search for "nothing" means.
                raise ValueError(f"Nothing to look up: the value for {source!r} normalises to ''.")
            return {field.attname: digest}
    raise exceptions.FieldError(f"{model._meta.label} has no blind index for {source!r}.")
