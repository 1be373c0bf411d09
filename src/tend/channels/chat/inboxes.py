"""Chat inboxes: created and changed by admins (Admin → Chat, `/api/v1/chat/inboxes`)."""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy.orm import Session

from tend.access import Actor, NotFound, Permission, require
from tend.agents.models import Team
from tend.channels.chat import rules
from tend.channels.chat.models import PRECHAT_MODES, ChatInbox
from tend.channels.email.models import Inbox
from tend.events import emit
from tend.events.catalog import ChatInboxCreated, ChatInboxUpdated

FIELDS = ("name", "team_id", "active", "greeting", "brand_color", "prechat", "topics",
          "business_hours", "allowed_origins", "offline_inbox_id", "offer_timeout_seconds")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")


class ChatInboxError(ValueError):
    """Settings that cannot be saved, with what to change."""


def _clean(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ChatInboxError(f"Unknown chat inbox field(s): {', '.join(sorted(unknown))}.")
    out = dict(values)
    if "name" in out:
        out["name"] = " ".join(str(out["name"]).split())[:100]
        if not out["name"]:
            raise ChatInboxError("The name is empty.")
    if out.get("team_id") is not None and session.get(Team, out["team_id"]) is None:
        raise NotFound(f"Team {out['team_id']} was not found.")
    if out.get("offline_inbox_id") is not None and session.get(Inbox, out["offline_inbox_id"]) \
            is None:
        raise NotFound(f"Inbox {out['offline_inbox_id']} was not found.")
    if out.get("brand_color") and not _HEX.match(out["brand_color"]):
        raise ChatInboxError("The brand colour is a hex colour like #1f6feb.")
    if "brand_color" in out:
        out["brand_color"] = out["brand_color"] or None
    if "prechat" in out and out["prechat"] not in PRECHAT_MODES:
        raise ChatInboxError(f"prechat is one of: {', '.join(PRECHAT_MODES)}.")
    if "topics" in out:
        topics = [" ".join(str(t).split())[:60] for t in out["topics"] or []]
        out["topics"] = [t for t in dict.fromkeys(topics) if t][:30]
    if "business_hours" in out:
        try:
            out["business_hours"] = rules.check_hours(out["business_hours"] or {})
        except rules.HoursError as exc:
            raise ChatInboxError(str(exc)) from None
    if "allowed_origins" in out:
        origins = [o.strip().rstrip("/").lower()
                   for o in str(out["allowed_origins"] or "").replace(",", "\n").splitlines()
                   if o.strip()]
        bad = [o for o in origins if not _ORIGIN.match(o)]
        if bad:
            raise ChatInboxError(f"Origins are like https://www.example.com (not {bad[0]!r}).")
        out["allowed_origins"] = "\n".join(dict.fromkeys(origins))
    if "offer_timeout_seconds" in out and not 5 <= int(out["offer_timeout_seconds"]) <= 600:
        raise ChatInboxError("An offer lasts 5 to 600 seconds.")
    if "greeting" in out:
        out["greeting"] = str(out["greeting"] or "")[:500]
    return out


def create_inbox(session: Session, actor: Actor, **values: Any) -> ChatInbox:
    require(actor, Permission.CHANNELS_WRITE)
    clean = _clean(session, {"prechat": "off", **values})
    if "name" not in clean:
        raise ChatInboxError("The name is empty.")
    inbox = ChatInbox(key=secrets.token_urlsafe(12), identity_salt=secrets.token_hex(16),
                      **clean)
    session.add(inbox)
    session.flush()
    emit(session, ChatInboxCreated(actor=actor.ref, chat_inbox_id=inbox.id))
    return inbox


def update_inbox(session: Session, actor: Actor, inbox: ChatInbox, values: dict[str, Any],
                 *, new_identity_secret: bool = False) -> dict[str, tuple[Any, Any]]:
    require(actor, Permission.CHANNELS_WRITE)
    changes: dict[str, tuple[Any, Any]] = {}
    for key, value in _clean(session, values).items():
        if getattr(inbox, key) != value:
            changes[key] = (getattr(inbox, key), value)
            setattr(inbox, key, value)
    if new_identity_secret:
        inbox.identity_salt = secrets.token_hex(16)
        changes["identity_secret"] = ("***", "*** (new)")
    if changes:
        emit(session, ChatInboxUpdated(actor=actor.ref, chat_inbox_id=inbox.id, changes=changes))
    return changes
