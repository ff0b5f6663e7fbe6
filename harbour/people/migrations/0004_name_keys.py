"""Phonetic name keys for the people who existed before duplicate detection."""

from django.db import migrations


def fill_keys(apps, schema_editor):
    from harbour.people.matching import name_key

    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("id", "given_name", "family_name").iterator(chunk_size=2000):
        person.given_name_key = name_key(person.given_name)
        person.family_name_key = name_key(person.family_name)
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["given_name_key", "family_name_key"])
            batch = []
    Person.objects.bulk_update(batch, ["given_name_key", "family_name_key"])


class Migration(migrations.Migration):
    dependencies = [("people", "0003_people_details")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
