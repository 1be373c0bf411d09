"""The widget socket: hello, start, idempotent sends, resume, receipts, typing, authorization."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tend.access import SYSTEM
from tend.channels.chat import inboxes, routing, tokens
from tend.channels.chat.models import ChatInbox
from tend.realtime.envelopes import AGENTS, Envelope, Scope
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import Ticket
from tests.channels.chat.conftest import go_online
from tests.conftest import Cast
from tests.realtime.livestate import Screen
from tests.realtime.test_workspace_socket import cookie_for

Json = dict[str, Any]


class Widget:
    def __init__(self, rt: Runtime, ws: Any) -> None:
        self.rt, self.ws = rt, ws
        self.marks = 0

    def send(self, **frame: Any) -> None:
        self.ws.send_json(frame)

    def receive(self) -> Json:
        while True:
            frame: Json = self.ws.receive_json()
            if frame["kind"] != "test.marker":
                return frame

    def until(self, kind: str) -> Json:
        while True:
            frame = self.receive()
            if frame["kind"] == kind:
                return frame

    def drain(self, ticket_id: int) -> list[Json]:
        """Frames until a marker on this conversation's topic (the feed keeps order)."""
        self.marks += 1
        mark = f"w{id(self)}-{self.marks}"
        with self.rt.db.read() as session:
            requester = session.get(Ticket, ticket_id).requester_id  # type: ignore[union-attr]
        self.rt.hub.publish([Envelope("test.marker", (f"conversation:{ticket_id}",),
                                      {"mark": mark}, Scope(requester_id=requester))])
        frames = []
        while True:
            frame = self.ws.receive_json()
            if frame["kind"] == "test.marker" and frame.get("mark") == mark:
                return frames
            if frame["kind"] != "test.marker":
                frames.append(frame)


@contextmanager
def widget(client: TestClient, rt: Runtime, inbox: ChatInbox, **hello: Any
           ) -> Iterator[tuple[Widget, Json]]:
    with client.websocket_connect(f"/widget/live?inbox={inbox.key}",
                                  headers=hello.pop("headers", {})) as ws:
        w = Widget(rt, ws)
        w.send(op="hello", **{"token": None, "since_seq": 0, **hello})
        welcome = w.receive()
        yield w, welcome


def test_who_may_open_the_widget_socket(rt: Runtime, cast: Cast, client: TestClient,
                                        chat_inbox: ChatInbox) -> None:
    # An unknown or switched-off inbox, or another website than the allowed ones: refused.
    for url in ("/widget/live?inbox=nope", "/widget/live"):
        with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect(url) as ws:
            ws.receive_json()
        assert info.value.code == 4403
    with rt.db.write() as s:
        inboxes.update_inbox(s, SYSTEM, s.get(ChatInbox, chat_inbox.id),  # type: ignore[arg-type]
                             {"allowed_origins": "https://shop.example"})
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect(
            f"/widget/live?inbox={chat_inbox.key}",
            headers={"origin": "https://evil.example"}) as ws:
        ws.receive_json()
    assert info.value.code == 4403
    # The first frame must be a hello.
    with client.websocket_connect(f"/widget/live?inbox={chat_inbox.key}",
                                  headers={"origin": "https://shop.example"}) as ws:
        ws.send_json({"op": "send", "body": "x"})
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
        assert info.value.code == 4400
    # A forged token is a new visitor; a forged identity is refused.
    headers = {"origin": "https://shop.example"}
    with widget(client, rt, chat_inbox, token="1.forged", headers=headers) as (_, welcome):
        assert welcome["kind"] == "welcome" and welcome["conversation"] is None
        assert welcome["token"] != "1.forged"
    with widget(client, rt, chat_inbox, headers=headers, identity={
            "email": "carla@example.com", "name": "Carla", "hash": "00" * 32}) as (_, refused):
        assert refused == {"kind": "error",
                           "detail": "The website's identity signature does not match."}
    # Another visitor's conversation is never joined, whatever id is asked for.
    with widget(client, rt, chat_inbox, headers=headers) as (w, _):
        w.send(op="start", client_id="s1", body="Mine")
        theirs = w.until("conversation")["conversation"]["id"]
    with widget(client, rt, chat_inbox, headers=headers, conversation_id=theirs) as (w, welcome):
        assert welcome["conversation"] is None and welcome["messages"] == []
        w.send(op="send", client_id="x", body="let me in")
        assert w.receive()["detail"] == "Start the chat first."


def test_a_chat_from_start_to_end(rt: Runtime, cast: Cast, client: TestClient,
                                  chat_inbox: ChatInbox) -> None:
    go_online(rt, cast.agent.actor)
    with widget(client, rt, chat_inbox) as (w, welcome):
        assert welcome["open"] is True
        assert welcome["heartbeat"] == rt.settings.live_heartbeat_seconds
        token = welcome["token"]
        w.send(op="start", client_id="c1", body="Where is my order?",
               prechat={"name": "Erin", "email": "erin@example.com", "topic": "Orders"})
        ack = w.until("ack")
        assert ack["client_id"] == "c1" and ack["message"]["seq"] == 1
        conv = w.until("conversation")["conversation"]
        assert conv["state"] == "queued" and conv["queue_position"] == 1
        tid = conv["id"]
        # The same send twice (a retry): one message.
        w.send(op="send", client_id="c2", body="Order 1234")
        w.send(op="send", client_id="c2", body="Order 1234")
        acks = [w.until("ack"), w.until("ack")]
        assert acks[0]["message"]["id"] == acks[1]["message"]["id"]
        # The agent accepts, types, writes a note (never seen) and a reply (seen).
        with rt.db.write() as s:
            routing.accept(s, cast.agent.actor, tid)  # type: ignore[arg-type]
        with Screen(client, rt, cookie_for(rt, agent_id=cast.agent.id)) as agent_screen:
            agent_screen.ws.send_json({"op": "activity", "ticket_id": tid,
                                       "state": "typing_note"})
            agent_screen.ws.send_json({"op": "activity", "ticket_id": tid,
                                       "state": "typing_reply"})
            agent_screen.ws.send_json({"op": "ping"})
            assert agent_screen.receive()["kind"] in ("pong", "ticket", "chat", "message",
                                                       "activity")
            with rt.db.write() as s:
                ticket = s.get(Ticket, tid)
                actions.add_message(s, cast.agent.actor, ticket, body="Internal: VIP",  # type: ignore[arg-type]
                                    visibility="internal")
                actions.add_message(s, cast.agent.actor, ticket, body="On its way! https://track.example/1")  # type: ignore[arg-type]
            frames = w.drain(tid)
            # The customer typing shows on the agent's screen.
            w.send(op="typing", state=True)
            w.send(op="ping")
            w.until("pong")
            seen = agent_screen.drain()
            assert any(f["kind"] == "activity" and f["state"] == "typing_customer"
                       for f in seen)
            agent_screen.ws.send_json({"op": "read", "ticket_id": tid, "seq": 3})
            agent_screen.ws.send_json({"op": "ping"})
            while agent_screen.receive()["kind"] != "pong":
                pass
        kinds = [f["kind"] for f in frames]
        texts = [f["message"]["text"] for f in frames if f["kind"] == "message"]
        assert "Internal: VIP" not in texts and texts[-1].startswith("On its way")
        typing = [f for f in frames if f["kind"] == "typing"]
        assert typing and typing[0]["agent"]["name"] == "Alex Agent"  # only the reply typing
        assert len(typing) == 1, typing
        agent_joined = [f["conversation"] for f in frames if f["kind"] == "conversation"]
        assert agent_joined[0]["state"] == "active"
        assert agent_joined[0]["agent"]["name"] == "Alex Agent"
        reply = [f["message"] for f in frames if f["kind"] == "message"][-1]
        assert reply["seq"] == 3 and 'target="_blank"' in reply["html"]
        assert "conversation" in kinds
        read = w.until("conversation")["conversation"]
        assert read["agent_read_seq"] == 3
        w.send(op="read", seq=3)
        w.send(op="ping")
        w.until("pong")  # ops are handled in order: the read is stored
    # Reload: the token brings the conversation back, from any seq.
    with widget(client, rt, chat_inbox, token=token, since_seq=1) as (w, welcome):
        assert welcome["token"] == token and welcome["conversation"]["id"] == tid
        assert [m["seq"] for m in welcome["messages"]] == [2, 3]
        assert welcome["conversation"]["customer_read_seq"] == 3
        w.send(op="resume", since_seq=0)
        assert [m["seq"] for m in w.until("messages")["messages"]] == [1, 2, 3]
        w.send(op="transcript")
        assert w.until("transcript_sent")["to"] == "erin@example.com"
        w.send(op="end")
        assert w.until("conversation")["conversation"]["state"] == "ended"
        w.send(op="send", client_id="late", body="hello?")
        err = w.until("error")
        assert err["client_id"] == "late" and "ended" in err["detail"]
        w.send(op="fly")
        assert w.until("error")["detail"] == "Unknown op 'fly'."


def test_offline_form_and_signed_identity(rt: Runtime, cast: Cast, client: TestClient,
                                          chat_inbox: ChatInbox) -> None:
    with widget(client, rt, chat_inbox) as (w, welcome):
        assert welcome["open"] is False
        w.send(op="offline", name="Erin", email="erin@example.com", body="Call me",
               client_id="o1")
        number = w.until("offline_received")["number"]
        w.send(op="offline", name="Erin", email="erin@example.com", body="Call me",
               client_id="o1")  # the answer was lost: the retry is the same request
        assert w.until("offline_received")["number"] == number
    with rt.db.read() as s:
        assert s.query(Ticket).filter_by(number=number).one().channel == "email"
    with rt.db.read() as s:
        salt = s.get(ChatInbox, chat_inbox.id).identity_salt  # type: ignore[union-attr]
    key = tokens.identity_secret(rt.settings.signing_key(), salt)
    signed = {"email": cast.carla.email, "name": "Carla",
              "hash": tokens.identity_hash(key, cast.carla.email)}
    with widget(client, rt, chat_inbox, identity=signed) as (w, welcome):
        assert welcome["visitor"] == {"name": "Carla Customer", "email": cast.carla.email,
                                      "verified": True}
        w.send(op="start", client_id="i1", body="Hi, it's Carla")
        tid = w.until("conversation")["conversation"]["id"]
    with rt.db.read() as s:
        assert s.get(Ticket, tid).requester_id == cast.carla.id  # type: ignore[union-attr]
    # Markers published to the agents' topic never reach a widget.
    rt.hub.publish([Envelope("test.marker", (AGENTS,), {"mark": "x"})])
