"""Sending mail: agent replies, acknowledgements of new requests, notices (sign-in links).

- A public reply by an agent is marked `queued` inside the transaction that writes it, when
  the ticket has a mail transport and its requester an address; once that commits, the
  `email.send_message` job sends it. Internal notes never leave Tend.
- Jobs retry temporary trouble (4xx, connection errors) with backoff; a permanent refusal (5xx)
  fails the message at once. Every change of `delivery_status` (queued, sent, failed with the
  reason) emits `message.delivery_changed`.
- Transport: a ticket's inbox (else the first active inbox) sends from its address, through its
  own SMTP server or `TEND_SMTP_URL`; without any inbox, `TEND_SMTP_URL` sends as
  `TEND_MAIL_FROM`. Without a transport nothing is queued: replies stay in Tend.
- Every mail Tend writes by itself carries RFC 3834 headers (`loops.automatic_headers`).

Jobs carry ids and re-read everything, so a retry sends what the database says now; a message
that is no longer `queued` is not sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from secrets import token_hex
from typing import TYPE_CHECKING, Any

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from tend import channels
from tend.channels.email import compose, loops, smtp, threading
from tend.channels.email.compose import Mailbox, Outgoing, OutgoingFile
from tend.channels.email.models import InboundEmail, Inbox, TicketCc
from tend.channels.email.route import ACK_JOB
from tend.channels.email.secrets import SecretError, unseal
from tend.config.queries import get_config
from tend.db import utcnow
from tend.events import ActorRef, Event, emit
from tend.events.catalog import MessageCreated, MessageDeliveryChanged
from tend.jobs import FailureFn, job
from tend.notify import MailOutbox, Notice
from tend.settings import Settings
from tend.tickets.models import Message, Ticket

if TYPE_CHECKING:
    from tend.runtime import Runtime

log = logging.getLogger("tend.email.outbound")

SEND_JOB = "email.send_message"
NOTICE_JOB = "email.notice"
# session.info: (runtime, message id, ticket id, actor) of replies queued in the transaction
_OUTGOING = "tend_email_outgoing"
_FALLBACK_DOMAIN = "tend.invalid"


class Unsendable(Exception):
    """The message cannot be sent as things stand (no transport, no address, a bad setting)."""


# --- where mail goes out ----------------------------------------------------------------------

@dataclass(frozen=True)
class Transport:
    """Who a mail is from and the server that carries it. `smtp` is None when the configured
    server cannot work (`problem` says why): the mail is then failed with that reason."""

    sender: Mailbox
    inbox_address: str | None  # replies come back to it, plus-addressed with the ticket token
    smtp: smtp.SmtpConfig | None
    problem: str = ""

    @property
    def domain(self) -> str:
        return self.sender.address.rpartition("@")[2].strip().lower() or _FALLBACK_DOMAIN


def default_smtp(settings: Settings) -> smtp.SmtpConfig | None:
    if not settings.smtp_url:
        return None
    return smtp.parse_url(settings.smtp_url, timeout=settings.smtp_timeout_seconds,
                          ca_file=_ca_file(settings))


def _ca_file(settings: Settings) -> str | None:
    return str(settings.smtp_ca_file) if settings.smtp_ca_file else None


def _inbox_smtp(settings: Settings, inbox: Inbox) -> smtp.SmtpConfig | None:
    if not inbox.smtp_host:
        return default_smtp(settings)
    return smtp.SmtpConfig(
        host=inbox.smtp_host, port=inbox.smtp_port, security=inbox.smtp_security,
        username=inbox.smtp_username or None,
        password=unseal(settings, inbox.smtp_password) if inbox.smtp_password else None,
        timeout=settings.smtp_timeout_seconds, ca_file=_ca_file(settings),
    )


def sending_inbox(session: Session, ticket: Ticket | None) -> Inbox | None:
    """The ticket's own inbox while it is active, else the first active inbox."""
    if ticket is not None and ticket.inbox_id is not None:
        inbox = session.get(Inbox, ticket.inbox_id)
        if inbox is not None and inbox.active:
            return inbox
    return session.scalar(select(Inbox).where(Inbox.active).order_by(Inbox.id).limit(1))


def transport_for(session: Session, settings: Settings, ticket: Ticket | None) -> Transport | None:
    """How mail about `ticket` (None: a notice to a customer) goes out; None: it cannot."""
    inbox = sending_inbox(session, ticket)
    if inbox is not None:
        if not inbox.smtp_host and not settings.smtp_url:
            return None
        sender = Mailbox(inbox.address, inbox.from_name or inbox.name)
        try:
            return Transport(sender, inbox.address, _inbox_smtp(settings, inbox))
        except (smtp.SmtpConfigError, SecretError) as exc:  # the send fails, saying why
            return Transport(sender, inbox.address, None, f"inbox {inbox.name}: {exc}")
    if not settings.smtp_url or not settings.mail_from:
        return None
    name, address = parseaddr(settings.mail_from)
    return Transport(Mailbox(address, name), None, default_smtp(settings))


# --- queueing agent replies -------------------------------------------------------------------

def _queue_reply(rt: Runtime, session: Session, evt: Event) -> None:
    """In the reply's transaction: mark it queued when it can go out by mail."""
    if not isinstance(evt, MessageCreated) or evt.visibility != "public" \
            or evt.author_type != "agent":
        return
    message = session.get(Message, evt.message_id)
    ticket = session.get(Ticket, evt.ticket_id)
    if message is None or ticket is None or message.visibility != "public" \
            or ticket.requester.email is None:
        return
    if channels.delivered_live(session, ticket):  # a chat in progress carries it
        return
    transport = transport_for(session, rt.settings, ticket)
    if transport is None:
        return
    if message.external_id is None:
        message.external_id = threading.message_id_for(
            rt.settings.signing_key(), ticket.id, message.id, transport.domain)
    queue(rt, session, message, evt.actor)


def queue(rt: Runtime, session: Session, message: Message, actor: ActorRef) -> None:
    """Mark `message` queued. `message.delivery_changed` is emitted when the transaction
    commits, after the events that led here (`message.created` first); the send job starts
    after all of them have been published, so that with inline jobs no subscriber hears
    "sent" before "queued"."""
    message.delivery_status, message.delivery_error = "queued", None
    session.info.setdefault(_OUTGOING, []).append((rt, message.id, message.ticket_id, actor))


def _announce_queued(session: Session) -> None:
    """Before the commit (the bus calls it for the outermost transaction only)."""
    for entry in list(session.info.get(_OUTGOING, [])):
        _rt, message_id, ticket_id, actor = entry
        message = session.get(Message, message_id)
        if message is None or message.delivery_status != "queued":  # a savepoint undid it
            session.info[_OUTGOING].remove(entry)
            continue
        emit(session, MessageDeliveryChanged(actor=actor, ticket_id=ticket_id,
                                             message_id=message_id, status="queued"))


# SQLAlchemy also fires these for savepoints; only the real commit or rollback counts here.
# Registered after the event bus's own listener (tend.events is imported above), so it runs
# once every event of the commit has been published.
@sa_event.listens_for(Session, "after_commit")
def _start_sending(session: Session) -> None:
    if session.in_nested_transaction():
        return
    for rt, message_id, _ticket_id, _actor in session.info.pop(_OUTGOING, []):
        try:
            rt.jobs.enqueue(SEND_JOB, {"message_id": message_id})
        except Exception:  # the message stays queued, visibly; the commit stands
            log.exception("could not queue message %s for sending", message_id)


@sa_event.listens_for(Session, "after_rollback")
def _forget_sending(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_OUTGOING, None)


def _finish(rt: Runtime, message_id: int, status: str, error: str | None) -> None:
    """Record the outcome of a send, once: only a queued message changes."""
    with rt.db.write() as session:
        message = session.get(Message, message_id, with_for_update={"of": Message})
        if message is None or message.delivery_status != "queued":
            return
        message.delivery_status = status
        message.delivery_error = error[:1000] if error else None
        emit(session, MessageDeliveryChanged(
            actor=ActorRef.system(), ticket_id=message.ticket_id, message_id=message.id,
            status="sent" if status == "sent" else "failed", error=message.delivery_error))
    if status == "failed":
        log.warning("message %s was not delivered: %s", message_id, error)


def _reply_failed(rt: Runtime, payload: dict[str, Any], error: str) -> None:
    _finish(rt, int(payload["message_id"]), "failed", error)


@dataclass(frozen=True)
class Prepared:
    """A mail ready for the wire: the MIME message and its envelope."""

    smtp: smtp.SmtpConfig
    mail: EmailMessage
    mail_from: str
    recipients: list[str]


@job(SEND_JOB, retries=10, backoff_seconds=60.0, on_failure=_reply_failed)
def send_message(rt: Runtime, payload: dict[str, Any]) -> None:
    """Send one queued reply. Backoff 1, 2, 4 ... minutes: ten tries span about 17 hours."""
    message_id = int(payload["message_id"])
    try:
        prepared = prepare_reply(rt, message_id)
    except (Unsendable, compose.ComposeError, smtp.SmtpConfigError) as exc:
        _finish(rt, message_id, "failed", str(exc))
        return
    if prepared is None:
        return
    try:
        sent = smtp.send(prepared.smtp, prepared.mail, mail_from=prepared.mail_from,
                         recipients=prepared.recipients)
    except smtp.PermanentFailure as exc:
        _finish(rt, message_id, "failed", exc.reason)
        return
    # TemporaryFailure goes up: the job queue tries again later.
    refused = "; ".join(f"{rcpt}: {answer}" for rcpt, answer in sent.refused.items())
    _finish(rt, message_id, "sent", f"Not delivered to {refused}" if refused else None)


def prepare_reply(rt: Runtime, message_id: int) -> Prepared | None:
    """The mail for a queued reply; None when there is nothing to send (any more)."""
    secret = rt.settings.signing_key()
    with rt.db.read() as session:
        message = session.get(Message, message_id)
        if message is None or message.delivery_status != "queued":
            return None
        if message.visibility != "public":
            raise Unsendable("internal notes are never sent")
        ticket = message.ticket
        to = ticket.requester.email
        if not to:
            raise Unsendable("the requester has no email address")
        transport = transport_for(session, rt.settings, ticket)
        if transport is None:
            raise Unsendable("no mail transport is configured (an inbox SMTP server or "
                             "TEND_SMTP_URL)")
        if transport.smtp is None:
            raise Unsendable(transport.problem)
        ours = {a.lower() for a in session.scalars(select(Inbox.address))}
        ours.add(transport.sender.address.lower())
        ccs = [c for c in session.scalars(select(TicketCc.email).where(
                   TicketCc.ticket_id == ticket.id).order_by(TicketCc.email))
               if c.lower() != to.lower() and threading.base_address(c) not in ours]
        earlier = session.execute(select(Message.id, Message.external_id).where(
            Message.ticket_id == ticket.id, Message.id < message.id,
            Message.visibility == "public").order_by(Message.id)).all()
        refs = [ext for _id, ext in earlier if ext]
        files = [OutgoingFile(a.filename, a.content_type, _read_file(rt, a.sha256, a.filename),
                              a.inline, a.content_id) for a in message.attachments]
        out = Outgoing(
            sender=transport.sender,
            to=[Mailbox(to, ticket.requester.name)],
            cc=[Mailbox(c) for c in ccs],
            reply_to=_reply_to(secret, ticket.id, transport),
            subject=compose.reply_subject(ticket.subject, ticket.number, reply=bool(earlier)),
            text=message.body_text, html=message.body_html,
            message_id=message.external_id or threading.message_id_for(
                secret, ticket.id, message.id, transport.domain),
            date=utcnow(), in_reply_to=refs[-1] if refs else None, references=refs,
            files=files,
        )
    return Prepared(transport.smtp, compose.build(out), compose.envelope_address(out.sender),
                    [compose.envelope_address(m) for m in (*out.to, *out.cc)])


def _reply_to(secret: str, ticket_id: int, transport: Transport) -> Mailbox | None:
    if transport.inbox_address is None:
        return None  # TEND_MAIL_FROM may be a no-reply address: do not invent one beside it
    return Mailbox(threading.reply_address(secret, ticket_id, transport.inbox_address),
                   transport.sender.name)


def _read_file(rt: Runtime, sha256: str, filename: str) -> bytes:
    try:
        return rt.store.open(sha256)
    except (OSError, ValueError):
        raise Unsendable(f"the attachment {compose.clean_text(filename, 100)!r} is missing "
                         "from the file store") from None


# --- automatic mail: acknowledgements and notices ---------------------------------------------

def _deliver(transport: Transport, out: Outgoing, what: str) -> None:
    """Send an automatic mail; permanent trouble is logged (there is no message to mark)."""
    if transport.smtp is None:
        log.error("%s to %s not sent: %s", what, out.to[0].address, transport.problem)
        return
    try:
        mail = compose.build(out)
        sent = smtp.send(transport.smtp, mail, mail_from=compose.envelope_address(out.sender),
                         recipients=[compose.envelope_address(m) for m in out.to])
    except (compose.ComposeError, smtp.PermanentFailure) as exc:
        log.error("%s to %s not sent: %s", what, out.to[0].address, exc)
        return
    for rcpt, answer in sent.refused.items():
        log.error("%s to %s not sent: %s", what, rcpt, answer)


def _automatic_failed(what: str) -> FailureFn:
    def report(rt: Runtime, payload: dict[str, Any], error: str) -> None:
        log.error("%s to %s not sent after retries: %s", what, payload.get("to"), error)

    return report


@job(ACK_JOB, retries=6, backoff_seconds=60.0, on_failure=_automatic_failed("acknowledgement"))
def acknowledge(rt: Runtime, payload: dict[str, Any]) -> None:
    """Tell the sender of a new request by mail that it arrived, and its number.

    Intake decided the loop rules allow it (no answer to automatic mail, rate limits). The mail
    is `Auto-Submitted: auto-replied` and answers the customer's own mail (In-Reply-To).
    """
    secret = rt.settings.signing_key()
    with rt.db.read() as session:
        ticket = session.get(Ticket, int(payload["ticket_id"]))
        if ticket is None:
            return
        inbound_id = payload.get("inbound_id")
        inbound = session.get(InboundEmail, int(inbound_id)) if inbound_id else None
        transport = transport_for(session, rt.settings, ticket)
        if transport is None:
            log.warning("no mail transport: the acknowledgement of #%s was not sent",
                        ticket.number)
            return
        helpdesk = get_config(session).helpdesk_name
        parent = inbound.message_id_header if inbound is not None else None
        subject = (inbound.subject if inbound is not None and inbound.subject
                   else ticket.subject)
        out = Outgoing(
            sender=transport.sender, to=[Mailbox(str(payload["to"]))],
            reply_to=_reply_to(secret, ticket.id, transport),
            subject=compose.reply_subject(subject, ticket.number),
            text=compose.acknowledgement_text(helpdesk=helpdesk, number=ticket.number,
                                              portal_url=f"{rt.settings.public_url}/portal"),
            # Message 0: an id carrying the ticket's token that names no message, so a bounce
            # of the acknowledgement marks no reply as failed.
            message_id=threading.message_id_for(secret, ticket.id, 0, transport.domain),
            date=utcnow(), in_reply_to=parent, references=[parent] if parent else [],
            headers=loops.automatic_headers("auto-replied"),
        )
    _deliver(transport, out, "acknowledgement")


@job(NOTICE_JOB, retries=6, backoff_seconds=30.0, on_failure=_automatic_failed("notice"))
def send_notice(rt: Runtime, payload: dict[str, Any]) -> None:
    """Mail a notice (sign-in link, request received, password changed) to a customer."""
    with rt.db.read() as session:
        transport = transport_for(session, rt.settings, None)
    if transport is None:
        log.warning("no mail transport any more: a notice to a customer was not sent")
        return
    out = Outgoing(
        sender=transport.sender, to=[Mailbox(str(payload["to"]))],
        subject=str(payload["subject"]), text=str(payload["body"]),
        message_id=f"tend.notice.{token_hex(10)}@{transport.domain}", date=utcnow(),
        headers=loops.automatic_headers("auto-generated"),
    )
    _deliver(transport, out, "notice")


def queue_notice(rt: Runtime, notice: Notice) -> bool:
    """The mail outbox's sender: queue `notice` as mail; False when no transport exists.

    The payload holds the notice's text, sign-in link included, in the job queue until it is
    sent (the queue lives beside the database, under the same protection).
    """
    with rt.db.read() as session:
        if transport_for(session, rt.settings, None) is None:
            return False
    rt.jobs.enqueue(NOTICE_JOB, {"to": notice.to, "subject": notice.subject,
                                 "body": notice.body})
    return True


def install(rt: Runtime) -> None:
    """Subscribe to replies and connect the mail outbox (called by `runtime.build`)."""

    def queue_reply(session: Session, evt: Event) -> None:
        _queue_reply(rt, session, evt)

    def mail_notice(notice: Notice) -> bool:
        return queue_notice(rt, notice)

    rt.bus.subscribe_in_transaction(MessageCreated.name, queue_reply)
    rt.bus.subscribe_before_commit(_announce_queued)
    if isinstance(rt.outbox, MailOutbox):
        rt.outbox.connect(mail_notice)

