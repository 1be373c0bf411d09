"""Stored mail (admins): every mail received, raw, and the quarantine's three ways out.

A quarantined mail can be re-processed (after a fix), released (accepted although its sender
failed authentication) or discarded. Doing any of them to a mail that is not quarantined
answers 409.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from tend.channels.email import intake, queries
from tend.channels.email.models import InboundEmail, MailStatus
from tend.channels.email.schemas import HeaderOut, MailDetail, MailOut, MailPage
from tend.ids import MAX_ID
from tend.pagination import page_by_id
from tend.runtime import Runtime
from tend.web.deps import ApiAgent, RuntimeDep
from tend.web.downloads import raw_mail_response
from tend.web.problems import Problem

router = APIRouter(tags=["mail"])
MailId = Annotated[int, Path(ge=1, le=MAX_ID)]


@contextmanager
def quarantined_only() -> Iterator[None]:
    """intake refuses a mail that is not quarantined with ValueError: a conflict."""
    try:
        yield
    except LookupError as exc:
        raise Problem(404, str(exc)) from None
    except ValueError as exc:
        raise Problem(409, str(exc)) from None


def _out(rt: Runtime, actor: ApiAgent, inbound_id: int) -> MailOut:
    with rt.db.read() as session:
        return MailOut.of(queries.access_mail(session, actor, inbound_id, with_raw=False))


@router.get("/mail", response_model=MailPage)
def list_mail(
    rt: RuntimeDep, actor: ApiAgent,
    status: MailStatus | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> MailPage:
    """Oldest first; without `status`, every stored mail."""
    with rt.db.read() as session:
        rows, nxt = page_by_id(session, queries.mail_query(actor, status), InboundEmail.id,
                               cursor, limit)
        return MailPage(items=[MailOut.of(m) for m in rows], next_cursor=nxt)


@router.get("/mail/{inbound_id}", response_model=MailDetail)
def get_mail(inbound_id: MailId, rt: RuntimeDep, actor: ApiAgent) -> MailDetail:
    with rt.db.read() as session:
        row = queries.access_mail(session, actor, inbound_id)
        headers = [HeaderOut(name=n, value=v) for n, v in queries.raw_headers(row.raw)]
        return MailDetail(**MailOut.of(row).model_dump(), headers=headers)


@router.get("/mail/{inbound_id}/raw", response_class=Response,
            responses={200: {"content": {"message/rfc822": {}}}})
def download_mail(inbound_id: MailId, rt: RuntimeDep, actor: ApiAgent) -> Response:
    """The mail exactly as received, as an `.eml` download."""
    with rt.db.read() as session:
        row = queries.access_mail(session, actor, inbound_id)
        return raw_mail_response(row.id, row.raw)


@router.post("/mail/{inbound_id}/reprocess", response_model=MailOut)
def reprocess_mail(inbound_id: MailId, rt: RuntimeDep, actor: ApiAgent) -> MailOut:
    """Process a quarantined mail again; the answer says where it went (or why not)."""
    _out(rt, actor, inbound_id)
    with quarantined_only():
        intake.reprocess(rt, actor, inbound_id)
    return _out(rt, actor, inbound_id)


@router.post("/mail/{inbound_id}/release", response_model=MailOut)
def release_mail(inbound_id: MailId, rt: RuntimeDep, actor: ApiAgent) -> MailOut:
    """Accept a quarantined mail although its sender failed authentication."""
    _out(rt, actor, inbound_id)
    with quarantined_only():
        intake.release(rt, actor, inbound_id)
    return _out(rt, actor, inbound_id)


@router.post("/mail/{inbound_id}/discard", response_model=MailOut)
def discard_mail(inbound_id: MailId, rt: RuntimeDep, actor: ApiAgent) -> MailOut:
    before = _out(rt, actor, inbound_id)
    if intake.discard(rt, actor, [inbound_id]) == 0:
        raise Problem(409, f"Mail {inbound_id} is {before.status}, not quarantined.")
    return _out(rt, actor, inbound_id)
