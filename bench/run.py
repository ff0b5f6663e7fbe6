"""Foundation benchmarks: one JSON line of figures, printed and appended to bench/results/.

Runs against the database made by `harbour demo --scale large` that bench/casework.py uses
too (bench/common.py: built once under var/bench/, then reused; SQLite unless DATABASE_URL is
set). Each run appends its BENCH_EVENTS access events to that database's trail. Figures:
- audit_append_per_s: access events appended per second (each its own transaction, as views do)
- audit_verify_per_s: events verified per second by `harbour audit verify` (the whole trail)
- field_decrypt_per_s: encrypted values read and decrypted per second (every person's phone)
- blind_lookup_ms: one exact lookup of an encrypted phone number through its blind index
- people_page_ms_p50 / _p95: the caseworker's people list over the test client (full stack)
"""

import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

# Demo mode: the people page over the test client, without enrolling TOTP.
common.configure(demo=True)
common.build_database()

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from harbour.accounts.models import User  # noqa: E402
from harbour.audit.actions import record_access  # noqa: E402
from harbour.audit.verify import verify_chain  # noqa: E402
from harbour.lib.fields import blind_lookup  # noqa: E402
from harbour.people.matching import likely_duplicates, profile_of  # noqa: E402
from harbour.people.models import Person  # noqa: E402

EVENTS = int(os.getenv("BENCH_EVENTS", "5000"))


def main() -> None:
    user = User.objects.get(email="caseworker@vsu.demo")
    people = list(Person.objects.exclude(safe_phone=None)[:100])
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    request.user = user

    start = time.perf_counter()
    for i in range(EVENTS):
        person = people[i % len(people)]
        with transaction.atomic():
            record_access(request, "person.view", obj=person, person=person, reason="bench")
    append_s = time.perf_counter() - start

    start = time.perf_counter()
    verdict = verify_chain()
    verify_s = time.perf_counter() - start
    assert verdict.intact, verdict

    start = time.perf_counter()
    decrypted = sum(1 for p in Person.objects.only("id", "safe_phone") if p.safe_phone)
    decrypt_s = time.perf_counter() - start

    lookups = [p.safe_phone for p in people[:50]]
    start = time.perf_counter()
    for number in lookups:
        assert Person.objects.filter(**blind_lookup(Person, "safe_phone", number)).exists()
    lookup_ms = (time.perf_counter() - start) * 1000 / len(lookups)

    # Duplicate detection for an existing person: indexed narrowing, then scoring.
    scoped = Person.objects.filter(organisation=people[0].organisation, merged_into__isnull=True)
    start = time.perf_counter()
    for person in people[:50]:
        likely_duplicates(scoped, profile_of(person), exclude=person.pk)
    duplicates_ms = (time.perf_counter() - start) * 1000 / 50

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get("/people/")
    timings = []
    for _ in range(50):
        t = time.perf_counter()
        response = client.get("/people/")
        timings.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    timings.sort()

    figures = {
        "bench": "foundation",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": common.git_commit(),
        "database": connection.vendor,
        "python": platform.python_version(),
        "people": Person.objects.count(),
        "audit_events": verdict.checked,
        "audit_append_per_s": round(EVENTS / append_s),
        "audit_verify_per_s": round(verdict.checked / verify_s),
        "field_decrypt_per_s": round(decrypted / decrypt_s),
        "blind_lookup_ms": round(lookup_ms, 2),
        "duplicate_check_ms": round(duplicates_ms, 1),
        "people_page_ms_p50": round(statistics.median(timings), 1),
        "people_page_ms_p95": round(timings[int(len(timings) * 0.95) - 1], 1),
    }
    line = json.dumps(figures)
    print(line)
    common.append("foundation", line)


if __name__ == "__main__":
    main()
