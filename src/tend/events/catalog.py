"""One typed catalog of everything that happens in Tend.

Each event has a stable dotted `name`; subscribers (audit log, websockets, webhooks, automations,
analytics) match on it. Events carry ids and the changed values, never ORM objects, so that they
can cross a process boundary as JSON. docs/events.md lists them (a test checks it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal

from tend.db import utcnow

ActorKind = Literal["agent", "customer", "bot", "system"]
Change = tuple[Any, Any]


@dataclass(frozen=True)
class ActorRef:
    kind: ActorKind
    id: int | None = None

    @classmethod
    def system(cls) -> ActorRef:
        return cls("system")


@dataclass(frozen=True, kw_only=True)
class Event:
    name: ClassVar[str]
    actor: ActorRef
    occurred_at: datetime = field(default_factory=utcnow)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["name"] = self.name
        data["occurred_at"] = self.occurred_at.isoformat()
        return data


@dataclass(frozen=True, kw_only=True)
class TicketCreated(Event):
    name = "ticket.created"
    ticket_id: int
    number: int
    channel: str
    requester_id: int
    team_id: int | None
    assignee_id: int | None


@dataclass(frozen=True, kw_only=True)
class TicketUpdated(Event):
    """Fields of a ticket changed; `changes` maps each field to (before, after)."""

    name = "ticket.updated"
    ticket_id: int
    changes: dict[str, Change]


@dataclass(frozen=True, kw_only=True)
class TicketReopened(Event):
    name = "ticket.reopened"
    ticket_id: int
    reopen_count: int


@dataclass(frozen=True, kw_only=True)
class TicketMerged(Event):
    name = "ticket.merged"
    ticket_id: int  # the source, now closed
    target_id: int
    moved_messages: int


@dataclass(frozen=True, kw_only=True)
class MessageCreated(Event):
    name = "message.created"
    ticket_id: int
    message_id: int
    visibility: Literal["public", "internal"]
    author_type: str
    channel: str


@dataclass(frozen=True, kw_only=True)
class MessageDeliveryChanged(Event):
    """A message sent through a channel was queued, sent, or failed (bounce, refused)."""

    name = "message.delivery_changed"
    ticket_id: int
    message_id: int
    status: Literal["queued", "sent", "failed"]
    error: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChatInboxCreated(Event):
    name = "chat_inbox.created"
    chat_inbox_id: int


@dataclass(frozen=True, kw_only=True)
class ChatInboxUpdated(Event):
    name = "chat_inbox.updated"
    chat_inbox_id: int
    changes: dict[str, Change]


@dataclass(frozen=True, kw_only=True)
class ChatStarted(Event):
    """A visitor started a chat (its ticket was created with it); it waits in the queue."""

    name = "chat.started"
    ticket_id: int
    chat_inbox_id: int | None


@dataclass(frozen=True, kw_only=True)
class ChatOffered(Event):
    name = "chat.offered"
    ticket_id: int
    offer_id: int
    agent_id: int


@dataclass(frozen=True, kw_only=True)
class ChatOfferClosed(Event):
    """An offer was declined, timed out, or withdrawn (the chat was taken elsewhere)."""

    name = "chat.offer_closed"
    ticket_id: int
    offer_id: int
    agent_id: int
    outcome: Literal["declined", "expired", "withdrawn"]


@dataclass(frozen=True, kw_only=True)
class ChatAccepted(Event):
    name = "chat.accepted"
    ticket_id: int
    agent_id: int
    wait_seconds: float


@dataclass(frozen=True, kw_only=True)
class ChatTransferred(Event):
    """The chat moved to another agent (or back to a team's queue), with a note."""

    name = "chat.transferred"
    ticket_id: int
    from_agent_id: int | None
    to_agent_id: int | None
    to_team_id: int | None


@dataclass(frozen=True, kw_only=True)
class ChatEnded(Event):
    name = "chat.ended"
    ticket_id: int
    ended_by: Literal["customer", "agent", "system"]


@dataclass(frozen=True, kw_only=True)
class AgentPresenceChanged(Event):
    """An agent went online, away or offline for chats."""

    name = "agent.presence_changed"
    agent_id: int
    status: Literal["online", "away", "offline"]


@dataclass(frozen=True, kw_only=True)
class InboundQuarantined(Event):
    """A received mail could not be turned into a ticket or message and waits for an admin."""

    name = "inbound.quarantined"
    inbound_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class InboxCreated(Event):
    name = "inbox.created"
    inbox_id: int
    address: str


@dataclass(frozen=True, kw_only=True)
class InboxUpdated(Event):
    """Settings of an inbox changed; passwords appear as "***" (set) or None (not set)."""

    name = "inbox.updated"
    inbox_id: int
    changes: dict[str, Change]


@dataclass(frozen=True, kw_only=True)
class CustomerCreated(Event):
    name = "customer.created"
    customer_id: int


@dataclass(frozen=True, kw_only=True)
class CustomerUpdated(Event):
    name = "customer.updated"
    customer_id: int
    changes: dict[str, Change]


@dataclass(frozen=True, kw_only=True)
class OrganizationCreated(Event):
    name = "organization.created"
    organization_id: int


@dataclass(frozen=True, kw_only=True)
class OrganizationUpdated(Event):
    name = "organization.updated"
    organization_id: int
    changes: dict[str, Change]


@dataclass(frozen=True, kw_only=True)
class AgentCreated(Event):
    name = "agent.created"
    agent_id: int
    role: str


@dataclass(frozen=True, kw_only=True)
class AgentUpdated(Event):
    name = "agent.updated"
    agent_id: int
    changes: dict[str, Change]


@dataclass(frozen=True, kw_only=True)
class TeamCreated(Event):
    name = "team.created"
    team_id: int


@dataclass(frozen=True, kw_only=True)
class TeamUpdated(Event):
    name = "team.updated"
    team_id: int
    changes: dict[str, Change]


@dataclass(frozen=True, kw_only=True)
class SettingsUpdated(Event):
    name = "settings.updated"
    changes: dict[str, Change]


@dataclass(frozen=True, kw_only=True)
class CustomFieldChanged(Event):
    name = "custom_field.changed"
    custom_field_id: int
    changes: dict[str, Change]


def all_event_types() -> list[type[Event]]:
    """Every concrete event class, for docs tests and subscribers that want the full list."""
    found: list[type[Event]] = []
    stack: list[type[Event]] = list(Event.__subclasses__())
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.name)
