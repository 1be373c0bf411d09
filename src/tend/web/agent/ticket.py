"""The ticket page: timeline, history, composer, side panel, merge; attachment and original
mail downloads."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.responses import Response

from tend.access import AgentActor, can_see_raw_mail, can_see_ticket
from tend.attachments.actions import store_uploads
from tend.attachments.files import Upload, check_upload
from tend.attachments.queries import access_attachment
from tend.audit.history import history_lines
from tend.audit.queries import ticket_history
from tend.channels.email.queries import access_original, mails_behind
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import CustomField, Message, Ticket
from tend.tickets.queries import (
    access_ticket_by_number,
    active_custom_fields,
    customer_tickets,
    timeline,
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
)
from tend.web.deps import RuntimeDep
from tend.web.downloads import attachment_response, raw_mail_response
from tend.web.pagekit import FormData, PageAgent, field, redirect, render
from tend.web.problems import Problem

router = APIRouter()

SUBMIT_AS = ("open", "pending", "on_hold", "solved")


def ticket_page(request: Request, rt: Runtime, actor: AgentActor, number: int, *,
                error: str | None = None, draft: dict[str, Any] | None = None,
                panel: dict[str, Any] | None = None, merge_target: str = "",
                status_code: int = 200) -> Response:
    """The page; after a failed form, `draft` / `panel` hold what the agent typed."""
    with rt.db.read() as session:
        ticket = access_ticket_by_number(session, actor, number)
        requester = ticket.requester
        _ = requester.identities, requester.organization
        merged_into = session.get(Ticket, ticket.merged_into_id) if ticket.merged_into_id else None
        can = Can.of(actor)
        messages = timeline(session, actor, ticket)
        ctx: dict[str, Any] = {
            "nav_active": "inbox", "ticket": ticket, "requester": requester,
            "messages": messages, **_email_context(session, actor, ticket, messages),
            "history": history_lines(session, ticket_history(session, ticket.id)),
            "earlier": customer_tickets(session, actor, requester.id, exclude=ticket.id),
            "merged_into": merged_into, "can": can,
            "agents": choosable_agents(session, actor), "teams": choosable_teams(session, actor),
            "custom_fields": active_custom_fields(session),
            "statuses": [s for s in STATUSES if s != "new" or ticket.status == "new"],
            "priorities": PRIORITIES, "submit_as": SUBMIT_AS,
            "error": error, "draft": draft or {}, "panel": panel or {},
            "merge_target": merge_target,
            "writable": ticket.status != "closed" and (can.reply or can.note),
            "chat": _chat_context(session, ticket),
        }
        return render(request, "agent/ticket.html", ctx, status_code=status_code)


def _chat_context(session: Session, ticket: Ticket) -> dict[str, Any] | None:
    """A chat's live state (queue, owner, read receipts) for the chat card."""
    from tend.channels.chat import views
    from tend.channels.chat.models import ChatConversation

    conv = session.get(ChatConversation, ticket.id)
    return views.conversation(session, conv, ticket) if conv is not None else None


def _email_context(session: Session, actor: AgentActor, ticket: Ticket,
                   messages: list[Message]) -> dict[str, Any]:
    """What the page shows of the email channel: which messages have their original mail, and
    the ticket this one follows up (linked only if the agent may see it)."""
    originals = (mails_behind(session, [m.id for m in messages])
                 if can_see_raw_mail(actor, ticket) else set())
    earlier = session.get(Ticket, ticket.follow_up_of_id) if ticket.follow_up_of_id else None
    return {"originals": originals,
            "follow_up_of": earlier if earlier and can_see_ticket(actor, earlier) else None,
            "follows_hidden": earlier is not None and not can_see_ticket(actor, earlier)}


@router.get("/agent/tickets/{number}")
def show(number: PathId, request: Request, rt: RuntimeDep, actor: PageAgent) -> Response:
    return ticket_page(request, rt, actor, number)


def _uploads(rt: Runtime, form: dict[str, Any]) -> list[Upload]:
    """The checked files of the composer; every spooled part is closed, used or not."""
    raw = form.get("files", [])
    items = [i for i in (raw if isinstance(raw, list) else [raw]) if isinstance(i, UploadFile)]
    try:
        return [
            check_upload(item.filename, item.content_type, item.file.read(),
                         max_bytes=rt.settings.attachment_max_bytes,
                         blocked_extensions=rt.settings.blocked_extensions)
            for item in items
            if item.filename  # an empty file input still sends a nameless part
        ]
    finally:
        for item in items:
            item.file.close()


@router.post("/agent/tickets/{number}/messages")
def add_message(number: PathId, request: Request, rt: RuntimeDep, actor: PageAgent,
                form: FormData) -> Response:
    def text(key: str) -> str:
        value = form.get(key)
        return value.strip() if isinstance(value, str) else ""

    draft = {"body": text("body"), "visibility": text("visibility") or "public",
             "status": text("status")}
    try:
        uploads = _uploads(rt, form)
        body = field(form, "body", max_length=65_536)
        if not body:
            raise Problem(422, "Write something before sending.")
        if draft["status"] and draft["status"] not in SUBMIT_AS:
            raise Problem(422, "Choose a status from the list.")
        if draft["visibility"] not in ("public", "internal"):
            raise Problem(422, "Choose a reply to the customer or an internal note.")
        visibility: Literal["public", "internal"] = (
            "internal" if draft["visibility"] == "internal" else "public")
        files = store_uploads(rt.store, uploads)
        with rt.db.write() as session:
            ticket = access_ticket_by_number(session, actor, number)
            actions.add_message(session, actor, ticket, body=body,
                                visibility=visibility, status=draft["status"] or None,
                                files=files)
    except FORM_ERRORS as exc:
        return ticket_page(request, rt, actor, number, error=str(exc), draft=draft,
                           status_code=error_status(exc))
    return redirect(f"/agent/tickets/{number}#composer")


def _field_value(cf: CustomField, form: dict[str, Any], current: dict[str, Any]) -> Any:
    key = f"cf_{cf.key}"
    if cf.type == "checkbox":
        if form.get(key):
            return True
        return False if cf.key in current else None
    return field(form, key, max_length=1000, label=cf.label)


def _panel_values(session: Any, form: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if status := field(form, "status", max_length=20):
        changes["status"] = status
    if priority := field(form, "priority", max_length=20):
        changes["priority"] = priority
    if assignee := field(form, "assignee", max_length=20):
        changes["assignee_id"] = optional_ref(assignee, "Assignee")
    if team := field(form, "team", max_length=20):
        changes["team_id"] = optional_ref(team, "Team")
    if "tags" in form:
        changes["tags"] = split_tags(field(form, "tags", max_length=3000))
    fields = {cf.key: _field_value(cf, form, ticket.custom_fields)
              for cf in active_custom_fields(session)}
    if fields:
        changes["custom_fields"] = fields
    return changes


@router.post("/agent/tickets/{number}")
def update(number: PathId, request: Request, rt: RuntimeDep, actor: PageAgent,
           form: FormData) -> Response:
    try:
        with rt.db.write() as session:
            ticket = access_ticket_by_number(session, actor, number)
            actions.update_ticket(session, actor, ticket, _panel_values(session, form, ticket))
    except FORM_ERRORS as exc:
        panel = {k: v for k, v in form.items() if isinstance(v, str)}
        return ticket_page(request, rt, actor, number, error=str(exc), panel=panel,
                           status_code=error_status(exc))
    return redirect(f"/agent/tickets/{number}")


@router.post("/agent/tickets/{number}/merge")
def merge(number: PathId, request: Request, rt: RuntimeDep, actor: PageAgent,
          form: FormData) -> Response:
    try:
        target_number = parse_id(field(form, "target", max_length=20).lstrip("#"),
                                 "The target ticket number")
        with rt.db.write() as session:
            source = access_ticket_by_number(session, actor, number)
            target = access_ticket_by_number(session, actor, target_number)
            actions.merge_tickets(session, actor, source, target)
    except FORM_ERRORS as exc:
        return ticket_page(request, rt, actor, number, error=str(exc),
                           merge_target=str(form.get("target", ""))[:20],
                           status_code=error_status(exc))
    return redirect(f"/agent/tickets/{target_number}")


@router.get("/agent/messages/{message_id}/original")
def original_mail(message_id: PathId, rt: RuntimeDep, actor: PageAgent) -> Response:
    """The mail a message came from, as received (an .eml download)."""
    with rt.db.read() as session:
        row = access_original(session, actor, message_id)
        return raw_mail_response(row.id, row.raw)


@router.get("/agent/attachments/{attachment_id}")
def download(attachment_id: PathId, rt: RuntimeDep, actor: PageAgent) -> Response:
    with rt.db.read() as session:
        attachment = access_attachment(session, actor, attachment_id)
    return attachment_response(rt.store, attachment)

