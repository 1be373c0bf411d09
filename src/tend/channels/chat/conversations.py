"""What visitors do in a chat: be recognised, start, write, read, end, leave a message.

The conversation is a ticket with channel `chat`; its messages are ticket messages written by
the channel on the customer's behalf (as the email channel does). Sends are idempotent by the
widget's `client_id`: the same id on the same conversation is the same message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tend.access import SYSTEM
from tend.attachments.actions import StoredFile
from tend.channels.chat import live, rules, tokens
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatVisitor
from tend.customers import actions as customer_actions
from tend.customers.models import Customer
from tend.customers.rules import IdentityError, normalize_email
from tend.db import utcnow
from tend.events import emit
from tend.events.catalog import ActorRef, ChatEnded, ChatStarted
from tend.tickets import actions as ticket_actions
from tend.tickets.models import Message, Ticket
from tend.tickets.rules import RuleError

MAX_CLIENT_ID = 64


class ChatError(ValueError):
    """A visitor's request that cannot be done (shown to them as it is)."""


@dataclass(frozen=True)
class Prechat:
    name: str = ""
    email: str = ""
    topic: str = ""


@dataclass(frozen=True)
class Identity:
    """What a website says about its signed-in visitor, with its signature."""

    email: str
    name: str
    hash: str


def find_inbox(session: Session, key: str) -> ChatInbox | None:
    inbox = session.scalar(select(ChatInbox).where(ChatInbox.key == key))
    return inbox if inbox is not None and inbox.active else None


def recognise(session: Session, secret: str, inbox: ChatInbox, token: str | None,
              identity: Identity | None) -> ChatVisitor:
    """The visitor holding `token`, or a new one. A valid signed identity ties the visitor to
    that customer (created if new); an invalid one is refused, never silently ignored."""
    visitor = None
    if token:
        visitor_id = tokens.read_visitor_token(secret, inbox.key, token)
        visitor = session.get(ChatVisitor, visitor_id) if visitor_id else None
        if visitor is not None and visitor.chat_inbox_id != inbox.id:
            visitor = None
    if identity is not None:
        key = tokens.identity_secret(secret, inbox.identity_salt)
        if not tokens.identity_valid(key, identity.email, identity.hash):
            raise ChatError("The website's identity signature does not match.")
        customer = customer_actions.find_or_create_by_email(
            session, SYSTEM, _email(identity.email), identity.name[:200])
        if visitor is None or (visitor.verified and visitor.customer_id != customer.id):
            visitor = ChatVisitor(chat_inbox_id=inbox.id)
            session.add(visitor)
        visitor.customer_id, visitor.verified = customer.id, True
    if visitor is None:
        visitor = ChatVisitor(chat_inbox_id=inbox.id)
        session.add(visitor)
    visitor.last_seen_at = utcnow()
    session.flush()
    return visitor


def _email(raw: str) -> str:
    try:
        return normalize_email(raw)
    except IdentityError as exc:
        raise ChatError(str(exc)) from None


def _customer(session: Session, visitor: ChatVisitor, prechat: Prechat) -> Customer:
    if visitor.customer_id is not None:
        customer = session.get(Customer, visitor.customer_id)
        if customer is not None:
            if prechat.name and not visitor.verified and customer.name.startswith("Visitor "):
                customer.name = prechat.name[:200]
            return customer
    if prechat.email:
        # Unverified: the chat goes to that customer's record, but the visitor sees only the
        # chats of their own token; the portal asks the address itself to sign in.
        customer = customer_actions.find_or_create_by_email(
            session, SYSTEM, _email(prechat.email), prechat.name[:200])
    else:
        customer = customer_actions.create_customer(
            session, SYSTEM, name=prechat.name[:200] or f"Visitor {visitor.id}",
            identities=[("chat", f"visitor-{visitor.id}")])
    visitor.customer_id = customer.id
    return customer


def check_prechat(inbox: ChatInbox, prechat: Prechat, visitor: ChatVisitor) -> Prechat:
    name, email, topic = (" ".join(v.split())[:200] for v in
                          (prechat.name, prechat.email, prechat.topic))
    if inbox.prechat == "required" and not visitor.verified and not (name and email):
        raise ChatError("Please give your name and email address.")
    if email:
        email = _email(email)
    if topic and inbox.topics and topic not in inbox.topics:
        raise ChatError("Please choose one of the topics offered.")
    return Prechat(name, email, topic[:100])


def _client_id(value: str | None) -> str | None:
    if value is None:
        return None
    if not value or len(value) > MAX_CLIENT_ID or not value.isprintable():
        raise ChatError(f"client_id is 1 to {MAX_CLIENT_ID} printable characters.")
    return value


def _existing(session: Session, ticket_id: int, client_id: str | None) -> Message | None:
    if client_id is None:
        return None
    return session.scalar(select(Message).where(Message.ticket_id == ticket_id,
                                                Message.client_id == client_id))


def start(session: Session, inbox: ChatInbox, visitor: ChatVisitor, *, body: str,
          client_id: str | None, prechat: Prechat = Prechat(),
          files: Sequence[StoredFile] = ()) -> tuple[Ticket, Message]:
    """Open the conversation (a ticket, queued for an agent) with its first message."""
    client_id = _client_id(client_id)
    if client_id is not None:  # a retried start: the conversation it already opened
        found = session.execute(
            select(Ticket, Message).join(Message, Message.ticket_id == Ticket.id)
            .join(ChatConversation, ChatConversation.ticket_id == Ticket.id)
            .where(ChatConversation.visitor_id == visitor.id, Message.client_id == client_id)
        ).first()
        if found is not None:
            return found[0], found[1]
    prechat = check_prechat(inbox, prechat, visitor)
    customer = _customer(session, visitor, prechat)
    subject = " ".join(body.split())[:80] or "Chat"
    try:
        ticket = ticket_actions.create_ticket(
            session, SYSTEM, requester=customer, subject=f"Chat: {subject}", body=body,
            channel="chat", team_id=inbox.team_id, files=files, client_id=client_id,
            tags=[prechat.topic] if prechat.topic else ())
    except RuleError as exc:
        raise ChatError(str(exc)) from None
    conv = ChatConversation(ticket_id=ticket.id, chat_inbox_id=inbox.id, visitor_id=visitor.id,
                            state="queued", topic=prechat.topic or None, queued_at=utcnow())
    session.add(conv)
    session.flush()
    emit(session, ChatStarted(actor=ActorRef("customer", customer.id), ticket_id=ticket.id,
                              chat_inbox_id=inbox.id))
    live.touch(session, ticket.id)
    return ticket, ticket.messages[0]


def access_conversation(session: Session, visitor: ChatVisitor, ticket_id: int
                        ) -> tuple[ChatConversation, Ticket]:
    """The visitor's own conversation; anyone else's is "not found"."""
    conv = session.get(ChatConversation, ticket_id)
    if conv is None or conv.visitor_id != visitor.id:
        raise ChatError("This conversation was not found.")
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise ChatError("This conversation was not found.")
    return conv, ticket


def send(session: Session, visitor: ChatVisitor, ticket_id: int, *, body: str,
         client_id: str | None, files: Sequence[StoredFile] = ()) -> Message:
    """A visitor's message; the same `client_id` again returns the message already stored."""
    client_id = _client_id(client_id)
    conv, ticket = access_conversation(session, visitor, ticket_id)
    found = _existing(session, ticket.id, client_id)
    if found is not None:
        return found
    if conv.state == "ended" or ticket.status == "closed":
        raise ChatError("This chat has ended. Start a new one to write again.")
    customer = session.get(Customer, ticket.requester_id)
    try:
        with session.begin_nested():
            message = ticket_actions.add_message(
                session, SYSTEM, ticket, body=body, channel="chat", files=files,
                client_id=client_id, origin=ticket_actions.Origin(customer=customer))
    except IntegrityError:  # the same client_id, sent twice at once: the other one won
        found = _existing(session, ticket.id, client_id)
        if found is None:
            raise
        return found
    except RuleError as exc:
        raise ChatError(str(exc)) from None
    live.touch(session, ticket.id)
    return message


def messages_after(session: Session, ticket_id: int, since_seq: int, limit: int = 500
                   ) -> list[Message]:
    return list(session.scalars(
        select(Message).where(Message.ticket_id == ticket_id, Message.seq > since_seq,
                              Message.visibility == "public")
        .order_by(Message.seq).limit(limit)))


def customer_read(session: Session, visitor: ChatVisitor, ticket_id: int, seq: int) -> None:
    conv, ticket = access_conversation(session, visitor, ticket_id)
    seq = min(max(0, seq), ticket.last_seq)
    if seq > conv.customer_read_seq:
        conv.customer_read_seq = seq
        live.touch(session, ticket.id)


def end(session: Session, conv: ChatConversation,
        ended_by: Literal["customer", "agent", "system"], actor_ref: ActorRef) -> bool:
    """End the conversation (once). The ticket stays open for follow-up by email/portal."""
    if conv.state == "ended":
        return False
    from tend.channels.chat import routing

    routing.withdraw_offers(session, conv.ticket_id)
    conv.state, conv.ended_at, conv.ended_by = "ended", utcnow(), ended_by
    emit(session, ChatEnded(actor=actor_ref, ticket_id=conv.ticket_id, ended_by=ended_by))
    live.touch(session, conv.ticket_id)
    return True


def seen(session: Session, visitor_ids: Sequence[int]) -> None:
    """These visitors have the widget open (somewhere) now."""
    now = utcnow()
    for start in range(0, len(visitor_ids), 500):
        session.execute(update(ChatVisitor).where(
            ChatVisitor.id.in_(visitor_ids[start:start + 500])).values(last_seen_at=now))


def end_abandoned(session: Session, gone_seconds: float) -> list[int]:
    """End the chats, waiting or active, whose visitor has had no widget open for
    `gone_seconds` (or whose visitor is no more), as the system; the agent gets a note. The
    ticket stays open: later replies go by email, as after any chat."""
    from tend.channels.chat import routing

    routing.lock(session)
    cutoff = utcnow() - timedelta(seconds=gone_seconds)
    rows = session.execute(
        select(ChatConversation, ChatVisitor.last_seen_at)
        .outerjoin(ChatVisitor, ChatVisitor.id == ChatConversation.visitor_id)
        .where(ChatConversation.state.in_(("queued", "active")),
               or_(ChatVisitor.id.is_(None), ChatVisitor.last_seen_at < cutoff))
        .order_by(ChatConversation.ticket_id)).all()
    ended = []
    for conv, last_seen in rows:
        ticket = session.get(Ticket, conv.ticket_id)
        if ticket is None or not end(session, conv, "system", ActorRef.system()):
            continue
        minutes = max(1, round((utcnow() - last_seen).total_seconds() / 60)) if last_seen else 0
        gone = f"{minutes} minute{'s' * (minutes != 1)} ago" if minutes else "for good"
        if ticket.status != "closed":
            ticket_actions.add_message(
                session, SYSTEM, ticket, visibility="internal",
                body=f"The chat ended by itself: the customer left (their chat window closed "
                     f"{gone}). Replies to this ticket now go by email.")
        ended.append(conv.ticket_id)
    return ended


def latest_open(session: Session, visitor: ChatVisitor) -> ChatConversation | None:
    return session.scalar(
        select(ChatConversation).where(ChatConversation.visitor_id == visitor.id)
        .order_by(ChatConversation.queued_at.desc()).limit(1))


def offline_message(session: Session, inbox: ChatInbox, visitor: ChatVisitor, *, name: str,
                    email: str, body: str, topic: str = "", client_id: str | None = None
                    ) -> Ticket:
    """Outside hours (or with nobody online): a ticket answered by email. A retry with the
    same `client_id` returns the ticket the first one opened."""
    if not email:
        raise ChatError("Please give your email address so that we can answer.")
    client_id = _client_id(client_id)
    prechat = check_prechat(inbox, Prechat(name, email, topic), visitor)
    customer = customer_actions.find_or_create_by_email(
        session, SYSTEM, prechat.email, prechat.name)
    if client_id is not None:
        earlier = session.scalar(select(Ticket).join(Message, Message.ticket_id == Ticket.id)
                                 .where(Message.client_id == client_id,
                                        Message.author_customer_id == customer.id))
        if earlier is not None:
            return earlier
    if visitor.customer_id is None:
        visitor.customer_id = customer.id
    subject = " ".join(body.split())[:80] or "Message"
    try:
        return ticket_actions.create_ticket(
            session, SYSTEM, requester=customer, subject=subject, body=body, channel="email",
            team_id=inbox.team_id, tags=[prechat.topic] if prechat.topic else (),
            origin=ticket_actions.Origin(inbox_id=inbox.offline_inbox_id), client_id=client_id)
    except RuleError as exc:
        raise ChatError(str(exc)) from None


def is_open(inbox: ChatInbox, agents_online: int) -> bool:
    return agents_online > 0 and rules.is_open(inbox.business_hours, utcnow())
