"""Everything that changes a ticket. Each function checks, acts, and emits events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from tend.access import (
    Actor,
    AgentActor,
    CustomerActor,
    Forbidden,
    NotFound,
    Permission,
    SystemActor,
    can_see_ticket,
    can_write_message,
    check_assignable,
    check_team_allowed,
    require,
)
from tend.agents.models import Agent, Role, Team
from tend.attachments.actions import StoredFile
from tend.attachments.models import Attachment
from tend.customers.models import Customer
from tend.db import utcnow
from tend.events import emit
from tend.events.catalog import (
    MessageCreated,
    TicketCreated,
    TicketMerged,
    TicketReopened,
    TicketUpdated,
)
from tend.tickets import rules
from tend.tickets.bodies import from_html, from_text
from tend.tickets.models import CustomField, Message, Ticket, TicketTag
from tend.tickets.rules import FieldSpec, RuleError

MAX_BODY_CHARS = 65_536


def _next_number(session: Session) -> int:
    if session.get_bind().dialect.name == "postgresql":
        return int(session.scalar(select(func.nextval("ticket_number_seq"))) or 0)
    # SQLite write transactions are serialized (BEGIN IMMEDIATE), so MAX + 1 is race-free.
    return int(session.scalar(select(func.coalesce(func.max(Ticket.number), 0))) or 0) + 1


def field_specs(session: Session) -> dict[str, FieldSpec]:
    return {
        f.key: FieldSpec(f.key, f.label, f.type, tuple(f.options), f.required_to_solve)
        for f in session.scalars(select(CustomField).where(CustomField.active))
    }


@dataclass(frozen=True)
class Origin:
    """Where a message came from, for channels (email): who wrote it, the provider's id of it,
    the quoted history split off it, and which inbox / earlier ticket a new ticket belongs to."""

    customer: Customer | None = None
    external_id: str | None = None
    quoted_text: str | None = None
    automatic: bool = False
    inbox_id: int | None = None
    follow_up_of_id: int | None = None


def _origin_columns(origin: Origin | None) -> dict[str, Any]:
    if origin is None:
        return {}
    quoted = (origin.quoted_text or "").strip()
    return {"external_id": (origin.external_id or None) and origin.external_id[:250],
            "quoted_text": quoted[:MAX_BODY_CHARS] or None}


def _author(actor: Actor) -> dict[str, Any]:
    if isinstance(actor, AgentActor):
        return {"author_type": "agent", "author_agent_id": actor.id}
    if isinstance(actor, CustomerActor):
        return {"author_type": "customer", "author_customer_id": actor.id}
    return {"author_type": "system"}


def _body(body: str, body_html: str | None) -> tuple[str, str]:
    text, html = from_html(body_html) if body_html else from_text(body)
    # Plain text that is only whitespace still renders as "<p></p>": judge it by its text.
    if not text.strip() and (not body_html or not html.strip()):
        raise RuleError("The message is empty.")
    if len(text) > MAX_BODY_CHARS:
        raise RuleError(f"Messages may have at most {MAX_BODY_CHARS} characters.")
    return text, html


def _attach(
    session: Session, ticket: Ticket, message: Message, files: Sequence[StoredFile]
) -> None:
    for f in files:
        session.add(
            Attachment(
                ticket_id=ticket.id, message_id=message.id, filename=f.filename,
                content_type=f.content_type, size=f.size, sha256=f.sha256, inline=f.inline,
                content_id=f.content_id,
            )
        )


def create_ticket(
    session: Session,
    actor: Actor,
    *,
    requester: Customer,
    subject: str,
    body: str,
    body_html: str | None = None,
    priority: str = "normal",
    channel: str = "web",
    tags: Sequence[str] = (),
    team_id: int | None = None,
    assignee_id: int | None = None,
    custom_fields: dict[str, Any] | None = None,
    files: Sequence[StoredFile] = (),
    author_is_requester: bool = True,
    origin: Origin | None = None,
    client_id: str | None = None,
) -> Ticket:
    """Open a ticket with its first message, written by the requester (or by the agent)."""
    if isinstance(actor, CustomerActor):
        if actor.id != requester.id:
            raise Forbidden("Customers can only open tickets for themselves.")
        if team_id is not None or assignee_id is not None or custom_fields or tags:
            raise Forbidden("Customers cannot set the team, assignee, tags or internal fields.")
    else:
        require(actor, Permission.TICKETS_CREATE)
        if isinstance(actor, AgentActor) and actor.role is Role.PARTNER_AGENT and team_id is None:
            team_id = min(actor.team_ids) if actor.team_ids else None
        check_team_allowed(actor, team_id)
    subject = " ".join(subject.split())
    if not subject:
        raise RuleError("The subject is empty.")
    if priority not in rules.PRIORITIES:
        allowed = ", ".join(rules.PRIORITIES)
        raise RuleError(f"Unknown priority '{priority}'. Use one of: {allowed}.")
    text, html = _body(body, body_html)
    if team_id is not None and session.get(Team, team_id) is None:
        raise NotFound(f"Team {team_id} was not found.")
    now = utcnow()
    ticket = Ticket(
        number=_next_number(session), subject=subject[:250], priority=priority, channel=channel,
        requester_id=requester.id, team_id=team_id, status="new",
        custom_fields=(rules.clean_custom_fields(field_specs(session), {}, custom_fields)
                       if custom_fields else {}),
        created_at=now, updated_at=now, message_count=1, last_seq=1,
    )
    ticket.tag_rows = [TicketTag(tag=t) for t in sorted(rules.normalize_tags(tags))]
    if origin is not None:
        ticket.inbox_id, ticket.follow_up_of_id = origin.inbox_id, origin.follow_up_of_id
    if author_is_requester:
        ticket.last_customer_message_at = now
        author: dict[str, Any] = {"author_type": "customer", "author_customer_id": requester.id}
    else:
        author = _author(actor)
    session.add(ticket)
    session.flush()
    if assignee_id is not None:
        _assign(session, actor, ticket, assignee_id, {}, now)
    message = Message(ticket_id=ticket.id, visibility="public", body_text=text, body_html=html,
                      channel=channel, created_at=now, seq=1, client_id=client_id, **author,
                      **_origin_columns(origin))
    session.add(message)
    session.flush()
    # The new ticket's only message: known, so reading `ticket.messages` needs no query.
    set_committed_value(ticket, "messages", [message])
    _attach(session, ticket, message, files)
    emit(session, TicketCreated(
        actor=actor.ref, ticket_id=ticket.id, number=ticket.number, channel=channel,
        requester_id=requester.id, team_id=team_id, assignee_id=ticket.assignee_id,
    ))
    emit(session, MessageCreated(
        actor=actor.ref, ticket_id=ticket.id, message_id=message.id, visibility="public",
        author_type=message.author_type, channel=channel,
    ))
    return ticket


def next_seq(session: Session, ticket: Ticket) -> int:
    """The next public message number of `ticket`. One atomic UPDATE: concurrent writers on
    PostgreSQL queue on the ticket's row and never get the same number."""
    seq = int(session.execute(
        update(Ticket).where(Ticket.id == ticket.id).values(last_seq=Ticket.last_seq + 1)
        .returning(Ticket.last_seq).execution_options(synchronize_session=False)
    ).scalar_one())
    set_committed_value(ticket, "last_seq", seq)
    return seq


def _set_status(
    ticket: Ticket, status: str, changes: dict[str, tuple[Any, Any]], now: Any
) -> None:
    if status == ticket.status:
        return
    changes["status"] = (ticket.status, status)
    ticket.status = status
    if status == "solved":
        ticket.solved_at = now
    elif status == "closed":
        ticket.closed_at = now
    else:
        ticket.solved_at = None


def add_message(
    session: Session,
    actor: Actor,
    ticket: Ticket,
    *,
    body: str,
    body_html: str | None = None,
    visibility: Literal["public", "internal"] = "public",
    channel: str | None = None,
    status: str | None = None,
    files: Sequence[StoredFile] = (),
    origin: Origin | None = None,
    client_id: str | None = None,
) -> Message:
    """A reply (public) or a note (internal). Customer messages reopen solved tickets.

    Channels write on behalf of a customer as the system actor with `origin.customer` set
    (a CC'd participant is not the requester, so a customer actor could not).
    """
    if visibility not in ("public", "internal"):
        raise RuleError("visibility is 'public' (a reply) or 'internal' (a note).")
    if origin is not None and origin.customer is not None and not isinstance(actor, SystemActor):
        raise Forbidden("Only channels write on behalf of a customer.")
    if not can_see_ticket(actor, ticket):
        raise NotFound(f"Ticket {ticket.id} was not found.")
    if not can_write_message(actor, ticket, visibility):
        if ticket.status == "closed":
            raise RuleError("This ticket is closed; open a new ticket instead.")
        kind = "reply to" if visibility == "public" else "add notes to"
        raise Forbidden(f"Your role may not {kind} this ticket.")
    text, html = _body(body, body_html)
    now = utcnow()
    author = _author(actor)
    if origin is not None and origin.customer is not None:
        author = {"author_type": "customer", "author_customer_id": origin.customer.id}
    message = Message(
        ticket_id=ticket.id, visibility=visibility, body_text=text, body_html=html,
        channel=channel or ("web" if author["author_type"] != "system" else "system"),
        created_at=now, client_id=client_id,
        seq=next_seq(session, ticket) if visibility == "public" else None,
        **author, **_origin_columns(origin),
    )
    session.add(message)
    session.flush()
    _attach(session, ticket, message, files)
    changes: dict[str, tuple[Any, Any]] = {}
    reopened = False
    if author["author_type"] == "customer":
        ticket.last_customer_message_at = now
        if origin is None or not origin.automatic:  # an out-of-office reply reopens nothing
            new_status, reopened = rules.status_after_customer_message(ticket.status)
            _set_status(ticket, new_status, changes, now)
            if reopened:
                ticket.reopen_count += 1
    elif author["author_type"] == "agent" and visibility == "public":
        if ticket.first_reply_at is None:
            ticket.first_reply_at = now
        ticket.last_agent_reply_at = now
        if status is None:
            _set_status(ticket, rules.status_after_agent_reply(ticket.status), changes, now)
    if status is not None and isinstance(actor, AgentActor):
        _change_status_checked(session, actor, ticket, status, changes, now)
    ticket.message_count += 1
    ticket.updated_at = now
    session.flush()
    emit(session, MessageCreated(
        actor=actor.ref, ticket_id=ticket.id, message_id=message.id, visibility=visibility,
        author_type=message.author_type, channel=message.channel,
    ))
    if reopened:
        emit(session, TicketReopened(actor=actor.ref, ticket_id=ticket.id,
                                     reopen_count=ticket.reopen_count))
    if changes:
        emit(session, TicketUpdated(actor=actor.ref, ticket_id=ticket.id, changes=changes))
    return message


def _change_status_checked(
    session: Session, actor: Actor, ticket: Ticket, status: str,
    changes: dict[str, tuple[Any, Any]], now: Any,
) -> None:
    require(actor, Permission.TICKETS_UPDATE)
    rules.check_status_change(ticket.status, status)
    if status == "solved" and ticket.status != "solved":
        missing = rules.missing_to_solve(field_specs(session), ticket.custom_fields)
        if missing:
            raise RuleError(f"Fill in {', '.join(missing)} before solving this ticket.")
    _set_status(ticket, status, changes, now)


def _assign(
    session: Session, actor: Actor, ticket: Ticket, assignee_id: int | None,
    changes: dict[str, tuple[Any, Any]], now: Any,
) -> None:
    if assignee_id == ticket.assignee_id:
        return
    if assignee_id is not None:
        agent = session.get(Agent, assignee_id)
        if agent is None or not agent.is_active:
            raise NotFound(f"Agent {assignee_id} was not found.")
        check_assignable(actor, Role(agent.role), agent.team_ids, ticket.team_id)
        ticket.assigned_at = now
    changes["assignee_id"] = (ticket.assignee_id, assignee_id)
    ticket.assignee_id = assignee_id
    session.expire(ticket, ["assignee"])


UPDATABLE = ("subject", "status", "priority", "team_id", "assignee_id", "tags", "add_tags",
             "remove_tags", "custom_fields")


def update_ticket(
    session: Session, actor: Actor, ticket: Ticket, values: dict[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """Apply a partial update; returns what changed as {field: (before, after)}."""
    require(actor, Permission.TICKETS_UPDATE)
    if not can_see_ticket(actor, ticket):
        raise NotFound(f"Ticket {ticket.id} was not found.")
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise RuleError(f"Unknown ticket field(s): {', '.join(sorted(unknown))}.")
    if ticket.status == "closed":
        raise RuleError("Closed tickets cannot change. Open a follow-up ticket instead.")
    now = utcnow()
    changes: dict[str, tuple[Any, Any]] = {}
    if "subject" in values:
        subject = " ".join(str(values["subject"]).split())[:250]
        if not subject:
            raise RuleError("The subject is empty.")
        if subject != ticket.subject:
            changes["subject"] = (ticket.subject, subject)
            ticket.subject = subject
    if "priority" in values and values["priority"] != ticket.priority:
        if values["priority"] not in rules.PRIORITIES:
            raise RuleError(f"Unknown priority '{values['priority']}'.")
        changes["priority"] = (ticket.priority, values["priority"])
        ticket.priority = values["priority"]
    if "team_id" in values and values["team_id"] != ticket.team_id:
        team_id = values["team_id"]
        if team_id is not None and session.get(Team, team_id) is None:
            raise NotFound(f"Team {team_id} was not found.")
        check_team_allowed(actor, team_id)
        changes["team_id"] = (ticket.team_id, team_id)
        ticket.team_id = team_id
        session.expire(ticket, ["team"])
    if "custom_fields" in values:
        if not isinstance(values["custom_fields"], dict):
            raise RuleError("custom_fields is an object of field key → value.")
        new_fields = rules.clean_custom_fields(
            field_specs(session), ticket.custom_fields, values["custom_fields"]
        )
        if new_fields != ticket.custom_fields:
            changes["custom_fields"] = (ticket.custom_fields, new_fields)
            ticket.custom_fields = new_fields
    if "assignee_id" in values:
        _assign(session, actor, ticket, values["assignee_id"], changes, now)
    elif "team_id" in changes and ticket.assignee_id is not None:
        # A partner who owns the ticket must still belong to its new team.
        owner = session.get(Agent, ticket.assignee_id)
        if owner is not None and owner.role == Role.PARTNER_AGENT.value:
            _assign(session, actor, ticket, None, changes, now)
    _apply_tags(ticket, values, changes)
    if "status" in values:
        _change_status_checked(session, actor, ticket, values["status"], changes, now)
    if changes:
        ticket.updated_at = now
        session.flush()
        emit(session, TicketUpdated(actor=actor.ref, ticket_id=ticket.id, changes=changes))
    return changes


def _apply_tags(
    ticket: Ticket, values: dict[str, Any], changes: dict[str, tuple[Any, Any]]
) -> None:
    before = ticket.tags
    tags = list(before)
    if "tags" in values:
        tags = rules.normalize_tags(values["tags"])
    if "add_tags" in values:
        tags = rules.normalize_tags([*tags, *values["add_tags"]])
    if "remove_tags" in values:
        drop = set(rules.normalize_tags(values["remove_tags"]))
        tags = [t for t in tags if t not in drop]
    if sorted(tags) != sorted(before):
        keep = {r.tag: r for r in ticket.tag_rows}
        ticket.tag_rows = [keep.get(t) or TicketTag(tag=t) for t in sorted(set(tags))]
        changes["tags"] = (before, sorted(set(tags)))


def merge_tickets(session: Session, actor: Actor, source: Ticket, target: Ticket) -> Ticket:
    """Move every message of `source` onto `target`; close `source`, pointing to `target`."""
    require(actor, Permission.TICKETS_MERGE)
    for t in (source, target):
        if not can_see_ticket(actor, t):
            raise NotFound(f"Ticket {t.id} was not found.")
    if source.id == target.id:
        raise RuleError("A ticket cannot be merged into itself.")
    if source.status == "closed" or target.status == "closed":
        raise RuleError("Closed tickets cannot be merged.")
    now = utcnow()
    moved_public = list(session.scalars(
        select(Message.id).where(Message.ticket_id == source.id, Message.visibility == "public")
        .order_by(Message.id)))
    # The moved messages continue the target's numbering (client ids belonged to the source).
    moved = session.execute(
        update(Message).where(Message.ticket_id == source.id)
        .values(ticket_id=target.id, seq=None, client_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    for message_id in moved_public:
        session.execute(update(Message).where(Message.id == message_id)
                        .values(seq=next_seq(session, target))
                        .execution_options(synchronize_session=False))
    for obj in list(session.identity_map.values()):  # loaded messages: read them afresh
        if isinstance(obj, Message) and obj.ticket_id == source.id:
            session.expire(obj)
    session.execute(
        update(Attachment).where(Attachment.ticket_id == source.id).values(ticket_id=target.id)
    )
    target.message_count += int(moved or 0)
    target_changes: dict[str, tuple[Any, Any]] = {}
    _apply_tags(target, {"add_tags": source.tags}, target_changes)
    for attr in ("last_customer_message_at",):
        theirs = getattr(source, attr)
        if theirs is not None and (getattr(target, attr) is None or theirs > getattr(target, attr)):
            setattr(target, attr, theirs)
    source_changes: dict[str, tuple[Any, Any]] = {"merged_into_id": (None, target.id)}
    source.merged_into_id = target.id
    if source.status != "solved":
        _set_status(source, "solved", source_changes, now)
    _set_status(source, "closed", source_changes, now)
    source.message_count = 0
    source.updated_at = target.updated_at = now
    session.flush()
    session.expire(source, ["messages"])
    session.expire(target, ["messages"])
    system_note(session, actor, target, f"Ticket #{source.number} was merged into this ticket.")
    system_note(session, actor, source, f"This ticket was merged into ticket #{target.number}.",
                allow_closed=True)
    emit(session, TicketMerged(actor=actor.ref, ticket_id=source.id, target_id=target.id,
                               moved_messages=int(moved or 0)))
    emit(session, TicketUpdated(actor=actor.ref, ticket_id=source.id, changes=source_changes))
    if target_changes:
        emit(session, TicketUpdated(actor=actor.ref, ticket_id=target.id, changes=target_changes))
    return target


def system_note(
    session: Session, actor: Actor, ticket: Ticket, text: str, *, allow_closed: bool = False
) -> Message:
    """An internal note written by Tend itself (merges, automations)."""
    if ticket.status == "closed" and not allow_closed:
        raise RuleError("This ticket is closed.")
    body_text, html = from_text(text)
    message = Message(ticket_id=ticket.id, visibility="internal", author_type="system",
                      body_text=body_text, body_html=html, channel="system")
    session.add(message)
    ticket.message_count += 1
    session.flush()
    emit(session, MessageCreated(actor=actor.ref, ticket_id=ticket.id, message_id=message.id,
                                 visibility="internal", author_type="system", channel="system"))
    return message


@dataclass(frozen=True)
class BulkResult:
    ticket_id: int
    ok: bool
    error: str | None = None


def bulk_update(
    session: Session, actor: Actor, tickets: Sequence[Ticket], values: dict[str, Any]
) -> list[BulkResult]:
    """Update many tickets; each succeeds or fails on its own (savepoint per ticket)."""
    results = []
    for ticket in tickets:
        try:
            with session.begin_nested():
                update_ticket(session, actor, ticket, values)
            results.append(BulkResult(ticket.id, True))
        except (RuleError, Forbidden, NotFound) as exc:
            session.refresh(ticket)
            results.append(BulkResult(ticket.id, False, str(exc)))
    return results
