"""Admin pages for stored mail and the quarantine: list by status, one mail's headers and
outcome, the raw .eml, and the three ways out of the quarantine (re-process, release, discard).

Headers come straight from the raw bytes (escaped by the template), never from a new parse:
the quarantine holds exactly the mail a parse choked on.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from tend.access import AgentActor
from tend.channels.email import intake, queries
from tend.channels.email.models import MAIL_STATUSES, Inbox, MailStatus
from tend.ids import MAX_ID, is_id
from tend.runtime import Runtime
from tend.tickets.models import Ticket
from tend.web.admin.common import ChannelsAdmin, page
from tend.web.agent.common import PathId
from tend.web.deps import RuntimeDep
from tend.web.downloads import raw_mail_response
from tend.web.pagekit import FormData, redirect
from tend.web.problems import Problem

router = APIRouter()

STATUS_HELP = {
    "quarantined": "Mail Tend could not turn into a ticket or message; it waits for you.",
    "received": "Stored and waiting to be processed (normally only for a moment).",
    "processed": "Turned into a ticket or added to one.",
    "discarded": "Thrown away by an admin (the raw mail is kept).",
}
_MAX_BULK = 200


@router.get("/admin/mail")
def mail_list(request: Request, rt: RuntimeDep, actor: ChannelsAdmin,
              status: MailStatus = "quarantined",
              before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    with rt.db.read() as session:
        found = queries.newest_mail(session, actor, status, before=before)
        counts = queries.mail_counts(session, actor)
        inboxes = {i.id: i.name for i in session.scalars(queries.inboxes_query(actor))}
    return page(request, "admin/mail.html", {
        "mails": found.items, "older": found.older, "status": status, "counts": counts,
        "statuses": MAIL_STATUSES, "status_help": STATUS_HELP, "inbox_names": inboxes,
    })


def _detail(request: Request, rt: Runtime, actor: AgentActor, inbound_id: int, *,
            error: str | None = None, status_code: int = 200) -> Response:
    with rt.db.read() as session:
        row = queries.access_mail(session, actor, inbound_id)
        headers = queries.raw_headers(row.raw)
        inbox = session.get(Inbox, row.inbox_id) if row.inbox_id else None
        ticket = session.get(Ticket, row.ticket_id) if row.ticket_id else None
        context: dict[str, Any] = {
            "mail": row, "headers": headers, "inbox": inbox, "ticket": ticket,
            "envelope_to": [a for a in (row.envelope_to or "").split(",") if a],
            "error": error,
        }
        return page(request, "admin/mail_detail.html", context, status_code=status_code)


@router.get("/admin/mail/{inbound_id}")
def mail_detail(request: Request, inbound_id: PathId, rt: RuntimeDep,
                actor: ChannelsAdmin) -> Response:
    return _detail(request, rt, actor, inbound_id)


@router.get("/admin/mail/{inbound_id}/raw")
def mail_raw(inbound_id: PathId, rt: RuntimeDep, actor: ChannelsAdmin) -> Response:
    with rt.db.read() as session:
        row = queries.access_mail(session, actor, inbound_id)
        return raw_mail_response(row.id, row.raw)


def _way_out(request: Request, rt: Runtime, actor: AgentActor, inbound_id: int,
             release: bool) -> Response:
    with rt.db.read() as session:
        queries.access_mail(session, actor, inbound_id, with_raw=False)  # 404 first
    try:
        if release:
            intake.release(rt, actor, inbound_id)
        else:
            intake.reprocess(rt, actor, inbound_id)
    except ValueError as exc:  # not quarantined (any more): someone else was quicker
        return _detail(request, rt, actor, inbound_id, error=f"Nothing was done: {exc}.",
                       status_code=409)
    saved = "mail_released" if release else "mail_reprocessed"
    return redirect(f"/admin/mail/{inbound_id}?saved={saved}")


@router.post("/admin/mail/{inbound_id}/reprocess")
def reprocess(request: Request, inbound_id: PathId, rt: RuntimeDep, actor: ChannelsAdmin,
              form: FormData) -> Response:
    return _way_out(request, rt, actor, inbound_id, release=False)


@router.get("/admin/mail/{inbound_id}/release")
def release_page(request: Request, inbound_id: PathId, rt: RuntimeDep,
                 actor: ChannelsAdmin) -> Response:
    """The confirmation step: releasing trusts a sender that failed authentication."""
    with rt.db.read() as session:
        row = queries.access_mail(session, actor, inbound_id, with_raw=False)
        return page(request, "admin/mail_release.html", {"mail": row})


@router.post("/admin/mail/{inbound_id}/release")
def release(request: Request, inbound_id: PathId, rt: RuntimeDep, actor: ChannelsAdmin,
            form: FormData) -> Response:
    return _way_out(request, rt, actor, inbound_id, release=True)


def _ids(form: dict[str, Any]) -> list[int]:
    raw = form.get("ids[]", [])
    values = raw if isinstance(raw, list) else [raw]
    if len(values) > _MAX_BULK:
        raise Problem(422, f"Select at most {_MAX_BULK} mails at a time.")
    try:
        ids = sorted({int(v) for v in values if isinstance(v, str) and v.strip()})
    except ValueError:
        raise Problem(422, "The form sent a mail id that is not a number.") from None
    if not all(is_id(i) for i in ids):
        raise Problem(422, "The form sent a mail id that is out of range.")
    return ids


@router.post("/admin/mail/discard")
def discard(rt: RuntimeDep, actor: ChannelsAdmin, form: FormData) -> Response:
    """Discard the ticked quarantined mails (one, from its page, or many from the list)."""
    ids = _ids(form)
    count = intake.discard(rt, actor, ids) if ids else 0
    saved = "mail_discarded" if count else "mail_none"
    if len(ids) == 1 and form.get("back") == "detail":
        return redirect(f"/admin/mail/{ids[0]}?saved={saved}")
    return redirect(f"/admin/mail?saved={saved}")

