"""A ticket's audit events as readable lines: who, when, what, before → after (names looked up
once per page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tend.agents.models import Agent, Team
from tend.audit.models import AuditEvent
from tend.customers.models import Customer
from tend.tickets.models import Ticket

FIELD_LABELS = {
    "status": "Status", "priority": "Priority", "assignee_id": "Assignee", "team_id": "Team",
    "tags": "Tags", "subject": "Subject", "custom_fields": "Custom fields",
    "merged_into_id": "Merged into",
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryLine:
    when: datetime
    who: str
    what: str
    changes: list[Change] = field(default_factory=list)


class _Names:
    """Looks up names by id once per page (history lines repeat the same few agents)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[tuple[type, int], str] = {}

    def of(self, model: type[Agent] | type[Team] | type[Customer], ident: Any) -> str:
        if not isinstance(ident, int):
            return "—"
        key = (model, ident)
        if key not in self.cache:
            row = self.session.get(model, ident)
            self.cache[key] = str(getattr(row, "name", f"#{ident} (deleted)"))
        return self.cache[key]

    def ticket(self, ident: Any) -> str:
        row = self.session.get(Ticket, ident) if isinstance(ident, int) else None
        return f"#{row.number}" if row is not None else "—"


def _plain(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items())) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


def _value(names: _Names, key: str, value: Any) -> str:
    if key == "assignee_id":
        return names.of(Agent, value) if value is not None else "Unassigned"
    if key == "team_id":
        return names.of(Team, value) if value is not None else "No team"
    if key == "merged_into_id":
        return names.ticket(value) if value is not None else "—"
    return _plain(value)


def _who(names: _Names, event: AuditEvent) -> str:
    if event.actor_type == "agent":
        return names.of(Agent, event.actor_id)
    if event.actor_type == "customer":
        return names.of(Customer, event.actor_id)
    return {"bot": "Bot", "system": "Tend"}.get(event.actor_type, event.actor_type)


def _describe(names: _Names, event: AuditEvent) -> tuple[str, list[Change]]:
    data = event.changes or {}
    if event.event == "ticket.created":
        return f"created the ticket (via {_plain(data.get('channel'))})", []
    if event.event == "message.created":
        if data.get("visibility") == "internal":
            return "added an internal note", []
        return ("wrote a message" if data.get("author_type") == "customer"
                else "replied to the customer"), []
    if event.event == "ticket.merged":
        return f"merged this ticket into {names.ticket(data.get('target_id'))}", []
    if event.event == "ticket.reopened":
        return "reopened the ticket", []
    if event.event == "ticket.updated":
        changes = []
        for key, pair in data.items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            changes.append(Change(FIELD_LABELS.get(key, key.replace("_", " ").capitalize()),
                                  _value(names, key, before), _value(names, key, after)))
        return "changed", changes
    return event.event, []


def history_lines(session: Session, events: list[AuditEvent]) -> list[HistoryLine]:
    names = _Names(session)
    lines = []
    for event in events:
        what, changes = _describe(names, event)
        lines.append(HistoryLine(event.occurred_at, _who(names, event), what, changes))
    return lines
