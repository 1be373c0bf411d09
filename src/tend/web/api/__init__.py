"""REST API v1 (JSON). The contract scripts and integrations rely on; see docs/api.md."""

from fastapi import APIRouter, Depends, Request

from tend.web.api import (
    agents,
    attachments,
    chat,
    customers,
    inboxes,
    mail,
    organizations,
    teams,
    tickets,
)
from tend.web.problems import Problem

_WITH_BODY = {"POST", "PUT", "PATCH"}


def json_body(request: Request) -> None:
    """Bodies are JSON (415 otherwise); only a message may come as multipart, with files."""
    if request.method not in _WITH_BODY:
        return
    if request.headers.get("content-length", "0") == "0" and "transfer-encoding" not in (
            request.headers):
        return  # no body, nothing to type (POST /mail/{id}/reprocess and the like)
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        return
    if ctype == "multipart/form-data" and request.url.path.endswith("/messages"):
        return
    raise Problem(415, f"Send the body as application/json (got '{ctype or 'nothing'}').")


router = APIRouter(prefix="/api/v1", dependencies=[Depends(json_body)])
for module in (tickets, customers, organizations, agents, teams, attachments, inboxes, mail,
               chat):
    router.include_router(module.router)
