"""The web server (harbour.lib.web): connections accepted on its listening socket have Nagle's
algorithm off, so a keep-alive response is not held back ~40 ms waiting for the client's
acknowledgement; with several workers each has its own socket, so connections are spread
over them; a worker that dies is replaced; SIGTERM stops them all."""

import asyncio
import concurrent.futures
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from harbour.lib.web import EARLY_DEATH_SECONDS, listening_socket

ROOT = Path(__file__).resolve().parents[3]


def test_connections_accepted_on_the_listening_socket_have_nagle_off():
    sock = listening_socket("127.0.0.1", 0)
    sock.listen()

    async def accept_one() -> int:
        loop = asyncio.get_running_loop()
        nodelay: asyncio.Future[int] = loop.create_future()

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport):
                accepted = transport.get_extra_info("socket")
                nodelay.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await loop.create_server(Protocol, sock=sock)
        _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
        try:
            return await asyncio.wait_for(nodelay, 5)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    # In a thread of its own: the browser tests leave an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(lambda: asyncio.run(accept_one())).result() != 0


# ---- the supervisor: one SO_REUSEPORT socket per worker ----------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _served_by(port: int, connections: int) -> list[int]:
    """Open `connections` keep-alive connections at once, then ask on each which worker
    holds it."""
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(connections)]
    for conn in conns:
        conn.connect()
    pids = []
    for conn in conns:
        conn.request("GET", "/")
        pids.append(int(conn.getresponse().read()))
        conn.close()
    return pids


def _start(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "harbour.lib.web", "--port", str(port), "--workers", str(workers)]
        + ["--app", "harbour.lib.tests.pid_app:application"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Up when every worker has answered once.
    seen: set[int] = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            seen.update(_served_by(port, 4))
        except OSError:
            assert server.poll() is None, server.stdout.read()
        if len(seen) == workers:
            return server
        time.sleep(0.1)
    server.kill()
    raise AssertionError(f"{workers} workers did not all answer within 30 s")


def test_a_burst_of_keep_alive_connections_is_spread_over_the_workers():
    port = _free_port()
    server = _start(port, workers=2)
    try:
        # With one shared socket the first worker awake took every waiting connection in
        # one go. Two SO_REUSEPORT sockets get them by the kernel's hash of each
        # connection: all 24 on one would happen about once in eight million runs.
        pids = _served_by(port, 24)
        assert len(set(pids)) == 2
        assert server.pid not in pids
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    assert server.returncode == 0, output


def test_a_worker_that_dies_is_replaced_and_sigterm_stops_them_all():
    port = _free_port()
    server = _start(port, workers=2)
    try:
        first = set(_served_by(port, 24))
        time.sleep(EARLY_DEATH_SECONDS)  # past the start-up window, so it is restarted
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        now = first
        while time.monotonic() < deadline:
            try:
                now = set(_served_by(port, 24))
            except ConnectionError:
                # A connection that reached the dying worker's queue is reset: ask again.
                continue
            if victim not in now and len(now) == 2:
                break
            time.sleep(0.2)
        assert victim not in now and len(now) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    assert server.returncode == 0, output
    for pid in first | now:
        assert not _alive(pid)


def test_a_port_already_taken_is_said_clearly_and_nothing_starts():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "harbour.lib.web", "--port", str(port), "--workers", "2"]
            + ["--app", "harbour.lib.tests.pid_app:application"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
