from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from tend.access import (
    Actor,
    AgentActor,
    CustomerActor,
    NotFound,
    Permission,
    require,
    sees_internal_fields,
)
from tend.attachments.actions import store_uploads
from tend.attachments.files import check_upload
from tend.customers.actions import find_or_create_by_email
from tend.customers.models import Customer
from tend.tickets import actions, queries
from tend.tickets.models import Ticket
from tend.tickets.schemas import (
    BulkResponse,
    BulkResultOut,
    BulkUpdate,
    MergeRequest,
    MessageCreate,
    MessageList,
    MessageOut,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketUpdate,
)
from tend.web.deps import ApiActor, ApiAgent, RuntimeDep
from tend.web.patching import patch_changes
from tend.web.problems import Problem, validation_detail

router = APIRouter(tags=["tickets"])

_MULTIPART_DOC: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/MessageCreate"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["body"],
                    "properties": {
                        "body": {"type": "string"},
                        "visibility": {"type": "string", "enum": ["public", "internal"]},
                        "status": {"type": "string"},
                        "files": {"type": "array", "items": {"type": "string",
                                                             "format": "binary"}},
                    },
                }
            },
        },
        "required": True,
    }
}


@router.post("/tickets", status_code=201, response_model=TicketOut)
def create_ticket(data: TicketCreate, rt: RuntimeDep, actor: ApiActor) -> TicketOut:
    with rt.db.write() as session:
        if isinstance(actor, CustomerActor):
            requester = session.get(Customer, actor.id)
            if requester is None:
                raise Problem(401, "Your account no longer exists.")
        else:
            if data.customer is None:
                raise Problem(422, "customer: this field is required",
                              errors=[{"field": "customer", "message": "required"}])
            requester = find_or_create_by_email(session, actor, data.customer.email,
                                                data.customer.name)
        ticket = actions.create_ticket(
            session, actor, requester=requester, subject=data.subject, body=data.body,
            priority=data.priority, channel=data.channel, tags=data.tags, team_id=data.team_id,
            assignee_id=data.assignee_id, custom_fields=data.custom_fields,
        )
        return _out(session, actor, [ticket])[0]


@router.get("/tickets", response_model=TicketPage)
def list_tickets(
    rt: RuntimeDep,
    actor: ApiActor,
    status: Annotated[list[str] | None, Query(description="Repeat or comma-separate; "
                                               "'unsolved' = new+open+pending+on_hold")] = None,
    assignee: Annotated[str | None, Query(max_length=20, description="agent id, me, none")] = None,
    team: Annotated[str | None, Query(max_length=20, description="team id, mine, none")] = None,
    tag: Annotated[str | None, Query(max_length=60)] = None,
    customer: int | None = None,
    organization: int | None = None,
    priority: Annotated[list[str] | None, Query()] = None,
    channel: Annotated[str | None, Query(max_length=30)] = None,
    updated_since: datetime | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str, Query(description=", ".join(queries.SORTS))] = "-updated_at",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 25,
) -> TicketPage:
    if updated_since is not None and updated_since.tzinfo is None:
        raise Problem(400, "updated_since needs a time zone (e.g. 2026-01-31T12:00:00Z).")
    try:
        updated_since = updated_since.astimezone(UTC) if updated_since else None
    except OverflowError:
        raise Problem(400, "updated_since is out of range.") from None
    filters = queries.TicketFilters(
        status=_split(status), assignee=assignee, team=team, tag=tag, customer=customer,
        organization=organization, priority=_split(priority), channel=channel,
        updated_since=updated_since, q=q,
    )
    with rt.db.read() as session:
        page = queries.list_tickets(session, actor, filters, sort=sort, cursor=cursor, limit=limit)
        return TicketPage(items=_out(session, actor, page.items), next_cursor=page.next_cursor)


def _out(session: Session, actor: Actor, tickets: list[Ticket]) -> list[TicketOut]:
    """Tickets as `actor` may see them: customers get no internal fields."""
    if sees_internal_fields(actor):
        return [TicketOut.of(t) for t in tickets]
    visible = queries.customer_visible_fields(session)
    return [TicketOut.for_customer(t, visible) for t in tickets]


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for item in values or [] for v in item.split(",") if v.strip())


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
def get_ticket(ticket_id: int, rt: RuntimeDep, actor: ApiActor) -> TicketOut:
    with rt.db.read() as session:
        return _out(session, actor, [queries.access_ticket(session, actor, ticket_id)])[0]


@router.patch("/tickets/{ticket_id}", response_model=TicketOut)
def update_ticket(ticket_id: int, data: TicketUpdate, rt: RuntimeDep,
                  actor: ApiAgent) -> TicketOut:
    changes = patch_changes(data, nullable=TicketUpdate.NULLABLE)
    with rt.db.write() as session:
        ticket = queries.access_ticket(session, actor, ticket_id)
        actions.update_ticket(session, actor, ticket, changes)
        return TicketOut.of(ticket)


@router.post("/tickets/{ticket_id}/merge", response_model=TicketOut)
def merge_ticket(ticket_id: int, data: MergeRequest, rt: RuntimeDep,
                 actor: ApiAgent) -> TicketOut:
    """Merge this ticket (the source) into `target_id`; returns the target."""
    with rt.db.write() as session:
        source = queries.access_ticket(session, actor, ticket_id)
        target = queries.access_ticket(session, actor, data.target_id)
        return TicketOut.of(actions.merge_tickets(session, actor, source, target))


@router.post("/tickets/bulk", response_model=BulkResponse)
def bulk_update(data: BulkUpdate, rt: RuntimeDep, actor: ApiAgent) -> BulkResponse:
    """Apply the same changes to up to 100 tickets; each succeeds or fails on its own."""
    require(actor, Permission.TICKETS_UPDATE)
    changes = patch_changes(data.changes, nullable=TicketUpdate.NULLABLE)
    with rt.db.write() as session:
        tickets, missing = [], []
        for ticket_id in dict.fromkeys(data.ids):
            try:
                tickets.append(queries.access_ticket(session, actor, ticket_id))
            except NotFound:
                missing.append(BulkResultOut(id=ticket_id, ok=False,
                                             error=f"Ticket {ticket_id} was not found."))
        results = actions.bulk_update(session, actor, tickets, changes)
        return BulkResponse(results=[BulkResultOut(id=r.ticket_id, ok=r.ok, error=r.error)
                                     for r in results] + missing)


@router.get("/tickets/{ticket_id}/messages", response_model=MessageList)
def list_messages(ticket_id: int, rt: RuntimeDep, actor: ApiActor) -> MessageList:
    with rt.db.read() as session:
        ticket = queries.access_ticket(session, actor, ticket_id)
        return MessageList(items=[MessageOut.of(m) for m in queries.timeline(session, actor,
                                                                               ticket)])


@router.post("/tickets/{ticket_id}/messages", status_code=201, response_model=MessageOut,
             openapi_extra=_MULTIPART_DOC)
async def add_message(ticket_id: int, request: Request, rt: RuntimeDep,
                      actor: ApiActor) -> MessageOut:
    """A reply (`visibility: public`) or a note (`internal`); JSON, or multipart with files."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    uploads = []
    if ctype == "multipart/form-data":
        async with request.form(max_files=20, max_fields=20) as form:  # closes the temp files
            raw: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
            for item in form.getlist("files"):
                if isinstance(item, UploadFile):
                    uploads.append(check_upload(
                        item.filename or "file", item.content_type, await item.read(),
                        max_bytes=rt.settings.attachment_max_bytes,
                        blocked_extensions=rt.settings.blocked_extensions))
    elif ctype == "application/json":
        try:
            raw = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise Problem(422, "The body is not valid JSON.") from None
    else:
        raise Problem(415, "Send application/json or multipart/form-data.")
    try:
        data = MessageCreate.model_validate(raw)
    except ValidationError as exc:
        detail, items = validation_detail(exc.errors())  # type: ignore[arg-type]
        raise Problem(422, detail, errors=items) from None


    def write() -> MessageOut:
        files = store_uploads(rt.store, uploads)
        with rt.db.write() as session:
            ticket = queries.access_ticket(session, actor, ticket_id)
            status = data.status if isinstance(actor, AgentActor) else None
            if data.status is not None and status is None:
                raise Problem(403, "Customers cannot set the status.")
            message = actions.add_message(session, actor, ticket, body=data.body,
                                          visibility=data.visibility, channel="api"
                                          if isinstance(actor, AgentActor) else "web",
                                          status=status, files=files)
            session.flush()
            session.refresh(message, ["attachments"])
            return MessageOut.of(message)

    return await run_in_threadpool(write)
