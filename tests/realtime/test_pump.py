"""The pump and its ticker, on a socket whose peer vanished (no close, no TCP reset)."""

from __future__ import annotations

import asyncio

from starlette.websockets import WebSocketState

from tend.realtime.envelopes import AGENTS, Envelope
from tend.realtime.hub import Hub, MemoryFeed
from tend.web.live import CLOSE_SILENT, Pump, Ticker


class VanishedPeer:
    """Sends never finish (the peer's buffers are full) and nothing ever arrives."""

    def __init__(self) -> None:
        self.client_state = WebSocketState.CONNECTED
        self.sent: list[str] = []
        self.closed: int | None = None

    async def send_text(self, text: str) -> None:
        self.sent.append(text)
        await asyncio.Event().wait()

    async def receive_text(self) -> str:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed = code
        self.client_state = WebSocketState.DISCONNECTED


def test_a_screen_that_vanished_mid_send_is_closed_as_silent() -> None:
    async def scenario() -> None:
        hub = Hub(MemoryFeed())
        await hub.start()
        sub = hub.subscribe([AGENTS])
        ws = VanishedPeer()

        async def deliver_nothing(_frame: dict[str, object]) -> None:
            return None

        pump = Pump(ws, hub, sub, heartbeat=0.1,  # type: ignore[arg-type]
                    deliver=lambda e: e.frame(), on_op=deliver_nothing)
        await hub.publish_async([Envelope("test.marker", (AGENTS,), {"mark": 1})])
        await asyncio.wait_for(pump.run(), timeout=5)  # stuck sending, then ended
        assert ws.sent and '"test.marker"' in ws.sent[0]
        assert ws.closed == CLOSE_SILENT
        assert hub.connections() == 0
        ticker = Ticker.of_running_loop()
        assert pump not in ticker.pumps
        await asyncio.sleep(ticker.interval * 2)
        assert ticker._task is not None and ticker._task.done()  # nothing left to watch
        await hub.stop()

    asyncio.run(scenario())
