"""`harbour worker`: run background tasks from the database queue (django-tasks-db).

Several workers may run at once on PostgreSQL: each claims work with SELECT … FOR UPDATE
SKIP LOCKED, so no task runs twice."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run queued background tasks until interrupted (or once with --batch)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args, batch, interval, **options):
        extra = ["--batch"] if batch else []
        call_command(
            "db_worker", "--interval", str(interval), "--no-reload", "--no-startup-delay", *extra
        )
