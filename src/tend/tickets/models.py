from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tend.db import Base, utcnow

if TYPE_CHECKING:
    from tend.agents.models import Agent, Team
    from tend.attachments.models import Attachment
    from tend.customers.models import Customer


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_updated", "updated_at", "id"),
        Index("ix_tickets_status_updated", "status", "updated_at"),
        Index("ix_tickets_assignee_status", "assignee_id", "status"),
        Index("ix_tickets_team_status", "team_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    subject: Mapped[str] = mapped_column(String(250))
    status: Mapped[str] = mapped_column(String(20), default="new")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    channel: Mapped[str] = mapped_column(String(30), default="web")
    requester_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), default=None
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), default=None
    )
    custom_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), default=None)
    # A ticket opened because a reply came too late (or from a stranger) points to the old one.
    follow_up_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), default=None
    )
    inbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("inboxes.id", ondelete="SET NULL"), default=None
    )

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_reply_at: Mapped[datetime | None] = mapped_column(default=None)
    last_agent_reply_at: Mapped[datetime | None] = mapped_column(default=None)
    last_customer_message_at: Mapped[datetime | None] = mapped_column(default=None)
    assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    solved_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    reopen_count: Mapped[int] = mapped_column(default=0)
    message_count: Mapped[int] = mapped_column(default=0)
    # The last `Message.seq` given out: public messages are numbered 1, 2, 3... per ticket.
    last_seq: Mapped[int] = mapped_column(default=0)

    requester: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)
    assignee: Mapped[Agent | None] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")
    tag_rows: Mapped[list[TicketTag]] = relationship(
        cascade="all, delete-orphan", order_by="TicketTag.tag", lazy="selectin"
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="ticket", order_by="Message.id", cascade="all, delete-orphan"
    )

    @property
    def tags(self) -> list[str]:
        return [t.tag for t in self.tag_rows]


class TicketTag(Base):
    __tablename__ = "ticket_tags"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_ticket", "ticket_id", "id"),
        UniqueConstraint("ticket_id", "seq", name="uq_messages_ticket_seq"),
        UniqueConstraint("ticket_id", "client_id", name="uq_messages_ticket_client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    author_type: Mapped[str] = mapped_column(String(10))
    author_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), default=None
    )
    author_customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), default=None
    )
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(30), default="web")
    delivery_status: Mapped[str] = mapped_column(String(12), default="none")
    delivery_error: Mapped[str | None] = mapped_column(Text, default=None)
    external_id: Mapped[str | None] = mapped_column(String(250), default=None, index=True)
    # The quoted history and signature a channel split off the visible reply (kept, collapsed).
    quoted_text: Mapped[str | None] = mapped_column(Text, default=None)
    # The conversation's order as the customer sees it: public messages only, no gaps, so a
    # chat widget resumes after the last one it has. Notes have none.
    seq: Mapped[int | None] = mapped_column(default=None)
    # The sender's own id for the message (chat widget, API): a retry with the same id is the
    # same message, never a second one.
    client_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    author_agent: Mapped[Agent | None] = relationship(lazy="joined")
    author_customer: Mapped[Customer | None] = relationship(lazy="joined")
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.id", lazy="selectin", back_populates="message"
    )

    @property
    def is_note(self) -> bool:
        return self.visibility == "internal"

    @property
    def author_name(self) -> str:
        if self.author_agent is not None:
            return self.author_agent.name
        if self.author_customer is not None:
            return self.author_customer.name
        return {"bot": "Bot", "system": "System"}.get(self.author_type, self.author_type)


class CustomField(Base):
    """An admin-defined ticket field; tickets keep values in `Ticket.custom_fields[key]`."""

    __tablename__ = "custom_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(20))
    options: Mapped[list[str]] = mapped_column(default=list)
    required_to_solve: Mapped[bool] = mapped_column(default=False)
    customer_visible: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedView(Base):
    """A named inbox filter and sort; `agent_id` None means shared with every agent."""

    __tablename__ = "saved_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), index=True, default=None
    )
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sort: Mapped[str] = mapped_column(String(30), default="-updated_at")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
