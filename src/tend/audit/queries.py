from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tend.audit.models import AuditEvent


def ticket_history(session: Session, ticket_id: int) -> list[AuditEvent]:
    """Audit events of one ticket, oldest first. The caller has checked access to the ticket."""
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.ticket_id == ticket_id).order_by(AuditEvent.id)
        )
    )
