from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from tend.attachments.queries import access_attachment
from tend.web.deps import ApiActor, RuntimeDep
from tend.web.downloads import attachment_response

router = APIRouter(tags=["attachments"])


@router.get("/attachments/{attachment_id}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
def download(attachment_id: int, rt: RuntimeDep, actor: ApiActor) -> Response:
    """Always a download (`Content-Disposition: attachment`, `nosniff`)."""
    with rt.db.read() as session:
        attachment = access_attachment(session, actor, attachment_id)
    return attachment_response(rt.store, attachment)
