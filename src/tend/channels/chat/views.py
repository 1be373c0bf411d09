"""What the widget (and the agents' chat panel) are sent: messages and conversations as plain
dicts, customer-safe (never a note, never an address of an agent)."""

from __future__ import annotations

import time
from bisect import bisect_left
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tend.agents.models import Agent
from tend.channels.chat import rules, tokens
from tend.channels.chat.models import ChatConversation, ChatOffer
from tend.db import utcnow
from tend.tickets.models import Message, Ticket
from tend.tickets.schemas import TicketOut

FILE_LINK_SECONDS = 7 * 24 * 3600


def person(name: str) -> dict[str, str]:
    return {"name": name, "initials": rules.initials(name), "color": rules.colour_for(name)}


def widget_html(html: str) -> str:
    """Message HTML is sanitized when stored; in the widget, links open in a new tab (the
    sanitizer already set rel="noopener noreferrer nofollow")."""
    return html.replace("<a ", '<a target="_blank" ')


def chat_message(m: Message, secret: str, base_url: str = "") -> dict[str, Any]:
    if m.visibility != "public":
        raise ValueError("notes never reach the widget")
    author = m.author_name if m.author_type != "system" else ""
    expires = int(time.time()) + FILE_LINK_SECONDS
    return {
        "seq": m.seq, "id": m.id, "client_id": m.client_id,
        "from": {"customer": "customer", "agent": "agent"}.get(m.author_type, "system"),
        "author": person(author) if author else None,
        "text": m.body_text, "html": widget_html(m.body_html),
        "attachments": [
            {"name": a.filename, "size": a.size, "type": a.content_type,
             "url": f"{base_url}/widget/files/{a.id}?sig="
                    f"{tokens.file_signature(secret, a.id, expires)}"}
            for a in m.attachments],
        "created_at": m.created_at.isoformat(),
    }


class QueueFacts:
    """Queue positions and recent waits, each read once per inbox, for building the views of
    many conversations together (every chat waiting behind a changed one, the queue list)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._queued: dict[int | None, list[datetime]] = {}
        self._waits: dict[int | None, list[float]] = {}

    def position(self, conv: ChatConversation) -> int:
        """1 + the chats of the same inbox queued before this one (0: not waiting)."""
        if conv.state != "queued":
            return 0
        inbox = conv.chat_inbox_id
        if inbox not in self._queued:
            self._queued[inbox] = list(self.session.scalars(
                select(ChatConversation.queued_at).where(
                    ChatConversation.state == "queued", ChatConversation.chat_inbox_id == inbox)
                .order_by(ChatConversation.queued_at)))
        return bisect_left(self._queued[inbox], conv.queued_at) + 1

    def waits(self, chat_inbox_id: int | None) -> list[float]:
        """How long the last 20 chats of the inbox (in 24 hours) waited to be accepted."""
        if chat_inbox_id not in self._waits:
            since = utcnow() - timedelta(hours=24)
            rows = self.session.execute(
                select(ChatConversation.queued_at, ChatConversation.accepted_at)
                .where(ChatConversation.chat_inbox_id == chat_inbox_id,
                       ChatConversation.accepted_at.is_not(None),
                       ChatConversation.queued_at >= since)
                .order_by(ChatConversation.accepted_at.desc()).limit(20)).all()
            self._waits[chat_inbox_id] = [(b - a).total_seconds() for a, b in rows
                                          if a is not None and b is not None]
        return self._waits[chat_inbox_id]


def conversation(session: Session, conv: ChatConversation, ticket: Ticket,
                 facts: QueueFacts | None = None) -> dict[str, Any]:
    facts = facts or QueueFacts(session)
    position = facts.position(conv)
    agent = session.get(Agent, ticket.assignee_id) if ticket.assignee_id else None
    return {
        "id": ticket.id, "number": ticket.number, "state": conv.state,
        "queue_position": position,
        "estimated_wait_seconds": rules.estimated_wait_seconds(
            position, facts.waits(conv.chat_inbox_id), 1)
        if conv.state == "queued" else None,
        "agent": person(agent.name) if agent is not None and conv.state == "active" else None,
        "customer_read_seq": conv.customer_read_seq, "agent_read_seq": conv.agent_read_seq,
        "last_seq": ticket.last_seq, "topic": conv.topic,
    }


def offer(offer: ChatOffer, ticket: Ticket) -> dict[str, Any]:
    return {"id": offer.id, "state": offer.state, "expires_at": offer.expires_at.isoformat(),
            "ticket": TicketOut.of(ticket).model_dump(mode="json")}


def queued_in(session: Session, chat_inbox_ids: set[int | None], limit: int = 200
              ) -> list[int]:
    """Ticket ids of the chats waiting in these inboxes' queues (their positions move)."""
    if not chat_inbox_ids:
        return []
    return list(session.scalars(
        select(ChatConversation.ticket_id).where(
            ChatConversation.state == "queued",
            ChatConversation.chat_inbox_id.in_([i for i in chat_inbox_ids if i is not None]))
        .order_by(ChatConversation.queued_at).limit(limit)))
