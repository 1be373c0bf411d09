"""API input and output shapes for tickets and messages (separate from the tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from tend.tickets.models import Message, Ticket
from tend.tickets.rules import Priority, Status

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=250)]
Body = Annotated[str, StringConstraints(min_length=1, max_length=65_536)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Channel = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,29}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerRef(Strict):
    email: EmailStr = Field(max_length=254)
    name: str = Field(default="", max_length=200)


class TicketCreate(Strict):
    subject: Subject
    body: Body
    customer: CustomerRef | None = Field(
        default=None, description="The requester; required unless a customer calls the API."
    )
    priority: Priority = "normal"
    channel: Channel = "api"
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    team_id: int | None = None
    assignee_id: int | None = None
    custom_fields: dict[str, Any] = Field(default_factory=dict, max_length=100)


class TicketUpdate(Strict):
    subject: Subject | None = None
    status: Status | None = None
    priority: Priority | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    tags: list[Tag] | None = Field(default=None, max_length=50)
    add_tags: list[Tag] | None = Field(default=None, max_length=50)
    remove_tags: list[Tag] | None = Field(default=None, max_length=50)
    custom_fields: dict[str, Any] | None = Field(default=None, max_length=100)

    NULLABLE: ClassVar[tuple[str, ...]] = ("team_id", "assignee_id")  # null unassigns


class MessageCreate(Strict):
    body: Body
    visibility: Literal["public", "internal"] = "public"
    status: Status | None = Field(default=None, description="Change the status in the same step.")


class MergeRequest(Strict):
    target_id: int


class BulkUpdate(Strict):
    ids: list[int] = Field(min_length=1, max_length=100)
    changes: TicketUpdate


class PersonOut(BaseModel):
    id: int
    name: str
    email: str | None = None


class TeamRef(BaseModel):
    id: int
    name: str


class TicketOut(BaseModel):
    id: int
    number: int
    subject: str
    status: str
    priority: str
    channel: str
    requester: PersonOut
    assignee: PersonOut | None
    team: TeamRef | None
    tags: list[str]
    custom_fields: dict[str, Any]
    merged_into_id: int | None
    message_count: int | None = Field(description="Null for customers (notes are not theirs).")
    reopen_count: int
    created_at: datetime
    updated_at: datetime
    first_reply_at: datetime | None
    last_agent_reply_at: datetime | None
    last_customer_message_at: datetime | None
    assigned_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None

    @classmethod
    def for_customer(cls, t: Ticket, visible_fields: set[str]) -> TicketOut:
        """What a customer may see of their own ticket (access.sees_internal_fields)."""
        out = cls.of(t)
        return out.model_copy(update={
            "assignee": PersonOut(id=t.assignee.id, name=t.assignee.name) if t.assignee else None,
            "team": None, "tags": [],
            "custom_fields": {k: v for k, v in t.custom_fields.items() if k in visible_fields},
            "message_count": None,
        })

    @classmethod
    def of(cls, t: Ticket) -> TicketOut:
        return cls(
            id=t.id, number=t.number, subject=t.subject, status=t.status, priority=t.priority,
            channel=t.channel,
            requester=PersonOut(id=t.requester.id, name=t.requester.name, email=t.requester.email),
            assignee=PersonOut(id=t.assignee.id, name=t.assignee.name, email=t.assignee.email)
            if t.assignee else None,
            team=TeamRef(id=t.team.id, name=t.team.name) if t.team else None,
            tags=t.tags, custom_fields=t.custom_fields, merged_into_id=t.merged_into_id,
            message_count=t.message_count, reopen_count=t.reopen_count,
            created_at=t.created_at, updated_at=t.updated_at, first_reply_at=t.first_reply_at,
            last_agent_reply_at=t.last_agent_reply_at,
            last_customer_message_at=t.last_customer_message_at, assigned_at=t.assigned_at,
            solved_at=t.solved_at, closed_at=t.closed_at,
        )


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class MessageOut(BaseModel):
    id: int
    ticket_id: int
    visibility: str
    author_type: str
    author: PersonOut | None
    body: str
    body_html: str
    channel: str
    delivery_status: str
    delivery_error: str | None
    attachments: list[AttachmentOut]
    seq: int | None = Field(description="The message's place in the customer-visible "
                            "conversation (1, 2, 3...); null for notes.")
    client_id: str | None = Field(description="The sender's own id for the message, if given.")
    created_at: datetime

    @classmethod
    def of(cls, m: Message) -> MessageOut:
        author = None
        if m.author_agent is not None:
            author = PersonOut(id=m.author_agent.id, name=m.author_agent.name)
        elif m.author_customer is not None:
            author = PersonOut(id=m.author_customer.id, name=m.author_customer.name)
        return cls(
            id=m.id, ticket_id=m.ticket_id, visibility=m.visibility, author_type=m.author_type,
            author=author, body=m.body_text, body_html=m.body_html, channel=m.channel,
            delivery_status=m.delivery_status, delivery_error=m.delivery_error,
            attachments=[
                AttachmentOut(id=a.id, filename=a.filename, content_type=a.content_type,
                              size=a.size, url=f"/api/v1/attachments/{a.id}")
                for a in m.attachments
            ],
            seq=m.seq, client_id=m.client_id, created_at=m.created_at,
        )


class TicketPage(BaseModel):
    items: list[TicketOut]
    next_cursor: str | None


class MessageList(BaseModel):
    items: list[MessageOut]


class BulkResultOut(BaseModel):
    id: int
    ok: bool
    error: str | None = None


class BulkResponse(BaseModel):
    results: list[BulkResultOut]
