"""Fast bulk loading of generated rows: the demo region and its benchmark scale.

``bulk_create`` builds a model instance per row and runs every field's ``pre_save`` and
``get_db_prep_save``: measured here at 5,000 to 8,000 rows a second, two hours for the ten
years `harbour demo --scale large` writes. This loader takes plain tuples instead and writes
each table with one ``executemany`` on SQLite and one ``COPY`` on PostgreSQL: 30,000 to
100,000 rows a second. What the ORM would have done per field is done here per column:

- UUIDs, datetimes, dates, times and JSON are converted as Django converts them for the
  database in use (SQLite: UUID hex, UTC datetimes as text; PostgreSQL: native types).
- Encrypted fields are sealed with the field's own ``encrypt()``, bound to the row's id,
  which the caller sets before sealing, exactly as ``EncryptedField.pre_save`` does: the
  ORM reads them back like any other row (``seal``).
- Blind indexes are the field's own ``digest()`` (``digest``).

Nothing here runs actions.py: the caller sets what the actions would have set (name keys,
case numbers, timeline rows, trafficking flags). Rows are written in the order the tables
were registered, so a table's foreign keys point at rows already written (the constraints
are deferred to commit in any case).
"""

import functools
import json
from collections.abc import Callable, Iterable
from datetime import UTC
from typing import Any

from django.db import connections, models

from harbour.lib import crypto
from harbour.lib.fields import BlindIndexField, EncryptedField

Converter = Callable[[Any], Any]


class RawJSON(str):
    """A value for a JSON column that is already JSON text (so a cache of encoded values can
    skip json.dumps); any other value is encoded."""


def _sqlite_datetime(value) -> str:
    # Django's SQLite backend stores aware datetimes as naive UTC text: str(datetime), which
    # is isoformat(" ") without the offset.
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ")[:-6]


def _json(value) -> str:
    return value if isinstance(value, RawJSON) else json.dumps(value)


def _converter(field: models.Field, vendor: str) -> Converter | None:
    if isinstance(field, models.ForeignKey):
        return _converter(field.target_field, vendor)
    if isinstance(field, EncryptedField):
        return None  # sealed by the caller: already the stored token
    if isinstance(field, models.JSONField):
        return _json
    if vendor != "sqlite":
        return None  # psycopg adapts UUIDs, datetimes, dates and times itself
    if isinstance(field, models.UUIDField):
        return lambda value: value.hex
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime
    if isinstance(field, models.DateField | models.TimeField):
        return lambda value: value.isoformat()
    return None


class Table:
    """Rows waiting to be written to one model's table, as tuples in ``fields`` order
    (attribute names: ``case_id``, not ``case``)."""

    def __init__(self, model: type[models.Model], fields: Iterable[str], vendor: str):
        self.model = model
        self.fields = list(fields)
        meta = model._meta
        by_attname = {f.attname: f for f in meta.concrete_fields}
        columns = [by_attname[name] for name in self.fields]
        self.columns = [f.column for f in columns]
        self.converters = [
            (i, conv) for i, f in enumerate(columns) if (conv := _converter(f, vendor))
        ]
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, *values) -> None:
        self.rows.append(values)

    def prepared(self) -> list[tuple]:
        if not self.converters:
            return self.rows
        out = []
        converters = self.converters
        for row in self.rows:
            values = list(row)
            for i, conv in converters:
                if values[i] is not None:
                    values[i] = conv(values[i])
            out.append(tuple(values))
        return out


class Loader:
    """Collects rows per table; ``flush()`` writes them all in the caller's transaction."""

    def __init__(self, using: str = "default"):
        self.using = using
        self.vendor = connections[using].vendor
        self.tables: dict[type[models.Model], Table] = {}

    def table(self, model: type[models.Model], fields: Iterable[str]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, fields, self.vendor)
        return self.tables[model]

    def pending(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())

    def flush(self) -> int:
        connection = connections[self.using]
        written = 0
        with connection.cursor() as cursor:
            for table in self.tables.values():
                if not table.rows:
                    continue
                rows = table.prepared()
                if self.vendor == "postgresql":
                    self._copy(connection, cursor, table, rows)
                else:
                    self._insert(connection, cursor, table, rows)
                written += len(rows)
                table.written += len(rows)
                table.rows = []
        return written

    def _insert(self, connection, cursor, table: Table, rows: list[tuple]) -> None:
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
            quote(table.model._meta.db_table),
            ", ".join(quote(c) for c in table.columns),
            ", ".join(["%s"] * len(table.columns)),
        )
        cursor.executemany(sql, rows)

    def _copy(self, connection, cursor, table: Table, rows: list[tuple]) -> None:
        quote = connection.ops.quote_name
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(table.model._meta.db_table), ", ".join(quote(c) for c in table.columns)
        )
        # The psycopg cursor under Django's wrapper: COPY is not part of the DB-API.
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def sealer(model: type[models.Model], name: str) -> Callable[[Any, Any], str | None]:
    """A function (pk, value) -> the stored token of ``value`` in encrypted field ``name``
    of the row with id ``pk``: what ``EncryptedField.pre_save`` writes for that row (the
    field's own plaintext encoding, bound to ``<table>:<pk>:<column>``). None stays NULL.

    Made for loops over many rows: the field, the key and the AAD's parts are looked up
    once, and the encoded plaintext of recurring values (template notes, towns) is cached;
    every token still gets its own nonce."""
    field = model._meta.get_field(name)
    assert isinstance(field, EncryptedField)
    encrypt = crypto.encrypter()
    plaintext = functools.lru_cache(maxsize=4096)(field.plaintext)
    pk_field = model._meta.pk
    assert pk_field is not None
    canonical = pk_field.to_python
    prefix, suffix = f"{model._meta.db_table}:", f":{field.attname}"

    def seal(pk, value) -> str | None:
        if value is None:
            return None
        return encrypt(plaintext(value), f"{prefix}{canonical(pk)}{suffix}".encode())

    return seal


def indexer(model: type[models.Model], name: str) -> Callable[[Any], str | None]:
    """A function value -> blind index ``name`` of ``model``, as its ``pre_save`` sets it."""
    field = model._meta.get_field(name)
    assert isinstance(field, BlindIndexField)
    digest = crypto.blind_indexer(field.index_purpose)
    normalise = field.normalise

    def index(value) -> str | None:
        if value is None:
            return None
        normalised = normalise(value)
        return digest(normalised) if normalised else None

    return index
