"""An ASGI app for the web server's tests: it answers with the pid of the worker process
that served the request (harbour.lib.web's supervisor is what is under test)."""

import os


async def application(scope, receive, send):
    if scope["type"] != "http":
        return
    await receive()
    body = str(os.getpid()).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": body})
