"""The web server's listening socket: connections accepted on it have Nagle's algorithm off,
so a keep-alive response is not held back ~40 ms waiting for the client's acknowledgement."""

import asyncio
import concurrent.futures
import socket

from harbour.lib.web import listening_socket


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
