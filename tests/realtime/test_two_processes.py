"""Two server processes on loopback sharing PostgreSQL and Redis: messages flow both ways live;
killing one process (kill -9) and reconnecting to the other loses nothing and doubles nothing.

Real `tend serve` subprocesses on a fresh PostgreSQL database (created here, dropped after) and
one Redis database. The customer's widget talks to server A, the agent's workspace socket and
REST replies go to server B, so every message crosses processes through the Redis feed. Then A
is killed in the middle of the customer's sends; the widget (tests/realtime/test_fault_proxy.py's,
which follows docs/realtime.md's rules) reconnects to B with `since_seq` and resends what was
not acknowledged.

Skips when PostgreSQL or Redis is not reachable, except under CI=true, where it fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from tend import runtime
from tend.access import SYSTEM, AgentActor
from tend.agents import actions as agent_actions
from tend.agents.models import Agent, Role
from tend.agents.queries import actor_for
from tend.auth.actions import create_api_token, start_session
from tend.channels.chat import inboxes, routing
from tend.notify import ConsoleOutbox
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets.models import Message
from tests.conftest import CI
from tests.realtime.test_fault_proxy import AgentScreen, Widget, reply_all

PG_URL = os.environ.get("TEND_TEST_DATABASE_URL", "")
if not PG_URL.startswith("postgresql"):
    PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = os.environ.get("TEND_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS_DB = 13  # its own Redis database: the feed's stream and the job queue are cleared in it
SECRET = "two-processes-" + "s" * 32
TEND = Path(sys.executable).parent / "tend"
PHASE = 100  # messages each way before the kill, and again after it
DEADLINE = 180.0


def _unavailable(why: str) -> None:
    if CI:
        pytest.fail(f"PostgreSQL and Redis are required in CI: {why}")
    pytest.skip(why)


def _redis_url() -> str:
    return urlsplit(REDIS_URL)._replace(path=f"/{REDIS_DB}").geturl()


def _clear_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        keys = [*client.scan_iter("tend:*"), *client.scan_iter("huey*")]
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def services(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL database (dropped after) and a cleared Redis database."""
    import psycopg
    import redis

    admin = make_url(PG_URL).set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        _unavailable(f"PostgreSQL at {admin.host}:{admin.port} is not reachable ({exc})")
    redis_url = _redis_url()
    try:
        redis.Redis.from_url(redis_url, socket_timeout=3).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis at {redis_url} is not reachable ({exc})")
    name = f"tend_two_{secrets.token_hex(4)}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    _clear_redis(redis_url)
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False), \
            redis_url
    finally:
        _clear_redis(redis_url)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@dataclass
class Seeded:
    inbox_key: str
    agent: AgentActor
    cookie: str
    token: str


def seed(rt: Runtime) -> Seeded:
    with rt.db.write() as s:
        team = agent_actions.create_team(s, SYSTEM, name="Support")
        agent = agent_actions.create_agent(s, SYSTEM, email="alex@tend.example",
                                           name="Alex Agent", role=Role.AGENT,
                                           password="correct horse battery", team_ids=[team.id])
        token = create_api_token(s, agent, "test")
        inbox = inboxes.create_inbox(s, SYSTEM, name="Website", team_id=team.id)
        row = s.get(Agent, agent.id)
        assert row is not None
        cookie = start_session(s, agent=row, max_age_seconds=3600).token
        return Seeded(inbox.key, actor_for(row), cookie, token)


class Process:
    """`tend serve` on a free loopback port, in its own process group (killed in `stop`)."""

    def __init__(self, name: str, tmp: Path, database_url: str, redis_url: str) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.name, self.log = name, tmp / f"{name}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEND_")}
        env.update(TEND_DATABASE_URL=database_url, TEND_REDIS_URL=redis_url,
                   TEND_SECRET_KEY=SECRET, TEND_DATA_DIR=str(tmp / name),
                   TEND_ENVIRONMENT="development", TEND_JOB_WORKERS="1",
                   TEND_MAIL_FETCH="false", TEND_LOG_LEVEL="warning")
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [str(TEND), "serve", "--host", "127.0.0.1", "--port", str(self.port)], env=env,
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz",
                                            timeout=1) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


def test_two_processes_share_the_conversation_and_survive_a_kill(
        tmp_path: Path, services: tuple[str, str]) -> None:
    database_url, redis_url = services
    rt = runtime.build(Settings(environment="test", data_dir=tmp_path / "seed",
                                database_url=database_url, redis_url=redis_url,
                                secret_key=SECRET, jobs_inline=True),
                       outbox=ConsoleOutbox(echo=False))
    processes: list[Process] = []
    try:
        seeded = seed(rt)
        processes = [Process(name, tmp_path, database_url, redis_url) for name in ("a", "b")]
        for process in processes:
            process.wait_ready()
        a, b = processes
        widget, agent, kill_at, in_flight = asyncio.run(_conversation(rt, seeded, a, b))
    finally:
        for process in processes:
            process.kill()
        rt.close()

    total = 1 + 4 * PHASE
    # Before the kill, each side's messages reached the other process's screen live.
    replies_before = [seq for seq, m in widget.by_seq.items()
                      if m["from"] == "agent" and seq <= kill_at]
    assert replies_before and set(replies_before) <= widget.pushed
    # A died with sends unacknowledged; the widget went on with B.
    assert in_flight > 0 and widget.connects >= 2
    print(f"unacked at the kill: {in_flight}; widget connects {widget.connects}, "
          f"repeats {widget.repeats}, resumes {widget.resumes}")
    # The widget holds 1..N exactly once; each side's messages in the order they were written.
    assert widget.errors == [] and widget.conflicts == []
    assert sorted(widget.by_seq) == list(range(1, total + 1))
    held = [widget.by_seq[seq] for seq in range(1, total + 1)]
    assert [m["client_id"] for m in held if m["from"] == "customer"] == \
        [f"c{n}" for n in range(2 * PHASE + 1)]
    assert [m["text"] for m in held if m["from"] == "agent"] == \
        [f"reply {n}" for n in range(1, 2 * PHASE + 1)]
    # The database agrees, and the agent's screen on B saw every message live.
    rt = runtime.build(Settings(environment="test", data_dir=tmp_path / "check",
                                database_url=database_url, secret_key=SECRET, jobs_inline=True),
                       migrate=False, outbox=ConsoleOutbox(echo=False))
    try:
        with rt.db.read() as s:
            stored = [(m.seq or 0, m.id, m.client_id, m.body_text) for m in s.scalars(
                select(Message).where(Message.ticket_id == agent.ticket_id)
                .order_by(Message.id))]
    finally:
        rt.close()
    assert sorted(seq for seq, *_ in stored) == list(range(1, total + 1))
    assert [(seq, mid) for seq, mid, *_ in sorted(stored)] == [(m["seq"], m["id"]) for m in held]
    client_ids = [cid for _, _, cid, _ in stored if cid is not None]
    assert sorted(client_ids) == sorted(f"c{n}" for n in range(2 * PHASE + 1))
    assert len(client_ids) == len(set(client_ids))
    assert agent.resyncs == 0 and agent.live == {mid for _, mid, *_ in stored}


async def _conversation(rt: Runtime, seeded: Seeded, a: Process, b: Process
                        ) -> tuple[Widget, AgentScreen, int, int]:
    widget = Widget([f"ws://127.0.0.1:{p.port}/widget/live?inbox={seeded.inbox_key}"
                     for p in (a, b)])
    widget.queue("start", "c0", "Hello from server A")
    for n in range(1, PHASE + 1):
        widget.queue("send", f"c{n}", f"message {n}")
    agent = AgentScreen(b.port, seeded.cookie, seeded.token)
    tasks = [asyncio.create_task(agent.run())]
    kill_at = in_flight = 0
    try:
        async with asyncio.timeout(DEADLINE):
            while agent.since is None:
                await asyncio.sleep(0.02)
            tasks.append(asyncio.create_task(widget.run()))
            while widget.conversation_id is None:
                await asyncio.sleep(0.02)
            agent.ticket_id = ticket_id = widget.conversation_id
            await asyncio.to_thread(_accept, rt, seeded.agent, ticket_id)
            # Phase 1: both ways across processes (customer on A, agent on B).
            await reply_all(b.port, seeded.token, ticket_id, range(1, PHASE + 1))
            while widget.outbox or len(agent.mine()) < 1 + 2 * PHASE or \
                    widget.contiguous < 1 + 2 * PHASE:
                await asyncio.sleep(0.02)
            kill_at = widget.contiguous
            # Phase 2: more sends go out; A dies with some of them unacknowledged.
            for n in range(PHASE + 1, 2 * PHASE + 1):
                widget.queue("send", f"c{n}", f"message {n}")
            while len(widget.acked) < 1 + PHASE + 10:
                await asyncio.sleep(0.001)
            a.kill()
            in_flight = len(widget.outbox)
            await reply_all(b.port, seeded.token, ticket_id, range(PHASE + 1, 2 * PHASE + 1))
            widget.expected = 1 + 4 * PHASE
            await tasks[1]
            while len(agent.mine()) < widget.expected:
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(
            f"stuck: widget contiguous={widget.contiguous} outbox={len(widget.outbox)} "
            f"errors={widget.errors[:3]} agent saw={len(agent.mine())}") from None
    finally:
        agent.stop = True
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return widget, agent, kill_at, in_flight


def _accept(rt: Runtime, actor: AgentActor, ticket_id: int) -> None:
    with rt.db.write() as s:
        routing.accept(s, actor, ticket_id)
