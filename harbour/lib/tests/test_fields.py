"""Encrypted model fields and blind indexes, through the real database: Person.safe_phone,
and a table made for these tests that holds one field of each type."""

import datetime
import uuid

import pytest
from django.core.exceptions import FieldError
from django.db import connection, models, transaction
from django.test.utils import isolate_apps

from harbour.lib.crypto import DecryptionError
from harbour.lib.fields import (
    BlindIndexField,
    Ciphertext,
    EncryptedBooleanField,
    EncryptedDateField,
    EncryptedIntegerField,
    EncryptedJSONField,
    EncryptedTextField,
    blind_lookup,
    digits_only,
)
from harbour.people.models import Person

PHONE = "+1-555-0142-7781"


class Sample(models.Model):  # noqa: DJ008 (a table for tests only)
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    text = EncryptedTextField(null=True)
    other_text = EncryptedTextField(null=True)
    number = EncryptedIntegerField(null=True)
    flag = EncryptedBooleanField(null=True)
    data = EncryptedJSONField(null=True)
    day = EncryptedDateField(null=True)

    class Meta:
        app_label = "lib"
        db_table = "lib_test_sample"
        # Its table exists only inside the sample_table fixture: rotate-keys must skip it.
        managed = False


@pytest.fixture
def sample_table(db):
    # Made here rather than by a migration: the table exists only for these tests, inside
    # the test's transaction (DDL is transactional on SQLite and PostgreSQL alike), so it
    # goes with the rollback. The SQL is run directly because SQLite's schema editor refuses
    # to open inside a transaction.
    sql, params = connection.schema_editor().table_sql(Sample)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def raw(model, pk, column: str):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def test_it_stores_a_safe_phone_number_encrypted_and_reads_it_back(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    stored = raw(Person, person.pk, "safe_phone")
    assert stored.startswith("v1:test2:")
    assert PHONE not in stored and "0142" not in stored
    assert Person.objects.get(pk=person.pk).safe_phone == PHONE


def test_it_round_trips_falsy_values_distinctly_from_null(sample_table):
    falsy = Sample.objects.create(text="", number=0, flag=False, data={}, other_text=None)
    empty_list = Sample.objects.create(data=[])
    nothing = Sample.objects.create()

    falsy = Sample.objects.get(pk=falsy.pk)
    assert (falsy.text, falsy.number, falsy.flag, falsy.data) == ("", 0, False, {})
    assert falsy.other_text is None
    assert Sample.objects.get(pk=empty_list.pk).data == []
    nothing = Sample.objects.get(pk=nothing.pk)
    assert [nothing.text, nothing.number, nothing.flag, nothing.data, nothing.day] == [None] * 5
    # NULL in the database only where Python had None.
    for column in ("text", "number", "flag", "data"):
        assert raw(Sample, falsy.pk, column).startswith("v1:")
        assert raw(Sample, nothing.pk, column) is None
    assert Sample.objects.filter(text__isnull=True).count() == 2
    assert Sample.objects.filter(number=None).count() == 2


def test_it_round_trips_each_type(sample_table):
    sample = Sample.objects.create(
        text="é ☂", number=-42, flag=True, data={"a": [1, "b", None]}, day="2024-02-29"
    )
    sample = Sample.objects.get(pk=sample.pk)
    assert sample.text == "é ☂"
    assert sample.number == -42
    assert sample.flag is True
    assert sample.data == {"a": [1, "b", None]}
    assert sample.day == datetime.date(2024, 2, 29)


def test_it_gives_short_values_of_every_type_the_same_stored_length(sample_table):
    sample = Sample.objects.create(text="", other_text="123456789", number=0, flag=False)
    lengths = {len(raw(Sample, sample.pk, c)) for c in ("text", "other_text", "number", "flag")}
    assert len(lengths) == 1


def test_it_fails_to_decrypt_a_ciphertext_copied_to_another_row(unit):
    victim = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    other = Person.objects.create(organisation=unit, given_name="Bea", safe_phone="+1-555-0100")
    Person.objects.filter(pk=other.pk).update(
        safe_phone=Ciphertext(raw(Person, victim.pk, "safe_phone"))
    )
    copied = Person.objects.get(pk=other.pk)
    with pytest.raises(DecryptionError, match="another row or field") as error:
        copied.safe_phone  # noqa: B018
    assert PHONE not in str(error.value)


def test_it_fails_to_decrypt_a_ciphertext_copied_to_another_field(sample_table):
    sample = Sample.objects.create(text="secret", other_text="plain")
    token = raw(Sample, sample.pk, "text")
    Sample.objects.filter(pk=sample.pk).update(other_text=Ciphertext(token))
    sample = Sample.objects.get(pk=sample.pk)
    assert sample.text == "secret"
    with pytest.raises(DecryptionError):
        sample.other_text  # noqa: B018


def test_it_re_encrypts_for_the_new_row_when_a_row_is_copied(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    # Django's documented way to copy an instance; the phone is not read before the copy.
    copy = Person.objects.get(pk=person.pk)
    copy.pk = None
    copy._state.adding = True
    copy.save()
    assert copy.pk != person.pk
    assert Person.objects.get(pk=copy.pk).safe_phone == PHONE
    assert Person.objects.get(pk=person.pk).safe_phone == PHONE


def test_it_keeps_the_stored_token_when_an_unread_value_is_saved(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    before = raw(Person, person.pk, "safe_phone")
    Person.objects.get(pk=person.pk).save()
    assert raw(Person, person.pk, "safe_phone") == before


def test_it_decrypts_a_deferred_field_when_it_is_read(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    assert Person.objects.only("given_name").get(pk=person.pk).safe_phone == PHONE


@pytest.mark.parametrize(
    "lookup",
    ["safe_phone", "safe_phone__iexact", "safe_phone__icontains", "safe_phone__startswith"],
)
def test_it_refuses_lookups_other_than_isnull(unit, lookup):
    with pytest.raises(FieldError, match="is encrypted and cannot be queried") as error:
        Person.objects.filter(**{lookup: PHONE}).exists()
    assert PHONE not in str(error.value)


def test_it_refuses_to_write_plaintext_through_a_queryset_update(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana")
    with pytest.raises(TypeError, match="cannot encrypt") as error, transaction.atomic():
        Person.objects.filter(pk=person.pk).update(safe_phone=PHONE)
    assert PHONE not in str(error.value)
    assert raw(Person, person.pk, "safe_phone") is None


def test_it_refuses_to_write_plaintext_through_bulk_update(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana")
    person.safe_phone = PHONE
    with pytest.raises(TypeError, match="cannot encrypt"), transaction.atomic():
        Person.objects.bulk_update([person], ["safe_phone"])


def test_it_finds_a_person_by_safe_phone_however_it_is_written(unit):
    ana = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    Person.objects.create(organisation=unit, given_name="Bea", safe_phone="+1-555-0100")
    Person.objects.create(organisation=unit, given_name="Cy")
    found = Person.objects.filter(**blind_lookup(Person, "safe_phone", "1 (555) 0142 7781"))
    assert list(found) == [ana]
    assert PHONE not in ana.safe_phone_index and len(ana.safe_phone_index) == 64


def test_it_keeps_the_blind_index_in_step_with_the_phone(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    person.safe_phone = "+1-555-0199"
    person.save(update_fields=["safe_phone", "safe_phone_index"])
    assert not Person.objects.filter(**blind_lookup(Person, "safe_phone", PHONE)).exists()
    assert Person.objects.filter(**blind_lookup(Person, "safe_phone", "15550199")).exists()
    person.safe_phone = None
    person.save()
    assert Person.objects.get(pk=person.pk).safe_phone_index is None


def test_it_leaves_a_blank_phone_out_of_the_index(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana", safe_phone="")
    assert Person.objects.get(pk=person.pk).safe_phone == ""
    assert person.safe_phone_index is None
    with pytest.raises(ValueError, match="normalises to"):
        blind_lookup(Person, "safe_phone", "n/a")


def test_it_refuses_a_save_that_would_leave_the_index_stale(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    person.safe_phone = "+1-555-0199"
    with pytest.raises(ValueError, match="blind index"):
        person.save(update_fields=["safe_phone"])


def test_it_never_shows_plaintext_in_what_it_reads_from_the_database(unit):
    person = Person.objects.create(organisation=unit, given_name="Ana", safe_phone=PHONE)
    value = Person.objects.values_list("safe_phone", flat=True).get(pk=person.pk)
    assert isinstance(value, Ciphertext)
    assert repr(value) == str(value) == "<Ciphertext>"
    assert PHONE not in repr(Person.objects.get(pk=person.pk).__dict__)


@isolate_apps("harbour.lib")
def test_it_refuses_an_encrypted_field_on_a_model_without_a_row_id_before_insert():
    class Numbered(models.Model):  # noqa: DJ008
        secret = EncryptedTextField(null=True)

        class Meta:
            app_label = "lib"

    assert [error.id for error in Numbered.check()] == ["harbour.E001"]


@isolate_apps("harbour.lib")
def test_it_refuses_a_unique_encrypted_field_and_an_index_of_a_plain_field():
    class Odd(models.Model):  # noqa: DJ008
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        secret = EncryptedTextField(unique=True)
        plain = models.CharField(max_length=10)
        plain_index = BlindIndexField(source="plain", normalise=digits_only)

        class Meta:
            app_label = "lib"

    assert sorted(error.id for error in Odd.check()) == ["harbour.E002", "harbour.E003"]


def test_it_passes_the_system_checks_for_person():
    assert Person.check() == []
