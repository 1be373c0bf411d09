"""Every error becomes `application/problem+json` (RFC 9457) on the API, a page elsewhere."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from tend.access import Forbidden, NotFound
from tend.agents.actions import AgentError
from tend.attachments.files import AttachmentError
from tend.customers.actions import CustomerError
from tend.customers.rules import IdentityError
from tend.pagination import CursorError
from tend.tickets.queries import QueryError
from tend.tickets.rules import RuleError

log = logging.getLogger("tend.web")

TITLES = {
    400: "Bad request", 401: "Sign-in required", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Too large", 415: "Unsupported media type",
    422: "Invalid input", 429: "Too many requests", 500: "Internal error",
}


class Problem(Exception):
    """Raise from a view to answer with a given status and a readable detail."""

    def __init__(self, status: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


def problem_response(status: int, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
            "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type="application/problem+json",
                        headers=headers)


def _loc(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _explain(err: dict[str, Any]) -> str:
    where = _loc(err.get("loc", ()))
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return f"{where}: unknown field"
    if kind == "missing":
        return f"{where}: this field is required"
    if kind == "json_invalid":
        return "The body is not valid JSON."
    msg = str(err.get("msg", "invalid value"))
    return f"{where}: {msg[0].lower() + msg[1:] if msg else msg}"


def validation_detail(errors: Sequence[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    items = [{"field": _loc(e.get("loc", ())), "message": _explain(e)} for e in errors]
    head = "; ".join(i["message"] for i in items[:3])
    if len(items) > 3:
        head += f"; and {len(items) - 3} more"
    return head, items


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and request.url.path != "/healthz"


def install(app: FastAPI, render_error: Any) -> None:
    """`render_error(request, status, detail)` renders the HTML error page."""

    def respond(request: Request, status: int, detail: str, **extra: Any) -> Response:
        if wants_html(request):
            return render_error(request, status, detail)  # type: ignore[no-any-return]
        return problem_response(status, detail, **extra)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        return respond(request, exc.status, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        detail, items = validation_detail(exc.errors())
        return respond(request, 422, detail, errors=items)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}."
        return respond(request, exc.status_code, detail)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return respond(request, 404, str(exc))

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return respond(request, 403, str(exc))

    async def _unprocessable(request: Request, exc: Exception) -> Response:
        return respond(request, 422, str(exc))

    for cls in (RuleError, AttachmentError, IdentityError):
        app.add_exception_handler(cls, _unprocessable)

    async def _conflict(request: Request, exc: Exception) -> Response:
        return respond(request, 409, str(exc))

    for conflict in (CustomerError, AgentError):
        app.add_exception_handler(conflict, _conflict)

    async def _bad_request(request: Request, exc: Exception) -> Response:
        return respond(request, 400, str(exc))

    for bad in (QueryError, CursorError):
        app.add_exception_handler(bad, _bad_request)

    async def _out_of_range(request: Request, exc: Exception) -> Response:
        # An id or number past what the database stores (SQLite: 64 bits) in a path, query
        # or body: bad input, not a crash.
        return respond(request, 422, "A number in the request is out of range.")

    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)  # e.g. PostgreSQL "integer out of range"

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(request, 500, "Something went wrong on our side; it has been logged.")
