"""Turns committed changes into envelopes for agents' live screens.

While a transaction runs, each catalog event notes what it touched (a ticket, a message, a
person). Just before the commit the notes are summed up: every touched ticket and message is
read once, in its final state, in the shape the API returns, and the envelopes are handed to the
hub after the commit. A rolled-back transaction (or savepoint) publishes nothing of what it
undid: its rows are gone when the notes are read.

Envelopes (kind → data), all on the `agents` topic:
- `ticket`: `{"ticket": TicketOut, "events": [...]}`, a ticket as it is now;
- `message`: `{"message": MessageOut, "events": [...]}`, a message as it is now (notes too;
  customers never listen on this topic);
- `messages.moved`: `{"from_ticket_id", "to_ticket_id", "seqs"}` when tickets are merged
  (`seqs`: the target's public messages' new numbers, by message id);
- `person`: `{"type": "agent"|"team"|"customer", "id", "name", "email"}` when a name shown on
  tickets and messages changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from tend.agents.models import Agent, Team
from tend.customers.models import Customer
from tend.events.bus import after_commit
from tend.events.catalog import Event
from tend.realtime.envelopes import AGENTS, Envelope, Scope
from tend.tickets.models import Message, Ticket
from tend.tickets.schemas import MessageOut, TicketOut

if TYPE_CHECKING:
    from tend.runtime import Runtime

_NOTES = "tend_live_notes"
_PERSON_FIELDS = {"name", "email"}


@dataclass
class _Note:
    kind: str
    ids: tuple[Any, ...]
    events: list[str] = field(default_factory=list)
    team_moved: bool = False
    previous_team_id: int | None = None


def install(rt: Runtime) -> None:
    rt.bus.subscribe_in_transaction("*", note)
    rt.bus.subscribe_before_commit(lambda session: _sum_up(rt, session))


def note(session: Session, evt: Event) -> None:
    """Record what `evt` touched (runs inside the emitting transaction)."""
    notes: dict[tuple[Any, ...], _Note] = session.info.setdefault(_NOTES, {})

    def touch(kind: str, *ids: Any) -> _Note:
        key = (kind, *ids)
        found = notes.get(key)
        if found is None:
            found = notes[key] = _Note(kind, ids)
        if evt.name not in found.events:
            found.events.append(evt.name)
        return found

    data: dict[str, Any] = evt.__dict__
    name = evt.name
    if name == "ticket.merged":
        touch("moved", data["ticket_id"], data["target_id"])
        touch("ticket", data["target_id"])
    if name.startswith("ticket."):
        ticket_note = touch("ticket", data["ticket_id"])
        team_change = data.get("changes", {}).get("team_id")
        if team_change is not None and not ticket_note.team_moved:
            ticket_note.team_moved, ticket_note.previous_team_id = True, team_change[0]
    elif name == "message.created":  # the ticket's counters and times changed with it
        touch("ticket", data["ticket_id"])
        touch("message", data["message_id"])
    elif name == "message.delivery_changed":
        touch("message", data["message_id"])
    elif name in ("agent.updated", "team.updated", "customer.updated") and \
            _PERSON_FIELDS.intersection(data.get("changes", {})):
        kind = name.split(".")[0]
        touch("person", kind, data[f"{kind}_id"])


def _sum_up(rt: Runtime, session: Session) -> None:
    notes: dict[tuple[Any, ...], _Note] = session.info.pop(_NOTES, {})
    if not notes:
        return
    session.flush()
    # Moves first: the envelopes describe the final state, where merged messages already sit
    # on their new ticket.
    ordered = sorted(notes.values(), key=lambda n: n.kind != "moved")
    envelopes = [e for n in ordered if (e := _envelope(session, n)) is not None]
    if envelopes:
        after_commit(session, lambda: rt.hub.publish(envelopes))


def _envelope(session: Session, n: _Note) -> Envelope | None:
    if n.kind == "ticket":
        ticket = session.get(Ticket, n.ids[0])
        if ticket is None:
            return None
        return Envelope("ticket", (AGENTS,), {
            "ticket": TicketOut.of(ticket).model_dump(mode="json"), "events": n.events,
        }, ticket_scope(ticket, moved_from=n.previous_team_id if n.team_moved else -1))
    if n.kind == "message":
        message = session.get(Message, n.ids[0])
        if message is None:
            return None
        ticket = session.get(Ticket, message.ticket_id)
        if ticket is None:
            return None
        scope = ticket_scope(ticket, internal=message.visibility == "internal")
        return Envelope("message", (AGENTS,), {
            "message": MessageOut.of(message).model_dump(mode="json"), "events": n.events,
        }, scope)
    if n.kind == "moved":
        source, target = session.get(Ticket, n.ids[0]), session.get(Ticket, n.ids[1])
        if source is None or target is None:
            return None
        seqs = session.execute(select(Message.id, Message.seq).where(
            Message.ticket_id == target.id, Message.seq.is_not(None))).all()
        return Envelope("messages.moved", (AGENTS,),
                        {"from_ticket_id": source.id, "to_ticket_id": target.id,
                         "seqs": {str(i): seq for i, seq in seqs}},
                        ticket_scope(target))
    return _person(session, n.ids[0], n.ids[1])


def _person(session: Session, kind: str, person_id: int) -> Envelope | None:
    if kind == "agent":
        agent = session.get(Agent, person_id)
        if agent is None:
            return None
        return Envelope("person", (AGENTS,), {"type": "agent", "id": agent.id,
                                              "name": agent.name, "email": agent.email})
    if kind == "team":
        team = session.get(Team, person_id)
        if team is None:
            return None
        return Envelope("person", (AGENTS,), {"type": "team", "id": team.id, "name": team.name,
                                              "email": None})
    customer = session.get(Customer, person_id)
    if customer is None:
        return None
    teams = session.scalars(
        select(Ticket.team_id).where(Ticket.requester_id == customer.id,
                                     Ticket.team_id.is_not(None)).distinct()
    ).all()
    return Envelope("person", (AGENTS,), {"type": "customer", "id": customer.id,
                                          "name": customer.name, "email": customer.email},
                    Scope(requester_id=customer.id,
                          customer_teams=tuple(sorted(t for t in teams if t is not None))))


def ticket_scope(ticket: Ticket, *, moved_from: int | None = -1,
                 internal: bool = False) -> Scope:
    """`moved_from`: the team the ticket was in before this transaction, when it moved
    (None: it had no team); -1 when it did not move."""
    moved = moved_from != -1 and moved_from != ticket.team_id
    return Scope(ticket_id=ticket.id, team_id=ticket.team_id, team_moved=moved,
                 previous_team_id=moved_from if moved else None,
                 requester_id=ticket.requester_id, internal=internal)


@sa_event.listens_for(Session, "after_commit")
@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    if session.get_nested_transaction() is None:
        session.info.pop(_NOTES, None)
