"""`harbour audit verify`: prove the access trail intact or name its first broken link."""

from django.core.management.base import BaseCommand, CommandError

from harbour.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `harbour audit verify` checks the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        verdict = verify_chain()
        if not verdict.intact:
            raise CommandError(str(verdict))
        self.stdout.write(self.style.SUCCESS(str(verdict)))
