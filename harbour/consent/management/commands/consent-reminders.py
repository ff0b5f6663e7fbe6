"""`harbour consent-reminders`: queue the reminders of consents about to lapse (for cron,
once a day). `--now` sends them in this process instead of through the worker."""

from django.core.management.base import BaseCommand

from harbour.consent.tasks import remind_expiring_consents


class Command(BaseCommand):
    help = "Queue (or, with --now, send) reminders of consents expiring within 14 days."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="send now, not through the worker")

    def handle(self, *args, now, **options):
        if now:
            sent = remind_expiring_consents.call()
            self.stdout.write(f"{sent} reminder(s) sent")
        else:
            remind_expiring_consents.enqueue()
            self.stdout.write("reminders queued")
