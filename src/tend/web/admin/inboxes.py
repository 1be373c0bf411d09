"""Admin pages for email inboxes: list, create, edit (deactivate by unticking "Active").

Passwords are write-only: the form never shows them, only whether one is set. An empty password
field keeps the current one; the "remove" checkbox clears it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.agents.queries import all_teams
from tend.channels.email import inboxes, queries
from tend.channels.email.inboxes import PASSWORDS, InboxError
from tend.channels.email.models import SECURITY_MODES, Inbox
from tend.web.admin.common import ChannelsAdmin, checked, page
from tend.web.agent.common import PathId, optional_ref
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, field, redirect
from tend.web.problems import Problem

router = APIRouter()

SECURITY_LABELS = {"tls": "TLS", "starttls": "STARTTLS", "none": "None"}
_TEXT = ("name", "address", "from_name", "smtp_host", "smtp_username", "imap_host",
         "imap_username", "imap_folder", "imap_archive_folder")
_FLAGS = ("active", "send_acknowledgement")


def _port(form: dict[str, Any], key: str, label: str) -> int:
    text = field(form, key, max_length=10, required=True, label=label)
    try:
        return int(text)
    except ValueError:
        raise Problem(422, f"{label} must be a number.") from None


def _values(form: dict[str, Any], *, editing: bool) -> dict[str, Any]:
    """The form as `create_inbox` / `update_inbox` take it (they check every value)."""
    values: dict[str, Any] = {
        "name": field(form, "name", max_length=100, required=True, label="Name"),
        "address": field(form, "address", max_length=254, required=True, label="Address"),
        "from_name": field(form, "from_name", max_length=200, label="Sender name"),
        "team_id": optional_ref(field(form, "team_id", max_length=20, label="Team") or "none",
                                "Team"),
        "smtp_port": _port(form, "smtp_port", "SMTP port"),
        "smtp_security": field(form, "smtp_security", max_length=10),
        "imap_port": _port(form, "imap_port", "IMAP port"),
        "imap_security": field(form, "imap_security", max_length=10),
        "imap_folder": field(form, "imap_folder", max_length=200, required=True,
                             label="IMAP folder"),
        **{key: checked(form, key) for key in _FLAGS},
    }
    for key, limit in (("smtp_host", 253), ("smtp_username", 254), ("imap_host", 253),
                       ("imap_username", 254), ("imap_archive_folder", 200)):
        values[key] = field(form, key, max_length=limit, label=inboxes.LABELS[key]) or None
    for key in PASSWORDS:
        typed = form.get(key, "")
        if isinstance(typed, str) and typed:
            values[key] = typed  # exactly as typed: spaces can belong to a password
        elif editing and checked(form, f"clear_{key}"):
            values[key] = None
    return values


def _raw(form: dict[str, Any]) -> dict[str, Any]:
    """What to show again after an error: everything typed except the passwords."""
    shown: dict[str, Any] = {key: str(form.get(key, ""))[:300] for key in _TEXT}
    for key in ("team_id", "smtp_port", "smtp_security", "imap_port", "imap_security"):
        shown[key] = str(form.get(key, ""))[:20]
    shown.update({key: checked(form, key) for key in _FLAGS})
    return shown


def _shown(inbox: Inbox) -> dict[str, Any]:
    shown: dict[str, Any] = {key: getattr(inbox, key) or "" for key in _TEXT}
    shown.update(team_id=str(inbox.team_id or ""), smtp_port=str(inbox.smtp_port),
                 imap_port=str(inbox.imap_port), smtp_security=inbox.smtp_security,
                 imap_security=inbox.imap_security, active=inbox.active,
                 send_acknowledgement=inbox.send_acknowledgement)
    return shown


def _form(request: Request, values: dict[str, Any], *, inbox: Inbox | None = None,
          error: str | None = None, status_code: int = 200) -> Response:
    rt = request.app.state.runtime
    with rt.db.read() as session:
        teams = all_teams(session)
    return page(request, "admin/inbox_form.html",
                {"inbox": inbox, "values": values, "teams": teams, "error": error,
                 "securities": [(s, SECURITY_LABELS[s]) for s in SECURITY_MODES]},
                status_code=status_code)


@router.get("/admin/inboxes")
def inbox_list(request: Request, rt: RuntimeDep, actor: ChannelsAdmin) -> Response:
    with rt.db.read() as session:
        rows = list(session.scalars(queries.inboxes_query(actor)))
        teams = {t.id: t.name for t in all_teams(session)}
    return page(request, "admin/inboxes.html", {"inboxes": rows, "team_names": teams})


@router.get("/admin/inboxes/new")
def new_inbox_page(request: Request, actor: ChannelsAdmin) -> Response:
    defaults = {key: "" for key in _TEXT} | {
        "team_id": "", "smtp_port": "587", "smtp_security": "starttls", "imap_port": "993",
        "imap_security": "tls", "imap_folder": "INBOX", "active": True,
        "send_acknowledgement": False}
    return _form(request, defaults)


@router.post("/admin/inboxes/new")
def create_inbox(request: Request, rt: RuntimeDep, actor: ChannelsAdmin,
                 form: FormData) -> Response:
    try:
        values = _values(form, editing=False)
        with rt.db.write() as session:
            inbox = inboxes.create_inbox(session, actor, rt.settings, values)
            inbox_id = inbox.id
    except (InboxError, Problem) as exc:
        return _form(request, _raw(form), error=str(exc), status_code=422)
    return redirect(f"/admin/inboxes/{inbox_id}?saved=inbox_new")


@router.get("/admin/inboxes/{inbox_id}")
def edit_inbox_page(request: Request, inbox_id: PathId, rt: RuntimeDep,
                    actor: ChannelsAdmin) -> Response:
    with rt.db.read() as session:
        inbox = queries.access_inbox(session, actor, inbox_id)
    return _form(request, _shown(inbox), inbox=inbox)


@router.post("/admin/inboxes/{inbox_id}")
def update_inbox(request: Request, inbox_id: PathId, rt: RuntimeDep, actor: ChannelsAdmin,
                 form: FormData) -> Response:
    with rt.db.read() as session:
        inbox = queries.access_inbox(session, actor, inbox_id)
    try:
        values = _values(form, editing=True)
        with rt.db.write() as session:
            target = queries.access_inbox(session, actor, inbox_id)
            inboxes.update_inbox(session, actor, rt.settings, target, values)
    except (InboxError, Problem) as exc:
        return _form(request, _raw(form), inbox=inbox, error=str(exc), status_code=422)
    return redirect(f"/admin/inboxes/{inbox_id}?saved=inbox")
