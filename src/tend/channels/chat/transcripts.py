"""The transcript of a chat, sent to the customer by email when they ask for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from tend.auth import ratelimit
from tend.channels.chat.conversations import ChatError, messages_after
from tend.customers.models import Customer
from tend.customers.rules import IdentityError, normalize_email
from tend.events.bus import after_commit
from tend.notify import Notice
from tend.tickets.models import Ticket

if TYPE_CHECKING:
    from tend.runtime import Runtime

MAX_PER_HOUR = 3


def render(ticket: Ticket, lines: list[tuple[str, str, str]]) -> str:
    """Plain text: one block per message, `[time] name:` then the text."""
    out = [f"Chat #{ticket.number}: {ticket.subject}", ""]
    for when, who, text in lines:
        out.append(f"[{when}] {who}:")
        out.extend(f"  {line}" for line in text.splitlines() or [""])
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def request(session: Session, rt: Runtime, ticket_id: int, email: str | None) -> str:
    """Queue the transcript to `email` (or the customer's address); returns where it goes."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise ChatError("This conversation was not found.")
    customer = session.get(Customer, ticket.requester_id)
    to = email or (customer.email if customer else None)
    if not to:
        raise ChatError("Which email address should we send the transcript to?")
    try:
        to = normalize_email(to)
    except IdentityError as exc:
        raise ChatError(str(exc)) from None
    key = f"chat-transcript:{ticket_id}"
    if ratelimit.is_limited(session, key, MAX_PER_HOUR, 3600):
        raise ChatError("The transcript was sent several times already; try again later.")
    ratelimit.hit(session, key, 3600)
    lines = [(m.created_at.strftime("%Y-%m-%d %H:%M UTC"), m.author_name, m.body_text)
             for m in messages_after(session, ticket_id, 0, limit=5000)]
    notice = Notice(to=to, subject=f"Transcript of your chat #{ticket.number}",
                    body=render(ticket, lines))
    after_commit(session, lambda: rt.outbox.send(notice))
    return to
