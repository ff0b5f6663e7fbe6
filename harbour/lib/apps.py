from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class LibConfig(AppConfig):
    name = "harbour.lib"
    label = "lib"

    def ready(self) -> None:
        # Sent per app once every migration has run; this one (the first with models)
        # stands for all. The lib app has no models of its own, so never sends it.
        accounts = apps.get_app_config("accounts")
        post_migrate.connect(analyse_after_migrations, sender=accounts)


def analyse_after_migrations(sender, using, plan=None, **kwargs) -> None:
    """Refresh SQLite's planner statistics when migrations have run.

    SQLite alters a table by making a new one and copying the rows across, and the copy has
    no statistics: on the large demo, search then read every case of the unit instead of
    the few hundred it asked for by id (42 ms a query against 4). A full ANALYZE, not a
    sampled one (`analysis_limit`): the sample guessed a thousand cases per organisation
    where there were a hundred thousand, and the planner chose the same wrong index. It
    takes about 4 s on the large demo, once per migrate that changes something. PostgreSQL's
    autovacuum keeps its own statistics."""
    from django.db import connections

    connection = connections[using]
    if not plan or connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
