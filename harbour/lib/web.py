"""The web server process: uvicorn serving Harbour, run by `harbour serve`.

With several worker processes uvicorn binds the listening socket itself, as
``socket.socket(family)``: protocol 0. asyncio turns Nagle's algorithm off (TCP_NODELAY) only
on connections whose socket says IPPROTO_TCP, so every connection those workers accept keeps
Nagle on. uvicorn writes a response's headers and body separately; on a keep-alive
connection the body then waits for the client's delayed acknowledgement: about 40 ms added
to every response after a connection's first (measured by bench/casework.py: a 10 ms page
took 48 ms). So the socket is made here, with its protocol, and handed to uvicorn's own
worker supervisor; accepted connections inherit it and asyncio sets TCP_NODELAY on each.

    python -m harbour.lib.web --host 127.0.0.1 --port 8000 --workers 2
"""

import argparse
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "harbour.asgi:application"


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve Harbour with uvicorn.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    if args.workers <= 1:
        # One process: uvicorn binds through asyncio, which sets TCP_NODELAY itself.
        uvicorn.run(APP, host=args.host, port=args.port, server_header=False, lifespan="off")
        return
    config = uvicorn.Config(
        APP,
        host=args.host,
        port=args.port,
        workers=args.workers,
        server_header=False,
        lifespan="off",
    )
    sock = listening_socket(args.host, args.port)
    print(f"Uvicorn running on http://{args.host}:{args.port} with {args.workers} workers")
    try:
        Multiprocess(config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
