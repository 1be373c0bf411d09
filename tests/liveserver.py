"""A real Tend server on 127.0.0.1 in a thread, for browser and network tests.

The live hub runs on the server's loop, as the app's lifespan does in production. The lifespan
itself stays off: it would also start job consumers and close the runtime that the test still
uses after the server stopped.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from tend.runtime import Runtime
from tend.web.app import create_app


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, rt: Runtime) -> None:
        super().__init__(config)
        self.rt = rt

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await self.rt.hub.start()
        await super().startup(sockets=sockets)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await super().shutdown(sockets=sockets)
        await self.rt.hub.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(rt: Runtime) -> Iterator[int]:
    """Serve `rt` on a free port until the block ends; yields the port."""
    port = free_port()
    config = uvicorn.Config(create_app(rt=rt), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off", timeout_graceful_shutdown=5)
    server = _Server(config, rt)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
