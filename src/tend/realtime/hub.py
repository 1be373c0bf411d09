"""The hub: one ordered feed of envelopes, fanned out to the live connections of this process.

Envelopes are published from any thread (after a commit, in a request's worker thread or a job)
and delivered on the server's event loop to the subscriptions of their topics. Each envelope gets
an id, its position in the feed; a screen that reconnects asks for everything after the last id
it saw (`replay`), or is told to fetch afresh when that is too old (`None`).

Two feeds, chosen by `TEND_REDIS_URL`:
- `MemoryFeed` (default): one process. Ids are `<boot>-<n>`; a restarted process has another
  boot, so a screen that resumes across a restart fetches afresh.
- `RedisFeed`: several processes. Every envelope goes into one Redis stream (XADD, trimmed to
  the last `FEED_LENGTH` entries) and every process reads it (XREAD), so all processes deliver
  the same envelopes in the same order with the same ids, and a screen can resume on any of
  them. docs/decisions/0004 says why a stream rather than plain pub/sub.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from tend.realtime.envelopes import Envelope

log = logging.getLogger("tend.realtime")

FEED_LENGTH = 10_000  # envelopes kept for resuming
QUEUE_LIMIT = 2_000  # envelopes waiting for one slow connection before it must fetch afresh
RESYNC = Envelope(kind="resync", topics=(), data={})


class Subscription:
    """One live connection's mailbox. Read with `await sub.get()`, on the server's loop.

    Lean on purpose: a server holds thousands of these for hours, and every object a waiting
    connection keeps alive is walked by each full garbage collection.
    """

    __slots__ = ("_items", "_waiter", "topics")

    def __init__(self, topics: Iterable[str]) -> None:
        self.topics: set[str] = set(topics)
        self._items: deque[Envelope] = deque()
        self._waiter: asyncio.Future[None] | None = None

    def offer(self, envelope: Envelope) -> None:
        if len(self._items) >= QUEUE_LIMIT:
            # Too far behind: drop what waits and have the screen fetch afresh.
            self._items.clear()
            envelope = RESYNC
        self._items.append(envelope)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Envelope:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.popleft()

    def pending(self) -> int:
        return len(self._items)


class Feed(Protocol):
    def publish(self, envelopes: Sequence[Envelope]) -> None: ...
    async def publish_async(self, envelopes: Sequence[Envelope]) -> None: ...
    async def start(self, deliver: Any, resync_all: Any) -> None: ...
    async def stop(self) -> None: ...
    async def replay(self, since: str) -> list[Envelope] | None: ...
    def last_id(self) -> str: ...
    def key(self, envelope_id: str) -> tuple[int, int]: ...
    def close(self) -> None: ...


class Hub:
    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self._by_topic: dict[str, set[Subscription]] = {}
        self.delivered = 0

    # --- lifecycle (on the server's loop) ---------------------------------------------------

    async def start(self) -> None:
        await self.feed.start(self._deliver, self._resync_all)

    async def stop(self) -> None:
        await self.feed.stop()

    def close(self) -> None:
        self.feed.close()

    # --- publishing (any thread) --------------------------------------------------------------

    def publish(self, envelopes: Sequence[Envelope]) -> None:
        if envelopes:
            self.feed.publish(envelopes)

    async def publish_async(self, envelopes: Sequence[Envelope]) -> None:
        if envelopes:
            await self.feed.publish_async(envelopes)

    # --- subscribing (on the loop) ------------------------------------------------------------

    def subscribe(self, topics: Iterable[str]) -> Subscription:
        sub = Subscription(())
        self.add_topics(sub, topics)
        return sub

    def add_topics(self, sub: Subscription, topics: Iterable[str]) -> None:
        for topic in topics:
            sub.topics.add(topic)
            self._by_topic.setdefault(topic, set()).add(sub)

    def remove_topics(self, sub: Subscription, topics: Iterable[str]) -> None:
        for topic in list(topics):
            sub.topics.discard(topic)
            subs = self._by_topic.get(topic)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._by_topic[topic]

    def unsubscribe(self, sub: Subscription) -> None:
        self.remove_topics(sub, list(sub.topics))

    def connections(self) -> int:
        return len({s for subs in self._by_topic.values() for s in subs})

    async def replay(self, since: str, topics: Iterable[str]) -> list[Envelope] | None:
        """Envelopes after `since` on `topics`, oldest first; None when `since` is too old."""
        envelopes = await self.feed.replay(since)
        if envelopes is None:
            return None
        wanted = set(topics)
        return [e for e in envelopes if not e.ephemeral and wanted.intersection(e.topics)]

    def last_id(self) -> str:
        return self.feed.last_id()

    def key(self, envelope_id: str) -> tuple[int, int]:
        """Orders ids of this feed: a later envelope has a larger key."""
        return self.feed.key(envelope_id)

    # --- delivery (called by the feed, on the loop) -------------------------------------------

    def _deliver(self, envelope: Envelope) -> None:
        seen: set[Subscription] = set()
        for topic in envelope.topics:
            for sub in self._by_topic.get(topic, ()):
                if sub not in seen:
                    seen.add(sub)
                    sub.offer(envelope)
        self.delivered += len(seen)

    def _resync_all(self) -> None:
        for subs in list(self._by_topic.values()):
            for sub in subs:
                sub.offer(RESYNC)


class MemoryFeed:
    """One process: envelopes go straight to this process's subscribers."""

    def __init__(self, length: int = FEED_LENGTH) -> None:
        self._boot = secrets.token_hex(4)
        self._counter = itertools.count(1)
        # Kept as JSON text for replays: strings cost the garbage collector nothing, and a
        # resuming screen gets what another process's screen would (Redis keeps JSON too).
        self._log: deque[tuple[int, str, str]] = deque(maxlen=length)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._deliver: Any = None
        self._last = 0
        self._trimmed = 0  # the newest envelope no longer kept

    async def start(self, deliver: Any, resync_all: Any) -> None:
        self._loop = asyncio.get_running_loop()
        self._deliver = deliver

    async def stop(self) -> None:
        self._loop = None

    def close(self) -> None:
        return None

    @staticmethod
    def _texts(envelopes: Sequence[Envelope]) -> list[str | None]:
        """Each envelope as kept for replays (typing and viewing are never replayed). Done by
        the publisher, so that the event loop only stamps and delivers."""
        return [None if e.ephemeral else e.to_json() for e in envelopes]

    def _append(self, envelopes: Sequence[Envelope], texts: list[str | None]) -> list[Envelope]:
        out = []
        with self._lock:
            for envelope, text in zip(envelopes, texts, strict=True):
                n = next(self._counter)
                stamped = envelope.with_id(f"{self._boot}-{n}")
                if text is not None:
                    if len(self._log) == self._log.maxlen:
                        self._trimmed = self._log[0][0]
                    self._log.append((n, stamped.id, text))
                self._last = n
                out.append(stamped)
        return out

    def _fan_out(self, envelopes: list[Envelope]) -> None:
        if self._deliver is not None:
            for envelope in envelopes:
                self._deliver(envelope)

    def publish(self, envelopes: Sequence[Envelope]) -> None:
        texts = self._texts(envelopes)
        loop = self._loop
        if loop is None or loop.is_closed():
            self._append(envelopes, texts)  # nobody listens in this process; keep for replay
            return
        # Ids are given on the loop so that the delivery order is the id order.
        loop.call_soon_threadsafe(lambda: self._fan_out(self._append(envelopes, texts)))

    async def publish_async(self, envelopes: Sequence[Envelope]) -> None:
        self._fan_out(self._append(envelopes, self._texts(envelopes)))

    def _parse(self, since: str) -> int | None:
        boot, _, n = since.partition("-")
        if boot != self._boot or not n.isdigit():
            return None
        return int(n)

    async def replay(self, since: str) -> list[Envelope] | None:
        n = self._parse(since)
        with self._lock:
            if n is None or n > self._last:
                return None
            if n < self._trimmed:
                return None  # trimmed: the screen must fetch afresh
            kept = [(id, text) for i, id, text in self._log if i > n]
        return [Envelope.from_json(text, id=id) for id, text in kept]

    def last_id(self) -> str:
        with self._lock:
            return f"{self._boot}-{self._last}"

    def key(self, envelope_id: str) -> tuple[int, int]:
        n = self._parse(envelope_id)
        return (0, n) if n is not None else (-1, -1)


class RedisFeed:
    """Several processes: one Redis stream, read by every process."""

    STREAM = "tend:realtime"
    BLOCK_MS = 5000

    def __init__(self, url: str, length: int = FEED_LENGTH) -> None:
        import redis

        self.url = url
        self.length = length
        self._sync = redis.Redis.from_url(url)
        self._async: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._last = "0-0"
        self._lock = threading.Lock()

    async def start(self, deliver: Any, resync_all: Any) -> None:
        import redis.asyncio as aredis

        # XREAD blocks up to BLOCK_MS: the socket must wait longer than that.
        self._async = aredis.Redis.from_url(self.url, socket_timeout=self.BLOCK_MS / 1000 + 10)
        newest = await self._async.xrevrange(self.STREAM, count=1)
        self._set_last(newest[0][0].decode() if newest else "0-0")
        self._reader = asyncio.create_task(self._read(deliver, resync_all), name="tend-feed")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        if self._async is not None:
            await self._async.aclose()
            self._async = None

    def close(self) -> None:
        self._sync.close()

    def _set_last(self, value: str) -> None:
        with self._lock:
            self._last = value

    def last_id(self) -> str:
        with self._lock:
            return self._last

    def publish(self, envelopes: Sequence[Envelope]) -> None:
        try:
            with self._sync.pipeline(transaction=False) as pipe:
                for envelope in envelopes:
                    pipe.xadd(self.STREAM, {"e": envelope.to_json()}, maxlen=self.length,
                              approximate=True)
                pipe.execute()
        except Exception:  # the database holds the truth; screens resync when Redis is back
            log.exception("could not publish %d live envelope(s) to Redis", len(envelopes))

    async def publish_async(self, envelopes: Sequence[Envelope]) -> None:
        if self._async is None:
            self.publish(envelopes)
            return
        try:
            async with self._async.pipeline(transaction=False) as pipe:
                for envelope in envelopes:
                    pipe.xadd(self.STREAM, {"e": envelope.to_json()}, maxlen=self.length,
                              approximate=True)
                await pipe.execute()
        except Exception:
            log.exception("could not publish %d live envelope(s) to Redis", len(envelopes))

    async def _read(self, deliver: Any, resync_all: Any) -> None:
        delay = 0.5
        while True:
            try:
                answer = await self._async.xread({self.STREAM: self.last_id()}, block=self.BLOCK_MS,
                                                 count=500)
                delay = 0.5
                for _stream, entries in answer or ():
                    for raw_id, fields in entries:
                        envelope_id = raw_id.decode()
                        self._set_last(envelope_id)
                        try:
                            deliver(Envelope.from_json(fields[b"e"], id=envelope_id))
                        except Exception:
                            log.exception("dropping a malformed live envelope %s", envelope_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # While Redis was away, envelopes may have been lost: every screen refetches.
                log.warning("live feed: Redis read failed (%s); retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                resync_all()

    async def replay(self, since: str) -> list[Envelope] | None:
        if not _stream_id(since) or self._async is None:
            return None
        # A screen may come from a process whose reader is a little ahead of ours.
        for _ in range(40):
            if _id_tuple(since) <= _id_tuple(self.last_id()):
                break
            await asyncio.sleep(0.05)
        else:
            return None  # an id this stream never had (Redis was reset): fetch afresh
        if await self._trimmed_after(since):
            return None  # what came after `since` is partly gone: fetch afresh
        entries = await self._async.xrange(self.STREAM, min=f"({since}", max=self.last_id())
        return [Envelope.from_json(fields[b"e"], id=raw_id.decode())
                for raw_id, fields in entries]

    def key(self, envelope_id: str) -> tuple[int, int]:
        return _id_tuple(envelope_id) if _stream_id(envelope_id) else (-1, -1)

    async def _trimmed_after(self, since: str) -> bool:
        try:
            info = await self._async.xinfo_stream(self.STREAM)
        except Exception:  # no stream yet: nothing was ever trimmed
            return False
        added, length = info.get("entries-added"), info.get("length", 0)
        if added is not None and int(added) == int(length):
            return False  # Redis 7+ counts every entry ever added: none was trimmed
        first = info.get("first-entry")  # whatever came before the first entry kept is gone
        return bool(first) and _id_tuple(since) < _id_tuple(first[0].decode())


def _stream_id(value: str) -> bool:
    ms, _, seq = value.partition("-")
    return ms.isdigit() and seq.isdigit()


def _id_tuple(value: str) -> tuple[int, int]:
    ms, _, seq = value.partition("-")
    return int(ms), int(seq or 0)


def make_hub(redis_url: str | None) -> Hub:
    return Hub(RedisFeed(redis_url) if redis_url else MemoryFeed())
