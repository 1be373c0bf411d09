"""Writes one audit event per catalog event, inside the transaction that caused it."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session

from tend.audit.models import AuditEvent
from tend.events.bus import EventBus
from tend.events.catalog import Event

_SKIP = {"name", "actor", "occurred_at"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record(session: Session, evt: Event) -> None:
    subject_type = evt.name.split(".", 1)[0]
    fields = {f.name: getattr(evt, f.name) for f in dataclasses.fields(evt) if f.name not in _SKIP}
    subject_id = fields.get(f"{subject_type}_id")
    ticket_id = fields.get("ticket_id")
    changes = fields.pop("changes", None)
    detail = _jsonable(changes if changes is not None else fields)
    session.add(
        AuditEvent(
            occurred_at=evt.occurred_at,
            actor_type=evt.actor.kind,
            actor_id=evt.actor.id,
            event=evt.name,
            subject_type=subject_type,
            subject_id=subject_id if isinstance(subject_id, int) else None,
            ticket_id=ticket_id if isinstance(ticket_id, int) else None,
            changes=detail,
        )
    )


def install(bus: EventBus) -> None:
    bus.subscribe_in_transaction("*", record)
