"""Chat tables: chat inboxes (a website's widget), visitors, conversations, offers.

A chat conversation *is* a ticket (channel `chat`): its messages are the ticket's messages, each
with a per-ticket sequence number (`Message.seq`) the widget resumes from. The row here holds
what only a live conversation has: its state in the queue, who read what, the visitor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tend.db import Base, utcnow

ConversationState = Literal["queued", "active", "ended"]
CONVERSATION_STATES: tuple[ConversationState, ...] = get_args(ConversationState)
OfferState = Literal["pending", "accepted", "declined", "expired", "withdrawn"]
PrechatMode = Literal["off", "optional", "required"]
PRECHAT_MODES: tuple[PrechatMode, ...] = get_args(PrechatMode)


class ChatInbox(Base):
    """A website's chat widget: its look, its pre-chat form, its hours, the team that answers.

    `key` is public (it is in the website's `<script data-inbox=...>`); the secret a website
    signs visitor identities with is derived from the instance secret and `identity_salt`, so
    it is never stored and changes when the salt is regenerated.
    """

    __tablename__ = "chat_inboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), default=None
    )
    active: Mapped[bool] = mapped_column(default=True)
    greeting: Mapped[str] = mapped_column(Text, default="")
    brand_color: Mapped[str | None] = mapped_column(String(7), default=None)
    prechat: Mapped[str] = mapped_column(String(10), default="off")
    topics: Mapped[list[str]] = mapped_column(default=list)
    # {"tz": "Europe/Berlin", "days": {"mon": [["09:00", "17:30"]], ...}}; empty: always open.
    business_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    allowed_origins: Mapped[str] = mapped_column(Text, default="")
    # Offline messages become tickets answered by email through this inbox.
    offline_inbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("inboxes.id", ondelete="SET NULL"), default=None
    )
    identity_salt: Mapped[str] = mapped_column(String(32))
    offer_timeout_seconds: Mapped[int] = mapped_column(default=30)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatVisitor(Base):
    """Someone who opened the widget; recognised on return by a signed visitor token."""

    __tablename__ = "chat_visitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_inbox_id: Mapped[int] = mapped_column(
        ForeignKey("chat_inboxes.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True, default=None
    )
    # Set when the website vouched for the visitor (signed identity): they are that customer.
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatConversation(Base):
    __tablename__ = "chat_conversations"
    __table_args__ = (Index("ix_chat_conversations_queue", "state", "queued_at"),
                      Index("ix_chat_conversations_waits", "chat_inbox_id", "accepted_at"))

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    chat_inbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_inboxes.id", ondelete="SET NULL"), index=True, default=None
    )
    visitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_visitors.id", ondelete="SET NULL"), index=True, default=None
    )
    state: Mapped[str] = mapped_column(String(10), default="queued")
    topic: Mapped[str | None] = mapped_column(String(100), default=None)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_by: Mapped[str | None] = mapped_column(String(10), default=None)
    # Read receipts: the highest message seq each side has seen.
    customer_read_seq: Mapped[int] = mapped_column(default=0)
    agent_read_seq: Mapped[int] = mapped_column(default=0)


class ChatOffer(Base):
    """A queued chat offered to one agent, who accepts, declines, or lets it time out."""

    __tablename__ = "chat_offers"
    __table_args__ = (
        Index("ix_chat_offers_ticket_state", "ticket_id", "state"),
        Index("ix_chat_offers_agent_state", "agent_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
