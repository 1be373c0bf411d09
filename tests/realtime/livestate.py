"""A live screen's state built the way the workspace builds it: a fresh fetch, then envelopes.

`LiveState.apply` is the reducer the convergence test checks against a fresh fetch; the
workspace script (static/live.js) applies the same envelope kinds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.testclient import TestClient

from tend.access import Actor, AgentActor
from tend.channels.chat import routing, views
from tend.channels.chat.models import ChatConversation
from tend.realtime.envelopes import AGENTS, Envelope
from tend.runtime import Runtime
from tend.tickets.models import Ticket
from tend.tickets.queries import TicketFilters, access_ticket, list_tickets, timeline
from tend.tickets.schemas import MessageOut, TicketOut

Json = dict[str, Any]


@dataclass
class LiveState:
    tickets: dict[int, Json] = field(default_factory=dict)
    messages: dict[int, dict[int, Json]] = field(default_factory=dict)
    chats: dict[int, Json] = field(default_factory=dict)  # conversation views, by ticket id
    offers: dict[int, Json] = field(default_factory=dict)  # chats offered to me, pending

    @staticmethod
    def loader(rt: Runtime, actor: Actor) -> Any:
        def load(ticket_id: int) -> dict[int, Json]:
            with rt.db.read() as session:
                ticket = access_ticket(session, actor, ticket_id)
                return {m.id: _j(MessageOut.of(m)) for m in timeline(session, actor, ticket)}
        return load

    @classmethod
    def fetch(cls, rt: Runtime, actor: Actor) -> LiveState:
        """What a screen loads on its first visit: every ticket it may see, with messages."""
        state = cls()
        with rt.db.read() as session:
            cursor = None
            while True:
                page = list_tickets(session, actor, TicketFilters(), cursor=cursor, limit=100)
                for ticket in page.items:
                    state.tickets[ticket.id] = _j(TicketOut.of(ticket))
                    conv = session.get(ChatConversation, ticket.id)
                    if conv is not None:
                        state.chats[ticket.id] = json.loads(json.dumps(
                            views.conversation(session, conv, ticket)))
                    state.messages[ticket.id] = {
                        m.id: _j(MessageOut.of(m)) for m in timeline(session, actor, ticket)}
                cursor = page.next_cursor
                if cursor is None:
                    break
            if isinstance(actor, AgentActor):
                for offer in routing.pending_offers(session, actor.id):
                    ticket = session.get(Ticket, offer.ticket_id)
                    state.offers[offer.id] = json.loads(json.dumps(views.offer(offer, ticket)))
        return state

    def apply(self, frame: Json, load_messages: Any = None) -> None:
        """`load_messages(ticket_id)` fetches a timeline, as a screen does for a ticket that
        appears (moved into the agent's team)."""
        kind = frame["kind"]
        if kind == "ticket":
            ticket = frame["ticket"]
            self.tickets[ticket["id"]] = ticket
            self.messages.setdefault(ticket["id"], {})
            if frame.get("appeared"):
                self.messages[ticket["id"]].update(load_messages(ticket["id"]))
        elif kind == "ticket.removed":
            self.tickets.pop(frame["ticket_id"], None)
            self.messages.pop(frame["ticket_id"], None)
            self.chats.pop(frame["ticket_id"], None)
        elif kind == "chat":
            self.chats[frame["conversation"]["id"]] = frame["conversation"]
        elif kind == "chat.offer":
            offer = frame["offer"]
            if offer["state"] == "pending":
                self.offers[offer["id"]] = offer
            else:
                self.offers.pop(offer["id"], None)
        elif kind == "message":
            message = frame["message"]
            self.messages.setdefault(message["ticket_id"], {})[message["id"]] = message
        elif kind == "messages.moved":
            if frame["from_ticket_id"] not in self.tickets:
                # From a ticket this screen never had: load the target's timeline.
                self.messages.setdefault(frame["to_ticket_id"], {}).update(
                    load_messages(frame["to_ticket_id"]))
            moved = self.messages.pop(frame["from_ticket_id"], {})
            self.messages[frame["from_ticket_id"]] = {}
            target = self.messages.setdefault(frame["to_ticket_id"], {})
            for message_id, message in moved.items():
                target[message_id] = {**message, "ticket_id": frame["to_ticket_id"],
                                      "client_id": None}
            for message_id, seq in frame["seqs"].items():
                if int(message_id) in target:
                    target[int(message_id)]["seq"] = seq
        elif kind == "person":
            self._rename(frame)

    def _rename(self, frame: Json) -> None:
        kind, person_id = frame["type"], frame["id"]
        slot = {"agent": "assignee", "customer": "requester", "team": "team"}[kind]
        for ticket in self.tickets.values():
            ref = ticket.get(slot)
            if ref and ref["id"] == person_id:
                ref["name"] = frame["name"]
                if kind != "team":
                    ref["email"] = frame["email"]
        for messages in self.messages.values():
            for message in messages.values():
                author = message.get("author")
                if author and message["author_type"] == kind and author["id"] == person_id:
                    author["name"] = frame["name"]

    def comparable(self) -> tuple[Json, Json, Json, Json]:
        tickets = {i: t for i, t in sorted(self.tickets.items())}
        messages = {i: dict(sorted(m.items())) for i, m in sorted(self.messages.items())
                    if i in self.tickets}
        chats = {i: c for i, c in sorted(self.chats.items()) if i in self.tickets}
        offers = {i: {**o, "ticket": o["ticket"]["id"]} for i, o in sorted(self.offers.items())}
        return tickets, messages, chats, offers


def _j(model: Any) -> Json:
    data: Json = json.loads(model.model_dump_json())
    return data


class Screen:
    """A workspace socket opened through the test client, read up to a marker."""

    def __init__(self, client: TestClient, rt: Runtime, cookie: str,
                 since: str | None = None) -> None:
        self.rt = rt
        url = "/agent/live" + (f"?since={since}" if since else "")
        self._cm = client.websocket_connect(url, headers={"cookie": f"tend_session={cookie}"})
        self.ws: Any = None
        self.hello: Json = {}
        self._markers = 0

    def __enter__(self) -> Screen:
        self.ws = self._cm.__enter__()
        self.hello = self.ws.receive_json()
        assert self.hello["kind"] == "hello", self.hello
        return self

    def __exit__(self, *exc: Any) -> None:
        self._cm.__exit__(*exc)

    def receive(self) -> Json:
        """The next frame that is not another screen's marker."""
        while True:
            frame: Json = self.ws.receive_json()
            if frame["kind"] != "test.marker":
                return frame

    def drain(self) -> list[Json]:
        """Every frame up to now: a marker published after everything else closes the batch
        (the feed keeps its order, so nothing earlier can arrive after it)."""
        self._markers += 1
        mark = f"m{id(self)}-{self._markers}"
        self.rt.hub.publish([Envelope("test.marker", (AGENTS,), {"mark": mark})])
        frames = []
        while True:
            frame = self.ws.receive_json()
            if frame["kind"] == "test.marker" and frame["mark"] == mark:
                return frames
            if frame["kind"] != "test.marker":
                frames.append(frame)


def differences(a: LiveState, b: LiveState) -> list[str]:
    """Readable differences between two states, for assertion messages."""
    out = []
    (ta, ma, ca, oa), (tb, mb, cb, ob) = a.comparable(), b.comparable()
    if ca != cb:
        out.append(f"chats: {ca!r} != {cb!r}")
    if oa != ob:
        out.append(f"offers: {oa!r} != {ob!r}")
    for tid in sorted(set(ta) | set(tb)):
        if ta.get(tid) != tb.get(tid):
            x, y = ta.get(tid) or {}, tb.get(tid) or {}
            keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            out.append(f"ticket {tid}: " + ", ".join(f"{k}: {x.get(k)!r} != {y.get(k)!r}"
                                                     for k in keys))
    for tid in sorted(set(ma) | set(mb)):
        x, y = ma.get(tid, {}), mb.get(tid, {})
        for mid in sorted(set(x) | set(y)):
            if x.get(mid) != y.get(mid):
                out.append(f"message {mid} of ticket {tid}: {x.get(mid)!r} != {y.get(mid)!r}")
    return out
