"""`/widget/live`: a visitor's live conversation (protocol in docs/realtime.md).

The visitor is who their signed token says (or a new visitor); they only ever subscribe to
their own conversation's topic, and every envelope is checked again as the customer it belongs
to (`access.live_delivery`: never a note). Messages live in the database with a sequence
number; the socket only makes them fast, so `resume` always answers from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import APIRouter, WebSocket
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect

from tend.access import CustomerActor, live_delivery
from tend.channels.chat import conversations, routing, tokens, views
from tend.channels.chat.conversations import ChatError, Identity, Prechat
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatVisitor
from tend.customers.models import Customer
from tend.events.catalog import ActorRef
from tend.realtime.envelopes import AGENTS, Envelope, Scope, conversation_topic
from tend.runtime import Runtime
from tend.tickets.models import Ticket
from tend.web.live import CLOSE_FORBIDDEN, CLOSE_INVALID, MAX_FRAME_CHARS, Pump
from tend.web.widget.watch import VisitorWatch

router = APIRouter(include_in_schema=False)
HELLO_SECONDS = 10.0


class ChatScreen:
    """One widget: its visitor, the conversation it follows, what it may receive."""

    def __init__(self, ws: WebSocket, rt: Runtime, inbox: ChatInbox) -> None:
        self.ws, self.rt, self.inbox = ws, rt, inbox
        self.secret = rt.settings.signing_key()
        self.visitor_id = 0
        self.customer_id: int | None = None
        self.ticket_id: int | None = None
        self.pump: Pump | None = None

    # --- helpers running in the thread pool ---------------------------------------------------

    def _hello(self, frame: dict[str, Any]) -> dict[str, Any]:
        identity = frame.get("identity")
        ident = None
        if isinstance(identity, dict) and identity.get("email") and identity.get("hash"):
            ident = Identity(str(identity["email"])[:254], str(identity.get("name") or "")[:200],
                             str(identity["hash"])[:128])
        with self.rt.db.write() as session:
            visitor = conversations.recognise(session, self.secret, self.inbox,
                                              _str(frame.get("token")), ident)
            self.visitor_id, self.customer_id = visitor.id, visitor.customer_id
            conv = None
            wanted = frame.get("conversation_id")
            if isinstance(wanted, int):
                found = session.get(ChatConversation, wanted)
                conv = found if found is not None and found.visitor_id == visitor.id else None
            if conv is None:
                conv = conversations.latest_open(session, visitor)
            raw_since = frame.get("since_seq")
            since = raw_since if isinstance(raw_since, int) else 0
            welcome: dict[str, Any] = {
                "kind": "welcome",
                "token": tokens.visitor_token(self.secret, self.inbox.key, visitor.id),
                "visitor": self._visitor(session, visitor), "conversation": None,
                "messages": []}
            if conv is not None:
                self.ticket_id = conv.ticket_id
                welcome.update(self._conversation(session, conv, since))
            online = routing.online_agents(session, self.inbox.team_id,
                                           self.rt.settings.presence_seconds)
            welcome["open"] = conversations.is_open(self.inbox, online)
            return welcome

    def _visitor(self, session: Any, visitor: ChatVisitor) -> dict[str, Any]:
        customer = session.get(Customer, visitor.customer_id) if visitor.customer_id else None
        return {"name": customer.name if customer else "", "email":
                customer.email if customer else None, "verified": visitor.verified}

    def _conversation(self, session: Any, conv: ChatConversation, since: int) -> dict[str, Any]:
        ticket = session.get(Ticket, conv.ticket_id)
        assert ticket is not None
        return {
            "conversation": views.conversation(session, conv, ticket),
            "messages": [views.chat_message(m, self.secret, self.rt.settings.public_url)
                         for m in conversations.messages_after(session, ticket.id, since)]}

    def _visitor_row(self, session: Any) -> ChatVisitor:
        visitor: ChatVisitor | None = session.get(ChatVisitor, self.visitor_id)
        if visitor is None:
            raise ChatError("This chat session expired; reload the page.")
        return visitor

    def _start(self, frame: dict[str, Any]) -> dict[str, Any]:
        raw = frame.get("prechat")
        prechat: dict[str, Any] = raw if isinstance(raw, dict) else {}
        with self.rt.db.write() as session:
            visitor = self._visitor_row(session)
            ticket, message = conversations.start(
                session, self.inbox, visitor, body=_str(frame.get("body")) or "",
                client_id=_str(frame.get("client_id")),
                prechat=Prechat(*(_str(prechat.get(k)) or "" for k in ("name", "email", "topic"))))
            self.customer_id = ticket.requester_id
            self.ticket_id = ticket.id
            conv = session.get(ChatConversation, ticket.id)
            assert conv is not None
            view = views.chat_message(message, self.secret, self.rt.settings.public_url)
            return {"ack": {"kind": "ack", "client_id": message.client_id, "message": view},
                    "conversation": self._conversation(session, conv, ticket.last_seq)}

    def _send(self, frame: dict[str, Any]) -> dict[str, Any]:
        if self.ticket_id is None:
            raise ChatError("Start the chat first.")
        with self.rt.db.write() as session:
            message = conversations.send(session, self._visitor_row(session), self.ticket_id,
                                         body=_str(frame.get("body")) or "",
                                         client_id=_str(frame.get("client_id")))
            return {"kind": "ack", "client_id": message.client_id,
                    "message": views.chat_message(message, self.secret,
                                                  self.rt.settings.public_url)}

    def _resume(self, since: int) -> dict[str, Any]:
        if self.ticket_id is None:
            return {"kind": "messages", "messages": []}
        with self.rt.db.read() as session:
            conv = session.get(ChatConversation, self.ticket_id)
            assert conv is not None
            return {"kind": "messages", **self._conversation(session, conv, since)}

    def _read(self, seq: int) -> None:
        if self.ticket_id is not None:
            with self.rt.db.write() as session:
                conversations.customer_read(session, self._visitor_row(session), self.ticket_id,
                                            seq)

    def _end(self) -> dict[str, Any]:
        if self.ticket_id is None:
            raise ChatError("There is no chat to end.")
        with self.rt.db.write() as session:
            conv, _ticket = conversations.access_conversation(
                session, self._visitor_row(session), self.ticket_id)
            conversations.end(session, conv, "customer",
                              ActorRef("customer", self.customer_id))
            return self._conversation(session, conv, 10**9) | {"kind": "conversation"}

    def _offline(self, frame: dict[str, Any]) -> dict[str, Any]:
        with self.rt.db.write() as session:
            ticket = conversations.offline_message(
                session, self.inbox, self._visitor_row(session),
                name=_str(frame.get("name")) or "", email=_str(frame.get("email")) or "",
                body=_str(frame.get("body")) or "", topic=_str(frame.get("topic")) or "",
                client_id=_str(frame.get("client_id")))
            return {"kind": "offline_received", "number": ticket.number,
                    "client_id": frame.get("client_id")}

    # --- the socket -------------------------------------------------------------------------

    def deliver(self, envelope: Envelope) -> dict[str, Any] | None:
        if self.customer_id is None:
            return None
        if live_delivery(CustomerActor(self.customer_id), envelope.scope) != "show":
            return None
        return envelope.frame()

    async def on_op(self, frame: dict[str, Any]) -> dict[str, Any] | None:
        op, client_id = frame["op"], frame.get("client_id")
        try:
            if op == "start":
                out = await run_in_threadpool(self._start, frame)
                self._follow()
                await self._send_frame(out["ack"])
                return {"kind": "conversation", **out["conversation"]}
            if op == "send":
                return await run_in_threadpool(self._send, frame)
            if op == "resume":
                since = frame.get("since_seq")
                return await run_in_threadpool(self._resume, since if isinstance(since, int) else 0)
            if op == "read":
                if isinstance(frame.get("seq"), int):
                    await run_in_threadpool(self._read, frame["seq"])
                return None
            if op == "typing":
                await self._typing(bool(frame.get("state")))
                return None
            if op == "end":
                return await run_in_threadpool(self._end)
            if op == "offline":
                return await run_in_threadpool(self._offline, frame)
            if op == "transcript":
                return await run_in_threadpool(self._transcript, frame)
        except ChatError as exc:
            return {"kind": "error", "detail": str(exc), "client_id": client_id}
        return {"kind": "error", "detail": f"Unknown op {op!r}.", "client_id": client_id}

    def _transcript(self, frame: dict[str, Any]) -> dict[str, Any]:
        from tend.channels.chat import transcripts

        if self.ticket_id is None:
            raise ChatError("There is no chat to send.")
        with self.rt.db.write() as session:
            visitor = self._visitor_row(session)
            conversations.access_conversation(session, visitor, self.ticket_id)
            to = transcripts.request(session, self.rt, self.ticket_id,
                                     _str(frame.get("email")) or None)
        return {"kind": "transcript_sent", "to": to}

    async def _typing(self, state: bool) -> None:
        if self.ticket_id is None or self.customer_id is None:
            return
        scope = await run_in_threadpool(self._scope)
        await self.rt.hub.publish_async([Envelope(
            "activity", (AGENTS,), {"ticket_id": self.ticket_id,
                                    "state": "typing_customer" if state else "idle_customer",
                                    "agent": None}, scope, ephemeral=True)])

    def _scope(self) -> Scope:
        with self.rt.db.read() as session:
            ticket = session.get(Ticket, self.ticket_id)
            return Scope(ticket_id=self.ticket_id, team_id=ticket.team_id if ticket else None,
                         requester_id=self.customer_id)

    def _follow(self) -> None:
        if self.pump is not None and self.ticket_id is not None:
            self.rt.hub.add_topics(self.pump.sub, [conversation_topic(self.ticket_id)])

    async def _send_frame(self, frame: dict[str, Any]) -> None:
        if self.pump is not None:
            await self.pump.send(frame)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@router.websocket("/widget/live")
async def widget_live(ws: WebSocket) -> None:
    from tend.web.widget import origin_allowed

    rt: Runtime = ws.app.state.runtime
    key = ws.query_params.get("inbox", "")
    inbox = await run_in_threadpool(_find, rt, key)
    await ws.accept()  # then refuse with a code the widget can read
    if inbox is None or not origin_allowed(inbox, ws.headers.get("origin")):
        await ws.close(CLOSE_FORBIDDEN, "this chat is not available here")
        return
    screen = ChatScreen(ws, rt, inbox)
    try:
        text = await asyncio.wait_for(ws.receive_text(), timeout=HELLO_SECONDS)
        frame = json.loads(text) if len(text) <= MAX_FRAME_CHARS else None
        if not isinstance(frame, dict) or frame.get("op") != "hello":
            await ws.close(CLOSE_INVALID, "say hello first")
            return
        welcome = await run_in_threadpool(screen._hello, frame)
    except ChatError as exc:
        await ws.send_json({"kind": "error", "detail": str(exc)})
        await ws.close(CLOSE_INVALID, "refused")
        return
    except (TimeoutError, ValueError, WebSocketDisconnect):
        with contextlib.suppress(Exception):
            await ws.close(CLOSE_INVALID, "say hello first")
        return
    watch: VisitorWatch = ws.app.state.visitors
    watch.arrive(screen.visitor_id)
    try:
        await _converse(ws, rt, screen, welcome)
    finally:
        watch.leave(screen.visitor_id)


async def _converse(ws: WebSocket, rt: Runtime, screen: ChatScreen,
                    welcome: dict[str, Any]) -> None:
    topics = [conversation_topic(screen.ticket_id)] if screen.ticket_id else []
    sub = rt.hub.subscribe(topics)
    pump = Pump(ws, rt.hub, sub, heartbeat=rt.settings.live_heartbeat_seconds,
                deliver=screen.deliver, on_op=screen.on_op)
    screen.pump = pump
    welcome["heartbeat"] = rt.settings.live_heartbeat_seconds
    try:
        await pump.send(welcome)
        if screen.ticket_id is not None:
            # What was written between reading the welcome and subscribing.
            seqs = [m["seq"] for m in welcome["messages"]]
            since = max(seqs) if seqs else welcome["conversation"]["last_seq"]
            extra = await run_in_threadpool(screen._resume, since)
            if extra["messages"]:
                await pump.send(extra)
        await pump.run()
    except WebSocketDisconnect:
        rt.hub.unsubscribe(sub)


def _find(rt: Runtime, key: str) -> ChatInbox | None:
    with rt.db.read() as session:
        return conversations.find_inbox(session, key)
