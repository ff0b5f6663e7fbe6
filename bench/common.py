"""What the benchmarks share: the large-demo database they run against, built once and then
reused, and where figures go.

The database and the keys that decrypt it live together in one directory per database and
data version under var/bench/ (SQLite keeps its file there too; with DATABASE_URL set, the
directory is keyed by the URL). `harbour demo --scale large` writes its months in batches
with markers, so on a database already complete it finds every marker and adds nothing in a
second or two: that is the reuse. Bump DATA_VERSION when the generator changes what it
writes, so a stale database is never measured.
"""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATA_VERSION = "casework-1"


def var_dir() -> Path:
    override = os.getenv("BENCH_VAR_DIR")
    if override:
        return Path(override)
    url = os.getenv("DATABASE_URL", "")
    if not url:
        return ROOT / "var" / "bench" / f"{DATA_VERSION}-sqlite"
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return ROOT / "var" / "bench" / f"{DATA_VERSION}-{digest}"


def configure(demo: bool) -> Path:
    """Point Harbour at the benchmark database (never the developer's var/)."""
    path = var_dir()
    path.mkdir(parents=True, exist_ok=True)
    os.environ["HARBOUR_VAR_DIR"] = str(path)
    os.environ["HARBOUR_DEMO"] = "1" if demo else "0"
    os.environ.setdefault("HARBOUR_HTTPS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    sys.path.insert(0, str(ROOT))
    return path


def harbour(*args: str, quiet: bool = True) -> str:
    """Run a `harbour` command in a child process with the benchmark environment."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "harbour", *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else None,
        text=True,
    )
    return result.stdout


def build_database() -> float | None:
    """Migrate and make sure the large demo is complete; the seconds the demo took when it
    had anything to write, else None."""
    harbour("migrate", "--no-input")
    harbour("collectstatic", "--no-input", "-v", "0")
    started = time.monotonic()
    out = harbour("demo", "--scale", "large", quiet=False)
    if "nothing to add" in out:
        return None
    return round(time.monotonic() - started, 1)


def git_commit() -> str:
    try:
        sha = subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha}-dirty" if dirty else sha


def append(name: str, line: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / f"{name}.jsonl", "a") as f:
        f.write(line + "\n")
