"""Email inboxes (admins): the addresses customers write to and their mail servers.

Passwords are write-only: a body may set them (or null them in a PATCH), a response only says
`smtp_password_set` / `imap_password_set`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Path

from tend.channels.email import inboxes, queries
from tend.channels.email.schemas import InboxCreate, InboxList, InboxOut, InboxUpdate
from tend.ids import MAX_ID
from tend.web.deps import ApiAgent, RuntimeDep
from tend.web.patching import patch_changes
from tend.web.problems import Problem

router = APIRouter(tags=["inboxes"])
InboxId = Annotated[int, Path(ge=1, le=MAX_ID)]


@contextmanager
def checked() -> Iterator[None]:
    """What the inbox actions refuse, as problems: a taken address 409, anything else 422."""
    try:
        yield
    except inboxes.InboxConflict as exc:
        raise Problem(409, str(exc)) from None
    except inboxes.InboxError as exc:
        raise Problem(422, str(exc)) from None


@router.get("/inboxes", response_model=InboxList)
def list_inboxes(rt: RuntimeDep, actor: ApiAgent) -> InboxList:
    with rt.db.read() as session:
        return InboxList(items=[InboxOut.of(i) for i in
                                session.scalars(queries.inboxes_query(actor))])


@router.post("/inboxes", status_code=201, response_model=InboxOut)
def create_inbox(data: InboxCreate, rt: RuntimeDep, actor: ApiAgent) -> InboxOut:
    with checked(), rt.db.write() as session:
        return InboxOut.of(inboxes.create_inbox(session, actor, rt.settings,
                                                data.model_dump(mode="json")))


@router.get("/inboxes/{inbox_id}", response_model=InboxOut)
def get_inbox(inbox_id: InboxId, rt: RuntimeDep, actor: ApiAgent) -> InboxOut:
    with rt.db.read() as session:
        return InboxOut.of(queries.access_inbox(session, actor, inbox_id))


@router.patch("/inboxes/{inbox_id}", response_model=InboxOut)
def update_inbox(inbox_id: InboxId, data: InboxUpdate, rt: RuntimeDep,
                 actor: ApiAgent) -> InboxOut:
    changes = patch_changes(data, nullable=InboxUpdate.NULLABLE)
    with checked(), rt.db.write() as session:
        inbox = queries.access_inbox(session, actor, inbox_id)
        return InboxOut.of(inboxes.update_inbox(session, actor, rt.settings, inbox, changes))
