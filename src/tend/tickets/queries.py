"""Reading tickets, with the access check built into every query."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from tend.access import Actor, AgentActor, NotFound, message_filter, ticket_filter
from tend.customers.models import Customer, CustomerIdentity
from tend.ids import MAX_ID, is_id
from tend.tickets.models import CustomField, Message, Ticket, TicketTag
from tend.tickets.rules import OPEN_STATUSES, PRIORITIES, STATUSES

SORTS = ("-updated_at", "updated_at", "-created_at", "created_at", "-priority", "priority",
         "-number", "number")
MAX_LIMIT = 100


class QueryError(ValueError):
    """A bad filter, sort or cursor (HTTP 400)."""


def access_ticket(session: Session, actor: Actor, ticket_id: int) -> Ticket:
    """The ticket if `actor` may see it; 404 both when missing and when not theirs."""
    ticket = session.execute(
        select(Ticket).where(Ticket.id == ticket_id, ticket_filter(actor))
    ).unique().scalar_one_or_none()
    if ticket is None:
        raise NotFound(f"Ticket {ticket_id} was not found.")
    return ticket


def access_ticket_by_number(session: Session, actor: Actor, number: int) -> Ticket:
    ticket = session.execute(
        select(Ticket).where(Ticket.number == number, ticket_filter(actor))
    ).unique().scalar_one_or_none()
    if ticket is None:
        raise NotFound(f"Ticket #{number} was not found.")
    return ticket


def timeline(session: Session, actor: Actor, ticket: Ticket) -> list[Message]:
    """The messages of a ticket `actor` may read (customers never get notes)."""
    return list(
        session.scalars(
            select(Message)
            .where(Message.ticket_id == ticket.id, message_filter(actor))
            .order_by(Message.id)
        ).unique()
    )


def customer_visible_fields(session: Session) -> set[str]:
    return set(session.scalars(select(CustomField.key).where(CustomField.customer_visible)))


@dataclass
class TicketFilters:
    status: Sequence[str] = ()
    assignee: str | None = None  # agent id, "me" or "none"
    team: str | None = None  # team id, "mine" or "none"
    tag: str | None = None
    customer: int | None = None
    organization: int | None = None
    priority: Sequence[str] = ()
    channel: str | None = None
    updated_since: datetime | None = None
    q: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("status", "priority"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        for key in ("assignee", "team", "tag", "customer", "organization", "channel", "q"):
            if getattr(self, key) not in (None, ""):
                out[key] = getattr(self, key)
        if self.updated_since:
            out["updated_since"] = self.updated_since.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TicketFilters:
        since = data.get("updated_since")
        return cls(
            status=tuple(data.get("status", ())), priority=tuple(data.get("priority", ())),
            assignee=data.get("assignee"), team=data.get("team"), tag=data.get("tag"),
            customer=data.get("customer"), organization=data.get("organization"),
            channel=data.get("channel"), q=data.get("q"),
            updated_since=datetime.fromisoformat(since) if since else None,
        )


def _id_or_error(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise QueryError(f"{what} must be an id, 'me'/'mine' or 'none'.") from None


def _search_clause(q: str) -> ColumnElement[bool]:
    text = q.strip()
    number = text.lstrip("#")
    clauses: list[ColumnElement[bool]] = []
    if number.isdigit() and len(number) < 12:
        clauses.append(Ticket.number == int(number))
    like = f"%{text.lower()}%"
    clauses.append(func.lower(Ticket.subject).like(like))
    customers = select(Customer.id).where(func.lower(Customer.name).like(like))
    identities = select(CustomerIdentity.customer_id).where(
        func.lower(CustomerIdentity.address).like(like)
    )
    clauses.append(Ticket.requester_id.in_(customers.union(identities)))
    return or_(*clauses)


def _filter_clauses(actor: Actor, f: TicketFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [ticket_filter(actor)]
    bad = [s for s in f.status if s not in STATUSES and s != "unsolved"]
    if bad:
        raise QueryError(f"Unknown status '{bad[0]}'. Use: {', '.join(STATUSES)} or unsolved.")
    if f.status:
        wanted = {s for s in f.status if s != "unsolved"}
        if "unsolved" in f.status:
            wanted |= set(OPEN_STATUSES)
        where.append(Ticket.status.in_(sorted(wanted)))
    badp = [p for p in f.priority if p not in PRIORITIES]
    if badp:
        raise QueryError(f"Unknown priority '{badp[0]}'. Use: {', '.join(PRIORITIES)}.")
    if f.priority:
        where.append(Ticket.priority.in_(list(f.priority)))
    if f.assignee not in (None, ""):
        if f.assignee == "none":
            where.append(Ticket.assignee_id.is_(None))
        elif f.assignee == "me":
            where.append(Ticket.assignee_id == (actor.id if isinstance(actor, AgentActor) else -1))
        else:
            where.append(Ticket.assignee_id == _id_or_error(str(f.assignee), "assignee"))
    if f.team not in (None, ""):
        if f.team == "none":
            where.append(Ticket.team_id.is_(None))
        elif f.team == "mine":
            ids = sorted(actor.team_ids) if isinstance(actor, AgentActor) else []
            where.append(Ticket.team_id.in_(ids))
        else:
            where.append(Ticket.team_id == _id_or_error(str(f.team), "team"))
    if f.tag:
        where.append(Ticket.id.in_(select(TicketTag.ticket_id).where(TicketTag.tag == f.tag)))
    if f.customer is not None:
        where.append(Ticket.requester_id == f.customer)
    if f.organization is not None:
        where.append(Ticket.requester_id.in_(
            select(Customer.id).where(Customer.organization_id == f.organization)))
    if f.channel:
        where.append(Ticket.channel == f.channel)
    if f.updated_since is not None:
        where.append(Ticket.updated_at >= f.updated_since)
    if f.q and f.q.strip():
        where.append(_search_clause(f.q))
    return where


_PRIORITY_RANK = case({p: i for i, p in enumerate(PRIORITIES)}, value=Ticket.priority)


def _sort_column(sort: str) -> Any:
    name = sort.lstrip("-")
    return _PRIORITY_RANK if name == "priority" else getattr(Ticket, name)


def encode_cursor(sort: str, ticket: Ticket) -> str:
    name = sort.lstrip("-")
    value: Any = getattr(ticket, name)
    if name == "priority":
        value = PRIORITIES.index(ticket.priority)
    elif isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([sort, value, ticket.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cur_sort, value, last_id = json.loads(raw)
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        raise QueryError("The cursor is not valid; start again without it.") from None
    if cur_sort != sort:
        raise QueryError("The cursor belongs to another sort order; start again without it.")
    if not is_id(last_id):
        raise QueryError("The cursor is not valid; start again without it.")
    name = sort.lstrip("-")
    try:
        if name in ("updated_at", "created_at"):
            value = datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise ValueError
            value = value.astimezone(UTC)
        elif not isinstance(value, int) or isinstance(value, bool) or abs(value) > MAX_ID:
            raise TypeError
    except (TypeError, ValueError, OverflowError):
        raise QueryError("The cursor is not valid; start again without it.") from None
    return value, last_id


@dataclass(frozen=True)
class Page:
    items: list[Ticket]
    next_cursor: str | None


def tickets_query(actor: Actor, filters: TicketFilters) -> Select[Ticket]:
    return select(Ticket).where(and_(*_filter_clauses(actor, filters)))


def list_tickets(
    session: Session, actor: Actor, filters: TicketFilters, *, sort: str = "-updated_at",
    cursor: str | None = None, limit: int = 25,
) -> Page:
    if sort not in SORTS:
        raise QueryError(f"Unknown sort '{sort}'. Use one of: {', '.join(SORTS)}.")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}.")
    col = _sort_column(sort)
    desc = sort.startswith("-")
    stmt = select(Ticket.id).where(and_(*_filter_clauses(actor, filters)))
    if cursor:
        value, last_id = decode_cursor(sort, cursor)
        if desc:
            stmt = stmt.where(or_(col < value, and_(col == value, Ticket.id < last_id)))
        else:
            stmt = stmt.where(or_(col > value, and_(col == value, Ticket.id > last_id)))
    order = (col.desc(), Ticket.id.desc()) if desc else (col.asc(), Ticket.id.asc())
    # Pick the page's ids on the tickets table alone (an index walk plus a small sort), then
    # load only those rows with their requester, assignee and team: joining every matching
    # ticket before the LIMIT made the inbox slow down as tickets piled up.
    ids = list(session.scalars(stmt.order_by(*order).limit(limit + 1)))
    more = len(ids) > limit
    ids = ids[:limit]
    loaded = {
        t.id: t
        for t in session.scalars(
            select(Ticket).where(Ticket.id.in_(ids)).options(
                joinedload(Ticket.requester).selectinload(Customer.identities)
            )
        ).unique()
    }
    items = [loaded[i] for i in ids if i in loaded]
    return Page(items, encode_cursor(sort, items[-1]) if more and items else None)


def count_tickets(session: Session, actor: Actor, filters: TicketFilters) -> int:
    stmt = select(func.count()).select_from(Ticket).where(and_(*_filter_clauses(actor, filters)))
    return int(session.scalar(stmt) or 0)


def customer_tickets(
    session: Session, actor: Actor, customer_id: int, *, exclude: int | None = None,
    limit: int = 10,
) -> list[Ticket]:
    stmt = select(Ticket).where(Ticket.requester_id == customer_id, ticket_filter(actor))
    if exclude is not None:
        stmt = stmt.where(Ticket.id != exclude)
    return list(session.scalars(stmt.order_by(Ticket.created_at.desc()).limit(limit)).unique())


def active_custom_fields(session: Session) -> list[CustomField]:
    """The custom fields agents fill in on tickets, in their admin-chosen order."""
    return list(session.scalars(
        select(CustomField).where(CustomField.active).order_by(CustomField.position, CustomField.id)
    ))
