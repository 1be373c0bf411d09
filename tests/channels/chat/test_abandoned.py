"""Chats whose visitor left end by themselves; a visitor with a widget open never leaves."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from starlette.testclient import TestClient

from tend.audit.models import AuditEvent
from tend.channels.chat import conversations, routing
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatVisitor
from tend.db import utcnow
from tend.runtime import Runtime
from tend.tickets.models import Message
from tests.channels.chat.conftest import go_online
from tests.channels.chat.test_widget_socket import widget
from tests.conftest import Cast

GONE = 15 * 60


def start_chat(rt: Runtime, inbox: ChatInbox, body: str) -> tuple[int, int]:
    with rt.db.write() as s:
        visitor = ChatVisitor(chat_inbox_id=inbox.id)
        s.add(visitor)
        s.flush()
        ticket, _ = conversations.start(s, s.get(ChatInbox, inbox.id), visitor,  # type: ignore[arg-type]
                                        body=body, client_id=f"c-{body}",
                                        prechat=conversations.Prechat(name=body))
        return visitor.id, ticket.id


def last_seen(rt: Runtime, visitor_id: int, ago: timedelta) -> None:
    with rt.db.write() as s:
        s.execute(update(ChatVisitor).where(ChatVisitor.id == visitor_id)
                  .values(last_seen_at=utcnow() - ago))


def state(rt: Runtime, ticket_id: int) -> tuple[str, str | None]:
    with rt.db.read() as s:
        conv = s.get(ChatConversation, ticket_id)
        assert conv is not None
        return conv.state, conv.ended_by


def test_chats_of_visitors_gone_too_long_end_as_system(rt: Runtime, cast: Cast,
                                                       chat_inbox: ChatInbox) -> None:
    go_online(rt, cast.agent.actor)
    gone_active, active = start_chat(rt, chat_inbox, "Ann")
    gone_queued, queued = start_chat(rt, chat_inbox, "Ben")
    here, staying = start_chat(rt, chat_inbox, "Cy")
    with rt.db.write() as s:
        routing.accept(s, cast.agent.actor, active)
        routing.accept(s, cast.agent.actor, staying)
    last_seen(rt, gone_active, timedelta(minutes=20))
    last_seen(rt, gone_queued, timedelta(minutes=16))
    last_seen(rt, here, timedelta(minutes=14))  # not long enough

    with rt.db.write() as s:
        assert conversations.end_abandoned(s, GONE) == [active, queued]
    assert state(rt, active) == ("ended", "system")
    assert state(rt, queued) == ("ended", "system")
    assert state(rt, staying) == ("active", None)
    with rt.db.read() as s:
        notes = s.scalars(select(Message.body_text).where(
            Message.ticket_id == active, Message.visibility == "internal")).all()
        assert notes == ["The chat ended by itself: the customer left (their chat window "
                         "closed 20 minutes ago). Replies to this ticket now go by email."]
        ends = s.execute(select(AuditEvent.ticket_id, AuditEvent.actor_type).where(
            AuditEvent.event == "chat.ended")).all()
        assert sorted(ends) == [(active, "system"), (queued, "system")]
        assert s.scalars(select(ChatConversation.ticket_id).where(  # nobody still offered it
            ChatConversation.state == "queued")).all() == []
    with rt.db.write() as s:
        assert conversations.end_abandoned(s, GONE) == []  # once


def test_a_widget_open_keeps_its_chat_and_closing_it_starts_the_clock(
        rt: Runtime, cast: Cast, client: TestClient, chat_inbox: ChatInbox) -> None:
    go_online(rt, cast.agent.actor)
    watch = client.app.state.visitors  # type: ignore[attr-defined]
    with widget(client, rt, chat_inbox) as (w, _):
        w.send(op="start", client_id="c1", body="Still here")
        tid = w.until("conversation")["conversation"]["id"]
        with rt.db.read() as s:
            visitor_id = s.get(ChatConversation, tid).visitor_id  # type: ignore[union-attr]
        assert watch.open[visitor_id] == 1
        last_seen(rt, visitor_id, timedelta(hours=1))  # as if a minute's tick were due
        assert watch.tick(watch.take()) == []  # seen now: the chat goes on
        assert state(rt, tid) == ("queued", None)
    # The widget closed (the visitor left the site): the next tick records when.
    assert visitor_id not in watch.open and watch.left == {visitor_id}
    assert watch.tick(watch.take()) == []
    with rt.db.read() as s:
        seen = s.get(ChatVisitor, visitor_id).last_seen_at  # type: ignore[union-attr]
        assert utcnow() - seen < timedelta(minutes=1)
    assert watch.take() == []  # nothing more to write for them
    last_seen(rt, visitor_id, timedelta(seconds=rt.settings.chat_abandoned_seconds + 5))
    assert watch.tick(watch.take()) == [tid]
    assert state(rt, tid) == ("ended", "system")
    # Coming back later: the widget shows the ended chat, and a new one can start.
    with widget(client, rt, chat_inbox, token=None) as (w, welcome):
        assert welcome["conversation"] is None or welcome["conversation"]["state"] == "ended"
