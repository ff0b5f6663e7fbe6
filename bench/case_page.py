"""Case page benchmark: one JSON line of figures, printed and appended to bench/results/.

On a fresh database made by `harbour demo --scale large`, adds cases in bulk (every demo
person a client, each case with a timeline, contacts and services) and one long-running
case with thousands of timeline lines, then times the caseworker's case page over the test
client (full stack: session, access, audit write, timeline rendering).

Figures: case_page_ms_p50 / _p95 over a sample of ordinary cases, long_case_ms_p50 / _p95
for the long case, and the page's query count (which must not grow with the timeline).
"""

import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HARBOUR_VAR_DIR", tempfile.mkdtemp(prefix="harbour-bench-"))
os.environ.setdefault("HARBOUR_DEMO", "1")
os.environ.setdefault("HARBOUR_HTTPS", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from harbour.accounts.models import User  # noqa: E402
from harbour.cases.constants import Program, TimelineKind  # noqa: E402
from harbour.cases.models import (  # noqa: E402
    Case,
    CaseProgram,
    Contact,
    ServiceProvided,
    TimelineEvent,
)
from harbour.people.models import Person  # noqa: E402

EVENTS_PER_CASE = int(os.getenv("BENCH_EVENTS_PER_CASE", "30"))
LONG_CASE_EVENTS = int(os.getenv("BENCH_LONG_CASE_EVENTS", "5000"))
SAMPLES = 60


def build(user) -> tuple[list[Case], Case]:
    rng = random.Random(7)
    now = timezone.now()
    org = user.memberships.first().organisation
    people = list(Person.objects.filter(organisation=org, cases__isnull=True)[:20000])
    taken = set(Case.objects.filter(organisation=org).values_list("number", flat=True))
    cases = []
    for i, person in enumerate(people):
        number = f"2099-{i:05d}"
        if number in taken:
            continue
        cases.append(
            Case(
                organisation=org,
                number=number,
                client=person,
                assigned_to=user if i % 3 == 0 else None,
                opened_at=now - timedelta(days=rng.randint(1, 900)),
            )
        )
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=2000)
        CaseProgram.objects.bulk_create(
            [CaseProgram(case=c, program=rng.choice(Program.values)) for c in cases],
            batch_size=2000,
        )
    kinds = [
        (
            TimelineKind.CONTACT,
            "recorded",
            {"channel": "phone", "direction": "outgoing", "outcome": "reached"},
        ),
        (TimelineKind.SERVICE, "recorded", {"service": "emotional_support"}),
        (TimelineKind.STATUS, "changed", {"from": "open", "to": "active"}),
        (TimelineKind.ASSIGNMENT, "assigned", {"to_user": user.pk}),
    ]

    def events_for(case, n):
        for j in range(n):
            kind, verb, data = kinds[j % len(kinds)]
            yield TimelineEvent(
                case=case,
                at=case.opened_at + timedelta(hours=j),
                kind=kind,
                verb=verb,
                data=data,
                actor=user,
            )

    batch: list[TimelineEvent] = []
    for c in cases:
        batch.extend(events_for(c, EVENTS_PER_CASE))
        if len(batch) > 20000:
            TimelineEvent.objects.bulk_create(batch, batch_size=5000)
            batch = []
    TimelineEvent.objects.bulk_create(batch, batch_size=5000)
    long_case = cases[0]
    TimelineEvent.objects.bulk_create(list(events_for(long_case, LONG_CASE_EVENTS)), 5000)
    Contact.objects.bulk_create(
        [
            Contact(
                case=long_case,
                person=long_case.client,
                channel="phone",
                direction="outgoing",
                outcome="reached",
                notes="Synthetic note",
                recorded_by=user,
                at=now - timedelta(hours=k),
            )
            for k in range(300)
        ]
    )
    ServiceProvided.objects.bulk_create(
        [ServiceProvided(case=long_case, service="follow_up", provided_by=user) for _ in range(300)]
    )
    return cases, long_case


def timings(client, urls) -> list[float]:
    out = []
    for url in urls:
        t = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(out)


def p95(values):
    return round(values[max(0, int(len(values) * 0.95) - 1)], 1)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", scale="large", stdout=open(os.devnull, "w"))  # noqa: SIM115
    user = User.objects.get(email="caseworker@vsu.demo")
    start = time.perf_counter()
    cases, long_case = build(user)
    build_s = time.perf_counter() - start

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    sample = random.Random(1).sample(cases, min(SAMPLES, len(cases)))
    timings(client, [f"/cases/{c.pk}/" for c in sample[:5]])  # warm up
    ordinary = timings(client, [f"/cases/{c.pk}/" for c in sample])
    long_url = f"/cases/{long_case.pk}/"
    long = timings(client, [long_url] * SAMPLES)
    with CaptureQueriesContext(connection) as queries:
        client.get(long_url)

    figures = {
        "bench": "case_page",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "python": platform.python_version(),
        "cases": Case.objects.count(),
        "timeline_events": TimelineEvent.objects.count(),
        "long_case_events": long_case.timeline.count(),
        "build_s": round(build_s, 1),
        "case_page_ms_p50": round(statistics.median(ordinary), 1),
        "case_page_ms_p95": p95(ordinary),
        "long_case_ms_p50": round(statistics.median(long), 1),
        "long_case_ms_p95": p95(long),
        "queries": len(queries),
    }
    line = json.dumps(figures)
    print(line)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    with open(results / "case_page.jsonl", "a") as f:
        f.write(line + "\n")


if __name__ == "__main__":
    main()
