"""Email tables: inboxes (the addresses customers write to) and every raw mail received.

The raw bytes of each mail are stored first, before anything else happens to it, so that a
crash, a parser bug or a database error never loses one: an `InboundEmail` row is the mail.
Processing turns it into a ticket or a message and records the outcome on the row; a mail that
cannot be processed stays here, `quarantined`, until an admin re-processes or releases it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tend.db import Base, utcnow

SECURITY_MODES = ("tls", "starttls", "none")
MailStatus = Literal["quarantined", "received", "processed", "discarded"]
MAIL_STATUSES: tuple[MailStatus, ...] = get_args(MailStatus)


class Inbox(Base):
    """An address customers write to (support@, billing@), tied to the team that answers it.

    Outgoing mail goes through the inbox's SMTP server (or the instance's default when unset);
    incoming mail arrives by IMAP (when `imap_host` is set), by pipe or by the SMTP listener.
    Passwords are stored encrypted with the instance's secret (`channels.email.secrets`).
    """

    __tablename__ = "inboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(254), unique=True)
    from_name: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), default=None
    )
    active: Mapped[bool] = mapped_column(default=True)
    send_acknowledgement: Mapped[bool] = mapped_column(default=False)

    smtp_host: Mapped[str | None] = mapped_column(String(253), default=None)
    smtp_port: Mapped[int] = mapped_column(default=587)
    smtp_security: Mapped[str] = mapped_column(String(10), default="starttls")
    smtp_username: Mapped[str | None] = mapped_column(String(254), default=None)
    smtp_password: Mapped[str | None] = mapped_column(Text, default=None)

    imap_host: Mapped[str | None] = mapped_column(String(253), default=None)
    imap_port: Mapped[int] = mapped_column(default=993)
    imap_security: Mapped[str] = mapped_column(String(10), default="tls")
    imap_username: Mapped[str | None] = mapped_column(String(254), default=None)
    imap_password: Mapped[str | None] = mapped_column(Text, default=None)
    imap_folder: Mapped[str] = mapped_column(String(200), default="INBOX")
    # Where fetched mail is moved after it is safely stored; None flags it \Seen instead.
    imap_archive_folder: Mapped[str | None] = mapped_column(String(200), default=None)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboundEmail(Base):
    """One received mail, raw, with what became of it.

    `status`: received (stored, not yet processed), processed, quarantined (kept for an admin:
    `reason` says why), discarded (an admin threw it away). `outcome` records how processing
    threaded it (new, token, references, subject, follow_up, bounce, duplicate).
    """

    __tablename__ = "inbound_emails"
    __table_args__ = (
        UniqueConstraint("inbox_id", "mailbox", "uid", name="uq_inbound_mailbox_uid"),
        Index("ix_inbound_status", "status", "id"),
        Index("ix_inbound_hash", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("inboxes.id", ondelete="SET NULL"), default=None
    )
    source: Mapped[str] = mapped_column(String(10))  # imap, smtp, lmtp, pipe
    mailbox: Mapped[str | None] = mapped_column(String(200), default=None)
    uid: Mapped[str | None] = mapped_column(String(40), default=None)  # "uidvalidity:uid"
    content_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    envelope_from: Mapped[str | None] = mapped_column(String(320), default=None)
    envelope_to: Mapped[str | None] = mapped_column(Text, default=None)  # comma-separated
    client_ip: Mapped[str | None] = mapped_column(String(45), default=None)
    helo: Mapped[str | None] = mapped_column(String(253), default=None)

    status: Mapped[str] = mapped_column(String(12), default="received")
    outcome: Mapped[str | None] = mapped_column(String(20), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    from_email: Mapped[str | None] = mapped_column(String(320), default=None)
    subject: Mapped[str] = mapped_column(String(250), default="")
    message_id_header: Mapped[str | None] = mapped_column(String(250), default=None)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), default=None
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), default=None
    )
    attempts: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(default=None)


class TicketCc(Base):
    """An address copied on a ticket's mail: a participant, who may reply into the ticket."""

    __tablename__ = "ticket_ccs"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(320), primary_key=True)
