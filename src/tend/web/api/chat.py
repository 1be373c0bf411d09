"""The chat channel for agents and admins: chat inboxes (admins), presence, the queue, offers,
and what agents do with a chat (accept, transfer, end). The widget's own edge is web/widget.

Chats are tickets: every route on one checks that the agent may see the ticket first (404
otherwise), then the routing action decides whether they may do it (403) and whether the chat
is still in a state that allows it (409).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from tend.channels.chat import inboxes, queries, routing, views
from tend.channels.chat.inboxes import ChatInboxError
from tend.channels.chat.models import ChatConversation, ChatInbox
from tend.channels.chat.routing import ChatRoutingError
from tend.channels.chat.schemas import (
    ChatInboxCreate,
    ChatInboxDetail,
    ChatInboxList,
    ChatInboxOut,
    ChatInboxUpdate,
    ChatList,
    ChatOut,
    OfferList,
    OfferOut,
    PresenceIn,
    PresenceOut,
    TransferIn,
    inbox_values,
)
from tend.ids import MAX_ID
from tend.runtime import Runtime
from tend.tickets.models import Ticket
from tend.web.deps import ApiAgent, RuntimeDep
from tend.web.patching import patch_changes
from tend.web.problems import Problem

router = APIRouter(prefix="/chat", tags=["chat"])
InboxId = Annotated[int, Path(ge=1, le=MAX_ID)]
TicketId = Annotated[int, Path(ge=1, le=MAX_ID)]
OfferId = Annotated[int, Path(ge=1, le=MAX_ID)]


@contextmanager
def checked(conflict: int = 409) -> Iterator[None]:
    """What the chat actions refuse, as problems: settings that cannot be saved 422; a routing
    request the chat's state does not allow `conflict` (409: taken, ended, no room)."""
    try:
        yield
    except ChatInboxError as exc:
        raise Problem(422, str(exc)) from None
    except ChatRoutingError as exc:
        raise Problem(conflict, str(exc)) from None


# --- chat inboxes (admins) -----------------------------------------------------------------------

def _detail(rt: Runtime, inbox: ChatInbox) -> ChatInboxDetail:
    return ChatInboxDetail.with_secret(inbox, rt.settings.public_url, rt.settings.signing_key())


@router.get("/inboxes", response_model=ChatInboxList)
def list_inboxes(rt: RuntimeDep, actor: ApiAgent) -> ChatInboxList:
    with rt.db.read() as session:
        return ChatInboxList(items=[ChatInboxOut.of(i, rt.settings.public_url)
                                    for i in session.scalars(queries.inboxes_query(actor))])


@router.post("/inboxes", status_code=201, response_model=ChatInboxOut)
def create_inbox(data: ChatInboxCreate, rt: RuntimeDep, actor: ApiAgent) -> ChatInboxOut:
    with checked(), rt.db.write() as session:
        inbox = inboxes.create_inbox(session, actor, **inbox_values(data.model_dump()))
        return ChatInboxOut.of(inbox, rt.settings.public_url)


@router.get("/inboxes/{inbox_id}", response_model=ChatInboxDetail)
def get_inbox(inbox_id: InboxId, rt: RuntimeDep, actor: ApiAgent) -> ChatInboxDetail:
    with rt.db.read() as session:
        return _detail(rt, queries.access_inbox(session, actor, inbox_id))


@router.patch("/inboxes/{inbox_id}", response_model=ChatInboxOut)
def update_inbox(inbox_id: InboxId, data: ChatInboxUpdate, rt: RuntimeDep,
                 actor: ApiAgent) -> ChatInboxOut:
    changes = inbox_values(patch_changes(data, nullable=ChatInboxUpdate.NULLABLE))
    with checked(), rt.db.write() as session:
        inbox = queries.access_inbox(session, actor, inbox_id)
        inboxes.update_inbox(session, actor, inbox, changes)
        return ChatInboxOut.of(inbox, rt.settings.public_url)


@router.post("/inboxes/{inbox_id}/identity-secret", response_model=ChatInboxDetail)
def regenerate_identity_secret(inbox_id: InboxId, rt: RuntimeDep,
                               actor: ApiAgent) -> ChatInboxDetail:
    with checked(), rt.db.write() as session:
        inbox = queries.access_inbox(session, actor, inbox_id)
        inboxes.update_inbox(session, actor, inbox, {}, new_identity_secret=True)
        return _detail(rt, inbox)


# --- presence ------------------------------------------------------------------------------------

def _presence(session: Session, actor: ApiAgent) -> PresenceOut:
    return PresenceOut.model_validate(queries.presence(session, actor), from_attributes=True)


@router.get("/presence", response_model=PresenceOut)
def get_presence(rt: RuntimeDep, actor: ApiAgent) -> PresenceOut:
    with rt.db.read() as session:
        return _presence(session, actor)


@router.put("/presence", response_model=PresenceOut)
def set_presence(data: PresenceIn, rt: RuntimeDep, actor: ApiAgent) -> PresenceOut:
    with checked(conflict=422), rt.db.write() as session:
        routing.set_presence(session, actor, data.status, data.max_chats)
        return _presence(session, actor)


# --- the queue, offers, chats --------------------------------------------------------------------

@router.get("/queue", response_model=ChatList)
def chat_queue(rt: RuntimeDep, actor: ApiAgent) -> ChatList:
    with rt.db.read() as session:
        facts = views.QueueFacts(session)  # positions and waits read once for the whole list
        return ChatList(items=[ChatOut.of(session, conv, ticket, facts)
                               for conv, ticket in queries.queue(session, actor)])


@router.get("/offers", response_model=OfferList)
def my_offers(rt: RuntimeDep, actor: ApiAgent) -> OfferList:
    with rt.db.read() as session:
        return OfferList(items=[OfferOut.of(offer, ticket)
                                for offer, ticket in queries.my_offers(session, actor)])


@router.post("/offers/{offer_id}/decline", response_model=OfferOut)
def decline_offer(offer_id: OfferId, rt: RuntimeDep, actor: ApiAgent) -> OfferOut:
    with rt.db.write() as session:
        offer = queries.access_offer(session, actor, offer_id)
        routing.decline(session, actor, offer.id)
        _, ticket = queries.access_chat(session, actor, offer.ticket_id)
        return OfferOut.of(offer, ticket)


@router.get("/conversations/{ticket_id}", response_model=ChatOut)
def get_chat(ticket_id: TicketId, rt: RuntimeDep, actor: ApiAgent) -> ChatOut:
    with rt.db.read() as session:
        conv, ticket = queries.access_chat(session, actor, ticket_id)
        return ChatOut.of(session, conv, ticket)


def _after(session: Session, conv: ChatConversation, ticket: Ticket) -> ChatOut:
    """The chat as the action left it (its ticket's owner and team re-read)."""
    session.flush()
    session.refresh(ticket)
    return ChatOut.of(session, conv, ticket)


@router.post("/conversations/{ticket_id}/accept", response_model=ChatOut)
def accept_chat(ticket_id: TicketId, rt: RuntimeDep, actor: ApiAgent) -> ChatOut:
    with checked(), rt.db.write() as session:
        _, ticket = queries.access_chat(session, actor, ticket_id)
        conv = routing.accept(session, actor, ticket.id)
        return _after(session, conv, ticket)


@router.post("/conversations/{ticket_id}/transfer", response_model=ChatOut)
def transfer_chat(ticket_id: TicketId, data: TransferIn, rt: RuntimeDep,
                  actor: ApiAgent) -> ChatOut:
    with checked(), rt.db.write() as session:
        _, ticket = queries.access_chat(session, actor, ticket_id)
        conv = routing.transfer(session, actor, ticket.id, agent_id=data.agent_id,
                                team_id=data.team_id, note=data.note.strip())
        return _after(session, conv, ticket)


@router.post("/conversations/{ticket_id}/end", response_model=ChatOut)
def end_chat(ticket_id: TicketId, rt: RuntimeDep, actor: ApiAgent) -> ChatOut:
    with checked(), rt.db.write() as session:
        _, ticket = queries.access_chat(session, actor, ticket_id)
        conv = routing.end_by_agent(session, actor, ticket.id)
        return _after(session, conv, ticket)
