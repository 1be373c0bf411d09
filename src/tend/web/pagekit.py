"""Shared pieces of the HTML surfaces: rendering with the signed-in actor, cookies, guards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tend.access import AgentActor, CustomerActor
from tend.config.queries import get_config
from tend.i18n import negotiate
from tend.web.deps import PRE_SESSION_COOKIE, SESSION_COOKIE, Auth, AuthDep, check_csrf, csrf_token
from tend.web.problems import Problem


class LoginRequired(Exception):
    def __init__(self, location: str) -> None:
        self.location = location


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200, locale: str | None = None) -> HTMLResponse:
    rt = request.app.state.runtime
    auth: Auth | None = getattr(request.state, "tend_auth", None)
    with rt.db.read() as session:
        config = get_config(session)
    loc = locale or page_locale(request, auth)
    ctx = {"csrf_token": csrf_token(request), "config": config,
           "me": auth.agent if auth else None, "customer": auth.customer if auth else None,
           "actor": auth.actor if auth else None, "settings": rt.settings, **(context or {})}
    response = request.app.state.renderer.render(request, template, ctx, status_code=status_code,
                                                 locale=loc)
    set_pre_session_cookie(request, response)
    return response  # type: ignore[no-any-return]


def page_locale(request: Request, auth: Auth | None) -> str:
    rt = request.app.state.runtime
    customer_locale = auth.customer.locale if auth and auth.customer else None
    return negotiate(request.headers.get("accept-language"), request.query_params.get("lang"),
                     request.cookies.get("tend_lang"), customer_locale,
                     default=rt.settings.default_locale)


def set_pre_session_cookie(request: Request, response: Response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(PRE_SESSION_COOKIE, new, httponly=True, samesite="lax",
                            secure=request.app.state.runtime.settings.secure_cookies, path="/")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.runtime.settings
    response.set_cookie(SESSION_COOKIE, token, max_age=settings.session_max_age_seconds,
                        httponly=True, samesite="lax", secure=settings.secure_cookies, path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(value: str | None, default: str) -> str:
    """Only same-site paths may be redirected to after sign-in."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def page_agent(request: Request, auth: AuthDep) -> AgentActor:
    if not isinstance(auth.actor, AgentActor):
        raise LoginRequired(f"/login?next={request.url.path}")
    return auth.actor


def page_customer(request: Request, auth: AuthDep) -> CustomerActor:
    if not isinstance(auth.actor, CustomerActor):
        raise LoginRequired(f"/portal/login?next={request.url.path}")
    return auth.actor


PageAgent = Annotated[AgentActor, Depends(page_agent)]
PageCustomer = Annotated[CustomerActor, Depends(page_customer)]


async def form_data(request: Request, auth: AuthDep) -> AsyncIterator[dict[str, Any]]:
    """The submitted form after a CSRF check (multipart file fields kept as UploadFile).

    The form's temporary upload files are closed once the request is done.
    """
    form = await request.form(max_files=20, max_fields=200)
    try:
        token = form.get("csrf_token")
        check_csrf(request, auth, token if isinstance(token, str) else None)
        data: dict[str, Any] = {}
        for key in form:
            values = form.getlist(key)
            data[key] = values if len(values) > 1 or key.endswith("[]") else values[0]
        yield data
    finally:
        await form.close()


FormData = Annotated[dict[str, Any], Depends(form_data)]


def field(data: dict[str, Any], key: str, *, max_length: int = 10_000, required: bool = False,
          label: str | None = None) -> str:
    value = data.get(key, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, str):
        raise Problem(422, f"{label or key} must be text.")
    value = value.strip()
    if required and not value:
        raise Problem(422, f"{label or key} is required.")
    if len(value) > max_length:
        raise Problem(422, f"{label or key} may have at most {max_length} characters.")
    return value
