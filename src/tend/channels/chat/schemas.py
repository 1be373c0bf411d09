"""API input and output shapes of the chat channel for agents and admins (separate from the tables).

The identity secret a website signs its visitors with is derived, never stored
(`tokens.identity_secret`); it is only in `ChatInboxDetail`, the answer of one inbox and of a
regeneration, never in lists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from tend.channels.chat import tokens, views
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatOffer, PrechatMode
from tend.channels.chat.routing import Presence
from tend.ids import MAX_ID
from tend.tickets.models import Ticket
from tend.tickets.schemas import TicketOut

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Ref = Annotated[int, Field(ge=1, le=MAX_ID)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Topic = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Origin = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Clock = Annotated[str, StringConstraints(pattern=r"^\d{2}:\d{2}$")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
OfferTimeout = Annotated[int, Field(ge=5, le=600)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BusinessHours(Strict):
    """When the chat is open; a weekday left out is closed. No hours at all (null): always
    open (when an agent is online)."""

    tz: str = Field(min_length=1, max_length=64, description="An IANA time zone, e.g. "
                                                             "Europe/Berlin.")
    days: dict[Weekday, Annotated[list[tuple[Clock, Clock]], Field(max_length=4)]] = Field(
        default_factory=dict, description='Weekday → [["09:00", "17:30"], ...] (from, to).')


def inbox_values(sent: dict[str, Any]) -> dict[str, Any]:
    """Fields of a create or update body (a model dump) as `inboxes.create_inbox` and
    `update_inbox` take them: origins one per line, no hours as {}."""
    out = dict(sent)
    if "allowed_origins" in out:
        out["allowed_origins"] = "\n".join(out["allowed_origins"] or [])
    if "business_hours" in out:
        out["business_hours"] = out["business_hours"] or {}
    return out


class ChatInboxCreate(Strict):
    name: Name
    team_id: Ref | None = Field(default=None, description="The team that answers; null: any "
                                                          "agent.")
    active: bool = True
    greeting: str = Field(default="", max_length=500)
    brand_color: Colour | None = Field(default=None, description="null: the help desk's.")
    prechat: PrechatMode = "off"
    topics: list[Topic] = Field(default_factory=list, max_length=30)
    business_hours: BusinessHours | None = None
    allowed_origins: list[Origin] = Field(
        default_factory=list, max_length=50,
        description="Websites that may embed the widget, e.g. https://www.example.com; "
                    "empty: any.")
    offline_inbox_id: Ref | None = Field(default=None, description="The email inbox that "
                                                                   "answers offline messages.")
    offer_timeout_seconds: OfferTimeout = 30


class ChatInboxUpdate(Strict):
    name: Name | None = None
    team_id: Ref | None = None
    active: bool | None = None
    greeting: str | None = Field(default=None, max_length=500)
    brand_color: Colour | None = None
    prechat: PrechatMode | None = None
    topics: list[Topic] | None = Field(default=None, max_length=30)
    business_hours: BusinessHours | None = None
    allowed_origins: list[Origin] | None = Field(default=None, max_length=50)
    offline_inbox_id: Ref | None = None
    offer_timeout_seconds: OfferTimeout | None = None

    NULLABLE: ClassVar[tuple[str, ...]] = (
        "team_id", "brand_color", "business_hours", "offline_inbox_id")


def snippet(base_url: str, key: str) -> str:
    """The tag a website adds to show the widget."""
    return f'<script src="{base_url}/widget.js" data-inbox="{key}" defer></script>'


class BusinessHoursOut(BaseModel):
    """Business hours as stored (checked by `rules.check_hours` when saved)."""

    tz: str
    days: dict[str, list[list[str]]]


class ChatInboxOut(BaseModel):
    id: int
    key: str = Field(description="Public: the website's widget tag carries it.")
    snippet: str
    name: str
    team_id: int | None
    active: bool
    greeting: str
    brand_color: str | None
    prechat: str
    topics: list[str]
    business_hours: BusinessHoursOut | None = Field(description="null: always open.")
    allowed_origins: list[str]
    offline_inbox_id: int | None
    offer_timeout_seconds: int
    created_at: datetime

    @classmethod
    def of(cls, i: ChatInbox, base_url: str) -> ChatInboxOut:
        return cls(
            id=i.id, key=i.key, snippet=snippet(base_url, i.key), name=i.name,
            team_id=i.team_id, active=i.active, greeting=i.greeting, brand_color=i.brand_color,
            prechat=i.prechat, topics=list(i.topics),
            business_hours=BusinessHoursOut.model_validate(i.business_hours)
            if i.business_hours else None,
            allowed_origins=[o for o in i.allowed_origins.splitlines() if o],
            offline_inbox_id=i.offline_inbox_id, offer_timeout_seconds=i.offer_timeout_seconds,
            created_at=i.created_at)


class ChatInboxDetail(ChatInboxOut):
    identity_secret: str = Field(description="What the website signs visitor identities with: "
                                             "hash = hex(HMAC-SHA256(secret, email)).")

    @classmethod
    def with_secret(cls, i: ChatInbox, base_url: str, signing_key: str) -> ChatInboxDetail:
        return cls(**ChatInboxOut.of(i, base_url).model_dump(),
                   identity_secret=tokens.identity_secret(signing_key, i.identity_salt))


class ChatInboxList(BaseModel):
    items: list[ChatInboxOut]


# --- presence --------------------------------------------------------------------------------


class PresenceIn(Strict):
    status: Presence
    max_chats: int | None = Field(default=None, ge=1, le=20,
                                  description="How many chats at once (1 to 20).")


class PresenceOut(BaseModel):
    status: str
    max_chats: int
    active_chats: int = Field(description="Chats you own that are in progress.")
    pending_offers: int = Field(description="Chats offered to you, waiting for your answer "
                                            "(they count against max_chats).")


# --- conversations and offers ----------------------------------------------------------------


class ChatPerson(BaseModel):
    name: str
    initials: str
    color: str


class ConversationOut(BaseModel):
    """A chat as the widget shows it (`views.conversation`)."""

    id: int
    number: int
    state: str
    queue_position: int
    estimated_wait_seconds: int | None
    agent: ChatPerson | None
    customer_read_seq: int
    agent_read_seq: int
    last_seq: int
    topic: str | None


class ChatOut(BaseModel):
    """A chat for agents: the conversation, its ticket, where and since when it waits."""

    conversation: ConversationOut
    ticket: TicketOut
    chat_inbox_id: int | None
    queued_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None

    @classmethod
    def of(cls, session: Session, conv: ChatConversation, ticket: Ticket,
           facts: views.QueueFacts | None = None) -> ChatOut:
        return cls(conversation=ConversationOut.model_validate(
            views.conversation(session, conv, ticket, facts)), ticket=TicketOut.of(ticket),
            chat_inbox_id=conv.chat_inbox_id, queued_at=conv.queued_at,
            accepted_at=conv.accepted_at, ended_at=conv.ended_at)


class ChatList(BaseModel):
    items: list[ChatOut]


class OfferOut(BaseModel):
    id: int
    state: str
    expires_at: datetime
    ticket: TicketOut

    @classmethod
    def of(cls, offer: ChatOffer, ticket: Ticket) -> OfferOut:
        return cls(id=offer.id, state=offer.state, expires_at=offer.expires_at,
                   ticket=TicketOut.of(ticket))


class OfferList(BaseModel):
    items: list[OfferOut]


class TransferIn(Strict):
    agent_id: Ref | None = Field(default=None, description="Hand the chat to this agent.")
    team_id: Ref | None = Field(default=None, description="Or put it back in this team's "
                                                          "queue.")
    note: str = Field(default="", max_length=2000, description="Added to the transfer's "
                                                               "internal note.")

    @model_validator(mode="after")
    def _one_target(self) -> TransferIn:
        if (self.agent_id is None) == (self.team_id is None):
            raise PydanticCustomError(
                "one_target", "transfer to one agent (agent_id) or to one team (team_id)")
        return self
