"""Screening benchmark: import a synthetic NIBRS file, the floor, and the IPV dashboard.

1. Generates (or reuses) a synthetic NIBRS flat file of INCIDENTS incidents with
   bench/nibrs_generate.py (2018-01-01 to 2019-12-31, 40 agencies, seed 1), under
   var/bench/screening-sqlite/.
2. Imports it into a FRESH SQLite database there (the previous one is removed; migrations
   run first) with harbour.screening.actions.import_occurrences, which screens each batch
   against the default rules as it writes it ("matches" in the line: victims queued for
   outreach). Reports incidents per second over import and screening together.
3. The floor, in the same run: plain `sqlite3` `executemany` of the same rows into the same
   tables and columns (schema, indexes included, copied from the imported database into an
   empty file; rows read back from the imported database in chunks, only the inserts timed,
   one transaction per table). Reports Harbour's seconds over the floor's.
4. Renders the dashboard /screening/stats/ (2019 compared with 2018, every victim) through
   Django's test client, signed in as a coordinator: one warm-up, then REQUESTS requests;
   p50/p95 in ms.
5. Prints ONE JSON line and appends it to bench/results/screening.jsonl. Targets (issue 4):
   >= 20,000 incidents/s, <= 3x the floor, dashboard <= 300 ms.

    .venv/bin/python bench/screening.py [--incidents 1000000] [--requests 10]
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.casework import percentile, sign_in  # noqa: E402

TARGET_PER_S = 20_000
TARGET_RATIO = 3
TARGET_DASHBOARD_MS = 300
CHUNK = 50_000


def generate(directory: Path, incidents: int) -> tuple[Path, float | None]:
    from bench import nibrs_generate

    path = directory / f"nibrs-{incidents}.txt"
    if path.exists():
        return path, None
    began = time.perf_counter()
    nibrs_generate.generate(path, incidents)
    return path, round(time.perf_counter() - began, 1)


def screening_tables(db: sqlite3.Connection) -> list[str]:
    # Parents before children, as an import writes them.
    order = [
        "screening_importrun",
        "screening_occurrence",
        "screening_occurrenceoffence",
        "screening_occurrenceperson",
        "screening_victimoffence",
        "screening_occurrencerelationship",
        "screening_zeroreport",
    ]
    present = {
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'screening_%'"
        )
    }
    return [name for name in order if name in present]


def floor(source_path: Path, floor_path: Path) -> tuple[float, dict[str, int]]:
    """Seconds to executemany the imported rows into an empty copy of the tables."""
    floor_path.unlink(missing_ok=True)
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(floor_path, isolation_level=None)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    tables = screening_tables(source)
    marks = ",".join("?" * len(tables))
    schema = f"SELECT sql FROM sqlite_master WHERE type=? AND tbl_name IN ({marks})"  # noqa: S608
    for kind in ("table", "index"):
        for (sql,) in source.execute(f"{schema} AND sql IS NOT NULL", (kind, *tables)):
            target.execute(sql)
    seconds = 0.0
    rows: dict[str, int] = {}
    for table in tables:
        cursor = source.execute(f"SELECT * FROM {table}")  # noqa: S608
        width = len(cursor.description)
        insert = f"INSERT INTO {table} VALUES ({','.join('?' * width)})"  # noqa: S608
        rows[table] = 0
        while chunk := cursor.fetchmany(CHUNK):
            began = time.perf_counter()
            target.execute("BEGIN")
            target.executemany(insert, chunk)
            target.execute("COMMIT")
            seconds += time.perf_counter() - began
            rows[table] += len(chunk)
    source.close()
    target.close()
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()

    directory = common.ROOT / "var" / "bench" / "screening-sqlite"
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_VAR_DIR"] = str(directory)
    database = directory / "harbour.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    common.configure(demo=False)
    common.harbour("migrate", "--no-input")
    common.harbour("collectstatic", "--no-input", "-v", "0")
    nibrs, generate_s = generate(directory, args.incidents)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from harbour.accounts.constants import OrganisationKind, Role
    from harbour.accounts.models import Membership, Organisation, User
    from harbour.screening.actions import import_occurrences
    from harbour.screening.models import Occurrence

    setup_test_environment()
    organisation = Organisation.objects.create(
        name="Bench unit", slug="bench", kind=OrganisationKind.VSU
    )
    began = time.perf_counter()
    with open(nibrs, "rb") as f:
        run = import_occurrences(
            f, organisation=organisation, source_format="nibrs-flat", file_name=nibrs.name
        )
    import_s = time.perf_counter() - began
    # The importer screens each batch in the batch's own transaction (screen.screen), so
    # the import's time includes screening; the line says how many victims matched.
    from harbour.screening.models import ScreeningMatch

    matches = ScreeningMatch.objects.filter(organisation=organisation).count()
    screened = matches > 0
    screen_s = 0.0
    incidents = Occurrence.objects.filter(organisation=organisation).count()
    harbour_s = import_s + screen_s
    connection.close()

    floor_s, floor_rows = floor(database, directory / "floor.sqlite3")

    user = User.objects.create(email="coordinator@bench.test", full_name="Coordinator")
    Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
    # Signed in as after a password and a TOTP step (bench/casework.py's sign_in).
    from django.conf import settings

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sign_in([(user, organisation)])[0]
    query = {"start": "2019-01-01", "end": "2019-12-31", "min_age": "0"}
    status = client.get("/screening/stats/", query, secure=True).status_code  # warm-up
    timings = []
    for _ in range(args.requests):
        began = time.perf_counter()
        response = client.get("/screening/stats/", query, secure=True)
        timings.append((time.perf_counter() - began) * 1000)
        status = max(status, response.status_code)

    result = {
        "bench": "screening",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": common.git_commit(),
        "database": connection.vendor,
        "python": platform.python_version(),
        "load_avg": round(os.getloadavg()[0], 1),
        "incidents": incidents,
        "file_bytes": nibrs.stat().st_size,
        "generate_s": generate_s,
        "import_s": round(import_s, 1),
        "screened": screened,
        "matches": matches,
        "screen_s": round(screen_s, 1),
        "rejected": run.rejected,
        "incidents_per_s": round(incidents / harbour_s) if harbour_s else None,
        "floor_s": round(floor_s, 1),
        "over_floor": round(harbour_s / floor_s, 2) if floor_s else None,
        "dashboard": {
            "requests": len(timings),
            "status": status,
            "p50_ms": round(percentile(timings, 50) or 0, 1),
            "p95_ms": round(percentile(timings, 95) or 0, 1),
        },
        "targets": {
            "incidents_per_s": TARGET_PER_S,
            "over_floor": TARGET_RATIO,
            "dashboard_ms": TARGET_DASHBOARD_MS,
        },
        "rows": floor_rows,
    }
    line = json.dumps(result)
    print(line)
    common.append("screening", line)


if __name__ == "__main__":
    main()
