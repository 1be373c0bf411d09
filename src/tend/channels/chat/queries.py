"""Reading chats, chat inboxes and offers, with the access check built in.

Chat inboxes (and the identity secret they derive) are for admins (`channels.write`). A chat is
a ticket: an agent sees the chats whose tickets they may see (`access.ticket_filter`: partner
agents only their teams'), so the queue can never show what a direct fetch would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tend.access import Actor, AgentActor, NotFound, Permission, require, ticket_filter
from tend.agents.models import Agent
from tend.channels.chat import routing
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatOffer
from tend.db import utcnow
from tend.tickets.models import Ticket
from tend.tickets.queries import access_ticket

QUEUE_LIMIT = 200


# --- chat inboxes ------------------------------------------------------------------------------

def inboxes_query(actor: Actor) -> Select[ChatInbox]:
    require(actor, Permission.CHANNELS_WRITE)
    return select(ChatInbox).order_by(ChatInbox.name, ChatInbox.id)


def access_inbox(session: Session, actor: Actor, chat_inbox_id: int) -> ChatInbox:
    require(actor, Permission.CHANNELS_WRITE)
    inbox = session.get(ChatInbox, chat_inbox_id)
    if inbox is None:
        raise NotFound(f"Chat inbox {chat_inbox_id} was not found.")
    return inbox


# --- presence ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Presence:
    status: str
    max_chats: int
    active_chats: int  # in progress, owned
    pending_offers: int  # offered, unanswered (they count against max_chats too)


def presence(session: Session, actor: AgentActor) -> Presence:
    agent = session.get(Agent, actor.id)
    if agent is None:
        raise NotFound("Agent not found.")
    return Presence(agent.chat_status, agent.max_chats, routing.owned_chats(session, actor.id),
                    routing.offered_chats(session, actor.id))


# --- chats ---------------------------------------------------------------------------------------

def access_chat(session: Session, actor: Actor, ticket_id: int
                ) -> tuple[ChatConversation, Ticket]:
    """The chat on ticket `ticket_id` if `actor` may see that ticket; 404 when it is missing,
    not theirs, or not a chat."""
    ticket = access_ticket(session, actor, ticket_id)
    conv = session.get(ChatConversation, ticket.id)
    if conv is None:
        raise NotFound(f"Ticket {ticket_id} is not a chat.")
    return conv, ticket


def queue(session: Session, actor: AgentActor) -> list[tuple[ChatConversation, Ticket]]:
    """The chats waiting for an agent and those in progress that `actor` may see, oldest
    first."""
    require(actor, Permission.TICKETS_READ)
    rows = session.execute(
        select(ChatConversation, Ticket).join(Ticket, Ticket.id == ChatConversation.ticket_id)
        .where(ChatConversation.state.in_(("queued", "active")), ticket_filter(actor))
        .order_by(ChatConversation.queued_at, ChatConversation.ticket_id).limit(QUEUE_LIMIT)
    ).unique().all()
    return [(conv, ticket) for conv, ticket in rows]


def my_offers(session: Session, actor: AgentActor) -> list[tuple[ChatOffer, Ticket]]:
    """The offers waiting for `actor`'s answer (not yet past their time), of chats they may
    still see."""
    rows = session.execute(
        select(ChatOffer, Ticket).join(Ticket, Ticket.id == ChatOffer.ticket_id)
        .where(ChatOffer.agent_id == actor.id, ChatOffer.state == "pending",
               ChatOffer.expires_at > utcnow(), ticket_filter(actor))
        .order_by(ChatOffer.id)
    ).unique().all()
    return [(offer, ticket) for offer, ticket in rows]


def access_offer(session: Session, actor: AgentActor, offer_id: int) -> ChatOffer:
    """An offer made to `actor`, of a chat they may see; 404 otherwise."""
    offer = session.get(ChatOffer, offer_id)
    visible = offer is not None and offer.agent_id == actor.id and session.scalar(
        select(Ticket.id).where(Ticket.id == offer.ticket_id, ticket_filter(actor))) is not None
    if offer is None or not visible:
        raise NotFound(f"Offer {offer_id} was not found.")
    return offer
