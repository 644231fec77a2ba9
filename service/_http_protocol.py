"""uvicorn's httptools protocol, with ``TCP_NODELAY`` set on every connection.

A single service process runs on the plain asyncio event loop (see ``service.server``). asyncio
sets ``TCP_NODELAY`` only on sockets whose protocol number says TCP; a listening socket created
by hand (as uvicorn does for several workers, or a socket handed over by a process manager)
says 0, and its connections then keep Nagle's algorithm: an answer written in two parts (head,
then body) waits for the client's delayed ACK, about 40 ms per request on a keep-alive
connection. Setting the option on every connection rules that out whatever the socket's origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
