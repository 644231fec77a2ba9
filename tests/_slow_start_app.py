"""A bare ASGI app whose start-up takes a few seconds (for the worker tests).

It touches the file named by ``AUTOHEAL_TEST_STARTING`` when its start-up begins, then takes
``STARTUP_SECONDS`` before it says it has started; every request gets ``200 ok``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

STARTUP_SECONDS = 3.0

Message = dict[str, Any]


async def _app(
    scope: Message,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                Path(os.environ["AUTOHEAL_TEST_STARTING"]).touch()
                await asyncio.sleep(STARTUP_SECONDS)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def create_app() -> Callable[..., Awaitable[None]]:
    return _app
