"""The inbox: built-in and saved views with live counts, filters, bulk actions."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from starlette.responses import Response

from tend.access import AgentActor, NotFound, Permission, require
from tend.runtime import Runtime
from tend.tickets import actions, saved_views
from tend.tickets.actions import BulkResult
from tend.tickets.models import SavedView
from tend.tickets.queries import (
    SORTS,
    TicketFilters,
    access_ticket,
    count_tickets,
    list_tickets,
)
from tend.tickets.rules import PRIORITIES, STATUSES
from tend.web.agent.common import (
    FORM_ERRORS,
    Can,
    PathId,
    choosable_agents,
    choosable_teams,
    error_status,
    optional_ref,
    parse_id,
    split_tags,
    values,
)
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, PageAgent, field, redirect, render, safe_next
from tend.web.problems import Problem

router = APIRouter()

UNSOLVED = ("unsolved",)
BUILTIN: dict[str, tuple[str, TicketFilters]] = {
    "mine": ("Mine", TicketFilters(status=UNSOLVED, assignee="me")),
    "unassigned": ("Unassigned", TicketFilters(status=UNSOLVED, assignee="none")),
    "teams": ("My teams", TicketFilters(status=UNSOLVED, team="mine")),
    "all": ("All unsolved", TicketFilters(status=UNSOLVED)),
    "solved": ("Solved/closed", TicketFilters(status=("solved", "closed"))),
}
EMPTY = {
    "mine": "Nothing assigned to you is waiting. Pick a ticket from Unassigned to start.",
    "unassigned": "Every unsolved ticket has an owner.",
    "teams": "Your teams have no unsolved tickets.",
    "all": "No unsolved tickets. Everyone has been helped.",
    "solved": "No solved or closed tickets yet.",
}
FILTER_KEYS = ("status", "priority", "assignee", "team", "tag", "q")
SORT_LABELS = {
    "-updated_at": "Recently updated", "updated_at": "Least recently updated",
    "-created_at": "Newest", "created_at": "Oldest", "-priority": "Highest priority",
    "priority": "Lowest priority", "-number": "Number, high to low",
    "number": "Number, low to high",
}
PAGE_SIZE = 25
_BULK_OK = re.compile(r"^ok:(\d{1,4})$")


@dataclass
class ViewLink:
    key: str
    label: str
    count: int | None
    saved: SavedView | None = None


@dataclass
class InboxState:
    view: str
    title: str
    filters: TicketFilters
    filtered: bool
    sort: str
    cursor: str | None
    saved: SavedView | None


def _builtin(key: str) -> TicketFilters:
    return dataclasses.replace(BUILTIN[key][1])


def _params_filters(params: QueryParams) -> TicketFilters:
    def one(key: str) -> str | None:
        value = (params.get(key) or "").strip()
        return value[:200] or None

    def many(key: str) -> tuple[str, ...]:
        return tuple(v.strip() for item in params.getlist(key) for v in item.split(",")
                     if v.strip())[:20]

    return TicketFilters(status=many("status"), priority=many("priority"),
                         assignee=one("assignee"), team=one("team"), tag=one("tag"), q=one("q"))


def _default_view(session: Session, actor: AgentActor) -> str:
    return "mine" if count_tickets(session, actor, _builtin("mine")) else "all"


def resolve_state(session: Session, actor: AgentActor, params: QueryParams) -> InboxState:
    view = (params.get("view") or "").strip() or _default_view(session, actor)
    saved = None
    if view.startswith("saved:"):
        saved = saved_views.access_view(session, actor, parse_id(view[6:], "The view"))
        title, filters, sort = saved.name, TicketFilters.from_dict(saved.filters), saved.sort
    elif view in BUILTIN:
        title, filters, sort = BUILTIN[view][0], _builtin(view), "-updated_at"
    else:
        raise NotFound(f"There is no view '{view[:40]}'.")
    filtered = any(key in params for key in FILTER_KEYS)
    if filtered:
        filters = _params_filters(params)
    sort = params.get("sort") or sort
    if sort not in SORTS:
        raise Problem(400, f"Unknown sort '{sort[:30]}'.")
    return InboxState(view=view, title=title, filters=filters, filtered=filtered, sort=sort,
                      cursor=params.get("cursor") or None, saved=saved)


def view_links(session: Session, actor: AgentActor) -> tuple[list[ViewLink], list[ViewLink]]:
    builtin = [ViewLink(key, label, count_tickets(session, actor, _builtin(key)))
               for key, (label, _) in BUILTIN.items()]
    saved = []
    for view in saved_views.visible_views(session, actor):
        try:
            count: int | None = count_tickets(session, actor, TicketFilters.from_dict(view.filters))
        except (ValueError, TypeError):
            count = None
        saved.append(ViewLink(f"saved:{view.id}", view.name, count, view))
    return builtin, saved


def _query(params: QueryParams, **replace: str | None) -> str:
    items = [(k, v) for k, v in params.multi_items() if k not in replace and k != "bulk"]
    items += [(k, v) for k, v in replace.items() if v is not None]
    return urlencode(items)


def _flash(params: QueryParams) -> str | None:
    match = _BULK_OK.match(params.get("bulk") or "")
    if not match:
        return None
    n = int(match.group(1))
    return f"Updated {n} ticket{'s' if n != 1 else ''}."


def inbox_page(request: Request, rt: Runtime, actor: AgentActor, params: QueryParams, *,
               bulk_failures: list[tuple[int, str]] | None = None, bulk_ok: int = 0,
               error: str | None = None, status_code: int = 200) -> Response:
    with rt.db.read() as session:
        state = resolve_state(session, actor, params)
        page = list_tickets(session, actor, state.filters, sort=state.sort, cursor=state.cursor,
                            limit=PAGE_SIZE)
        builtin, saved = view_links(session, actor)
        query = _query(params)
        ctx: dict[str, Any] = {
            "nav_active": "inbox", "state": state, "tickets": page.items,
            "builtin_views": builtin, "saved_views": saved,
            "next_url": f"/agent?{_query(params, cursor=page.next_cursor)}"
            if page.next_cursor else None,
            "first_url": f"/agent?{_query(params, cursor=None)}" if state.cursor else None,
            "clear_url": f"/agent?{urlencode({'view': state.view})}",
            "here": f"/agent?{query}" if query else "/agent",
            "empty_text": "No tickets match these filters." if state.filtered or state.saved
            else EMPTY.get(state.view, "No tickets."),
            "flash": _flash(params), "bulk_failures": bulk_failures, "bulk_ok": bulk_ok,
            "error": error, "statuses": STATUSES, "priorities": PRIORITIES,
            "sorts": SORT_LABELS, "agents": choosable_agents(session, actor),
            "teams": choosable_teams(session, actor), "can": Can.of(actor),
            "page_title": state.title + (" (filtered)" if state.filtered else ""),
        }
        return render(request, "agent/inbox.html", ctx, status_code=status_code)


@router.get("/agent")
def inbox(request: Request, rt: RuntimeDep, actor: PageAgent) -> Response:
    return inbox_page(request, rt, actor, request.query_params)


def _back(form: dict[str, Any]) -> str:
    back = safe_next(field(form, "back", max_length=2000), "/agent")
    return back if back == "/agent" or back.startswith("/agent?") else "/agent"


def _bulk_values(form: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if status := field(form, "status", max_length=20):
        changes["status"] = status
    if priority := field(form, "priority", max_length=20):
        changes["priority"] = priority
    if assignee := field(form, "assignee", max_length=20):
        changes["assignee_id"] = optional_ref(assignee, "Assignee")
    if team := field(form, "team", max_length=20):
        changes["team_id"] = optional_ref(team, "Team")
    if tags := split_tags(field(form, "add_tag", max_length=600)):
        changes["add_tags"] = tags
    return changes


@router.post("/agent/tickets/bulk")
def bulk(request: Request, rt: RuntimeDep, actor: PageAgent, form: FormData) -> Response:
    require(actor, Permission.TICKETS_UPDATE)
    back = _back(form)
    params = QueryParams(urlsplit(back).query)
    try:
        ids = [parse_id(v, "A ticket") for v in values(form, "ids")]
        if not ids:
            raise Problem(422, "Select at least one ticket first.")
        changes = _bulk_values(form)
        if not changes:
            raise Problem(422, "Choose what to change on the selected tickets.")
    except Problem as exc:
        return inbox_page(request, rt, actor, params, error=exc.detail, status_code=422)
    results: list[BulkResult] = []
    numbers: dict[int, int] = {}
    with rt.db.write() as session:
        tickets = []
        for ticket_id in dict.fromkeys(ids):
            try:
                ticket = access_ticket(session, actor, ticket_id)
            except NotFound as exc:
                results.append(BulkResult(ticket_id, False, str(exc)))
                continue
            numbers[ticket.id] = ticket.number
            tickets.append(ticket)
        results += actions.bulk_update(session, actor, tickets, changes)
    ok = sum(1 for r in results if r.ok)
    failures = [(numbers.get(r.ticket_id, 0), r.error or "Failed.") for r in results if not r.ok]
    if failures:
        return inbox_page(request, rt, actor, params, bulk_failures=failures, bulk_ok=ok)
    sep = "&" if "?" in back else "?"
    return redirect(f"{back}{sep}bulk=ok:{ok}")


@router.post("/agent/views")
def create_view(request: Request, rt: RuntimeDep, actor: PageAgent, form: FormData) -> Response:
    filters = TicketFilters(
        status=tuple(values(form, "status", max_items=10)),
        priority=tuple(values(form, "priority", max_items=10)),
        assignee=field(form, "assignee", max_length=20) or None,
        team=field(form, "team", max_length=20) or None,
        tag=field(form, "tag", max_length=60) or None, q=field(form, "q", max_length=200) or None,
    )
    try:
        with rt.db.write() as session:
            view = saved_views.create_view(
                session, actor, name=field(form, "name", max_length=200), filters=filters,
                sort=field(form, "sort", max_length=30) or "-updated_at",
                shared=bool(form.get("shared")))
            view_id = view.id
    except FORM_ERRORS as exc:
        back = QueryParams(urlsplit(_back(form)).query)
        return inbox_page(request, rt, actor, back, error=str(exc),
                          status_code=error_status(exc))
    return redirect(f"/agent?view=saved:{view_id}")


@router.post("/agent/views/{view_id}/delete")
def delete_view(view_id: PathId, rt: RuntimeDep, actor: PageAgent, form: FormData) -> Response:
    with rt.db.write() as session:
        view = saved_views.access_view(session, actor, view_id)
        saved_views.delete_view(session, actor, view)
    return redirect("/agent")
