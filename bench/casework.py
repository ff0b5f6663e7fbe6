"""Casework benchmark: the pages a unit lives in, over real HTTP, under load.

1. Builds (or reuses, bench/common.py) a database made by `harbour demo --scale large`:
   ten years of a unit, 200,000+ people, 100,000+ cases, 1,000,000+ contacts.
2. Starts the real server on loopback the production way: `harbour serve --no-worker` with
   uvicorn, WORKERS processes (2 on the 2-core machine: one per core; the load generator
   shares the cores, as it would share a small server with its reverse proxy). Settings are
   bench/settings.py: Harbour's own plus `/bench/floor`, a view that returns "ok" through
   the whole middleware stack.
3. Signs in 16 clients as the unit's caseworkers and coordinators, production-style
   (HARBOUR_DEMO=0, so two-factor sign-in is enforced): each user has TOTP enrolled, and
   its session is written through the session engine with what allauth records after a
   password and a TOTP step (`account_authentication_methods`), so the middleware lets it
   through exactly as after a real sign-in.
4. Drives the 16 clients concurrently, each on its own keep-alive connection with no think
   time, one page at a time for SECONDS each (after a warm-up): the floor, my caseload
   `/cases/`, a case page with its timeline `/cases/<id>/` (cases of the user's own caseload
   with at least 15 timeline lines), the triage queue `/intake/`, person search
   `/cases/search/?q=` and `/people/?q=` (family names). One page at a time, so a slow page
   does not queue in front of a fast one and the floor is the floor. A page that answers
   404 on a first probe is not built yet: it is skipped and reported as null.
5. Prints ONE JSON line and appends it to bench/results/casework.jsonl: p50/p95/p99 per page
   (nearest-rank) and requests per second, p95 over the floor's p95, and each page's
   median with one client alone (before the 16: how slow the page is, not the queue); row
   counts, the database, Python, git commit and the machine's load average (other work on
   the machine skews everything). Targets (issue 3): p95 <= 50 ms and <= 3x the floor.
   The server's log goes to server.log beside the benchmark database.

    .venv/bin/python bench/casework.py [--seconds 15] [--workers 2] [--clients 16]
    DATABASE_URL=postgres://... .venv/bin/python bench/casework.py
"""

import argparse
import asyncio
import json
import math
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

PAGES = ["floor", "caseload", "case", "triage", "case_search", "people_search"]
TARGET_P95_MS = 50
TARGET_RATIO = 3
CLIENTS = 16
SLOW_PAGE_LIMIT = 120


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least p% of the values at or
    below it. None for no values."""
    if not values:
        return None
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


# ---- signing in ---------------------------------------------------------------------------


def sign_in(users) -> list[str]:
    """A session key per user, as after a password and TOTP sign-in (see the docstring)."""
    from importlib import import_module

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from harbour.accounts.access import SESSION_ORG_KEY

    engine = import_module(settings.SESSION_ENGINE)
    keys = []
    for user, organisation in users:
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None:
            totp = TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").instance
        now = time.time()
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["account_authentication_methods_user"] = str(user.pk)
        session["account_authentication_methods"] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "id": totp.pk, "type": "totp"},
        ]
        session[SESSION_ORG_KEY] = organisation.pk
        session.create()
        keys.append(session.session_key)
    return keys


def plan(clients: int):
    """Who the clients are, and what each asks for: [(session key, {page: [paths]})]."""
    from django.db.models import Count

    from harbour.accounts.constants import Role
    from harbour.accounts.models import Membership, Organisation, User
    from harbour.cases.constants import LIVE_STATUSES
    from harbour.cases.models import Case, TimelineEvent
    from harbour.lib.demo import FAMILY

    unit = Organisation.objects.get(short_name="VSU")
    # The busiest caseworkers (the large scale's, when it is there) and up to three
    # coordinators.
    coordinators = list(
        User.objects.filter(
            memberships__organisation=unit, memberships__role=Role.COORDINATOR
        ).order_by("email")
    )[:3]
    workers = (
        Membership.objects.filter(organisation=unit, role=Role.CASEWORKER)
        .values_list("user_id", flat=True)
        .order_by("user_id")
    )
    live = (
        Case.objects.filter(organisation=unit, status__in=LIVE_STATUSES, assigned_to__in=workers)
        .values("assigned_to")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    busiest = [row["assigned_to"] for row in live[: max(clients - len(coordinators), 1)]]
    people = [*User.objects.filter(pk__in=busiest), *coordinators]
    keys = sign_in([(u, unit) for u in people])
    rng = random.Random(16)
    out = []
    for user, key in zip(people, keys, strict=True):
        mine = Case.objects.filter(organisation=unit, restricted=False)
        if user not in coordinators:
            mine = mine.filter(assigned_to=user)
        recent = list(mine.order_by("-last_activity_at").values_list("pk", flat=True)[:200])
        lines = (
            TimelineEvent.objects.filter(case_id__in=recent)
            .values("case_id")
            .annotate(n=Count("id"))
            .filter(n__gte=15)
        )
        cases = [row["case_id"] for row in lines][:20]
        names = rng.sample(FAMILY, 10)
        out.append(
            (
                key,
                {
                    "floor": ["/bench/floor"],
                    "caseload": ["/cases/"],
                    "case": [f"/cases/{pk}/" for pk in cases],
                    "triage": ["/intake/"],
                    "case_search": [f"/cases/search/?q={quote(name)}" for name in names],
                    "people_search": [f"/people/?q={quote(name)}" for name in names],
                },
            )
        )
    # Anyone without a case of their own with a long enough timeline reads the others'.
    pool = [path for _, paths in out for path in paths["case"]]
    for _, paths in out:
        paths["case"] = paths["case"] or pool
    return out


def row_counts() -> dict[str, int]:
    from harbour.cases.models import Case, Contact, ServiceProvided, Task, TimelineEvent
    from harbour.intake.models import Referral
    from harbour.people.models import Person

    models = {
        "people": Person,
        "cases": Case,
        "contacts": Contact,
        "services": ServiceProvided,
        "tasks": Task,
        "referrals": Referral,
        "timeline_events": TimelineEvent,
    }
    return {name: model.objects.count() for name, model in models.items()}


# ---- the load ----------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection with a session cookie."""

    def __init__(self, port: int, session: str):
        self.port = port
        self.cookie = f"sessionid={session}"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nCookie: {self.cookie}\r\n"
            "Accept: text/html\r\nAccept-Language: en\r\nConnection: keep-alive\r\n\r\n"
        )
        self.writer.write(request.encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip().lower()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if headers.get("connection") == "close":
            self.writer.close()
            self.writer = None
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def probe(port: int, session: str, paths: dict[str, list[str]]) -> dict[str, bool]:
    """Which pages exist: a 404 (or no path to ask) means not built yet; anything but 200
    otherwise is a failure of the benchmark."""
    client = Client(port, session)
    found = {}
    for page in PAGES:
        if not paths[page]:
            found[page] = False
            continue
        status = await client.get(paths[page][0])
        if status not in (200, 404):
            raise SystemExit(f"{page} {paths[page][0]} answered {status}")
        found[page] = status == 200
    client.close()
    return found


async def alone(port: int, plan, page: str, seconds: float = 5, most: int = 30) -> list[float]:
    """One client on its own: the page's latency with no queue in front of it."""
    session, paths = plan
    client = Client(port, session)
    rng = random.Random(page)
    timings: list[float] = []
    stop = time.perf_counter() + seconds
    try:
        await client.get(rng.choice(paths[page]))
        while time.perf_counter() < stop and len(timings) < most:
            t = time.perf_counter()
            if await client.get(rng.choice(paths[page])) == 200:
                timings.append((time.perf_counter() - t) * 1000)
    finally:
        client.close()
    return timings


async def drive(port: int, plans, page: str, seconds: float, warmup: float):
    """All clients on one page for `seconds` (after `warmup`): the latencies of the requests
    started in that time, and the errors. A page so slow that a client has none by then
    goes on until each has one (at most SLOW_PAGE_LIMIT seconds more)."""
    timings: list[float] = []
    errors = 0
    measure_from = time.perf_counter() + warmup
    stop = measure_from + seconds
    limit = stop + SLOW_PAGE_LIMIT

    async def one(index: int, session: str, paths: list[str]) -> None:
        nonlocal errors
        client = Client(port, session)
        rng = random.Random(index)
        measured = 0
        try:
            while (now := time.perf_counter()) < stop or (not measured and now < limit):
                t = time.perf_counter()
                status = await client.get(rng.choice(paths))
                elapsed = (time.perf_counter() - t) * 1000
                if t >= measure_from:
                    measured += 1
                    if status == 200:
                        timings.append(elapsed)
                    else:
                        errors += 1
        finally:
            client.close()

    await asyncio.gather(*(one(i, key, paths[page]) for i, (key, paths) in enumerate(plans)))
    return timings, errors


# ---- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    log = open(common.var_dir() / "server.log", "ab")  # noqa: SIM115 (the server's, to its end)
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "harbour", "serve", "--no-worker"]
        + ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        cwd=common.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit("the server did not answer /healthz within 90 s")


def stop_server(server: subprocess.Popen) -> None:
    # `harbour serve` stops its uvicorn on Ctrl-C; the group is ours if it does not.
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# ---- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=float(os.getenv("BENCH_SECONDS", 15)))
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--workers", type=int, default=int(os.getenv("BENCH_WORKERS", 2)))
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset")
    args = parser.parse_args()

    common.configure(demo=False)
    demo_s = common.build_database()
    import django

    django.setup()
    from django.db import connection

    counts = row_counts()
    plans = plan(args.clients)
    connection.close()

    port = free_port()
    server = start_server(port, args.workers)
    timings: dict[str, list[float]] = {}
    single: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    load = [os.getloadavg()[0]]
    try:
        found = asyncio.run(probe(port, plans[0][0], plans[0][1]))
        for page in PAGES:
            if found[page] and page in args.pages.split(","):
                single[page] = asyncio.run(alone(port, plans[0], page))
                timings[page], errors[page] = asyncio.run(
                    drive(port, plans, page, args.seconds, args.warmup)
                )
    finally:
        stop_server(server)
    load.append(os.getloadavg()[0])

    floor_p95 = percentile(timings["floor"], 95)
    figures: dict[str, object] = {}
    ratios: dict[str, float | None] = {}
    for page in PAGES:
        values = timings.get(page)
        if not values:
            figures[page] = None
            ratios[page] = None
            continue
        p95 = percentile(values, 95)
        figures[page] = {
            "n": len(values),
            "p50_ms": round(percentile(values, 50) or 0, 1),
            "p95_ms": round(p95 or 0, 1),
            "p99_ms": round(percentile(values, 99) or 0, 1),
            "per_s": round(len(values) / args.seconds, 1),
            "errors": errors[page],
            "alone_p50_ms": round(percentile(single[page], 50) or 0, 1),
        }
        ratios[page] = round(p95 / floor_p95, 2) if p95 and floor_p95 else None
    result = {
        "bench": "casework",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": common.git_commit(),
        "database": connection.vendor,
        "python": platform.python_version(),
        "server": f"harbour serve (uvicorn), {args.workers} workers",
        "clients": args.clients,
        "seconds_per_page": args.seconds,
        # Other work on the machine skews every figure: the 1-minute load before and after.
        "load_avg": [round(x, 1) for x in load],
        "rows": counts,
        "demo_build_s": demo_s,
        "pages": figures,
        "p95_over_floor": ratios,
        "targets": {"p95_ms": TARGET_P95_MS, "p95_over_floor": TARGET_RATIO},
    }
    line = json.dumps(result)
    print(line)
    common.append("casework", line)


if __name__ == "__main__":
    main()
