from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tend.access import Actor, NotFound, can_see_attachment
from tend.attachments.models import Attachment
from tend.tickets.models import Message, Ticket


def access_attachment(session: Session, actor: Actor, attachment_id: int) -> Attachment:
    """The attachment, if `actor` may see its message; 404 otherwise (even for notes)."""
    attachment = session.execute(
        select(Attachment)
        .where(Attachment.id == attachment_id)
        .options(joinedload(Attachment.message).joinedload(Message.ticket))
    ).scalar_one_or_none()
    if attachment is None:
        raise NotFound(f"Attachment {attachment_id} was not found.")
    ticket: Ticket = attachment.message.ticket
    if not can_see_attachment(actor, attachment, ticket):
        raise NotFound(f"Attachment {attachment_id} was not found.")
    return attachment
