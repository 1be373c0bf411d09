"""API input and output shapes for inboxes and stored mail (separate from the tables).

Passwords are write-only: inputs take them, outputs only say whether one is set.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from tend.channels.email.models import InboundEmail, Inbox
from tend.ids import MAX_ID

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Host = Annotated[str, StringConstraints(strip_whitespace=True, max_length=253)]
Port = Annotated[int, Field(ge=1, le=65535)]
Security = Literal["tls", "starttls", "none"]
Username = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
Folder = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
TeamId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InboxCreate(Strict):
    name: Name
    address: EmailStr = Field(max_length=254)
    from_name: str = Field(default="", max_length=200)
    team_id: TeamId | None = None
    active: bool = True
    send_acknowledgement: bool = False
    smtp_host: Host | None = Field(default=None, description="None: the instance's default "
                                                              "SMTP server.")
    smtp_port: Port = 587
    smtp_security: Security = "starttls"
    smtp_username: Username | None = None
    smtp_password: Password | None = Field(default=None, description="Write-only.")
    imap_host: Host | None = Field(default=None, description="None: no IMAP fetching.")
    imap_port: Port = 993
    imap_security: Security = "tls"
    imap_username: Username | None = None
    imap_password: Password | None = Field(default=None, description="Write-only.")
    imap_folder: Folder = "INBOX"
    imap_archive_folder: Folder | None = Field(
        default=None, description="Fetched mail moves here; None flags it \\Seen instead.")


class InboxUpdate(Strict):
    name: Name | None = None
    address: EmailStr | None = Field(default=None, max_length=254)
    from_name: str | None = Field(default=None, max_length=200)
    team_id: TeamId | None = None
    active: bool | None = None
    send_acknowledgement: bool | None = None
    smtp_host: Host | None = None
    smtp_port: Port | None = None
    smtp_security: Security | None = None
    smtp_username: Username | None = None
    smtp_password: Password | None = Field(default=None, description="Write-only; null "
                                                                      "removes it.")
    imap_host: Host | None = None
    imap_port: Port | None = None
    imap_security: Security | None = None
    imap_username: Username | None = None
    imap_password: Password | None = Field(default=None, description="Write-only; null "
                                                                      "removes it.")
    imap_folder: Folder | None = None
    imap_archive_folder: Folder | None = None

    NULLABLE: ClassVar[tuple[str, ...]] = (
        "team_id", "smtp_host", "smtp_username", "smtp_password", "imap_host", "imap_username",
        "imap_password", "imap_archive_folder")


class InboxOut(BaseModel):
    id: int
    name: str
    address: str
    from_name: str
    team_id: int | None
    active: bool
    send_acknowledgement: bool
    smtp_host: str | None
    smtp_port: int
    smtp_security: str
    smtp_username: str | None
    smtp_password_set: bool
    imap_host: str | None
    imap_port: int
    imap_security: str
    imap_username: str | None
    imap_password_set: bool
    imap_folder: str
    imap_archive_folder: str | None
    created_at: datetime

    @classmethod
    def of(cls, i: Inbox) -> InboxOut:
        return cls(
            id=i.id, name=i.name, address=i.address, from_name=i.from_name, team_id=i.team_id,
            active=i.active, send_acknowledgement=i.send_acknowledgement,
            smtp_host=i.smtp_host, smtp_port=i.smtp_port, smtp_security=i.smtp_security,
            smtp_username=i.smtp_username, smtp_password_set=i.smtp_password is not None,
            imap_host=i.imap_host, imap_port=i.imap_port, imap_security=i.imap_security,
            imap_username=i.imap_username, imap_password_set=i.imap_password is not None,
            imap_folder=i.imap_folder, imap_archive_folder=i.imap_archive_folder,
            created_at=i.created_at)


class InboxList(BaseModel):
    items: list[InboxOut]


class HeaderOut(BaseModel):
    name: str
    value: str


class MailOut(BaseModel):
    id: int
    status: str
    reason: str | None
    outcome: str | None
    inbox_id: int | None
    source: str
    from_email: str | None
    subject: str
    message_id_header: str | None
    size: int
    envelope_from: str | None
    envelope_to: list[str]
    client_ip: str | None
    ticket_id: int | None
    message_id: int | None
    attempts: int
    received_at: datetime
    processed_at: datetime | None

    @classmethod
    def of(cls, m: InboundEmail) -> MailOut:
        return cls(
            id=m.id, status=m.status, reason=m.reason, outcome=m.outcome, inbox_id=m.inbox_id,
            source=m.source, from_email=m.from_email, subject=m.subject,
            message_id_header=m.message_id_header, size=m.size, envelope_from=m.envelope_from,
            envelope_to=[a for a in (m.envelope_to or "").split(",") if a],
            client_ip=m.client_ip, ticket_id=m.ticket_id, message_id=m.message_id,
            attempts=m.attempts, received_at=m.received_at, processed_at=m.processed_at)


class MailDetail(MailOut):
    headers: list[HeaderOut] = Field(description="The header fields as received (unfolded).")


class MailPage(BaseModel):
    items: list[MailOut]
    next_cursor: str | None
