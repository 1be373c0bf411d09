"""Live screens over WebSockets: the connection pump (heartbeats, resume, per-envelope audience
check) and the agents' workspace socket, `/agent/live`.

Protocol (JSON text frames; docs/realtime.md has the full list):
- the server opens with `{"kind": "hello", "id": <feed position>, "heartbeat": <seconds>}`;
  a screen that reconnects passes `?since=<last id seen>` and receives what it missed, or
  `{"kind": "resync"}` when that is too old (it then fetches afresh);
- then envelopes: `{"id", "kind", ...data}`, each checked against the actor
  (`access.live_delivery`) as it is delivered;
- `{"kind": "ping"}` every `heartbeat` seconds; the screen answers `{"op": "pong"}`. A screen
  silent for 2.5 heartbeats is closed (code 4408), and screens reconnect when the server is
  silent as long.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect, WebSocketState

from tend.access import AgentActor, NotFound, live_delivery
from tend.realtime.envelopes import AGENTS, Envelope, Scope, conversation_topic
from tend.realtime.feed import ticket_scope
from tend.realtime.hub import RESYNC, Hub, Subscription
from tend.runtime import Runtime
from tend.tickets.queries import access_ticket
from tend.web.deps import connection_auth

log = logging.getLogger("tend.live")
router = APIRouter(include_in_schema=False)

CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_SILENT = 4408
CLOSE_INVALID = 4400
MAX_FRAME_CHARS = 16_384

Deliver = Callable[[Envelope], dict[str, Any] | None]
OnOp = Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]


def same_origin(ws: WebSocket, rt: Runtime) -> bool:
    """Browsers send Origin with every WebSocket; a cookie-authenticated socket must come from
    our own pages (another site could otherwise open it with the agent's cookie)."""
    origin = ws.headers.get("origin")
    if origin is None:
        return True  # not a browser: it cannot borrow a browser's cookie
    netloc = urlsplit(origin).netloc.lower()
    own = {urlsplit(rt.settings.public_url).netloc.lower(), ws.headers.get("host", "").lower()}
    return netloc in own


async def send_json(ws: WebSocket, lock: asyncio.Lock, frame: dict[str, Any] | str) -> None:
    text = frame if isinstance(frame, str) else json.dumps(frame, separators=(",", ":"),
                                                           default=str)
    async with lock:
        await ws.send_text(text)


PING = Envelope(kind="ping", topics=(), data={})  # the ticker's mark in a mailbox


class Ticker:
    """The heartbeat of every live socket on one event loop.

    One task looks at all the pumps a few times a heartbeat: it drops a PING into the
    mailbox of those that are due, and ends those whose screen was silent for 2.5 heartbeats
    (even one stuck sending to a screen that went away). Pumps hold no timer of their own: a
    server with thousands of idle sockets then keeps few objects alive per socket and makes
    few between two heartbeats, which keeps the garbage collector's full passes short and
    rare (benchmarks/README.md, chat).
    """

    _by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Ticker] = \
        weakref.WeakKeyDictionary()

    def __init__(self) -> None:
        self.pumps: set[Pump] = set()
        self.interval = 1.0
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def of_running_loop(cls) -> Ticker:
        loop = asyncio.get_running_loop()
        ticker = cls._by_loop.get(loop)
        if ticker is None:
            ticker = cls._by_loop[loop] = cls()
        return ticker

    def add(self, pump: Pump) -> None:
        self.pumps.add(pump)
        self.interval = min(self.interval, pump.heartbeat / 8)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="tend-ticker")

    def discard(self, pump: Pump) -> None:
        self.pumps.discard(pump)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self.pumps:
            await asyncio.sleep(self.interval)
            now = loop.time()
            for pump in list(self.pumps):
                pump.tick(now)


class Pump:
    """Moves envelopes from a subscription to one socket, and the socket's frames to `on_op`."""

    def __init__(self, ws: WebSocket, hub: Hub, sub: Subscription, *, heartbeat: float,
                 deliver: Deliver, on_op: OnOp,
                 revalidate: Callable[[], Awaitable[bool]] | None = None) -> None:
        self.ws, self.hub, self.sub = ws, hub, sub
        self.heartbeat = heartbeat
        self.deliver, self.on_op, self.revalidate = deliver, on_op, revalidate
        self.lock = asyncio.Lock()
        self._sent_key: tuple[int, int] = (-1, -1)
        now = asyncio.get_running_loop().time()
        self.heard = now  # when the screen last sent a frame
        self.next_ping = now + heartbeat
        self._silent = False
        self._outgoing_task: asyncio.Task[None] | None = None

    async def send(self, frame: dict[str, Any]) -> None:
        await send_json(self.ws, self.lock, frame)

    async def hello(self, since: str | None, topics: list[str], **extra: Any) -> None:
        """Greet, then replay what a resuming screen missed (or tell it to fetch afresh)."""
        last = self.hub.last_id()
        await self.send({"kind": "hello", "id": last, "heartbeat": self.heartbeat, **extra})
        self._sent_key = self.hub.key(last)
        if not since:
            return
        missed = await self.hub.replay(since, topics)
        if missed is None:
            await self.send({"id": last, "kind": "resync"})
            return
        self._sent_key = self.hub.key(since)
        for envelope in missed:
            await self._forward(envelope)

    def tick(self, now: float) -> None:
        """Called by the ticker: ask for a pong when due, give up on a silent screen."""
        if self._silent:
            return
        if now - self.heard >= self.heartbeat * 2.5:
            self._silent = True
            if self._outgoing_task is not None:
                self._outgoing_task.cancel()  # `run` then closes with CLOSE_SILENT
        elif now >= self.next_ping:
            # A ping every heartbeat, busy or not: screens answer pings only, and a screen
            # that receives envelopes all the time must still be asked, or it looks silent.
            self.next_ping = now + self.heartbeat
            self.sub.offer(PING)

    async def _forward(self, envelope: Envelope) -> None:
        if envelope is RESYNC:
            await self.send({"id": self.hub.last_id(), "kind": "resync"})
            return
        key = self.hub.key(envelope.id)
        if key <= self._sent_key:
            return  # already sent while replaying
        self._sent_key = key
        try:
            frame = self.deliver(envelope)
        except Exception:  # one bad envelope must not end the connection
            log.exception("could not deliver live envelope %s (%s)", envelope.id, envelope.kind)
            return
        if frame is not None:
            await self.send(frame)

    async def _outgoing(self) -> None:
        while True:
            envelope = await self.sub.get()
            if envelope is PING:
                if self.revalidate is not None and not await self.revalidate():
                    await self.ws.close(CLOSE_UNAUTHORIZED, "signed out")
                    return
                await self.send({"kind": "ping"})
                continue
            await self._forward(envelope)

    async def _incoming(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            text = await self.ws.receive_text()
            self.heard = loop.time()
            if len(text) > MAX_FRAME_CHARS:
                await self.ws.close(CLOSE_INVALID, "frame too large")
                return
            try:
                frame = json.loads(text)
                if not isinstance(frame, dict) or not isinstance(frame.get("op"), str):
                    raise ValueError
            except ValueError:
                await self.send({"kind": "error", "detail": "Frames are JSON objects with an op."})
                continue
            op = frame["op"]
            if op == "pong":
                continue
            if op == "ping":
                await self.send({"kind": "pong"})
                continue
            answer = await self.on_op(frame)
            if answer is not None:
                await self.send(answer)

    async def run(self) -> None:
        ticker = Ticker.of_running_loop()
        ticker.add(self)
        outgoing = self._outgoing_task = asyncio.create_task(self._outgoing())
        incoming = asyncio.create_task(self._incoming())
        try:
            done, _ = await asyncio.wait((incoming, outgoing),
                                         return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                exc = None if task.cancelled() else task.exception()
                if exc is not None and not isinstance(exc, WebSocketDisconnect | RuntimeError):
                    log.warning("live connection ended by %r", exc)
        finally:
            ticker.discard(self)
            for task in (incoming, outgoing):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self._outgoing_task = None
            self.hub.unsubscribe(self.sub)
            if self.ws.client_state is WebSocketState.CONNECTED:
                with contextlib.suppress(Exception):
                    if self._silent:
                        await self.ws.close(CLOSE_SILENT, "no heartbeat")
                    else:
                        await self.ws.close()


# --- the workspace ----------------------------------------------------------------------------

ACTIVITIES = ("viewing", "typing_reply", "typing_note", "left")


def _agent_of(ws: WebSocket, rt: Runtime) -> AgentActor | None:
    """The socket's agent, re-read from the session (and marked present for chats)."""
    ws.state.tend_auth = None
    auth = connection_auth(ws, rt)
    if not isinstance(auth.actor, AgentActor):
        return None
    from tend.channels.chat import routing

    with rt.db.write() as session:
        routing.seen(session, auth.actor.id, rt.settings.presence_seconds)
    return auth.actor


class Workspace:
    """One agent screen: envelopes of tickets the agent may see, and who works where."""

    def __init__(self, ws: WebSocket, rt: Runtime, actor: AgentActor) -> None:
        self.ws, self.rt, self.actor = ws, rt, actor
        self.viewing: int | None = None
        self._scopes: dict[int, Any] = {}
        self._chats: dict[int, bool] = {}

    def deliver(self, envelope: Envelope) -> dict[str, Any] | None:
        if envelope.kind == "person" and envelope.data.get("type") == "agent" \
                and envelope.data.get("id") == self.actor.id:
            self.actor = AgentActor(self.actor.id, self.actor.role, envelope.data["name"],
                                    self.actor.team_ids)
        if envelope.kind == "activity" and (envelope.data.get("agent") or {}).get("id") == \
                self.actor.id:
            return None  # my own typing is no news to me
        decision = live_delivery(self.actor, envelope.scope)
        if decision == "skip":
            return None
        if decision == "remove":
            return {"id": envelope.id, "kind": "ticket.removed",
                    "ticket_id": envelope.scope.ticket_id}
        if decision == "appear":
            return envelope.frame(appeared=True)
        return envelope.frame()

    async def revalidate(self) -> bool:
        actor = await run_in_threadpool(_agent_of, self.ws, self.rt)
        if actor is None:
            return False
        self.actor = actor
        return True

    async def on_op(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        op = frame["op"]
        if op == "read":
            return await self._read(frame)
        if op != "activity":
            return {"kind": "error", "detail": f"Unknown op {op!r}."}
        ticket_id, state = frame.get("ticket_id"), frame.get("state")
        if not isinstance(ticket_id, int) or state not in ACTIVITIES:
            return {"kind": "error",
                    "detail": f"activity needs a ticket_id and a state ({', '.join(ACTIVITIES)})."}
        scope = await self._ticket_scope(ticket_id)
        if scope is None:
            return {"kind": "error", "detail": f"Ticket {ticket_id} was not found."}
        if state == "left":
            self.viewing = None if self.viewing == ticket_id else self.viewing
        else:
            if self.viewing not in (None, ticket_id):
                await self._announce(self.viewing, "left")
            self.viewing = ticket_id
        await self._announce(ticket_id, state)
        return None

    async def _read(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        """The agent saw a chat's messages up to `seq`: the customer gets a read receipt."""
        ticket_id, seq = frame.get("ticket_id"), frame.get("seq")
        if not isinstance(ticket_id, int) or not isinstance(seq, int):
            return {"kind": "error", "detail": "read needs a ticket_id and a seq."}
        if await self._ticket_scope(ticket_id) is None:
            return {"kind": "error", "detail": f"Ticket {ticket_id} was not found."}

        def mark() -> None:
            from tend.channels.chat import routing

            with self.rt.db.write() as session, contextlib.suppress(NotFound):
                routing.agent_read(session, self.actor, ticket_id, seq)
        await run_in_threadpool(mark)
        return None

    async def _ticket_scope(self, ticket_id: int) -> Any:
        if ticket_id not in self._scopes:
            def load() -> Any:
                with self.rt.db.read() as session:
                    try:
                        return ticket_scope(access_ticket(session, self.actor, ticket_id))
                    except NotFound:
                        return None
            self._scopes[ticket_id] = await run_in_threadpool(load)
        return self._scopes[ticket_id]

    async def _announce(self, ticket_id: int, state: str) -> None:
        scope = await self._ticket_scope(ticket_id)
        if scope is None:
            return
        envelopes = [Envelope(
            "activity", (AGENTS,),
            {"ticket_id": ticket_id, "state": state,
             "agent": {"id": self.actor.id, "name": self.actor.name}},
            scope, ephemeral=True)]
        if state in ("typing_reply", "viewing", "left") and await self._is_chat(ticket_id):
            # The customer sees only that their agent types a reply (never a note).
            envelopes.append(Envelope(
                "typing", (conversation_topic(ticket_id),),
                {"agent": {"name": self.actor.name}, "state": state == "typing_reply"},
                Scope(ticket_id=ticket_id, requester_id=scope.requester_id), ephemeral=True))
        await self.rt.hub.publish_async(envelopes)

    async def _is_chat(self, ticket_id: int) -> bool:
        if ticket_id not in self._chats:
            def load() -> bool:
                from tend.channels.chat.models import ChatConversation

                with self.rt.db.read() as session:
                    return session.get(ChatConversation, ticket_id) is not None
            self._chats[ticket_id] = await run_in_threadpool(load)
        return self._chats[ticket_id]

    async def closed(self) -> None:
        if self.viewing is not None:
            await self._announce(self.viewing, "left")


@router.websocket("/agent/live")
async def agent_live(ws: WebSocket) -> None:
    rt: Runtime = ws.app.state.runtime
    # Accept before refusing: browsers only show a close code to a socket that opened, and
    # the page stops reconnecting on 4401/4403 (a refused handshake looks like a network drop).
    await ws.accept()
    if not same_origin(ws, rt):
        await ws.close(CLOSE_FORBIDDEN, "cross-site")
        return
    actor = await run_in_threadpool(_agent_of, ws, rt)
    if actor is None:
        await ws.close(CLOSE_UNAUTHORIZED, "sign in first")
        return
    screen = Workspace(ws, rt, actor)
    sub = rt.hub.subscribe([AGENTS])
    pump = Pump(ws, rt.hub, sub, heartbeat=rt.settings.live_heartbeat_seconds,
                deliver=screen.deliver, on_op=screen.on_op, revalidate=screen.revalidate)
    try:
        await pump.hello(ws.query_params.get("since"), [AGENTS], agent_id=actor.id)
        await pump.run()
    except WebSocketDisconnect:
        rt.hub.unsubscribe(sub)
    finally:
        with contextlib.suppress(Exception):
            await screen.closed()
