"""`harbour followup-reminders`: queue the reminders of follow-ups due within 24 hours
(for cron, every hour). `--now` sends them in this process instead of through the worker."""

from django.core.management.base import BaseCommand

from harbour.cases.tasks import remind_due_followups


class Command(BaseCommand):
    help = "Queue (or, with --now, send) reminders of follow-ups due within 24 hours."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="send now, not through the worker")

    def handle(self, *args, now, **options):
        if now:
            sent = remind_due_followups.call()
            self.stdout.write(f"{sent} reminder(s) sent")
        else:
            remind_due_followups.enqueue()
            self.stdout.write("reminders queued")
