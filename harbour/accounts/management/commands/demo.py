"""`harbour demo`: seed a synthetic region. Idempotent: running it again changes nothing.

Two police services, one victim services unit, three partner agencies and a monitoring
centre, with one user for every role (password DEMO_PASSWORD, see README.md), and a year of
the unit's casework: referrals, triage, cases, contacts, services, follow-ups, consents and
the people on them (harbour.lib.demo_casework, docs/demo-data.md).

`--scale large` adds ten years of a larger unit for the benchmarks in bench/: at least
200,000 people, 100,000 cases and 1,000,000 contacts. After the small demo it tops up;
interrupted, it carries on where it stopped.
"""

import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from harbour.accounts.constants import OrganisationKind as K
from harbour.accounts.constants import Role as R
from harbour.accounts.models import Membership, Organisation, User
from harbour.lib import demo_casework
from harbour.lib.demo import fictional_phone, synthetic_name
from harbour.people.matching import name_key, name_tokens
from harbour.people.models import NameToken, Person

DEMO_PASSWORD = "harbour-demo-2026"

ORGANISATIONS = [
    ("Harbour Regional Police Service", "HRPS", K.POLICE),
    ("Lakeshore Police Service", "LPS", K.POLICE),
    ("Harbour Regional Police Victim Services Unit", "VSU", K.VSU),
    ("Harbourview Shelter", "Shelter", K.AGENCY),
    ("Harbour General Hospital Social Work", "Hospital", K.HOSPITAL),
    ("Family Counselling Harbour", "Counselling", K.AGENCY),
    ("Northstar Monitoring Centre", "Monitoring", K.MONITORING),
]

USERS = [
    ("caseworker@vsu.demo", "Casey Caseworker", "VSU", [R.CASEWORKER]),
    ("coordinator@vsu.demo", "Corey Coordinator", "VSU", [R.COORDINATOR]),
    ("volunteer@vsu.demo", "Val Volunteer", "VSU", [R.VOLUNTEER]),
    ("analyst@vsu.demo", "Ana Analyst", "VSU", [R.ANALYST]),
    ("admin@vsu.demo", "Adrian Admin", "VSU", [R.ADMIN]),
    ("officer@hrps.demo", "Olivia Officer", "HRPS", [R.OFFICER]),
    ("dispatcher@hrps.demo", "Dev Dispatcher", "HRPS", [R.DISPATCHER]),
    ("admin@hrps.demo", "Harper Admin", "HRPS", [R.ADMIN]),
    ("officer@lps.demo", "Lee Officer", "LPS", [R.OFFICER]),
    ("partner@shelter.demo", "Pat Partner", "Shelter", [R.PARTNER]),
    ("partner@hospital.demo", "Sam Social-Worker", "Hospital", [R.PARTNER]),
    ("partner@counselling.demo", "Robin Counsellor", "Counselling", [R.PARTNER]),
    ("operator@monitoring.demo", "Mo Operator", "Monitoring", [R.DISPATCHER]),
]

# People on file without a case (the foundation's demo people).
DEMO_PEOPLE = 25
# Police occurrences of the past year for the unit to screen (harbour.screening).
DEMO_OCCURRENCES = 2_000


class Command(BaseCommand):
    help = "Seed a synthetic demo region (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(demo_casework.SCALES), default="small")

    def handle(self, *args, scale: str, **options):
        started = time.monotonic()
        with transaction.atomic():
            orgs = self._region()
            self._people(orgs["VSU"], DEMO_PEOPLE)
        written = demo_casework.seed(
            orgs, demo_casework.SCALES[scale], password=DEMO_PASSWORD, progress=self.stderr
        )
        elapsed = time.monotonic() - started
        if written:
            counts = ", ".join(f"{n:,} {name}" for name, n in written.items())
            self.stdout.write(f"Demo casework ({scale}) written in {elapsed:.0f} s: {counts}.")
        else:
            self.stdout.write(f"Demo casework ({scale}) already in place: nothing to add.")
        self._occurrences(orgs["VSU"])
        self.stdout.write(self.style.SUCCESS(self.logins(scale)))

    def _occurrences(self, unit: Organisation) -> None:
        """A year of synthetic police occurrences for the unit to screen (NIBRS flat file
        from harbour.screening.synthetic, through the real importer), once: a unit that
        has occurrences already gets none."""
        from harbour.screening.actions import import_occurrences
        from harbour.screening.models import Occurrence
        from harbour.screening.synthetic import generate

        if Occurrence.objects.filter(organisation=unit).exists():
            self.stdout.write("Demo occurrences already in place: nothing to add.")
            return
        today = timezone.localdate(timezone.now(), unit.tz)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "demo-occurrences.txt"
            generate(
                path,
                DEMO_OCCURRENCES,
                seed=2026,
                agencies=2,
                start=today - timedelta(days=365),
                end=today - timedelta(days=1),
            )
            with open(path, "rb") as stream:
                run = import_occurrences(
                    stream,
                    organisation=unit,
                    source_format="nibrs-flat",
                    file_name="demo-occurrences.txt",
                )
        self.stdout.write(f"Demo occurrences: {run.inserted:,} imported for screening.")

    def _region(self) -> dict[str, Organisation]:
        orgs = {}
        for name, short, kind in ORGANISATIONS:
            org, _ = Organisation.objects.get_or_create(
                name=name, defaults={"short_name": short, "kind": kind, "slug": slugify(short)}
            )
            orgs[short] = org
        for email, full_name, short, roles in USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create(
                    email=email,
                    full_name=full_name,
                    password=demo_casework.password_hash(DEMO_PASSWORD),
                )
            for role in roles:
                Membership.objects.get_or_create(user=user, organisation=orgs[short], role=role)
        return orgs

    def _people(self, org: Organisation, total: int) -> None:
        """Top the unit up to `total` synthetic people. The generator is seeded, so the
        same run of names comes out every time and a second run adds nobody."""
        rng = random.Random(2026)
        # They are the unit's people with a safe phone but no contact points: casework
        # clients with a safe phone always have one (demo_casework), relatives no phone.
        existing = Person.objects.filter(
            organisation=org, safe_phone__isnull=False, contact_points__isnull=True
        ).count()
        people = []
        for i in range(total):
            given, family = synthetic_name(rng)
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
            phone = fictional_phone(rng)
            if i >= existing:
                people.append(
                    Person(
                        organisation=org,
                        given_name=given,
                        family_name=family,
                        # bulk_create skips actions.create_person: set the keys it would.
                        given_name_key=name_key(given),
                        family_name_key=name_key(family),
                        date_of_birth=born,
                        safe_phone=phone,
                    )
                )
        Person.objects.bulk_create(people, batch_size=1000)
        # And the name tokens actions.index_names would write, for search by name.
        NameToken.objects.bulk_create(
            (
                NameToken(person=p, organisation=org, token=token)
                for p in people
                for token in name_tokens(p.given_name, p.family_name)
            ),
            batch_size=5000,
        )

    @staticmethod
    def logins(scale: str = "small") -> str:
        lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
        for email, _name, short, roles in USERS:
            lines.append(f"  {email:<28} {', '.join(roles):<12} {short}")
        for stream in demo_casework.SCALES[scale]:
            workers = stream.workers
            lines.append(
                f"  {workers[0].email} … {workers[-1].email}: {len(workers)} caseworkers "
                f"on the {', '.join(demo_casework.TEAMS.values())} teams (VSU)"
            )
            for email, _name in stream.coordinators:
                lines.append(f"  {email:<28} coordinator  VSU")
        return "\n".join(lines)
