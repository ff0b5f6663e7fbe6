"""`harbour demo`: seed a synthetic region. Idempotent: running it again changes nothing.

Two police services, one victim services unit, three partner agencies and a monitoring
centre, with one user for every role (password DEMO_PASSWORD, see README.md).
`--scale large` adds bulk synthetic records for the benchmarks in bench/.
"""

import random
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from harbour.accounts.constants import OrganisationKind as K
from harbour.accounts.constants import Role as R
from harbour.accounts.models import Membership, Organisation, User
from harbour.lib.demo import synthetic_name
from harbour.people.matching import name_key
from harbour.people.models import Person

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

DEMO_PEOPLE = 25
LARGE_PEOPLE = 20_000


class Command(BaseCommand):
    help = "Seed a synthetic demo region (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")

    @transaction.atomic
    def handle(self, *args, scale: str, **options):
        orgs = {}
        for name, short, kind in ORGANISATIONS:
            org, _ = Organisation.objects.get_or_create(
                name=name, defaults={"short_name": short, "kind": kind, "slug": slugify(short)}
            )
            orgs[short] = org
        for email, full_name, short, roles in USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
            for role in roles:
                Membership.objects.get_or_create(user=user, organisation=orgs[short], role=role)
        total = DEMO_PEOPLE + (LARGE_PEOPLE if scale == "large" else 0)
        self._people(orgs["VSU"], total)
        self.stdout.write(self.style.SUCCESS(self.logins()))

    def _people(self, org: Organisation, total: int) -> None:
        """Top the unit up to `total` synthetic people. The generator is seeded, so the
        same run of names comes out every time and a second run adds nobody."""
        rng = random.Random(2026)
        existing = Person.objects.filter(organisation=org).count()
        people = []
        for i in range(total):
            given, family = synthetic_name(rng)
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
            # 555-01xx numbers are reserved for fiction: no real phone can be reached.
            phone = f"+1 902 555 01{rng.randrange(100):02d}"
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

    @staticmethod
    def logins() -> str:
        lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
        for email, _name, short, roles in USERS:
            lines.append(f"  {email:<28} {', '.join(roles):<12} {short}")
        return "\n".join(lines)
