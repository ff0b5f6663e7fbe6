"""Name tokens for the people who existed before search by name tokens."""

from collections import defaultdict

from django.db import migrations


def fill_tokens(apps, schema_editor):
    from harbour.people.matching import name_tokens

    Person = apps.get_model("people", "Person")
    PersonAlias = apps.get_model("people", "PersonAlias")
    NameToken = apps.get_model("people", "NameToken")
    aliases = defaultdict(list)
    for person_id, given, family in PersonAlias.objects.values_list(
        "person_id", "given_name", "family_name"
    ).iterator(chunk_size=5000):
        aliases[person_id] += [given, family]
    batch = []
    people = Person.objects.filter(merged_into__isnull=True).values_list(
        "id", "organisation_id", "given_name", "family_name", "preferred_name"
    )
    for pk, org, given, family, preferred in people.iterator(chunk_size=5000):
        for token in name_tokens(given, family, preferred, *aliases.get(pk, [])):
            batch.append(NameToken(person_id=pk, organisation_id=org, token=token))
        if len(batch) >= 10000:
            NameToken.objects.bulk_create(batch)
            batch = []
    NameToken.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("people", "0007_name_tokens")]

    operations = [migrations.RunPython(fill_tokens, migrations.RunPython.noop)]
