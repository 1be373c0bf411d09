"""Chat conversations and routing: start, idempotent sends, numbering, offers, transfer, end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tend.access import SYSTEM, Forbidden
from tend.channels.chat import conversations, routing, transcripts
from tend.channels.chat.conversations import ChatError, Prechat
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatOffer, ChatVisitor
from tend.channels.chat.routing import ChatRoutingError
from tend.db import frozen_time, utcnow
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import Message, Ticket
from tests.channels.chat.conftest import go_online
from tests.conftest import Cast


def visitor(rt: Runtime, inbox: ChatInbox) -> int:
    with rt.db.write() as s:
        return conversations.recognise(s, "k" * 40, s.get(ChatInbox, inbox.id), None, None).id


def start(rt: Runtime, inbox: ChatInbox, visitor_id: int, body: str = "Hi, my order is late",
          client_id: str = "c1", prechat: Prechat = Prechat()) -> int:
    with rt.db.write() as s:
        ticket, _ = conversations.start(s, s.get(ChatInbox, inbox.id),  # type: ignore[arg-type]
                                        s.get(ChatVisitor, visitor_id),  # type: ignore[arg-type]
                                        body=body, client_id=client_id, prechat=prechat)
        return ticket.id


def send(rt: Runtime, visitor_id: int, ticket_id: int, body: str, client_id: str) -> Message:
    with rt.db.write() as s:
        return conversations.send(s, s.get(ChatVisitor, visitor_id), ticket_id, body=body,
                                  client_id=client_id)


def test_a_chat_is_a_ticket_with_numbered_messages(rt: Runtime, cast: Cast,
                                                  chat_inbox: ChatInbox) -> None:
    v = visitor(rt, chat_inbox)
    tid = start(rt, chat_inbox, v, prechat=Prechat("Erin", "erin@example.com", "Orders"))
    first = send(rt, v, tid, "Order 1234", "c2")
    again = send(rt, v, tid, "Order 1234", "c2")  # a retry: the same message
    assert again.id == first.id and again.seq == first.seq == 2
    with rt.db.write() as s:
        ticket = s.get(Ticket, tid)
        actions.add_message(s, cast.agent.actor, ticket, body="Looking", visibility="internal")
        reply = actions.add_message(s, cast.agent.actor, ticket, body="Found it")
        assert reply.seq == 3  # the note took no number
    with rt.db.read() as s:
        ticket = s.get(Ticket, tid)
        assert (ticket.channel, ticket.team_id, ticket.tags) == ("chat", cast.support_team,
                                                                 ["orders"])
        assert ticket.requester.email == "erin@example.com" and ticket.requester.name == "Erin"
        assert [m.seq for m in conversations.messages_after(s, tid, 0)] == [1, 2, 3]
        assert [m.body_text for m in conversations.messages_after(s, tid, 2)] == ["Found it"]
        assert s.get(ChatConversation, tid).state == "queued"  # type: ignore[union-attr]
    # Starting again with the same client id is the same conversation.
    assert start(rt, chat_inbox, v, prechat=Prechat("Erin", "erin@example.com", "Orders")) == tid


def test_visitors_only_reach_their_own_conversation(rt: Runtime, cast: Cast,
                                                    chat_inbox: ChatInbox) -> None:
    v1, v2 = visitor(rt, chat_inbox), visitor(rt, chat_inbox)
    tid = start(rt, chat_inbox, v1)
    with pytest.raises(ChatError, match="not found"):
        send(rt, v2, tid, "Let me in", "x1")
    # An anonymous visitor became a customer of their own, without an address.
    with rt.db.read() as s:
        ticket = s.get(Ticket, tid)
        assert ticket.requester.name == f"Visitor {v1}" and ticket.requester.email is None


@pytest.mark.parametrize(("prechat", "mode", "error"), [
    (Prechat("", "", ""), "required", "name and email"),
    (Prechat("Erin", "not-an-address", ""), "optional", "email"),
    (Prechat("Erin", "erin@example.com", "Spaceships"), "optional", "topics"),
])
def test_prechat_is_checked(rt: Runtime, cast: Cast, chat_inbox: ChatInbox, prechat: Prechat,
                            mode: str, error: str) -> None:
    with rt.db.write() as s:
        s.get(ChatInbox, chat_inbox.id).prechat = mode  # type: ignore[union-attr]
    v = visitor(rt, chat_inbox)
    with rt.db.read() as s:
        inbox = s.get(ChatInbox, chat_inbox.id)
    with pytest.raises(ChatError, match=error):
        start(rt, inbox, v, prechat=prechat)  # type: ignore[arg-type]


@pytest.mark.parametrize("client_id", ["", "x" * 65, "bad\nid"])
def test_client_ids_are_checked(rt: Runtime, cast: Cast, chat_inbox: ChatInbox,
                                client_id: str) -> None:
    v = visitor(rt, chat_inbox)
    with pytest.raises(ChatError, match="client_id"):
        start(rt, chat_inbox, v, client_id=client_id)


def test_offers_go_round_and_accepting_makes_the_owner(rt: Runtime, cast: Cast,
                                                      chat_inbox: ChatInbox) -> None:
    agent, admin, partner = cast.agent.actor, cast.admin.actor, cast.partner.actor
    go_online(rt, agent, admin, partner)
    tid = start(rt, chat_inbox, visitor(rt, chat_inbox))
    with rt.db.read() as s:
        offers = s.scalars(select(ChatOffer).where(ChatOffer.ticket_id == tid)).all()
    # The partner is not in the Support team: only Support agents are offered the chat.
    assert len(offers) == 1 and offers[0].agent_id in (cast.agent.id, cast.admin.id)
    first = offers[0].agent_id
    with rt.db.write() as s:
        routing.decline(s, cast.by_role("agent" if first == cast.agent.id else "admin").actor,
                        offers[0].id)
    with rt.db.read() as s:
        pending = s.scalars(select(ChatOffer).where(ChatOffer.ticket_id == tid,
                                                    ChatOffer.state == "pending")).all()
    assert [o.agent_id for o in pending] == [cast.admin.id if first == cast.agent.id
                                             else cast.agent.id]
    # That offer times out: nobody else is left, so the chat waits in the queue.
    with frozen_time(utcnow() + timedelta(seconds=31)), rt.db.write() as s:
        assert routing.expire_due(s) == 1
        assert routing.dispatch(s, 3600) == []
    # Anyone of the team may still take it from the queue.
    with rt.db.write() as s:
        routing.accept(s, agent, tid)
        routing.accept(s, agent, tid)  # a double click changes nothing
    with rt.db.read() as s:
        ticket, conv = s.get(Ticket, tid), s.get(ChatConversation, tid)
        assert ticket.assignee_id == cast.agent.id and ticket.status == "open"
        assert conv.state == "active" and conv.accepted_at is not None
    with pytest.raises(ChatRoutingError, match="already taken"), rt.db.write() as s:
        routing.accept(s, admin, tid)


def test_capacity_limits_offers(rt: Runtime, cast: Cast, chat_inbox: ChatInbox) -> None:
    with rt.db.write() as s:
        routing.set_presence(s, cast.agent.actor, "online", max_chats=1)
    t1 = start(rt, chat_inbox, visitor(rt, chat_inbox), client_id="a")
    t2 = start(rt, chat_inbox, visitor(rt, chat_inbox), client_id="b")
    with rt.db.read() as s:
        offered = {o.ticket_id for o in s.scalars(select(ChatOffer))}
    assert offered == {t1}  # one chat at a time: the second waits
    with rt.db.write() as s:
        routing.accept(s, cast.agent.actor, t1)  # type: ignore[arg-type]
        routing.end_by_agent(s, cast.agent.actor, t1)  # type: ignore[arg-type]
    with rt.db.read() as s:
        offered = {o.ticket_id for o in s.scalars(select(ChatOffer).where(
            ChatOffer.state == "pending"))}
    assert offered == {t2}  # room again: the next chat is offered


def test_absent_or_away_agents_get_no_offers(rt: Runtime, cast: Cast,
                                            chat_inbox: ChatInbox) -> None:
    go_online(rt, cast.agent.actor)
    with rt.db.write() as s:
        routing.set_presence(s, cast.admin.actor, "away")  # type: ignore[arg-type]
    with frozen_time(utcnow() + timedelta(hours=1)):  # the agent's screen went quiet
        start(rt, chat_inbox, visitor(rt, chat_inbox))
    with rt.db.read() as s:
        assert s.scalars(select(ChatOffer)).all() == []
    # The agent's screen comes back: they can take the waiting chat again.
    with frozen_time(utcnow() + timedelta(hours=1)), rt.db.write() as s:
        routing.seen(s, cast.agent.id, 75)
    with rt.db.read() as s:
        assert [o.agent_id for o in s.scalars(select(ChatOffer))] == [cast.agent.id]
    with rt.db.write() as s, pytest.raises(Forbidden):
        routing.set_presence(s, cast.light.actor, "online")  # type: ignore[arg-type]
    with rt.db.write() as s, pytest.raises(ChatRoutingError):
        routing.set_presence(s, cast.agent.actor, "dancing")  # type: ignore[arg-type]


def test_transfer_keeps_the_conversation(rt: Runtime, cast: Cast, chat_inbox: ChatInbox) -> None:
    go_online(rt, cast.agent.actor)
    v = visitor(rt, chat_inbox)
    tid = start(rt, chat_inbox, v)
    with rt.db.write() as s:
        routing.accept(s, cast.agent.actor, tid)  # type: ignore[arg-type]
        routing.transfer(s, cast.agent.actor, tid, agent_id=cast.admin.id, team_id=None,  # type: ignore[arg-type]
                         note="Refund needs an admin")
    with rt.db.read() as s:
        ticket, conv = s.get(Ticket, tid), s.get(ChatConversation, tid)
        assert ticket.assignee_id == cast.admin.id and conv.state == "active"
        note = s.scalars(select(Message).where(Message.ticket_id == tid,
                                               Message.visibility == "internal")).one()
        assert "Ada Admin" in note.body_text and "Refund needs an admin" in note.body_text
    send(rt, v, tid, "Still there?", "c9")  # the customer never noticed
    with pytest.raises(Forbidden), rt.db.write() as s:
        routing.transfer(s, cast.agent.actor, tid, agent_id=cast.agent.id, team_id=None,  # type: ignore[arg-type]
                         note="")
    with rt.db.write() as s:  # back to a team's queue
        routing.transfer(s, cast.admin.actor, tid, agent_id=None, team_id=cast.support_team,  # type: ignore[arg-type]
                         note="")
    with rt.db.read() as s:
        assert s.get(ChatConversation, tid).state == "queued"  # type: ignore[union-attr]
        assert s.get(Ticket, tid).assignee_id is None  # type: ignore[union-attr]


def test_ended_chat_takes_no_messages_and_replies_go_by_email(rt: Runtime, cast: Cast,
                                                             chat_inbox: ChatInbox) -> None:
    v = visitor(rt, chat_inbox)
    tid = start(rt, chat_inbox, v, prechat=Prechat("Erin", "erin@example.com", ""))
    with rt.db.write() as s:
        conv, _ = conversations.access_conversation(s, s.get(ChatVisitor, v), tid)
        from tend.events.catalog import ActorRef

        assert conversations.end(s, conv, "customer", ActorRef("customer", 1))
        assert not conversations.end(s, conv, "customer", ActorRef("customer", 1))
    with pytest.raises(ChatError, match="ended"):
        send(rt, v, tid, "Hello?", "late")
    from tend.channels import delivered_live

    with rt.db.read() as s:
        assert not delivered_live(s, s.get(Ticket, tid))  # type: ignore[arg-type]


def test_offline_message_becomes_an_email_ticket(rt: Runtime, cast: Cast,
                                                 chat_inbox: ChatInbox) -> None:
    v = visitor(rt, chat_inbox)
    with rt.db.write() as s:
        ticket = conversations.offline_message(
            s, s.get(ChatInbox, chat_inbox.id), s.get(ChatVisitor, v), name="Erin",
            email="erin@example.com", body="Call me back please", topic="Billing")
        number = ticket.number
    with rt.db.read() as s:
        t = s.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert (t.channel, t.team_id, t.tags, t.requester.email) == (
            "email", cast.support_team, ["billing"], "erin@example.com")
        assert s.get(ChatConversation, t.id) is None
    with pytest.raises(ChatError, match="email"), rt.db.write() as s:
        conversations.offline_message(s, s.get(ChatInbox, chat_inbox.id), s.get(ChatVisitor, v),
                                      name="X", email="", body="Hi")


def test_transcript_by_email_is_rate_limited(rt: Runtime, cast: Cast,
                                             chat_inbox: ChatInbox) -> None:
    v = visitor(rt, chat_inbox)
    tid = start(rt, chat_inbox, v, prechat=Prechat("Erin", "erin@example.com", ""))
    with rt.db.write() as s:
        actions.add_message(s, cast.agent.actor, s.get(Ticket, tid), body="Secret",  # type: ignore[arg-type]
                            visibility="internal")
        actions.add_message(s, cast.agent.actor, s.get(Ticket, tid), body="Here to help")  # type: ignore[arg-type]
    for _ in range(transcripts.MAX_PER_HOUR):
        with rt.db.write() as s:
            assert transcripts.request(s, rt, tid, None) == "erin@example.com"
    sent = [n for n in rt.outbox.sent if n.subject.startswith("Transcript")]  # type: ignore[attr-defined]
    assert len(sent) == transcripts.MAX_PER_HOUR
    assert "Hi, my order is late" in sent[0].body and "Here to help" in sent[0].body
    assert "Secret" not in sent[0].body  # notes never leave
    with pytest.raises(ChatError, match="several times"), rt.db.write() as s:
        transcripts.request(s, rt, tid, None)


def test_messages_are_numbered_without_gaps_under_merge(rt: Runtime, cast: Cast) -> None:
    with rt.db.write() as s:
        carla = s.merge(s.get(Ticket, 1).requester) if s.get(Ticket, 1) else None
    assert carla is None
    from tests.conftest import customer_obj

    c = customer_obj(rt, cast.carla)
    with rt.db.write() as s:
        a = actions.create_ticket(s, SYSTEM, requester=s.merge(c), subject="A", body="a1")
        b = actions.create_ticket(s, SYSTEM, requester=s.merge(c), subject="B", body="b1")
        actions.add_message(s, SYSTEM, b, body="b2")
        actions.merge_tickets(s, cast.admin.actor, b, a)  # type: ignore[arg-type]
        a_id = a.id
    with rt.db.read() as s:
        seqs = [m.seq for m in conversations.messages_after(s, a_id, 0)]
        assert seqs == [1, 2, 3] and s.get(Ticket, a_id).last_seq == 3  # type: ignore[union-attr]
