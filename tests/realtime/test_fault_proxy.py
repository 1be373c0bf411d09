"""A proxy that drops every socket every 0.5 to 2 s while 2,000 messages flow: none missing, none
doubled, order kept.

A real server (uvicorn in a thread, the live hub on its loop) sits behind a TCP proxy that
forwards bytes and, at seeded random moments, cuts every connection it carries (widget, workspace
and HTTP alike). Through it:

- a customer's widget, written here from docs/realtime.md's reliability rules only: a persistent
  outbox keyed by `client_id` (resent until acknowledged), `since_seq` on every hello, `resume`
  when a pushed message skips a number, messages kept by `seq` (a repeat is dropped);
- an agent's workspace socket (`/agent/live`, `?since=` on reconnect, a fresh fetch on `resync`),
  and the agent's replies, posted over the REST API with an `Idempotency-Key` and retried.

The customer sends 1,000 messages while the agent sends 1,000 replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from tend.access import SYSTEM, AgentActor
from tend.channels.chat import inboxes, routing
from tend.runtime import Runtime
from tend.tickets.models import Message
from tests.conftest import Cast
from tests.liveserver import serving
from tests.realtime.test_workspace_socket import cookie_for

Json = dict[str, Any]
CUSTOMER_MESSAGES = 1_000
AGENT_REPLIES = 1_000
WINDOW = 8  # sends in flight before the widget waits for acknowledgements
DEADLINE = 240.0  # seconds: a stuck run fails with its state instead of hanging
NETWORK_ERRORS = (OSError, EOFError, TimeoutError, asyncio.IncompleteReadError,
                  WebSocketException)


# --- the server and the proxy -------------------------------------------------------------------


@pytest.fixture
def server_port(rt: Runtime) -> Iterator[int]:
    with serving(rt) as port:
        yield port


class FaultProxy:
    """Forwards TCP to the server; every 0.5 to 2 s (seeded) it resets every connection it holds."""

    def __init__(self, upstream: int, seed: int) -> None:
        self.upstream = upstream
        self.rng = random.Random(seed)
        self.pairs: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self.cuts = 0  # connections reset
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._cutter: asyncio.Task[None] | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self._cutter = asyncio.create_task(self._cut_forever())
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._cutter is not None:
            self._cutter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._cutter
        if self._server is not None:
            self._server.close()
        self._cut_all()
        if self._server is not None:
            await self._server.wait_closed()

    def _cut_all(self) -> None:
        for pair in list(self.pairs):
            for writer in pair:
                writer.transport.abort()  # a reset, as a dropped network looks to both ends
            self.cuts += 1
        self.pairs.clear()

    async def _cut_forever(self) -> None:
        while True:
            await asyncio.sleep(self.rng.uniform(0.5, 2.0))
            self._cut_all()

    async def _handle(self, client_r: asyncio.StreamReader,
                      client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            client_w.transport.abort()
            return
        self.connections += 1
        pair = (client_w, server_w)
        self.pairs.add(pair)
        try:
            await asyncio.gather(_pipe(client_r, server_w), _pipe(server_r, client_w))
        finally:
            self.pairs.discard(pair)
            for writer in pair:
                writer.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.CancelledError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    writer.transport.abort()


# --- the customer's widget ------------------------------------------------------------------------


@dataclass
class Widget:
    """The widget's reliability rules (docs/realtime.md, "Nothing is lost"). When a server
    cannot be reached it tries the next of `urls` (another process of the same help desk)."""

    urls: list[str]
    outbox: dict[str, Json] = field(default_factory=dict)  # client_id -> op (localStorage)
    token: str | None = None
    conversation_id: int | None = None
    by_seq: dict[int, Json] = field(default_factory=dict)
    pushed: set[int] = field(default_factory=set)  # seqs that arrived as live pushes
    contiguous: int = 0  # the highest seq held with every seq below it
    latest: int = 0  # the highest seq the server said exists
    expected: int | None = None  # the conversation's length, once both sides are done
    started: bool = False
    resuming: bool = False
    acked: list[str] = field(default_factory=list)  # client_ids, in acknowledgement order
    repeats: int = 0  # messages received again (a resend's ack, a replay): dropped by seq
    resumes: int = 0
    connects: int = 0
    errors: list[Json] = field(default_factory=list)
    conflicts: list[tuple[Json, Json]] = field(default_factory=list)

    def queue(self, op: str, client_id: str, body: str) -> None:
        self.outbox[client_id] = {"op": op, "client_id": client_id, "body": body}

    def done(self) -> bool:
        return not self.outbox and self.expected is not None and self.contiguous >= self.expected

    async def run(self) -> None:
        url = 0
        while not self.done():
            opened = False
            try:
                async with connect(self.urls[url], ping_interval=None, open_timeout=5,
                                   close_timeout=1) as ws:
                    opened = True
                    self.connects += 1
                    await self._session(ws)
            except NETWORK_ERRORS:
                if not opened:
                    url = (url + 1) % len(self.urls)
                await asyncio.sleep(0.02)

    async def _session(self, ws: ClientConnection) -> None:
        self.resuming = False
        await ws.send(json.dumps({"op": "hello", "token": self.token,
                                  "identity": None, "conversation_id": self.conversation_id,
                                  "since_seq": self.contiguous, "locale": "en"}))
        sent_here: set[str] = set()
        while not self.done():
            await self._send_outbox(ws, sent_here)
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            await self._on_frame(ws, frame)

    async def _send_outbox(self, ws: ClientConnection, sent_here: set[str]) -> None:
        """Every unacknowledged op goes again on a new connection, in order, WINDOW at a time."""
        if self.token is None:
            return  # not welcomed yet
        in_flight = len(sent_here.intersection(self.outbox))
        for client_id, op in list(self.outbox.items()):
            if in_flight >= WINDOW or (op["op"] == "send" and not self.started):
                return
            if client_id not in sent_here:
                await ws.send(json.dumps(op))
                sent_here.add(client_id)
                in_flight += 1

    async def _on_frame(self, ws: ClientConnection, frame: Json) -> None:
        kind = frame["kind"]
        if kind == "welcome":
            self.token = frame["token"]
            self._conversation(frame["conversation"])
            self._absorb(frame["messages"])
        elif kind == "ack":
            if frame["client_id"] in self.outbox:
                del self.outbox[frame["client_id"]]
                self.acked.append(frame["client_id"])
            if frame["message"]["seq"] == 1:
                self.started = True
            self._absorb([frame["message"]])
        elif kind == "message":
            self.pushed.add(frame["message"]["seq"])
            self._absorb([frame["message"]])
        elif kind == "messages":
            self.resuming = False
            self._conversation(frame.get("conversation"))
            self._absorb(frame["messages"])
        elif kind == "conversation":
            self._conversation(frame["conversation"])
        elif kind == "ping":
            await ws.send(json.dumps({"op": "pong"}))
        elif kind == "resync":
            self.resuming = True
            self.resumes += 1
            await ws.send(json.dumps({"op": "resume", "since_seq": self.contiguous}))
        elif kind == "error":
            self.errors.append(frame)
        await self._resume_if_gap(ws)

    def _conversation(self, conv: Json | None) -> None:
        if conv is not None:
            self.conversation_id = conv["id"]
            self.started = True
            self.latest = max(self.latest, conv["last_seq"])

    def _absorb(self, messages: list[Json]) -> None:
        for message in messages:
            seq = message["seq"]
            held = self.by_seq.get(seq)
            if held is None:
                self.by_seq[seq] = message
            elif held["id"] == message["id"]:
                self.repeats += 1
            else:
                self.conflicts.append((held, message))
        while self.contiguous + 1 in self.by_seq:
            self.contiguous += 1

    async def _resume_if_gap(self, ws: ClientConnection) -> None:
        known = max([self.latest, *self.by_seq])
        if known > self.contiguous and not self.resuming and self.conversation_id is not None:
            self.resuming = True
            self.resumes += 1
            await ws.send(json.dumps({"op": "resume", "since_seq": self.contiguous}))


# --- the agent ------------------------------------------------------------------------------------


async def http(port: int, method: str, path: str, token: str, body: Json | None = None,
               key: str | None = None) -> tuple[int, Any]:
    """One HTTP/1.1 request on its own connection (through the proxy, so it may be cut)."""
    data = json.dumps(body).encode() if body is not None else b""
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
            f"Authorization: Bearer {token}", f"Content-Length: {len(data)}"]
    if body is not None:
        head.append("Content-Type: application/json")
    if key is not None:
        head.append(f"Idempotency-Key: {key}")
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout=10)
    finally:
        writer.transport.abort()
    head_raw, sep, payload = raw.partition(b"\r\n\r\n")
    if not sep or not head_raw.startswith(b"HTTP/1.1 "):
        raise EOFError("cut before the response")
    length = next((int(line.split(b":")[1]) for line in head_raw.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), None)
    if length is not None and len(payload) < length:
        raise EOFError("cut in the middle of the response")
    return int(head_raw.split()[1]), json.loads(payload) if payload else None


async def until_ok(port: int, method: str, path: str, token: str, body: Json | None = None,
                   key: str | None = None) -> Any:
    """Retries through cuts; the same Idempotency-Key makes a retried POST happen once."""
    while True:
        try:
            status, answer = await http(port, method, path, token, body, key)
        except NETWORK_ERRORS:
            await asyncio.sleep(0.02)
            continue
        if status in (200, 201):
            return answer
        if status == 409 or status >= 500:  # the first attempt still runs, or failed
            await asyncio.sleep(0.05)
            continue
        raise AssertionError(f"{method} {path}: {status} {answer}")


@dataclass
class AgentScreen:
    """The workspace socket: resumes with `?since=`, fetches afresh on `resync`."""

    port: int
    cookie: str
    token: str
    ticket_id: int | None = None
    seen: dict[int, Json] = field(default_factory=dict)  # message id -> message (any ticket)
    live: set[int] = field(default_factory=set)  # message ids that came as live envelopes
    since: str | None = None
    connects: int = 0
    resyncs: int = 0
    stop: bool = False

    async def run(self) -> None:
        while not self.stop:
            query = f"?since={self.since}" if self.since else ""
            try:
                async with connect(f"ws://127.0.0.1:{self.port}/agent/live{query}",
                                   additional_headers={"cookie": f"tend_session={self.cookie}"},
                                   ping_interval=None, open_timeout=5, close_timeout=1) as ws:
                    self.connects += 1
                    while not self.stop:
                        with contextlib.suppress(TimeoutError):
                            await self._on_frame(ws, json.loads(
                                await asyncio.wait_for(ws.recv(), timeout=0.5)))
            except NETWORK_ERRORS:
                await asyncio.sleep(0.02)

    def mine(self) -> list[Json]:
        return [m for m in self.seen.values() if m["ticket_id"] == self.ticket_id]

    async def _on_frame(self, ws: ClientConnection, frame: Json) -> None:
        kind = frame["kind"]
        if kind == "hello":
            self.since = self.since or frame["id"]  # a resumed screen keeps its own position
        elif kind == "ping":
            await ws.send(json.dumps({"op": "pong"}))
        elif kind == "resync":
            self.resyncs += 1
            if self.ticket_id is not None:
                listed = await until_ok(self.port, "GET", f"/api/v1/tickets/{self.ticket_id}"
                                        "/messages", self.token)
                for message in listed["items"]:
                    self.seen[message["id"]] = message
            self.since = frame["id"]
        elif frame.get("id"):
            if kind == "message":
                self.live.add(frame["message"]["id"])
                self.seen[frame["message"]["id"]] = frame["message"]
            self.since = frame["id"]


async def reply_all(port: int, token: str, ticket_id: int,
                    numbers: range = range(1, AGENT_REPLIES + 1)) -> None:
    for n in numbers:
        await until_ok(port, "POST", f"/api/v1/tickets/{ticket_id}/messages", token,
                       {"body": f"reply {n}"}, key=f"reply-{n}")


# --- the test -------------------------------------------------------------------------------------


def test_nothing_lost_or_doubled_through_a_flaky_network(rt: Runtime, cast: Cast,
                                                        server_port: int) -> None:
    with rt.db.write() as s:
        inbox = inboxes.create_inbox(s, SYSTEM, name="Website", team_id=cast.support_team)
        key = inbox.key
    cookie = cookie_for(rt, agent_id=cast.agent.id)
    actor, token = cast.agent.actor, cast.agent.token
    assert isinstance(actor, AgentActor) and token

    total = 1 + CUSTOMER_MESSAGES + AGENT_REPLIES

    async def scenario() -> tuple[Widget, AgentScreen, FaultProxy]:
        proxy = FaultProxy(server_port, seed=2024)
        port = await proxy.start()
        widget = Widget([f"ws://127.0.0.1:{port}/widget/live?inbox={key}"])
        widget.queue("start", "c0", "Hello, my order is late")
        for n in range(1, CUSTOMER_MESSAGES + 1):
            widget.queue("send", f"c{n}", f"message {n}")
        # The agent's screen is open before the chat starts: it sees it all live (or fetches
        # afresh when told to resync).
        agent = AgentScreen(port, cookie, token)
        tasks = [asyncio.create_task(agent.run())]
        try:
            async with asyncio.timeout(DEADLINE):
                while agent.since is None:
                    await asyncio.sleep(0.02)
                tasks.append(asyncio.create_task(widget.run()))
                while widget.conversation_id is None:
                    await asyncio.sleep(0.02)
                agent.ticket_id = ticket_id = widget.conversation_id
                await asyncio.to_thread(_accept, rt, actor, ticket_id)
                await reply_all(port, token, ticket_id)
                widget.expected = total
                await tasks[1]
                while len(agent.mine()) < total:  # every message, live or fetched on resync
                    await asyncio.sleep(0.05)
        except TimeoutError:
            raise AssertionError(
                f"stuck: widget contiguous={widget.contiguous} outbox={len(widget.outbox)} "
                f"errors={widget.errors[:3]} agent saw={len(agent.mine())}: missing "
                f"{sorted(set(range(1, total + 1)) - {m['seq'] for m in agent.mine()})[:10]}"
            ) from None
        finally:
            agent.stop = True
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await proxy.stop()
        return widget, agent, proxy

    widget, agent, proxy = asyncio.run(scenario())
    print(f"cuts={proxy.cuts} widget connects={widget.connects} resumes={widget.resumes} "
          f"repeats={widget.repeats}; agent connects={agent.connects} resyncs={agent.resyncs}")

    # The network really failed, often, and the widget really had to recover.
    assert proxy.cuts >= 3 and widget.connects >= 3 and agent.connects >= 3
    assert widget.errors == [] and widget.conflicts == []

    # The widget holds exactly 1..N, each once, in the order both sides wrote them.
    assert sorted(widget.by_seq) == list(range(1, total + 1))
    held = [widget.by_seq[seq] for seq in range(1, total + 1)]
    mine = [m["client_id"] for m in held if m["from"] == "customer"]
    assert mine == [f"c{n}" for n in range(CUSTOMER_MESSAGES + 1)]
    theirs = [m["text"] for m in held if m["from"] == "agent"]
    assert theirs == [f"reply {n}" for n in range(1, AGENT_REPLIES + 1)]
    assert widget.acked == [f"c{n}" for n in range(CUSTOMER_MESSAGES + 1)]

    # The database agrees: every client_id and every reply once, numbered without a hole.
    with rt.db.read() as s:
        rows = s.scalars(select(Message).where(Message.ticket_id == agent.ticket_id)
                         .order_by(Message.seq)).all()
        stored = [(m.seq, m.id, m.client_id, m.body_text, m.visibility) for m in rows]
    assert all(visibility == "public" for *_, visibility in stored)
    assert [seq for seq, *_ in stored] == list(range(1, total + 1))
    assert [(seq, mid) for seq, mid, *_ in stored] == [(m["seq"], m["id"]) for m in held]
    client_ids = [cid for _, _, cid, _, _ in stored if cid is not None]
    assert client_ids == [f"c{n}" for n in range(CUSTOMER_MESSAGES + 1)]
    replies = [body for _, _, cid, body, _ in stored if cid is None]
    assert replies == [f"reply {n}" for n in range(1, AGENT_REPLIES + 1)]

    # The agent's screen saw every customer message, and only this conversation's messages.
    assert len(agent.seen) == len(agent.mine())  # nothing else happened
    seen = sorted(agent.mine(), key=lambda m: m["seq"])
    assert [m["client_id"] for m in seen if m["author_type"] == "customer"] == mine
    assert {m["id"] for m in seen} == {mid for _, mid, *_ in stored}


def _accept(rt: Runtime, actor: AgentActor, ticket_id: int) -> None:
    with rt.db.write() as s:
        routing.accept(s, actor, ticket_id)
