"""The web server: uvicorn serving Harbour, run by `harbour serve`.

Two things here are deliberate, and each was found by bench/casework.py:

- **Nagle's algorithm off.** asyncio turns it off (TCP_NODELAY) only on connections whose
  listening socket says IPPROTO_TCP; a socket made as ``socket.socket(family)`` (protocol
  0, as uvicorn makes them) keeps Nagle on. uvicorn writes a response's headers and body
  separately, so on a keep-alive connection the body then waited for the client's delayed
  acknowledgement: about 40 ms added to every response after a connection's first.
- **One listening socket per worker process (SO_REUSEPORT)**, so the kernel spreads new
  connections over the workers. With one socket shared by every worker (uvicorn's own
  supervisor), the first worker to wake accepts every connection waiting, asyncio accepting
  up to the backlog in one go, and a burst of keep-alive connections (a reverse proxy's
  pool, the benchmark's sixteen clients) all landed on one process: one core busy, the
  other idle, latencies doubled.

So with several workers this module is its own small supervisor: it starts WORKERS
processes, each binding its own socket to the address and running uvicorn on it, stops
them on Ctrl-C or SIGTERM (uvicorn finishes the requests in flight), and starts a worker
again if one dies.

    python -m harbour.lib.web --host 127.0.0.1 --port 8000 --workers 2
"""

import argparse
import multiprocessing
import signal
import socket
import sys
import time

import uvicorn

APP = "harbour.asgi:application"
# A worker that dies sooner than this after starting is not restarted: it would fail the
# same way again (a port in use, an application that does not import).
EARLY_DEATH_SECONDS = 5
BACKLOG = 2048


def listening_socket(host: str, port: int, reuse_port: bool = False) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def serve_one(app: str, host: str, port: int, reuse_port: bool) -> None:
    """One worker: its own socket, uvicorn on it until SIGINT or SIGTERM.

    The socket listens before the application is loaded (a second or two for Django), so
    connections made meanwhile wait in its queue and are not all given to whichever worker
    was listening first. No access log: a URL can carry a search for a person's name, and
    Harbour's own audit trail records who saw what."""
    sock = listening_socket(host, port, reuse_port=reuse_port)
    sock.listen(BACKLOG)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        server_header=False,
        lifespan="off",
        access_log=False,
        backlog=BACKLOG,
    )
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Runs `workers` processes of serve_one with SO_REUSEPORT sockets."""

    def __init__(self, host: str, port: int, workers: int, app: str = APP):
        self.app = app
        self.host = host
        self.port = port
        self.workers = workers
        self.context = multiprocessing.get_context("spawn")
        self.processes: list = []
        self.started: dict[int | None, float] = {}
        self.stopping = False

    def start_worker(self):
        process = self.context.Process(
            target=serve_one, args=(self.app, self.host, self.port, True), daemon=False
        )
        process.start()
        self.started[process.pid] = time.monotonic()
        return process

    def stop(self, *_args) -> None:
        self.stopping = True

    def run(self) -> int:
        # Bound here first, so a port already taken is said once, clearly, before any
        # worker starts (the probe joins the same SO_REUSEPORT group only while it lives).
        try:
            listening_socket(self.host, self.port, reuse_port=True).close()
        except OSError as error:
            print(f"Cannot listen on {self.host}:{self.port}: {error}", file=sys.stderr)
            return 1
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        self.processes = [self.start_worker() for _ in range(self.workers)]
        print(f"Uvicorn running on http://{self.host}:{self.port} with {self.workers} workers")
        status = 0
        while not self.stopping:
            time.sleep(0.5)
            for index, process in enumerate(self.processes):
                if process.is_alive() or self.stopping:
                    continue
                if time.monotonic() - self.started[process.pid] < EARLY_DEATH_SECONDS:
                    print(f"Worker {process.pid} failed to start; stopping.", file=sys.stderr)
                    self.stopping = True
                    status = 1
                    break
                print(f"Worker {process.pid} died (exit {process.exitcode}); starting another.")
                self.processes[index] = self.start_worker()
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes what is in flight
        for process in self.processes:
            process.join(30)
            if process.is_alive():
                process.kill()
                process.join()
        return status


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve Harbour with uvicorn.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--app", default=APP, help=argparse.SUPPRESS)  # for the tests
    args = parser.parse_args(argv)
    if args.workers <= 1:
        # One process, its socket made here for TCP_NODELAY (see above).
        try:
            serve_one(args.app, args.host, args.port, reuse_port=False)
        except KeyboardInterrupt:
            pass
        return
    sys.exit(Supervisor(args.host, args.port, args.workers, args.app).run())


if __name__ == "__main__":
    main()
