"""Admin pages for chat inboxes (a website's widget): list, create, edit, new identity secret.

The edit page shows what a website needs: the widget tag to paste, and the identity secret its
server signs signed-in visitors with. Business hours are edited as one "open from ... to" pair per
weekday (a day's further spans, set through the API, are shown and kept as extra pairs); all
days empty means always open.
"""

from __future__ import annotations

from functools import cache
from itertools import zip_longest
from typing import Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.access import NotFound
from tend.agents.queries import all_teams
from tend.channels.chat import inboxes, queries
from tend.channels.chat.inboxes import ChatInboxError
from tend.channels.chat.models import PRECHAT_MODES, ChatInbox
from tend.channels.chat.rules import DAYS
from tend.channels.chat.schemas import snippet
from tend.channels.chat.tokens import identity_secret
from tend.channels.email import queries as email_queries
from tend.web.admin.common import ChannelsAdmin, checked, page
from tend.web.agent.common import PathId, optional_ref
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, field, redirect
from tend.web.problems import Problem

router = APIRouter()

DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
             "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
PRECHAT_HELP = {
    "off": "Visitors start chatting straight away.",
    "optional": "Visitors may give their name, email address and a topic first.",
    "required": "Visitors must give their name and email address first (signed-in visitors "
                "your website vouches for skip it).",
}
NOTICES = {
    "chat_inbox": "The chat inbox was saved.",
    "chat_inbox_new": "The chat inbox was created. Paste the widget tag below into your "
                      "website.",
    "chat_secret": "A new identity secret was made; the old one no longer works. Update "
                   "your website's server.",
}
_SPANS_PER_DAY = 4


@cache
def time_zones() -> list[str]:
    return sorted(available_timezones())


def _lines(form: dict[str, Any], key: str, label: str) -> list[str]:
    text = field(form, key, max_length=20_000, label=label)
    return [line.strip() for line in text.splitlines() if line.strip()]


def _times(form: dict[str, Any], key: str) -> list[str]:
    raw = form.get(key, [])
    values = raw if isinstance(raw, list) else [raw]
    return [v.strip() if isinstance(v, str) else "" for v in values][:_SPANS_PER_DAY]


def _hours(form: dict[str, Any]) -> dict[str, Any]:
    """The weekday pairs as `{"tz", "days"}`; no open day at all: {} (always open)."""
    days: dict[str, list[list[str]]] = {}
    for day in DAYS:
        spans = []
        for start, end in zip_longest(_times(form, f"{day}_from[]"), _times(form, f"{day}_to[]"),
                                      fillvalue=""):
            if not start and not end:
                continue
            if not (start and end):
                raise Problem(422, f"{DAY_NAMES[day]}: give both the opening and the closing "
                                   "time, or neither (closed).")
            spans.append([start, end])
        if spans:
            days[day] = spans
    if not days:
        return {}
    return {"tz": field(form, "tz", max_length=64, label="Time zone") or None, "days": days}


def _int(form: dict[str, Any], key: str, label: str) -> int:
    text = field(form, key, max_length=10, required=True, label=label)
    try:
        return int(text)
    except ValueError:
        raise Problem(422, f"{label} must be a whole number.") from None


def _values(form: dict[str, Any]) -> dict[str, Any]:
    """The form as `create_inbox` / `update_inbox` take it (they check every value)."""
    prechat = field(form, "prechat", max_length=10) or "off"
    return {
        "name": field(form, "name", max_length=100, required=True, label="Name"),
        "team_id": optional_ref(field(form, "team_id", max_length=20, label="Team") or "none",
                                "Team"),
        "active": checked(form, "active"),
        "greeting": field(form, "greeting", max_length=500, label="Greeting"),
        "brand_color": field(form, "brand_color", max_length=7, label="Brand colour")
        if checked(form, "own_color") else None,
        "prechat": prechat,
        "topics": _lines(form, "topics", "Topics"),
        "business_hours": _hours(form),
        "allowed_origins": field(form, "allowed_origins", max_length=20_000,
                                 label="Allowed websites"),
        "offline_inbox_id": optional_ref(
            field(form, "offline_inbox_id", max_length=20, label="Offline replies") or "none",
            "Offline replies"),
        "offer_timeout_seconds": _int(form, "offer_timeout_seconds", "Offer timeout"),
    }


def _day_rows(spans_by_day: dict[str, list[list[str]]]) -> list[dict[str, Any]]:
    """One row per weekday with its pairs (an empty pair for a closed day)."""
    return [{"key": day, "name": DAY_NAMES[day],
             "spans": spans_by_day.get(day) or [["", ""]]} for day in DAYS]


def _raw(form: dict[str, Any]) -> dict[str, Any]:
    """What to show again after an error: everything as typed."""
    def text(key: str, limit: int) -> str:
        value = form.get(key, "")
        return value[:limit] if isinstance(value, str) else ""

    spans = {day: [[a[:5], b[:5]] for a, b in zip_longest(
        _times(form, f"{day}_from[]"), _times(form, f"{day}_to[]"), fillvalue="")]
        for day in DAYS}
    return {"name": text("name", 100), "team_id": text("team_id", 20),
            "active": checked(form, "active"), "greeting": text("greeting", 500),
            "own_color": checked(form, "own_color"),
            "brand_color": text("brand_color", 7) or "#1f6feb",
            "prechat": text("prechat", 10), "topics": text("topics", 5000),
            "tz": text("tz", 64), "days": _day_rows(spans),
            "allowed_origins": text("allowed_origins", 5000),
            "offline_inbox_id": text("offline_inbox_id", 20),
            "offer_timeout_seconds": text("offer_timeout_seconds", 10)}


def _shown(inbox: ChatInbox) -> dict[str, Any]:
    hours = inbox.business_hours or {}
    return {"name": inbox.name, "team_id": str(inbox.team_id or ""), "active": inbox.active,
            "greeting": inbox.greeting, "own_color": inbox.brand_color is not None,
            "brand_color": inbox.brand_color or "#1f6feb", "prechat": inbox.prechat,
            "topics": "\n".join(inbox.topics), "tz": str(hours.get("tz", "")),
            "days": _day_rows(dict(hours.get("days") or {})),
            "allowed_origins": inbox.allowed_origins,
            "offline_inbox_id": str(inbox.offline_inbox_id or ""),
            "offer_timeout_seconds": str(inbox.offer_timeout_seconds)}


def _defaults() -> dict[str, Any]:
    return {"name": "", "team_id": "", "active": True, "greeting": "", "own_color": False,
            "brand_color": "#1f6feb", "prechat": "off", "topics": "", "tz": "",
            "days": _day_rows({}), "allowed_origins": "", "offline_inbox_id": "",
            "offer_timeout_seconds": "30"}


def _form(request: Request, actor: ChannelsAdmin, values: dict[str, Any], *,
          inbox: ChatInbox | None = None, error: str | None = None,
          status_code: int = 200) -> Response:
    rt = request.app.state.runtime
    with rt.db.read() as session:
        teams = all_teams(session)
        email_inboxes = list(session.scalars(email_queries.inboxes_query(actor)))
    context: dict[str, Any] = {
        "inbox": inbox, "values": values, "teams": teams, "email_inboxes": email_inboxes,
        "error": error, "prechat_modes": [(m, PRECHAT_HELP[m]) for m in PRECHAT_MODES],
        "time_zones": time_zones()}
    if inbox is not None:
        context.update(
            snippet=snippet(rt.settings.public_url, inbox.key),
            identity_secret=identity_secret(rt.settings.signing_key(), inbox.identity_salt))
    notice = NOTICES.get(request.query_params.get("saved", ""))
    if notice:
        context["notice"] = notice
    return page(request, "admin/chat_inbox_form.html", context, status_code=status_code)


@router.get("/admin/chat")
def chat_inbox_list(request: Request, rt: RuntimeDep, actor: ChannelsAdmin) -> Response:
    with rt.db.read() as session:
        rows = list(session.scalars(queries.inboxes_query(actor)))
        teams = {t.id: t.name for t in all_teams(session)}
    return page(request, "admin/chat_inboxes.html", {"inboxes": rows, "team_names": teams})


@router.get("/admin/chat/new")
def new_chat_inbox_page(request: Request, actor: ChannelsAdmin) -> Response:
    return _form(request, actor, _defaults())


@router.post("/admin/chat/new")
def create_chat_inbox(request: Request, rt: RuntimeDep, actor: ChannelsAdmin,
                      form: FormData) -> Response:
    try:
        values = _values(form)
        with rt.db.write() as session:
            inbox_id = inboxes.create_inbox(session, actor, **values).id
    except (ChatInboxError, NotFound, Problem) as exc:
        return _form(request, actor, _raw(form), error=str(exc), status_code=422)
    return redirect(f"/admin/chat/{inbox_id}?saved=chat_inbox_new")


@router.get("/admin/chat/{chat_inbox_id}")
def edit_chat_inbox_page(request: Request, chat_inbox_id: PathId, rt: RuntimeDep,
                         actor: ChannelsAdmin) -> Response:
    with rt.db.read() as session:
        inbox = queries.access_inbox(session, actor, chat_inbox_id)
    return _form(request, actor, _shown(inbox), inbox=inbox)


@router.post("/admin/chat/{chat_inbox_id}")
def update_chat_inbox(request: Request, chat_inbox_id: PathId, rt: RuntimeDep,
                      actor: ChannelsAdmin, form: FormData) -> Response:
    with rt.db.read() as session:
        inbox = queries.access_inbox(session, actor, chat_inbox_id)
    try:
        values = _values(form)
        with rt.db.write() as session:
            target = queries.access_inbox(session, actor, chat_inbox_id)
            inboxes.update_inbox(session, actor, target, values)
    except (ChatInboxError, NotFound, Problem) as exc:
        return _form(request, actor, _raw(form), inbox=inbox, error=str(exc), status_code=422)
    return redirect(f"/admin/chat/{chat_inbox_id}?saved=chat_inbox")


@router.post("/admin/chat/{chat_inbox_id}/identity-secret")
def regenerate_identity_secret(request: Request, chat_inbox_id: PathId, rt: RuntimeDep,
                               actor: ChannelsAdmin, form: FormData) -> Response:
    if not checked(form, "confirm"):
        with rt.db.read() as session:
            inbox = queries.access_inbox(session, actor, chat_inbox_id)
        return _form(request, actor, _shown(inbox), inbox=inbox, status_code=422,
                     error="Tick the box to confirm: the old identity secret stops working "
                           "at once.")
    with rt.db.write() as session:
        inbox = queries.access_inbox(session, actor, chat_inbox_id)
        inboxes.update_inbox(session, actor, inbox, {}, new_identity_secret=True)
    return redirect(f"/admin/chat/{chat_inbox_id}?saved=chat_secret")
