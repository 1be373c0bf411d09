"""Receiving mail: store the raw bytes first, then turn them into a ticket or a message.

Every intake path (IMAP, the SMTP/LMTP listener, `tend mail ingest`) calls `receive()`:

1. `store()` commits the raw mail as an `InboundEmail` row, or recognises it as already stored
   (same mailbox + UID, or the same content hash). After this, nothing can lose it.
2. `process()` parses it (under a hard time limit), checks the sender, threads it and writes
   the ticket or message, all in one transaction that also marks the row `processed`. If
   anything fails, the row is `quarantined` with the reason and the next mail goes on.

Only after `receive()` returns may an adapter acknowledge the mail to its source (IMAP flag or
move, SMTP `250`). A crash between the two leaves a stored row that `process_pending()` finishes
on the next start, and a source that offers the mail again is told it is a duplicate.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.header import decode_header, make_header
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from tend.access import SYSTEM, AgentActor, Permission, require
from tend.channels.email.models import InboundEmail
from tend.channels.email.parse import ParsedEmail, ParseError
from tend.channels.email.sandbox import ParseSandbox
from tend.db import utcnow
from tend.events import emit
from tend.events.catalog import InboundQuarantined

if TYPE_CHECKING:
    from tend.runtime import Runtime

log = logging.getLogger("tend.email.intake")

SOURCES = ("imap", "smtp", "lmtp", "pipe")

# Trace headers differ between two deliveries of the same mail (another relay, another
# mailbox); everything else is the mail itself.
_TRACE = re.compile(
    rb"^(received|return-path|delivered-to|x-original-to|envelope-to|x-envelope-to|"
    rb"authentication-results|arc-[a-z-]+|x-received|received-spf|x-spam-[a-z-]+|"
    rb"x-virus-[a-z-]+|x-gm-[a-z-]+|x-google-[a-z-]+|x-ms-exchange-[a-z-]+|dkim-filter)\s*:",
    re.IGNORECASE,
)


class MailTooLarge(ValueError):
    """The mail is larger than TEND_MAIL_MAX_BYTES; the adapter refuses it at its source."""


def content_hash(raw: bytes) -> str:
    """A hash of the mail without its trace headers: the same mail delivered twice (by two
    routes, or fetched again) hashes the same; two mails reusing one Message-ID do not."""
    raw = raw.replace(b"\r\n", b"\n")
    head, sep, body = raw.partition(b"\n\n")
    kept: list[bytes] = []
    skipping = False
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if not skipping:
                kept.append(line)
            continue
        skipping = _TRACE.match(line) is not None
        if not skipping:
            kept.append(line)
    digest = hashlib.sha256()
    digest.update(b"\n".join(kept))
    digest.update(sep)
    digest.update(body.rstrip(b"\n"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Envelope:
    """What the transport knows beyond the mail itself."""

    source: str
    inbox_id: int | None = None
    mailbox: str | None = None
    uid: str | None = None
    mail_from: str | None = None
    rcpt_to: Sequence[str] = ()
    client_ip: str | None = None
    helo: str | None = None


@dataclass(frozen=True)
class Received:
    inbound_id: int
    status: str
    duplicate: bool = False
    ticket_id: int | None = None


def _sandbox(rt: Runtime) -> ParseSandbox:
    box = rt.extras.get("email.sandbox")
    if not isinstance(box, ParseSandbox):
        s = rt.settings
        box = ParseSandbox(timeout=s.mail_parse_timeout_seconds,
                           isolate_bytes=s.mail_isolate_bytes, max_bytes=s.mail_max_bytes)
        rt.extras["email.sandbox"] = box
    return box


def _find_duplicate(rt: Runtime, envelope: Envelope, digest: str) -> Received | None:
    columns = (InboundEmail.id, InboundEmail.status, InboundEmail.ticket_id)
    with rt.db.read() as session:
        found = None
        if envelope.uid is not None:
            found = session.execute(select(*columns).where(
                InboundEmail.inbox_id == envelope.inbox_id,
                InboundEmail.mailbox == envelope.mailbox, InboundEmail.uid == envelope.uid)).first()
        if found is None:
            found = session.execute(select(*columns).where(
                InboundEmail.content_hash == digest, InboundEmail.status != "discarded",
            ).order_by(InboundEmail.id).limit(1)).first()
    if found is None:
        return None
    return Received(found.id, found.status, duplicate=True, ticket_id=found.ticket_id)


def store(rt: Runtime, raw: bytes, envelope: Envelope) -> Received:
    """Commit the raw mail (or find it already stored). Raises MailTooLarge."""
    if envelope.source not in SOURCES:
        raise ValueError(f"unknown mail source {envelope.source!r}")
    if len(raw) > rt.settings.mail_max_bytes:
        raise MailTooLarge(
            f"the mail is {len(raw)} bytes; at most {rt.settings.mail_max_bytes} are accepted")
    digest = content_hash(raw)
    found = _find_duplicate(rt, envelope, digest)
    if found is not None:
        return found
    row = InboundEmail(
        inbox_id=envelope.inbox_id, source=envelope.source, mailbox=envelope.mailbox,
        uid=envelope.uid, content_hash=digest, size=len(raw), raw=raw,
        envelope_from=(envelope.mail_from or "")[:320] or None,
        envelope_to=",".join(envelope.rcpt_to)[:10_000] or None,
        client_ip=envelope.client_ip, helo=(envelope.helo or "")[:253] or None,
        subject=_peek_subject(raw),
    )
    try:
        with rt.db.write() as session:
            session.add(row)
    except IntegrityError:  # another process stored the same mailbox + UID a moment ago
        found = _find_duplicate(rt, envelope, digest)
        if found is None:
            raise
        return found
    return Received(row.id, row.status)


_SUBJECT = re.compile(rb"^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)


def _peek_subject(raw: bytes) -> str:
    """The subject as a hint for the quarantine list, before (or without) a full parse."""
    head = raw[:65536].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    m = _SUBJECT.search(head)
    if m is None:
        return ""
    text = m.group(1).decode("utf-8", "replace")
    # =?utf-8?q?...?= words as a mail client shows them; a hint only, so a bad one stays.
    with contextlib.suppress(ValueError, LookupError, UnicodeError):
        text = str(make_header(decode_header(text)))
    return " ".join(text.split())[:250]


# A mail left at its source for its size is listed under its UID plus this suffix: once, and
# without taking the UID the whole mail gets if the limit is raised later.
_TOO_LARGE = ":big"


def _too_large_uid(envelope: Envelope) -> str:
    return f"{envelope.uid}{_TOO_LARGE}"


def listed_too_large(rt: Runtime, envelope: Envelope) -> bool:
    with rt.db.read() as session:
        return session.scalar(select(InboundEmail.id).where(
            InboundEmail.inbox_id == envelope.inbox_id, InboundEmail.mailbox == envelope.mailbox,
            InboundEmail.uid == _too_large_uid(envelope))) is not None


def record_too_large(rt: Runtime, headers: bytes, size: int, envelope: Envelope,
                     where: str) -> str:
    """List a mail too large to take in, by its headers, in the quarantine (it cannot be
    re-processed from them: the mail itself stays at its source, `where`). Returns the reason."""
    reason = (f"too large: {size} bytes (at most {rt.settings.mail_max_bytes} are accepted); "
              f"{where}")
    try:
        with rt.db.write() as session:
            row = InboundEmail(
                inbox_id=envelope.inbox_id, source=envelope.source, mailbox=envelope.mailbox,
                uid=_too_large_uid(envelope),
                content_hash=hashlib.sha256(b"too large\n" + headers).hexdigest(), size=size,
                raw=headers, status="quarantined", reason=reason,
                subject=_peek_subject(headers), processed_at=utcnow())
            session.add(row)
            session.flush()
            emit(session, InboundQuarantined(actor=SYSTEM.ref, inbound_id=row.id,
                                             reason=reason))
    except IntegrityError:  # another fetcher listed it a moment ago
        pass
    return reason


def receive(rt: Runtime, raw: bytes, envelope: Envelope) -> Received:
    """Store, then process: the one entry point of every intake adapter."""
    stored = store(rt, raw, envelope)
    if stored.status != "received":
        return stored
    return process(rt, stored.inbound_id, raw=raw)


def process(rt: Runtime, inbound_id: int, *, release: bool = False,
            raw: bytes | None = None) -> Received:
    """Turn a stored mail into a ticket or a message; quarantine it if that fails.

    `release`: an admin vouches for a quarantined mail (e.g. a failed DMARC check of a sender
    they know), so sender authentication is not held against it. `raw`: the stored bytes,
    when the caller has them at hand.
    """
    from tend.channels.email import route

    if raw is None:
        with rt.db.read() as session:
            raw = session.scalar(select(InboundEmail.raw).where(InboundEmail.id == inbound_id))
            if raw is None:
                raise LookupError(f"no stored mail {inbound_id}")
    try:
        mail: ParsedEmail | None = _sandbox(rt).parse(raw)
        problem = None
    except ParseError as exc:
        mail, problem = None, f"cannot parse: {exc}"
    except Exception as exc:  # a parser bug must not stop intake; the mail waits, whole
        log.exception("parser failed on stored mail %s", inbound_id)
        mail, problem = None, f"cannot parse: {type(exc).__name__}: {exc}"
    if mail is None:
        return _quarantine(rt, inbound_id, problem or "cannot parse")
    try:
        with rt.db.write() as session:
            row = _locked(session, inbound_id)
            if row is None or (row.status != "received" and not release):
                # Someone else processed it meanwhile (a second fetcher, a restart).
                return Received(inbound_id, row.status if row else "missing", duplicate=True)
            after = route.apply(rt, session, row, raw, mail, release=release)
        after.run(rt)
        return Received(inbound_id, after.status, ticket_id=after.ticket_id)
    except Exception as exc:  # quarantine and go on: one bad mail never blocks the rest
        log.exception("processing stored mail %s failed", inbound_id)
        return _quarantine(rt, inbound_id, f"cannot process: {type(exc).__name__}: {exc}")


def _locked(session: Session, inbound_id: int) -> InboundEmail | None:
    """The stored mail's row, locked for this transaction, without its raw bytes."""
    return session.scalar(select(InboundEmail).where(InboundEmail.id == inbound_id)
                          .options(defer(InboundEmail.raw)).with_for_update())


def _quarantine(rt: Runtime, inbound_id: int, reason: str) -> Received:
    with rt.db.write() as session:
        row = _locked(session, inbound_id)
        if row is None:
            raise LookupError(f"no stored mail {inbound_id}")
        row.status, row.reason = "quarantined", reason[:2000]
        row.attempts += 1
        row.processed_at = utcnow()
        emit(session, InboundQuarantined(actor=SYSTEM.ref, inbound_id=inbound_id,
                                         reason=row.reason))
    log.warning("mail %s quarantined: %s", inbound_id, reason)
    return Received(inbound_id, "quarantined")


def process_pending(rt: Runtime, *, batch: int = 1000) -> int:
    """Finish every mail stored but not processed (a crash between the two steps), oldest
    first. Returns how many. Adapters call it when they start."""
    total, after = 0, 0
    while True:
        with rt.db.read() as session:
            ids = list(session.scalars(select(InboundEmail.id).where(
                InboundEmail.status == "received", InboundEmail.id > after,
            ).order_by(InboundEmail.id).limit(batch)))
        for inbound_id in ids:
            process(rt, inbound_id)
        total += len(ids)
        if len(ids) < batch:
            return total
        after = ids[-1]


# --- the quarantine, for admins -----------------------------------------------------------------

def reprocess(rt: Runtime, actor: AgentActor, inbound_id: int) -> Received:
    """Try a quarantined mail again (after a fix, or once DNS answers again)."""
    require(actor, Permission.CHANNELS_WRITE)
    _reset(rt, inbound_id)
    return process(rt, inbound_id)


def release(rt: Runtime, actor: AgentActor, inbound_id: int) -> Received:
    """Accept a quarantined mail although its sender failed authentication."""
    require(actor, Permission.CHANNELS_WRITE)
    _reset(rt, inbound_id)
    return process(rt, inbound_id, release=True)


def discard(rt: Runtime, actor: AgentActor, inbound_ids: Iterable[int]) -> int:
    """Mark quarantined mails as thrown away (their raw bytes stay until purged)."""
    require(actor, Permission.CHANNELS_WRITE)
    count = 0
    with rt.db.write() as session:
        for row in session.scalars(select(InboundEmail).options(defer(InboundEmail.raw)).where(
                InboundEmail.id.in_(list(inbound_ids)), InboundEmail.status == "quarantined")):
            row.status = "discarded"
            count += 1
    return count


def _reset(rt: Runtime, inbound_id: int) -> None:
    with rt.db.write() as session:
        row = _locked(session, inbound_id)
        if row is None:
            raise LookupError(f"no stored mail {inbound_id}")
        if row.status != "quarantined":
            raise ValueError(f"mail {inbound_id} is {row.status}, not quarantined")
        if row.uid is not None and row.uid.endswith(_TOO_LARGE):
            # Only its headers are here; the whole mail waits on the IMAP server.
            raise ValueError(f"mail {inbound_id} is too large and was left on the IMAP server;"
                             " raise TEND_MAIL_MAX_BYTES and the fetcher takes it in")
        row.status, row.reason = "received", None
