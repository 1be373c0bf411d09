"""Reading inboxes and stored mail, with the access check built in.

Inboxes (their credentials) and the stored mail are for admins (`channels.write`); the raw mail
behind a ticket message is also for the agents who may see that ticket (`can_see_raw_mail`).
Lists never load the raw bytes: a page of mail could otherwise weigh hundreds of megabytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, defer

from tend.access import Actor, NotFound, Permission, can_see_message, can_see_raw_mail, require
from tend.channels.email.models import MAIL_STATUSES, InboundEmail, Inbox
from tend.tickets.models import Message

_HEAD_LIMIT = 64 * 1024  # headers past this are not shown (the download has them all)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # shown as U+FFFD, never passed on


# --- inboxes ------------------------------------------------------------------------------------

def inboxes_query(actor: Actor) -> Select[Inbox]:
    require(actor, Permission.CHANNELS_WRITE)
    return select(Inbox).order_by(Inbox.name, Inbox.id)


def access_inbox(session: Session, actor: Actor, inbox_id: int) -> Inbox:
    require(actor, Permission.CHANNELS_WRITE)
    inbox = session.get(Inbox, inbox_id)
    if inbox is None:
        raise NotFound(f"Inbox {inbox_id} was not found.")
    return inbox


# --- stored mail (the quarantine and the rest) --------------------------------------------------

def mail_query(actor: Actor, status: str | None = None) -> Select[InboundEmail]:
    """Stored mails without their raw bytes, optionally of one status."""
    require(actor, Permission.CHANNELS_WRITE)
    stmt = select(InboundEmail).options(defer(InboundEmail.raw))
    if status is not None:
        if status not in MAIL_STATUSES:
            raise ValueError(f"status: use one of {', '.join(MAIL_STATUSES)}")
        stmt = stmt.where(InboundEmail.status == status)
    return stmt


@dataclass(frozen=True)
class MailPage:
    items: list[InboundEmail]
    older: int | None  # pass as `before` for the next page, newest first


def newest_mail(session: Session, actor: Actor, status: str, *, before: int | None = None,
                limit: int = 50) -> MailPage:
    """A page of stored mail, newest first (the admin list)."""
    stmt = mail_query(actor, status)
    if before is not None:
        stmt = stmt.where(InboundEmail.id < before)
    rows = list(session.scalars(stmt.order_by(InboundEmail.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return MailPage(rows, rows[-1].id if more and rows else None)


def mail_counts(session: Session, actor: Actor) -> dict[str, int]:
    require(actor, Permission.CHANNELS_WRITE)
    rows = session.execute(select(InboundEmail.status, func.count())
                           .group_by(InboundEmail.status))
    found = {status: int(count) for status, count in rows}
    return {s: found.get(s, 0) for s in MAIL_STATUSES}


def access_mail(session: Session, actor: Actor, inbound_id: int, *,
                with_raw: bool = True) -> InboundEmail:
    """One stored mail; its raw bytes (possibly megabytes) only when `with_raw`."""
    require(actor, Permission.CHANNELS_WRITE)
    row = session.get(InboundEmail, inbound_id,
                      options=[] if with_raw else [defer(InboundEmail.raw)])
    if row is None:
        raise NotFound(f"Stored mail {inbound_id} was not found.")
    return row


def raw_headers(raw: bytes) -> list[tuple[str, str]]:
    """The header fields of a raw mail as (name, value), unfolded, exactly as received.

    Deliberately not a MIME parse: this shows what the sender wrote, even for mail the parser
    refused, and costs one pass over at most the first 64 KiB.
    """
    head = raw[:_HEAD_LIMIT].replace(b"\r\n", b"\n")
    head = head.split(b"\n\n", 1)[0]
    fields: list[tuple[str, str]] = []
    text = _CONTROL.sub("\ufffd", head.decode("utf-8", "replace"))
    for line in text.split("\n"):
        if line[:1] in (" ", "\t") and fields:
            name, value = fields[-1]
            fields[-1] = (name, f"{value} {line.strip()}")
        elif ":" in line:
            name, _, value = line.partition(":")
            fields.append((name.strip(), value.strip()))
        elif line.strip():
            fields.append(("", line.strip()))  # not a header line: shown as it is
    return fields


# --- the original mail of a ticket message -------------------------------------------------------

def mails_behind(session: Session, message_ids: Iterable[int]) -> set[int]:
    """Which of these messages came from a stored mail (they get an "original" link)."""
    ids = sorted(set(message_ids))
    if not ids:
        return set()
    return set(session.scalars(select(InboundEmail.message_id).where(
        InboundEmail.message_id.in_(ids))))


def access_original(session: Session, actor: Actor, message_id: int) -> InboundEmail:
    """The mail a message was made from, for those who may see it (else NotFound)."""
    message = session.get(Message, message_id)
    if message is None or not can_see_message(actor, message, message.ticket) \
            or not can_see_raw_mail(actor, message.ticket):
        raise NotFound(f"Message {message_id} was not found.")
    row = session.scalar(select(InboundEmail).where(InboundEmail.message_id == message_id)
                         .order_by(InboundEmail.id).limit(1))
    if row is None:
        raise NotFound(f"Message {message_id} did not come by email.")
    return row
