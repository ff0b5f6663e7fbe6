"""SQLite's planner statistics come back after migrations: a table SQLite alters is a new
table without them, and the planner then picks the wrong index (harbour.lib.apps)."""

import pytest
from django.core.management import call_command
from django.db import connection


def stat_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
@pytest.mark.django_db(transaction=True)
def test_migrating_refreshes_the_statistics_sqlite_loses_when_it_remakes_a_table():
    call_command("migrate", "--no-input", verbosity=0)  # makes sqlite_stat1 if it is not there
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
    assert stat_tables() == set()
    # Back to before the last people migration and forward again: a real plan to run.
    call_command("migrate", "people", "0008", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)
    # (ANALYZE writes nothing for an empty table: these have rows in a new database.)
    assert {"django_migrations", "django_content_type", "auth_permission"} <= stat_tables()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")
@pytest.mark.django_db(transaction=True)
def test_a_migrate_with_nothing_to_do_leaves_the_statistics_alone():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1")
    call_command("migrate", "--no-input", verbosity=0)
    assert stat_tables() == set()
