"""The hub and its two feeds: order, replay after a reconnect, gaps, slow screens, Redis."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator

import pytest

from tend.realtime.envelopes import Envelope, Scope
from tend.realtime.hub import QUEUE_LIMIT, RESYNC, Hub, MemoryFeed, RedisFeed, Subscription
from tests.conftest import CI

REDIS_URL = os.environ.get("TEND_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def env(n: int, topic: str = "agents", ephemeral: bool = False) -> Envelope:
    return Envelope("ticket", (topic,), {"n": n}, Scope(ticket_id=n), ephemeral=ephemeral)


async def take(sub: Subscription, count: int) -> list[Envelope]:
    return [await asyncio.wait_for(sub.get(), 5) for _ in range(count)]


def test_envelopes_survive_json() -> None:
    e = Envelope("person", ("agents",), {"name": "Ada"},
                 Scope(requester_id=3, customer_teams=(1, 2)), ephemeral=True)
    back = Envelope.from_json(e.to_json(), id="x-1")
    assert back == e.with_id("x-1")
    assert back.frame() == {"id": "x-1", "kind": "person", "name": "Ada"}  # no scope


def test_memory_feed_orders_replays_and_detects_gaps() -> None:
    async def scenario() -> None:
        hub = Hub(MemoryFeed(length=5))
        await hub.start()
        sub = hub.subscribe(["agents"])
        other = hub.subscribe(["conversation:9"])
        start = hub.last_id()
        await hub.publish_async([env(1), env(2, "conversation:9"), env(3, ephemeral=True)])
        got = await take(sub, 2)
        assert [e.data["n"] for e in got] == [1, 3]
        assert [e.data["n"] for e in await take(other, 1)] == [2]
        assert hub.key(got[0].id) < hub.key(got[1].id)
        # Replay skips ephemeral envelopes and other topics.
        replay = await hub.replay(start, ["agents"])
        assert replay is not None and [e.data["n"] for e in replay] == [1]
        # Trimmed history, an id of another boot, an id from the future: fetch afresh.
        for n in range(4, 12):
            await hub.publish_async([env(n)])
        assert await hub.replay(start, ["agents"]) is None
        assert await hub.replay("deadbeef-1", ["agents"]) is None
        boot = hub.last_id().split("-")[0]
        assert await hub.replay(f"{boot}-999", ["agents"]) is None
        recent = await hub.replay(f"{boot}-9", ["agents"])
        assert recent is not None and [e.data["n"] for e in recent] == [10, 11]
        # Threads publish through the loop, in order.
        await asyncio.to_thread(hub.publish, [env(100), env(101)])
        assert [e.data["n"] for e in (await take(sub, 10))[-2:]] == [100, 101]
        hub.unsubscribe(sub)
        assert hub.connections() == 1
        await hub.stop()

    asyncio.run(scenario())


def test_typing_does_not_push_history_out() -> None:
    """Ephemeral envelopes get ids but are not kept: a burst of typing never makes a screen
    that resumes fetch afresh, and what is replayed is what went out, as JSON."""
    async def scenario() -> None:
        hub = Hub(MemoryFeed(length=3))
        await hub.start()
        start = hub.last_id()
        await hub.publish_async([env(1)])
        await hub.publish_async([env(n, ephemeral=True) for n in range(2, 50)])
        await hub.publish_async([env(50)])
        replay = await hub.replay(start, ["agents"])
        assert replay is not None and [e.data for e in replay] == [{"n": 1}, {"n": 50}]
        assert [e.scope for e in replay] == [Scope(ticket_id=1), Scope(ticket_id=50)]
        assert hub.key(replay[0].id) < hub.key(replay[1].id) == hub.key(hub.last_id())
        await hub.publish_async([env(51), env(52)])  # now env(1) is gone
        assert await hub.replay(start, ["agents"]) is None
        after_first = await hub.replay(replay[0].id, ["agents"])
        assert after_first is not None and [e.data["n"] for e in after_first] == [50, 51, 52]
        await hub.stop()

    asyncio.run(scenario())


def test_a_slow_screen_is_told_to_fetch_afresh() -> None:
    async def scenario() -> None:
        hub = Hub(MemoryFeed())
        await hub.start()
        sub = hub.subscribe(["agents"])
        await hub.publish_async([env(n) for n in range(QUEUE_LIMIT + 5)])
        assert sub.pending() <= 5
        first = await sub.get()
        assert first is RESYNC
        await hub.stop()

    asyncio.run(scenario())


@pytest.fixture
def redis_url() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if CI:
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    yield REDIS_URL
    client.close()


def test_redis_feed_keeps_two_processes_in_step(redis_url: str) -> None:
    """Two hubs on one stream (as two `tend serve` processes): same envelopes, same ids, same
    order, and a screen can resume on the other one."""

    async def scenario() -> None:
        stream = f"tend:test:{secrets.token_hex(4)}"
        feeds = [RedisFeed(redis_url), RedisFeed(redis_url)]
        for feed in feeds:
            feed.STREAM = stream  # type: ignore[misc]
        a, b = Hub(feeds[0]), Hub(feeds[1])
        await a.start()
        await b.start()
        sub_a, sub_b = a.subscribe(["agents"]), b.subscribe(["agents"])
        start = a.last_id()
        await asyncio.to_thread(a.publish, [env(1), env(2)])
        await b.publish_async([env(3)])
        got_a, got_b = await take(sub_a, 3), await take(sub_b, 3)
        assert [e.data["n"] for e in got_a] == [1, 2, 3]
        assert [(e.id, e.data) for e in got_a] == [(e.id, e.data) for e in got_b]
        replay = await b.replay(start, ["agents"])
        assert replay is not None and [e.data["n"] for e in replay] == [1, 2, 3]
        assert await b.replay(got_a[0].id, ["agents"]) == got_b[1:]
        assert await b.replay("not-an-id", ["agents"]) is None
        # Trimmed past what a screen saw: fetch afresh.
        await a.publish_async([env(n) for n in range(4, 300)])
        await take(sub_a, 296)
        import redis

        redis.Redis.from_url(redis_url).xtrim(stream, maxlen=2)
        assert await a.replay(got_a[1].id, ["agents"]) is None
        for hub in (a, b):
            await hub.stop()
            hub.close()
        import redis

        redis.Redis.from_url(redis_url).delete(stream)

    asyncio.run(scenario())
