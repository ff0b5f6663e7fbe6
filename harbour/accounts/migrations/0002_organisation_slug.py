"""Give every organisation a slug: how integrations and commands name it."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    taken: set[str] = set()
    for org in Organisation.objects.order_by("pk"):
        base = slugify(org.short_name or org.name)[:50] or "organisation"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        org.slug = slug
        org.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="slug",
            # No index yet: on PostgreSQL, altering an indexed SlugField to unique creates a
            # second "_like" index under the name the first one already has.
            field=models.SlugField(max_length=60, null=True, db_index=False, verbose_name="slug"),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(max_length=60, unique=True, verbose_name="slug"),
        ),
    ]
