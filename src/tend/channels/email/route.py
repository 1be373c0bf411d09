"""Inside the intake transaction: who sent a stored mail, which inbox and ticket it belongs to,
and the ticket or message it becomes. The threading rules themselves are pure
(`threading.decide`); this module gathers their facts from the database and applies the result.
"""

from __future__ import annotations

import email.parser
import email.policy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from tend.access import SYSTEM
from tend.attachments.actions import StoredFile
from tend.auth import ratelimit
from tend.channels.email import authresults, loops, threading
from tend.channels.email.models import InboundEmail, Inbox, TicketCc
from tend.channels.email.parse import ParsedEmail
from tend.channels.email.reply import split_html_reply
from tend.customers.actions import find_or_create_by_email
from tend.customers.models import CustomerIdentity
from tend.customers.rules import IdentityError, normalize_email
from tend.db import utcnow
from tend.events import emit
from tend.events.catalog import InboundQuarantined, MessageDeliveryChanged
from tend.tickets.actions import MAX_BODY_CHARS, Origin, add_message, create_ticket, system_note
from tend.tickets.models import Message, Ticket

if TYPE_CHECKING:
    from tend.runtime import Runtime

ACK_JOB = "email.acknowledge"
_OUR_ID = re.compile(r"tend\.(\d{1,12})\.(t[a-z2-7]{4,64})@", re.IGNORECASE)
_DIAGNOSTIC = re.compile(r"^(?:Diagnostic-Code|Status):\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_TRUNCATED = "\n\n[This message was shortened; the whole mail is kept as received.]"


@dataclass
class After:
    """What to do once the transaction has committed (jobs never start inside it)."""

    status: str
    ticket_id: int | None = None
    jobs: list[tuple[str, dict[str, object]]] = field(default_factory=list)

    def run(self, rt: Runtime) -> None:
        for name, payload in self.jobs:
            rt.jobs.enqueue(name, payload)


def apply(rt: Runtime, session: Session, row: InboundEmail, raw: bytes, mail: ParsedEmail, *,
          release: bool) -> After:
    # What the row learns is written once, at the end (one UPDATE, not one per autoflush).
    head = Headers(raw)
    inbox = _inbox_for(session, row, head, mail)
    stamp: dict[str, object] = {
        "attempts": row.attempts + 1, "from_email": (mail.from_email or "")[:320] or None,
        "subject": mail.subject[:250], "message_id_header": (mail.message_id or "")[:250] or None,
        "inbox_id": inbox.id if inbox is not None else row.inbox_id,
    }
    verdict = "pass" if release else sender_verdict(rt, row, raw, head)
    if mail.from_email is None:
        return _quarantine(session, row, stamp, "the mail has no sender address")
    if mail.is_bounce:
        if verdict == "fail":
            return _quarantine(session, row, stamp, "a bounce whose sender failed authentication")
        return _bounce(session, rt, row, raw, stamp)

    secret = rt.settings.signing_key()
    refs = _unique([*([mail.in_reply_to] if mail.in_reply_to else []), *mail.references])
    recipients = [*(row.envelope_to or "").split(","), *(a.email for a in mail.to),
                  *(a.email for a in mail.cc)]
    token_id = _live(session, threading.token_ticket(secret, refs, [r for r in recipients if r]))
    ref_id = _live(session, _ticket_by_references(session, refs)) if token_id is None else None
    number = threading.subject_number(mail.subject)
    subject_id = None
    if number is not None and token_id is None and ref_id is None:
        by_number = select(Ticket.id).where(Ticket.number == number)
        subject_id = _live(session, session.scalar(by_number))
    strongest = token_id or ref_id or subject_id
    sender = _normal(mail.from_email)
    known = participants(session, strongest) if strongest is not None else set()
    decision = threading.decide(
        authenticated=verdict != "fail", token_ticket_id=token_id, reference_ticket_id=ref_id,
        subject_ticket_id=subject_id, sender_is_participant=sender in known,
    )
    if decision.method == "quarantine":
        return _quarantine(session, row, stamp,
                           f"{decision.reason}; it was not added to any ticket")

    customer = find_or_create_by_email(session, SYSTEM, mail.from_email, mail.from_name)
    files = _store_attachments(rt, mail)
    text, html = _bodies(mail)
    origin = Origin(customer=customer, external_id=mail.message_id,
                    quoted_text="\n\n".join(p for p in (mail.quoted_text, mail.signature) if p),
                    automatic=mail.auto_submitted)
    may_add_ccs = verdict != "fail"
    after = After("processed")

    if decision.ticket_id is not None:
        ticket = session.get(Ticket, decision.ticket_id)
        assert ticket is not None
        if not _too_old(rt, ticket):
            message = add_message(session, SYSTEM, ticket, body=text, body_html=html,
                                  channel="email", files=files, origin=origin)
            if may_add_ccs:
                _add_ccs(session, ticket.id, mail, exclude=sender, known=known)
            return _done(session, row, stamp, after, decision.method, ticket.id, message.id)
        follow_up_of: int | None = ticket.id
        why = f"a reply to #{ticket.number}, which is {ticket.status}"
    else:
        follow_up_of = decision.related_ticket_id
        why = decision.reason

    ticket = create_ticket(
        session, SYSTEM, requester=customer, subject=mail.subject or "(no subject)",
        body=text, body_html=html, channel="email",
        team_id=inbox.team_id if inbox is not None else None, files=files,
        origin=replace(origin, inbox_id=inbox.id if inbox is not None else None,
                       follow_up_of_id=follow_up_of),
    )
    first = ticket.messages[0].id
    if may_add_ccs:
        _add_ccs(session, ticket.id, mail, exclude=sender, known={sender})
    if follow_up_of is not None:
        old = session.get(Ticket, follow_up_of)
        system_note(session, SYSTEM, ticket,
                    f"Follow-up of #{old.number if old else follow_up_of}: {why}.")
    if (inbox is not None and inbox.send_acknowledgement
            and _may_acknowledge(session, mail, sender)):
        after.jobs.append((ACK_JOB, {"ticket_id": ticket.id, "to": sender, "inbound_id": row.id}))
    return _done(session, row, stamp, after, "follow_up" if follow_up_of else "new", ticket.id,
                 first)


def _done(session: Session, row: InboundEmail, stamp: dict[str, object], after: After,
          outcome: str, ticket_id: int | None, message_id: int | None) -> After:
    for key, value in stamp.items():
        setattr(row, key, value)
    row.status, row.outcome, row.reason = "processed", outcome, None
    row.ticket_id, row.message_id, row.processed_at = ticket_id, message_id, utcnow()
    after.ticket_id = ticket_id
    session.flush()
    return after


def _quarantine(session: Session, row: InboundEmail, stamp: dict[str, object],
                reason: str) -> After:
    for key, value in stamp.items():
        setattr(row, key, value)
    row.status, row.reason, row.processed_at = "quarantined", reason, utcnow()
    row.outcome = None
    emit(session, InboundQuarantined(actor=SYSTEM.ref, inbound_id=row.id, reason=reason))
    return After("quarantined")


# --- facts -----------------------------------------------------------------------------------

class Headers:
    """The mail's header block, parsed once: every value of a header, top first (as relays
    prepend them)."""

    def __init__(self, raw: bytes) -> None:
        self._head = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)

    def values(self, name: str) -> list[str]:
        return [str(v) for v in self._head.get_all(name, [])]


def sender_verdict(rt: Runtime, row: InboundEmail, raw: bytes, head: Headers) -> str:
    """pass / fail / unknown: a trusted relay's verdict, else Tend's own SPF/DKIM/DMARC check."""
    trusted = rt.settings.trusted_authserv_ids
    if trusted:
        found = authresults.verdict(head.values("Authentication-Results"), trusted)
        if found != "unknown":
            return found
    if not rt.settings.mail_check_sender:
        return "unknown"
    from tend.channels.email import senderauth

    resolver = rt.extras.get("email.resolver")
    if resolver is None:
        resolver = rt.extras["email.resolver"] = senderauth.DnsResolver()
    return senderauth.check(raw, client_ip=row.client_ip, mail_from=row.envelope_from,
                            helo=row.helo, resolver=cast(senderauth.Resolver, resolver)).verdict


def _normal(address: str) -> str:
    try:
        return normalize_email(address)
    except IdentityError:
        return address.strip().lower()


def _inbox_for(session: Session, row: InboundEmail, head: Headers,
               mail: ParsedEmail) -> Inbox | None:
    if row.inbox_id is not None:
        return session.get(Inbox, row.inbox_id)
    candidates = [*(row.envelope_to or "").split(","),
                  *head.values("Delivered-To"), *head.values("X-Original-To"),
                  *(a.email for a in mail.to), *(a.email for a in mail.cc)]
    wanted = [threading.base_address(c) for c in candidates if "@" in c]
    if not wanted:
        return None
    found = {i.address: i for i in session.scalars(
        select(Inbox).where(Inbox.address.in_(wanted), Inbox.active))}
    return next((found[w] for w in wanted if w in found), None)


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item.strip().strip("<>"), None)
    return [s for s in seen if s]


def _ticket_by_references(session: Session, refs: list[str]) -> int | None:
    if not refs:
        return None
    rows = session.execute(select(Message.external_id, Message.ticket_id).where(
        Message.external_id.in_([r[:250] for r in refs]))).all()
    by_id = {ext: tid for ext, tid in rows}
    for ref in reversed(refs):  # the nearest ancestor first
        if ref[:250] in by_id:
            return int(by_id[ref[:250]])
    return None


def _live(session: Session, ticket_id: int | None) -> int | None:
    """The ticket a signal names, following merges; None if it does not exist."""
    seen: set[int] = set()
    while ticket_id is not None and ticket_id not in seen:
        seen.add(ticket_id)
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            return None
        if ticket.merged_into_id is None:
            return ticket.id
        ticket_id = ticket.merged_into_id
    return None


def participants(session: Session, ticket_id: int) -> set[str]:
    """Addresses that may write into a ticket: its requester, its CCs, customers who wrote."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        return set()
    customer_ids = {ticket.requester_id} | set(session.scalars(
        select(Message.author_customer_id).where(
            Message.ticket_id == ticket_id, Message.author_customer_id.is_not(None))))
    found = set(session.scalars(select(CustomerIdentity.address).where(
        CustomerIdentity.customer_id.in_(customer_ids), CustomerIdentity.channel == "email")))
    found |= set(session.scalars(select(TicketCc.email).where(TicketCc.ticket_id == ticket_id)))
    return {a.lower() for a in found}


def _too_old(rt: Runtime, ticket: Ticket) -> bool:
    if ticket.status == "closed":
        return True
    days = rt.settings.mail_follow_up_after_days
    return (ticket.status == "solved" and days > 0 and ticket.solved_at is not None
            and ticket.solved_at < utcnow() - timedelta(days=days))


def _add_ccs(session: Session, ticket_id: int, mail: ParsedEmail, *, exclude: str,
             known: set[str]) -> None:
    """Copied addresses join the ticket's CCs (not our own inboxes, not who is already in)."""
    candidates = {_normal(a.email) for a in [*mail.to, *mail.cc]} - known - {exclude}
    if not candidates:
        return
    ours = set(session.scalars(select(Inbox.address).where(
        Inbox.address.in_({threading.base_address(c) for c in candidates}))))
    candidates = {c for c in candidates if threading.base_address(c) not in ours}
    if candidates:
        candidates -= participants(session, ticket_id)
    for address in sorted(candidates):
        session.add(TicketCc(ticket_id=ticket_id, email=address[:320]))
    session.flush()


def _bodies(mail: ParsedEmail) -> tuple[str, str | None]:
    text = mail.visible_text.strip() or mail.text.strip()
    html = split_html_reply(mail.html) if mail.html else None
    if html is not None and not html.strip():
        html = None
    if len(text) > MAX_BODY_CHARS - len(_TRUNCATED):
        text, html = text[:MAX_BODY_CHARS - len(_TRUNCATED)] + _TRUNCATED, None
    if not text and html is None:
        text = "(no text)"  # e.g. a mail that only carries attachments
    return text, html


def _store_attachments(rt: Runtime, mail: ParsedEmail) -> list[StoredFile]:
    files = []
    for att in mail.attachments:
        sha = rt.store.put(att.data)
        files.append(StoredFile(filename=att.filename[:250] or "attachment",
                                content_type=att.content_type[:100], size=att.size, sha256=sha,
                                inline=att.inline, content_id=att.content_id))
    return files


def _may_acknowledge(session: Session, mail: ParsedEmail, sender: str) -> bool:
    from_sender = ratelimit.hit(session, f"mail-from:{sender}", loops.SENDER_WINDOW_SECONDS)
    ack_key = f"mail-ack:{sender}"
    decision = loops.may_auto_reply(
        mail, sent_to_address_recently=ratelimit.hits(session, ack_key, loops.ACK_WINDOW_SECONDS),
        from_sender_recently=from_sender - 1,
    )
    if decision.allowed:
        ratelimit.hit(session, ack_key, loops.ACK_WINDOW_SECONDS)
    return decision.allowed


def _bounce(session: Session, rt: Runtime, row: InboundEmail, raw: bytes,
            stamp: dict[str, object]) -> After:
    """A delivery failure report: mark the original outgoing message failed."""
    text = raw.decode("latin-1")
    secret = rt.settings.signing_key()
    for m in _OUR_ID.finditer(text):
        ticket_id = threading.read_token(secret, m.group(2))
        message = session.get(Message, int(m.group(1))) if ticket_id else None
        if message is None or message.ticket_id != ticket_id:
            continue
        diag = _DIAGNOSTIC.findall(text)
        reason = " ".join((diag[-1] if diag else "the receiving server bounced it").split())
        message.delivery_status, message.delivery_error = "failed", reason[:1000]
        emit(session, MessageDeliveryChanged(actor=SYSTEM.ref, ticket_id=message.ticket_id,
                                             message_id=message.id, status="failed",
                                             error=message.delivery_error))
        ticket = session.get(Ticket, message.ticket_id)
        if ticket is not None:
            system_note(session, SYSTEM, ticket,
                        f"A reply could not be delivered: {reason[:300]}", allow_closed=True)
        return _done(session, row, stamp, After("processed"), "bounce", message.ticket_id,
                     None)
    return _done(session, row, stamp, After("processed"), "bounce", None, None)

