"""Which visitors have a widget open, and the chats whose visitor left.

Every `tend serve` process runs one `VisitorWatch`. Its widgets tell it when their visitor
arrives and leaves; once a minute it writes "seen now" for every visitor with a widget open
in this process (one UPDATE per 500 visitors, not a write per heartbeat) and for those who
left since, then ends the chats whose visitor has been gone longer than
`TEND_CHAT_ABANDONED_SECONDS` (`conversations.end_abandoned`, one sweeper at a time across
processes). A visitor moving from page to page reconnects within seconds and is never gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter

from starlette.concurrency import run_in_threadpool

from tend.channels.chat import conversations
from tend.runtime import Runtime

log = logging.getLogger("tend.chat")

INTERVAL_SECONDS = 60.0


class VisitorWatch:
    def __init__(self, rt: Runtime, interval: float = INTERVAL_SECONDS) -> None:
        self.rt = rt
        self.interval = min(interval, rt.settings.chat_abandoned_seconds / 4)
        self.open: Counter[int] = Counter()  # visitor id: widgets open in this process
        self.left: set[int] = set()  # visitors whose last widget here closed since the tick
        self._task: asyncio.Task[None] | None = None

    def arrive(self, visitor_id: int) -> None:
        self.open[visitor_id] += 1

    def leave(self, visitor_id: int) -> None:
        self.open[visitor_id] -= 1
        if self.open[visitor_id] <= 0:
            del self.open[visitor_id]
            self.left.add(visitor_id)

    def take(self) -> list[int]:
        """The visitors to mark seen (on the loop, where widgets arrive and leave)."""
        seen = sorted(set(self.open) | self.left)
        self.left.clear()
        return seen

    def tick(self, seen: list[int]) -> list[int]:
        """Mark the visitors seen, then end abandoned chats; the ended chats' ticket ids."""
        with self.rt.db.write() as session:
            conversations.seen(session, seen)
        with self.rt.db.write() as session:
            return conversations.end_abandoned(session, self.rt.settings.chat_abandoned_seconds)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                ended = await run_in_threadpool(self.tick, self.take())
                if ended:
                    log.info("ended %d chat(s) whose visitor left: %s", len(ended), ended)
            except Exception:  # the next tick tries again
                log.exception("the visitor watch failed")

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="tend-visitors")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
