"""Django's WSGI handler served over ASGI with one thread hop per request.

Django's own ASGI handler runs a sync view (every Harbour view is sync) through asgiref's
sync_to_async: a dozen hops between the event loop and a thread made for that one request,
each copying the request's context variables, and a new database connection per request
because the thread dies with it. Measured in-process on the large demo, the floor view (the
whole middleware stack, no work) cost 8.1 ms that way against 1.3 ms through the WSGI
handler. So the web process serves ordinary requests here instead:

- the request body is read on the event loop (kept in memory up to SPOOL_BYTES, then in a
  temporary file) before the request is handed over, so the view never waits on the loop;
- the whole request then runs in one call on a long-lived thread (THREADS per process),
  which keeps its database connection between requests (CONN_MAX_AGE);
- an ordinary response comes back whole in that one call; a streaming response (a CSV
  export, a file) is read from its iterator on the thread, a chunk per hop, with the loop
  sending each before the next is read.

Routes that need the event loop (server-sent events) go to Django's ASGI handler instead:
paths starting with one of ASYNC_PREFIXES.
"""

import asyncio
import contextvars
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# Threads per web process (HARBOUR_WEB_THREADS): one runs Python at a time, the others
# overlap it while they wait on the database. Each keeps a database connection.
THREADS = int(os.getenv("HARBOUR_WEB_THREADS", "4"))
SPOOL_BYTES = 1024 * 1024
ASYNC_PREFIXES: tuple[str, ...] = ("/live/",)
BATCH_BYTES = 64 * 1024


class Disconnected(Exception):
    """The client went away while its request body was being read."""


def environ_for(scope: Scope, body: Any) -> dict[str, Any]:
    """The WSGI environ for an ASGI HTTP scope (PEP 3333; paths as latin-1 strings of their
    UTF-8 bytes, as WSGI servers give them)."""
    root = scope.get("root_path", "")
    path = scope["path"]
    if root and path.startswith(root):
        path = path[len(root) :]
    server = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root.encode().decode("latin-1"),
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1] or 80),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"] = client[0]
        environ["REMOTE_PORT"] = str(client[1])
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name not in ("CONTENT_LENGTH", "CONTENT_TYPE"):
            name = f"HTTP_{name}"
        if name in environ:
            # Repeated headers join with a comma (a cookie header with "; ").
            value = f"{environ[name]}{'; ' if name == 'HTTP_COOKIE' else ','}{value}"
        environ[name] = value
    return environ


async def read_body(receive: Receive) -> Any:
    """The whole request body as a file positioned at its start."""
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the request's)
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            body.close()
            raise Disconnected
        body.write(message.get("body", b""))
        more = message.get("more_body", False)
    body.seek(0)
    return body


class Bridge:
    """An ASGI application: the WSGI app for ordinary requests, the ASGI app for the routes
    that stream from the event loop, and lifespan acknowledged."""

    def __init__(self, wsgi: WSGIApp, asgi: ASGIApp, threads: int = THREADS):
        self.wsgi = wsgi
        self.asgi = asgi
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="harbour")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(ASYNC_PREFIXES):
            await self.http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self.lifespan(receive, send)
        else:
            await self.asgi(scope, receive, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.executor.shutdown(wait=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await read_body(receive)
        except Disconnected:
            return
        loop = asyncio.get_running_loop()
        try:
            environ = environ_for(scope, body)
            context = contextvars.copy_context()
            status, headers, first, rest = await loop.run_in_executor(
                self.executor, context.run, self.start, environ
            )
            await send({"type": "http.response.start", "status": status, "headers": headers})
            if rest is None:
                await send({"type": "http.response.body", "body": first})
                return
            try:
                await send({"type": "http.response.body", "body": first, "more_body": True})
                while (chunk := await loop.run_in_executor(self.executor, rest.batch)) is not None:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b""})
            finally:
                await loop.run_in_executor(self.executor, close, rest)
        finally:
            body.close()

    def start(
        self, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes, "Rest | None"]:
        """On a thread: run the WSGI app. A response that is not streaming comes back whole
        (closed here, which sends Django's request_finished); a streaming one comes back
        with its first chunk and the rest of its iterator, still open."""
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            if exc_info and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return write_unsupported

        result = self.wsgi(environ, start_response)
        streaming = getattr(result, "streaming", True)
        iterator = iter(result)
        try:
            first = b"" if streaming else b"".join(iterator)
            if streaming:
                first = next(iterator, b"")
        except BaseException:
            close(result)
            raise
        status, headers = started
        encoded = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        code = int(status.split(" ", 1)[0])
        if not streaming:
            close(result)
            return code, encoded, first, None
        return code, encoded, first, Rest(iterator, result)


class Rest:
    """The rest of a streaming body. A file (FileResponse, WhiteNoise's static files) is
    read BATCH_BYTES at a time, so a script is a few hops and not one per 4 KB block; any
    other stream a chunk at a time, as its view yields them. Closing it closes the WSGI
    result (Django's request_finished)."""

    def __init__(self, iterator: Iterator[bytes], result: Any):
        self.iterator = iterator
        self.result = result
        self.file = hasattr(result, "file_to_stream")

    def batch(self) -> bytes | None:
        chunk = next(self.iterator, None)
        if chunk is None or not self.file:
            return chunk
        chunks = [chunk]
        size = len(chunk)
        while size < BATCH_BYTES and (chunk := next(self.iterator, None)) is not None:
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        close(self.result)


def close(result: Any) -> None:
    closer = getattr(result, "close", None)
    if closer is not None:
        closer()


def write_unsupported(data: bytes) -> None:
    raise RuntimeError("the WSGI write() callable is not supported")
