"""Envelopes of chat conversations, summed up just before each commit (like `realtime.feed`).

On the conversation's topic (the visitor's widget):
- `message` `{"message": ChatMessage}`: public messages only;
- `conversation` `{"conversation": Conversation}`: state, queue, agent, read receipts.
On the agents' topic:
- `chat` `{"conversation": Conversation}`: the same, for the workspace;
- `chat.offer` `{"offer": {...}}`: for the one agent offered the chat.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, object_session

from tend.channels.chat import views
from tend.channels.chat.models import ChatConversation, ChatOffer
from tend.events.bus import after_commit
from tend.events.catalog import Event
from tend.realtime.envelopes import AGENTS, Envelope, Scope, conversation_topic
from tend.realtime.feed import ticket_scope
from tend.tickets.models import Message, Ticket

if TYPE_CHECKING:
    from tend.runtime import Runtime

_TOUCHED = "tend_chat_touched"  # ticket ids whose conversation changed
_MESSAGES = "tend_chat_messages"  # public message ids on chat tickets
_OFFERS = "tend_chat_offers"
_QUEUES = "tend_chat_queues"  # inboxes where waiting chats moved up (or an estimate changed)


def touch(session: Session, ticket_id: int) -> None:
    session.info.setdefault(_TOUCHED, {})[ticket_id] = None


def touch_offer(session: Session, offer_id: int) -> None:
    session.info.setdefault(_OFFERS, {})[offer_id] = None


def in_progress(session: Session, ticket: Ticket) -> bool:
    """Whether the widget carries agents' replies on this ticket (else email does)."""
    conv = session.get(ChatConversation, ticket.id)
    return conv is not None and conv.state != "ended"


def install(rt: Runtime) -> None:
    rt.bus.subscribe_in_transaction("message.created", _note_message)
    rt.bus.subscribe_in_transaction("message.delivery_changed", _note_message)
    rt.bus.subscribe_in_transaction("ticket.updated", _note_ticket)
    rt.bus.subscribe_before_commit(lambda session: _sum_up(rt, session))


def _note_message(session: Session, evt: Event) -> None:
    data: dict[str, Any] = evt.__dict__
    if data.get("visibility", "public") == "public" and \
            session.get(ChatConversation, data["ticket_id"]) is not None:
        session.info.setdefault(_MESSAGES, {})[data["message_id"]] = None
        touch(session, data["ticket_id"])


def _note_ticket(session: Session, evt: Event) -> None:
    data: dict[str, Any] = evt.__dict__
    if session.get(ChatConversation, data["ticket_id"]) is not None:
        touch(session, data["ticket_id"])


def _sum_up(rt: Runtime, session: Session) -> None:
    messages = session.info.pop(_MESSAGES, {})
    touched = session.info.pop(_TOUCHED, {})
    offers = session.info.pop(_OFFERS, {})
    if not (messages or touched or offers or session.info.get(_QUEUES)):
        return
    session.flush()
    secret, base = rt.settings.signing_key(), rt.settings.public_url
    envelopes: list[Envelope] = []
    for message_id in messages:
        message = session.get(Message, message_id)
        if message is None or message.visibility != "public" or message.seq is None:
            continue
        ticket = session.get(Ticket, message.ticket_id)
        if ticket is None:
            continue
        envelopes.append(Envelope(
            "message", (conversation_topic(ticket.id),),
            {"message": views.chat_message(message, secret, base)},
            Scope(ticket_id=ticket.id, requester_id=ticket.requester_id)))
    # A chat left the queue (or went to its end): those waiting behind it move up, and the
    # estimates of all of them change. A chat joining at the end, or a message, moves nobody.
    for ticket_id in views.queued_in(session, set(session.info.pop(_QUEUES, {}))):
        touched.setdefault(ticket_id, None)
    facts = views.QueueFacts(session)
    for ticket_id in touched:
        conv, ticket = session.get(ChatConversation, ticket_id), session.get(Ticket, ticket_id)
        if conv is None or ticket is None:
            continue
        view = views.conversation(session, conv, ticket, facts)
        envelopes.append(Envelope("conversation", (conversation_topic(ticket.id),),
                                  {"conversation": view},
                                  Scope(ticket_id=ticket.id, requester_id=ticket.requester_id)))
        envelopes.append(Envelope("chat", (AGENTS,), {"conversation": view},
                                  ticket_scope(ticket)))
    for offer_id in offers:
        offer = session.get(ChatOffer, offer_id)
        ticket = session.get(Ticket, offer.ticket_id) if offer is not None else None
        if offer is None or ticket is None:
            continue
        envelopes.append(Envelope(
            "chat.offer", (AGENTS,), {"offer": views.offer(offer, ticket)},
            Scope(ticket_id=ticket.id, team_id=ticket.team_id, agent_id=offer.agent_id)))
    if envelopes:
        after_commit(session, lambda: rt.hub.publish(envelopes))


def _queue_moved(conv: ChatConversation) -> None:
    session = object_session(conv)
    if session is not None:
        session.info.setdefault(_QUEUES, {})[conv.chat_inbox_id] = None


@sa_event.listens_for(ChatConversation.state, "set", active_history=True)
def _state_set(conv: ChatConversation, value: str, old: Any, _initiator: Any) -> None:
    if old == "queued" and value != "queued":
        _queue_moved(conv)


@sa_event.listens_for(ChatConversation.queued_at, "set", active_history=True)
def _queued_at_set(conv: ChatConversation, value: Any, old: Any, _initiator: Any) -> None:
    if isinstance(old, datetime) and value != old:  # queued again, at the end
        _queue_moved(conv)


@sa_event.listens_for(Session, "after_commit")
@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if session.get_nested_transaction() is None:
        for key in (_TOUCHED, _MESSAGES, _OFFERS, _QUEUES):
            session.info.pop(key, None)
