"""Who answers a chat: presence, capacity, offers that time out, accept, transfer, end.

- An agent is *available* for a chat inbox's queue when their chat status is `online`, a
  workspace screen of theirs was seen recently (`Agent.last_seen_at`), they belong to the
  inbox's team (any agent when it has none), and they have fewer chats than `max_chats`
  (pending offers count).
- `dispatch` offers each queued chat, oldest first, to the best available agent
  (`rules.pick_agent`), never again to one who declined or let it time out. An offer lasts the
  inbox's `offer_timeout_seconds`; then it expires (a job) and the chat moves on.
- Accepting makes the agent the ticket's owner and the conversation active. A transfer to an
  agent keeps it active with its new owner; a transfer to a team puts it back in the queue.
  Either way a note records it, and the customer never loses the conversation.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import event as sa_event
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tend.access import AgentActor, Forbidden, NotFound, Permission, require
from tend.agents.models import Agent, Role, team_members
from tend.channels.chat import conversations, live, rules
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatOffer
from tend.db import utcnow
from tend.events import emit
from tend.events.catalog import (
    ActorRef,
    AgentPresenceChanged,
    ChatAccepted,
    ChatOfferClosed,
    ChatOffered,
    ChatTransferred,
)
from tend.jobs import job
from tend.tickets import actions as ticket_actions
from tend.tickets.models import Ticket
from tend.tickets.rules import RuleError

if TYPE_CHECKING:
    from tend.runtime import Runtime

Presence = Literal["online", "away", "offline"]
PRESENCES: tuple[Presence, ...] = ("online", "away", "offline")
DISPATCH_JOB = "chat.dispatch"
TIMEOUT_JOB = "chat.offer_timeout"
_WANTS_DISPATCH = "tend_chat_dispatch"
_TIMEOUTS = "tend_chat_timeouts"


class ChatRoutingError(ValueError):
    """A routing request that cannot be done now (HTTP 409/422)."""


# --- presence ------------------------------------------------------------------------------


def set_presence(session: Session, actor: AgentActor, status: str, max_chats: int | None = None
                 ) -> Agent:
    if status not in PRESENCES:
        raise ChatRoutingError(f"Presence is one of: {', '.join(PRESENCES)}.")
    agent = session.get(Agent, actor.id)
    if agent is None:
        raise NotFound("Agent not found.")
    if status == "online" and actor.role is Role.LIGHT_AGENT:
        raise Forbidden("Light agents cannot take chats.")
    if max_chats is not None:
        if not 1 <= max_chats <= 20:
            raise ChatRoutingError("An agent takes 1 to 20 chats at once.")
        agent.max_chats = max_chats
    if agent.chat_status != status:
        agent.chat_status = status
        emit(session, AgentPresenceChanged(actor=actor.ref, agent_id=agent.id,
                                           status=status))
        want_dispatch(session)
    agent.last_seen_at = utcnow()
    return agent


def seen(session: Session, agent_id: int, fresh_seconds: float) -> None:
    """A workspace screen of the agent is connected (called at connect and every heartbeat).
    An online agent coming back after being away from the screen can take chats again."""
    agent = session.get(Agent, agent_id)
    if agent is not None:
        now = utcnow()
        was_fresh = agent.last_seen_at is not None and \
            agent.last_seen_at >= now - timedelta(seconds=fresh_seconds)
        agent.last_seen_at = now
        if agent.chat_status == "online" and not was_fresh:
            want_dispatch(session)


# --- capacity and dispatch ---------------------------------------------------------------------


def owned_chats(session: Session, agent_id: int) -> int:
    """Chats in progress that the agent owns."""
    return int(session.scalar(select(func.count()).select_from(ChatConversation).join(
        Ticket, Ticket.id == ChatConversation.ticket_id).where(
        ChatConversation.state == "active", Ticket.assignee_id == agent_id)) or 0)


def offered_chats(session: Session, agent_id: int) -> int:
    """Offers waiting for the agent's answer."""
    return int(session.scalar(select(func.count()).select_from(ChatOffer).where(
        ChatOffer.agent_id == agent_id, ChatOffer.state == "pending")) or 0)


def active_chats(session: Session, agent_id: int) -> int:
    """What counts against `max_chats`: owned chats and pending offers."""
    return owned_chats(session, agent_id) + offered_chats(session, agent_id)


def candidates(session: Session, team_id: int | None, fresh_seconds: float
               ) -> list[rules.Candidate]:
    since = utcnow() - timedelta(seconds=fresh_seconds)
    stmt = select(Agent).where(Agent.is_active, Agent.chat_status == "online",
                               Agent.last_seen_at >= since,
                               Agent.role != Role.LIGHT_AGENT.value)
    if team_id is not None:
        stmt = stmt.join(team_members, team_members.c.agent_id == Agent.id).where(
            team_members.c.team_id == team_id)
    out = []
    for agent in session.scalars(stmt):
        last = session.scalar(select(func.max(ChatOffer.created_at)).where(
            ChatOffer.agent_id == agent.id))
        out.append(rules.Candidate(agent.id, active_chats(session, agent.id), agent.max_chats,
                                   last.timestamp() if last else 0.0))
    return out


def available_agents(session: Session, team_id: int | None, fresh_seconds: float) -> int:
    return sum(1 for c in candidates(session, team_id, fresh_seconds)
               if c.active_chats < c.max_chats)


def online_agents(session: Session, team_id: int | None, fresh_seconds: float) -> int:
    return len(candidates(session, team_id, fresh_seconds))


def lock(session: Session) -> None:
    """One dispatcher (or sweeper) at a time (PostgreSQL; SQLite write transactions are
    serial anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7243501)"))


def dispatch(session: Session, fresh_seconds: float) -> list[ChatOffer]:
    """Offer every queued chat without a pending offer to the best available agent."""
    lock(session)
    expire_due(session)
    made = []
    queued = session.execute(
        select(ChatConversation, Ticket).join(Ticket, Ticket.id == ChatConversation.ticket_id)
        .where(ChatConversation.state == "queued").order_by(ChatConversation.queued_at)).all()
    offered = set(session.scalars(select(ChatOffer.ticket_id).where(ChatOffer.state == "pending")))
    # Each team's candidates are read once; every offer made here updates them in place.
    teams: dict[int | None, list[rules.Candidate]] = {}
    for conv, ticket in queued:
        if conv.ticket_id in offered:
            continue
        if ticket.team_id not in teams:
            teams[ticket.team_id] = candidates(session, ticket.team_id, fresh_seconds)
        pool = teams[ticket.team_id]
        if not any(c.active_chats < c.max_chats for c in pool):
            continue  # nobody of this team has room: no need to ask who was tried
        tried = frozenset(session.scalars(select(ChatOffer.agent_id).where(  # since queued
            ChatOffer.ticket_id == conv.ticket_id, ChatOffer.created_at >= conv.queued_at)))
        agent_id = rules.pick_agent(pool, tried)
        if agent_id is None:
            continue
        inbox = session.get(ChatInbox, conv.chat_inbox_id) if conv.chat_inbox_id else None
        timeout = inbox.offer_timeout_seconds if inbox is not None else 30
        now = utcnow()
        offer = ChatOffer(ticket_id=conv.ticket_id, agent_id=agent_id, state="pending",
                          created_at=now, expires_at=now + timedelta(seconds=timeout))
        session.add(offer)
        session.flush()
        emit(session, ChatOffered(actor=ActorRef.system(), ticket_id=conv.ticket_id,
                                  offer_id=offer.id, agent_id=agent_id))
        live.touch_offer(session, offer.id)
        session.info.setdefault(_TIMEOUTS, []).append((offer.id, float(timeout)))
        made.append(offer)
        for team_pool in teams.values():  # the agent may be in several teams' pools
            team_pool[:] = [replace(c, active_chats=c.active_chats + 1,
                                    last_offer_at=now.timestamp())
                            if c.agent_id == agent_id else c for c in team_pool]
    return made


def expire_due(session: Session) -> int:
    """Offers past their time expire; their chats are offered again by the next dispatch."""
    due = list(session.scalars(select(ChatOffer).where(
        ChatOffer.state == "pending", ChatOffer.expires_at <= utcnow())))
    for offer in due:
        _close(session, offer, "expired", ActorRef.system())
    return len(due)


def _close(session: Session, offer: ChatOffer, outcome: Literal["declined", "expired",
           "withdrawn"], actor: ActorRef) -> None:
    offer.state, offer.answered_at = outcome, utcnow()
    emit(session, ChatOfferClosed(actor=actor, ticket_id=offer.ticket_id, offer_id=offer.id,
                                  agent_id=offer.agent_id, outcome=outcome))
    live.touch_offer(session, offer.id)
    want_dispatch(session)


def pending_offers(session: Session, agent_id: int) -> list[ChatOffer]:
    return list(session.scalars(select(ChatOffer).where(
        ChatOffer.agent_id == agent_id, ChatOffer.state == "pending").order_by(ChatOffer.id)))


def withdraw_offers(session: Session, ticket_id: int) -> None:
    for offer in session.scalars(select(ChatOffer).where(
            ChatOffer.ticket_id == ticket_id, ChatOffer.state == "pending")):
        _close(session, offer, "withdrawn", ActorRef.system())


def want_dispatch(session: Session) -> None:
    session.info[_WANTS_DISPATCH] = True


# --- what agents do ----------------------------------------------------------------------------


def _conversation(session: Session, ticket_id: int) -> tuple[ChatConversation, Ticket]:
    conv, ticket = session.get(ChatConversation, ticket_id), session.get(Ticket, ticket_id)
    if conv is None or ticket is None:
        raise NotFound(f"Chat {ticket_id} was not found.")
    return conv, ticket


def accept(session: Session, actor: AgentActor, ticket_id: int) -> ChatConversation:
    """Take a queued chat: through the offer made to me, or straight from the queue."""
    require(actor, Permission.TICKETS_REPLY)
    conv, ticket = _conversation(session, ticket_id)
    if conv.state == "active" and ticket.assignee_id == actor.id:
        return conv  # accepted twice (a double click): the same outcome
    if conv.state != "queued":
        raise ChatRoutingError("This chat was already taken or has ended.")
    mine = session.scalar(select(ChatOffer).where(
        ChatOffer.ticket_id == ticket_id, ChatOffer.agent_id == actor.id,
        ChatOffer.state == "pending"))
    if mine is not None:
        mine.state, mine.answered_at = "accepted", utcnow()
        live.touch_offer(session, mine.id)
    withdraw_offers(session, ticket_id)
    try:
        ticket_actions.update_ticket(session, actor, ticket, {
            "assignee_id": actor.id, **({"status": "open"} if ticket.status == "new" else {})})
    except RuleError as exc:
        raise ChatRoutingError(str(exc)) from None
    now = utcnow()
    conv.state, conv.accepted_at = "active", now
    emit(session, ChatAccepted(actor=actor.ref, ticket_id=ticket_id, agent_id=actor.id,
                               wait_seconds=(now - conv.queued_at).total_seconds()))
    live.touch(session, ticket_id)
    return conv


def decline(session: Session, actor: AgentActor, offer_id: int) -> None:
    offer = session.get(ChatOffer, offer_id)
    if offer is None or offer.agent_id != actor.id:
        raise NotFound(f"Offer {offer_id} was not found.")
    if offer.state != "pending":
        return
    _close(session, offer, "declined", actor.ref)


def transfer(session: Session, actor: AgentActor, ticket_id: int, *, agent_id: int | None,
             team_id: int | None, note: str) -> ChatConversation:
    require(actor, Permission.TICKETS_UPDATE)
    conv, ticket = _conversation(session, ticket_id)
    if conv.state == "ended":
        raise ChatRoutingError("This chat has ended.")
    if (agent_id is None) == (team_id is None):
        raise ChatRoutingError("Transfer to one agent or to one team.")
    if ticket.assignee_id not in (None, actor.id) and not actor.is_admin:
        raise Forbidden("Only the chat's owner (or an admin) may transfer it.")
    before = ticket.assignee_id
    target = session.get(Agent, agent_id) if agent_id is not None else None
    if agent_id is not None and (target is None or not target.is_active):
        raise NotFound(f"Agent {agent_id} was not found.")
    if target is not None and active_chats(session, target.id) >= target.max_chats:
        raise ChatRoutingError(f"{target.name} has no room for another chat.")
    changes: dict[str, Any] = {"assignee_id": agent_id}
    if team_id is not None:
        changes["team_id"] = team_id
    try:
        ticket_actions.update_ticket(session, actor, ticket, changes)
    except RuleError as exc:
        raise ChatRoutingError(str(exc)) from None
    where = target.name if target is not None else (ticket.team.name if ticket.team else "")
    text_note = f"Chat transferred to {where} by {actor.name}." + (f"\n\n{note}" if note else "")
    ticket_actions.add_message(session, actor, ticket, body=text_note, visibility="internal")
    withdraw_offers(session, ticket_id)
    if target is None:
        conv.state, conv.accepted_at = "queued", None
        conv.queued_at = utcnow()
        want_dispatch(session)
    emit(session, ChatTransferred(actor=actor.ref, ticket_id=ticket_id, from_agent_id=before,
                                  to_agent_id=agent_id, to_team_id=team_id))
    live.touch(session, ticket_id)
    return conv


def end_by_agent(session: Session, actor: AgentActor, ticket_id: int) -> ChatConversation:
    require(actor, Permission.TICKETS_REPLY)
    conv, ticket = _conversation(session, ticket_id)
    if ticket.assignee_id not in (None, actor.id) and not actor.is_admin:
        raise Forbidden("Only the chat's owner (or an admin) may end it.")
    if conversations.end(session, conv, "agent", actor.ref):
        want_dispatch(session)
    return conv


def agent_read(session: Session, actor: AgentActor, ticket_id: int, seq: int) -> None:
    conv, ticket = _conversation(session, ticket_id)
    seq = min(max(0, seq), ticket.last_seq)
    if seq > conv.agent_read_seq:
        conv.agent_read_seq = seq
        live.touch(session, ticket_id)


# --- jobs ----------------------------------------------------------------------------------


@job(DISPATCH_JOB, retries=3, backoff_seconds=5)
def run_dispatch(rt: Runtime, payload: dict[str, Any]) -> None:
    with rt.db.write() as session:
        dispatch(session, rt.settings.presence_seconds)


@job(TIMEOUT_JOB, retries=3, backoff_seconds=5)
def run_timeout(rt: Runtime, payload: dict[str, Any]) -> None:
    """Runs when an offer's time is up (early with inline jobs: then it finds nothing due)."""
    with rt.db.write() as session:
        offer = session.get(ChatOffer, int(payload["offer_id"]))
        if offer is None or offer.state != "pending" or offer.expires_at > utcnow():
            return
        _close(session, offer, "expired", ActorRef.system())
        dispatch(session, rt.settings.presence_seconds)


def install(rt: Runtime) -> None:
    """After a commit that changed who may take which chat: dispatch, and time the offers."""

    def after(session: Session) -> None:
        wants = session.info.pop(_WANTS_DISPATCH, False)
        timeouts = session.info.pop(_TIMEOUTS, [])
        if not (wants or timeouts):
            return
        from tend.events.bus import after_commit

        def hand_over() -> None:
            for offer_id, delay in timeouts:
                rt.jobs.enqueue(TIMEOUT_JOB, {"offer_id": offer_id}, delay=delay)
            if wants:
                rt.jobs.enqueue(DISPATCH_JOB, {})
        after_commit(session, hand_over)

    rt.bus.subscribe_in_transaction("chat.started", lambda s, e: want_dispatch(s))
    rt.bus.subscribe_before_commit(after)


@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if session.get_nested_transaction() is None:
        session.info.pop(_WANTS_DISPATCH, None)
        session.info.pop(_TIMEOUTS, None)
