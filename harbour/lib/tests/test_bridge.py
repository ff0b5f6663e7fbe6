"""The bridge that serves Django's WSGI handler over ASGI (harbour.lib.bridge), tested
through a real uvicorn on loopback with real HTTP: what arrives is what was sent, whole
responses and streamed ones come back byte for byte, keep-alive connections carry request
after request, and Harbour itself is served through it."""

import hashlib
import http.client
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.db import connections

from harbour.lib import bridge
from harbour.lib.web import listening_socket


def echo(environ, start_response):
    """A WSGI app that answers what it was sent: method, path, query, a header and the
    sha256 and length of the body, read in small pieces as Django's multipart parser does."""
    body = environ["wsgi.input"]
    digest = hashlib.sha256()
    size = 0
    while chunk := body.read(7919):
        digest.update(chunk)
        size += len(chunk)
    answer = "\n".join(
        [
            environ["REQUEST_METHOD"],
            environ["PATH_INFO"],
            environ["QUERY_STRING"],
            environ.get("HTTP_X_NOTE", ""),
            environ.get("HTTP_COOKIE", ""),
            digest.hexdigest(),
            str(size),
        ]
    ).encode()
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Echo", "yes")])
    return [answer]


class Counting:
    """A streamed WSGI body of numbered lines, which records that it was closed."""

    closed = threading.Event()

    def __init__(self, lines: int):
        self.lines = lines

    def __iter__(self) -> Iterator[bytes]:
        for n in range(self.lines):
            yield f"line {n}\n".encode()

    def close(self) -> None:
        Counting.closed.set()


def streamed(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return Counting(int(environ["QUERY_STRING"] or 3))


def failing(environ, start_response):
    raise RuntimeError("the application failed")


def route(environ, start_response):
    app = {"/stream": streamed, "/fail": failing}.get(environ["PATH_INFO"], echo)
    return app(environ, start_response)


class Served:
    """uvicorn serving an ASGI app on a loopback port, in a thread, for the test."""

    def __init__(self, app):
        self.sock = listening_socket("127.0.0.1", 0)
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, lifespan="off", log_level="critical")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def echo_server():
    app = bridge.Bridge(route, get_asgi_application(), threads=2)
    served = Served(app)
    yield served
    served.stop()
    app.executor.shutdown()


@pytest.fixture
def harbour_server(transactional_db):
    app = bridge.Bridge(get_wsgi_application(), get_asgi_application(), threads=1)
    served = Served(app)
    yield served
    served.stop()
    # The bridge's thread keeps its database connection (CONN_MAX_AGE): close it, or
    # PostgreSQL will not drop the test database at the end of the run.
    app.executor.submit(connections.close_all).result()
    app.executor.shutdown()


def test_a_request_arrives_whole_method_path_query_headers_and_body(echo_server):
    body = bytes(range(256)) * 9000  # 2.3 MB: past the in-memory spool, into a file
    conn = echo_server.connection()
    conn.request(
        "POST",
        "/caf%C3%A9/x?q=a%20b&n=1",
        body=body,
        headers={"X-Note": "hello", "Content-Type": "application/octet-stream"},
    )
    response = conn.getresponse()
    lines = response.read().decode().split("\n")
    assert response.status == 201
    assert response.getheader("X-Echo") == "yes"
    # PATH_INFO is the UTF-8 bytes as latin-1, as WSGI servers give it (PEP 3333).
    assert lines[:4] == ["POST", "/café".encode().decode("latin-1") + "/x", "q=a%20b&n=1", "hello"]
    assert lines[5:] == [hashlib.sha256(body).hexdigest(), str(len(body))]
    assert len(body) > bridge.SPOOL_BYTES


def test_a_keep_alive_connection_carries_request_after_request(echo_server):
    conn = echo_server.connection()
    for n in range(5):
        payload = f"request {n}".encode()
        conn.request("PUT", f"/n/{n}", body=payload)
        response = conn.getresponse()
        lines = response.read().decode().split("\n")
        assert (lines[0], lines[1], lines[6]) == ("PUT", f"/n/{n}", str(len(payload)))
    assert response.getheader("Connection") != "close"


def test_repeated_cookie_headers_are_joined_as_one_cookie_header():
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"cookie", b"a=1"), (b"cookie", b"b=2"), (b"accept", b"x"), (b"accept", b"y")],
    }
    environ = bridge.environ_for(scope, None)
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["HTTP_ACCEPT"] == "x,y"


def test_a_streamed_body_arrives_in_order_and_is_closed(echo_server):
    Counting.closed.clear()
    conn = echo_server.connection()
    conn.request("GET", "/stream?2000")
    response = conn.getresponse()
    text = response.read().decode()
    assert response.status == 200
    assert text == "".join(f"line {n}\n" for n in range(2000))
    assert Counting.closed.wait(5)


def test_an_application_that_raises_gets_a_500_and_the_server_goes_on(echo_server):
    conn = echo_server.connection()
    conn.request("GET", "/fail")
    response = conn.getresponse()
    response.read()
    assert response.status == 500
    conn = echo_server.connection()
    conn.request("GET", "/after")
    assert conn.getresponse().status == 201


def test_harbour_is_served_through_the_bridge_with_its_database(harbour_server):
    conn = harbour_server.connection()
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    assert (response.status, response.read()) == (200, b'{"status": "ok"}')
    conn.request("GET", "/accounts/login/", headers={"Accept-Language": "fr"})
    response = conn.getresponse()
    page = response.read().decode()
    assert response.status == 200
    assert response.getheader("Content-Security-Policy")
    assert 'lang="fr"' in page


def test_a_static_file_comes_back_byte_for_byte(harbour_server):
    name = "vendor/uswds/css/uswds.min.css"
    with staticfiles_storage.open(staticfiles_storage.stored_name(name)) as f:
        expected = f.read()
    assert len(expected) > 2 * bridge.BATCH_BYTES
    conn = harbour_server.connection()
    conn.request("GET", settings.STATIC_URL + staticfiles_storage.stored_name(name))
    response = conn.getresponse()
    assert response.status == 200
    assert response.read() == expected
