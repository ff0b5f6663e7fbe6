"""`harbour serve`: the web server (uvicorn, ASGI) and a task worker, together, until
interrupted. Production runs them as separate services (docs/operations.md)."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Harbour with uvicorn and run a task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.getenv("HARBOUR_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.getenv("HARBOUR_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
        parser.add_argument("--no-worker", action="store_true", help="do not start a task worker")

    def handle(self, *args, host, port, workers, no_worker, **options):
        procs = []
        if not no_worker:
            procs.append(subprocess.Popen([sys.executable, "-m", "harbour", "worker"]))  # noqa: S603
        # uvicorn, through harbour.lib.web: with several workers it makes the listening
        # socket itself so that responses are not held back by Nagle's algorithm.
        web = [
            sys.executable,
            "-m",
            "harbour.lib.web",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
        procs.append(subprocess.Popen(web))  # noqa: S603
        self.stdout.write(f"Harbour is at http://{host}:{port}/  (Ctrl-C stops it)")
        try:
            procs[-1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
