"""Creating and changing inboxes (admins only): checked values, sealed passwords, audit events.

Every value is checked here, whatever sent it (the admin form, the API), so an inbox row always
holds something the IMAP fetcher and the SMTP sender can use. Passwords are write-only: they are
sealed before they reach the row (`secrets.seal`) and events show them as "***".
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tend.access import Actor, Permission, require
from tend.agents.models import Team
from tend.channels.email.models import SECURITY_MODES, Inbox
from tend.channels.email.secrets import seal
from tend.customers.rules import IdentityError, normalize_email
from tend.events import emit
from tend.events.catalog import InboxCreated, InboxUpdated

if TYPE_CHECKING:
    from tend.settings import Settings

PASSWORDS = ("smtp_password", "imap_password")
# Every field an admin sets, in the order forms and errors name them.
FIELDS = ("name", "address", "from_name", "team_id", "active", "send_acknowledgement",
          "smtp_host", "smtp_port", "smtp_security", "smtp_username", "smtp_password",
          "imap_host", "imap_port", "imap_security", "imap_username", "imap_password",
          "imap_folder", "imap_archive_folder")
LABELS = {"name": "Name", "address": "Address", "from_name": "Sender name", "team_id": "Team",
          "active": "Active", "send_acknowledgement": "Acknowledgement",
          "smtp_host": "SMTP server", "smtp_port": "SMTP port", "smtp_security": "SMTP security",
          "smtp_username": "SMTP user name", "smtp_password": "SMTP password",
          "imap_host": "IMAP server", "imap_port": "IMAP port", "imap_security": "IMAP security",
          "imap_username": "IMAP user name", "imap_password": "IMAP password",
          "imap_folder": "IMAP folder", "imap_archive_folder": "IMAP archive folder"}
DEFAULTS: dict[str, Any] = {
    "from_name": "", "team_id": None, "active": True, "send_acknowledgement": False,
    "smtp_host": None, "smtp_port": 587, "smtp_security": "starttls", "smtp_username": None,
    "smtp_password": None, "imap_host": None, "imap_port": 993, "imap_security": "tls",
    "imap_username": None, "imap_password": None, "imap_folder": "INBOX",
    "imap_archive_folder": None,
}
LIMITS = {"name": 100, "from_name": 200, "smtp_host": 253, "imap_host": 253,
          "smtp_username": 254, "imap_username": 254, "smtp_password": 1000,
          "imap_password": 1000, "imap_folder": 200, "imap_archive_folder": 200}
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
                   r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InboxError(ValueError):
    """An inbox setting that cannot be saved (shown next to the form; HTTP 422)."""


class InboxConflict(InboxError):
    """Another inbox already has this address (HTTP 409)."""


# --- checking values (pure) ---------------------------------------------------------------------

def _text(key: str, value: Any, *, optional: bool) -> str | None:
    label = LABELS[key]
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InboxError(f"{label} must be text.")
    text = value.strip()
    if not text:
        if optional:
            return None
        raise InboxError(f"{label} is required.")
    if len(text) > LIMITS[key]:
        raise InboxError(f"{label} may have at most {LIMITS[key]} characters.")
    if _CONTROL.search(text):
        raise InboxError(f"{label} may not contain line breaks or control characters.")
    return text


def _host(key: str, value: Any) -> str | None:
    host = _text(key, value, optional=True)
    if host is None:
        return None
    host = host.lower()
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host.strip("[]")
    except ValueError:
        pass
    if not _HOST.match(host):
        raise InboxError(f"{LABELS[key]}: '{host[:60]}' is not a host name (e.g. "
                         "mail.example.com) or an IP address.")
    return host.rstrip(".")


def _port(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InboxError(f"{LABELS[key]} must be a number.")
    if not 1 <= value <= 65535:
        raise InboxError(f"{LABELS[key]} must be between 1 and 65535.")
    return value


def _password(key: str, value: Any) -> str | None:
    """None clears the password; otherwise it is kept exactly as typed (spaces included)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise InboxError(f"{LABELS[key]} must be text.")
    if len(value) > LIMITS[key]:
        raise InboxError(f"{LABELS[key]} may have at most {LIMITS[key]} characters.")
    if _CONTROL.search(value):
        raise InboxError(f"{LABELS[key]} may not contain line breaks or control characters.")
    return value


def check_value(key: str, value: Any) -> Any:
    """One field, normalised (address lower-case, hosts lower-case, blanks → None)."""
    if key == "name":
        return _text(key, value, optional=False)
    if key == "address":
        if not isinstance(value, str) or len(value.strip()) > 254:
            raise InboxError("Address must be an email address of at most 254 characters.")
        try:
            return normalize_email(value)
        except IdentityError as exc:
            raise InboxError(f"Address: {exc}") from None
    if key == "from_name":
        return _text(key, value, optional=True) or ""
    if key == "team_id":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InboxError("Team must be a team id.")
        return value
    if key in ("active", "send_acknowledgement"):
        if not isinstance(value, bool):
            raise InboxError(f"{LABELS[key]} must be true or false.")
        return value
    if key in ("smtp_host", "imap_host"):
        return _host(key, value)
    if key in ("smtp_port", "imap_port"):
        return _port(key, value)
    if key in ("smtp_security", "imap_security"):
        if value not in SECURITY_MODES:
            raise InboxError(f"{LABELS[key]} must be one of: {', '.join(SECURITY_MODES)}.")
        return value
    if key in ("smtp_username", "imap_username", "imap_archive_folder"):
        return _text(key, value, optional=True)
    if key == "imap_folder":
        return _text(key, value, optional=False)
    if key in PASSWORDS:
        return _password(key, value)
    raise InboxError(f"{key}: not an inbox setting.")


def _check_together(values: Mapping[str, Any]) -> None:
    if values.get("imap_host") and not values.get("imap_username"):
        raise InboxError("IMAP user name is required to fetch mail from an IMAP server.")


# --- actions ------------------------------------------------------------------------------------

def _check_team(session: Session, team_id: int | None) -> None:
    if team_id is not None and session.get(Team, team_id) is None:
        raise InboxError(f"Team: unknown team id {team_id}.")


def _check_unique(session: Session, address: str, inbox_id: int | None) -> None:
    other = session.scalar(select(Inbox.id).where(Inbox.address == address))
    if other is not None and other != inbox_id:
        raise InboxConflict(f"Another inbox already uses the address {address}.")


def create_inbox(session: Session, actor: Actor, settings: Settings,
                 values: Mapping[str, Any]) -> Inbox:
    """`values` needs name and address; anything left out takes its default."""
    require(actor, Permission.CHANNELS_WRITE)
    for key in ("name", "address"):
        if key not in values:
            raise InboxError(f"{LABELS[key]} is required.")
    clean = {**DEFAULTS, **{key: check_value(key, value) for key, value in values.items()}}
    _check_together(clean)
    _check_team(session, clean["team_id"])
    _check_unique(session, clean["address"], None)
    for key in PASSWORDS:
        if clean[key] is not None:
            clean[key] = seal(settings, clean[key])
    inbox = Inbox(**clean)
    session.add(inbox)
    session.flush()
    emit(session, InboxCreated(actor=actor.ref, inbox_id=inbox.id, address=inbox.address))
    return inbox


def update_inbox(session: Session, actor: Actor, settings: Settings, inbox: Inbox,
                 changes: Mapping[str, Any]) -> Inbox:
    """Apply `changes` (only the fields given). A password of None clears it."""
    require(actor, Permission.CHANNELS_WRITE)
    clean = {key: check_value(key, value) for key, value in changes.items()}
    merged = {key: getattr(inbox, key) for key in FIELDS} | clean
    _check_together(merged)
    if "team_id" in clean and clean["team_id"] != inbox.team_id:
        _check_team(session, clean["team_id"])
    if "address" in clean:
        _check_unique(session, clean["address"], inbox.id)
    diff: dict[str, tuple[Any, Any]] = {}
    for key, value in clean.items():
        before = getattr(inbox, key)
        if key in PASSWORDS:
            if value is None and before is None:
                continue
            diff[key] = ("***" if before is not None else None,
                         "***" if value is not None else None)
            setattr(inbox, key, seal(settings, value) if value is not None else None)
        elif value != before:
            diff[key] = (before, value)
            setattr(inbox, key, value)
    if diff:
        session.flush()
        emit(session, InboxUpdated(actor=actor.ref, inbox_id=inbox.id, changes=diff))
    return inbox
