"""Agent sign-in: email + password (argon2), optional TOTP, rate-limited; sign-out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.agents.models import Agent
from tend.agents.queries import agent_by_email
from tend.auth import actions as auth_actions
from tend.auth import ratelimit, totp
from tend.db import utcnow
from tend.web.deps import SESSION_COOKIE, AuthDep, RuntimeDep
from tend.web.pagekit import (
    FormData,
    clear_session_cookie,
    client_ip,
    field,
    redirect,
    render,
    safe_next,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request, auth: AuthDep, next: str | None = None) -> Response:
    if auth.agent is not None:
        return redirect(safe_next(next, "/agent"))
    return render(request, "shared/login.html", {"next": safe_next(next, "/agent")})


@router.post("/login")
def login(request: Request, rt: RuntimeDep, form: FormData) -> Response:
    email = field(form, "email", max_length=254).lower()
    password = field(form, "password", max_length=256)
    nxt = safe_next(field(form, "next", max_length=500), "/agent")
    s = rt.settings
    keys = (f"login:ip:{client_ip(request)}", f"login:email:{email}")

    def fail(message: str, status: int) -> Response:
        return render(request, "shared/login.html",
                      {"error": message, "email": email, "next": nxt}, status_code=status)

    with rt.db.write() as session:
        if any(ratelimit.is_limited(session, k, s.login_max_attempts, s.login_window_seconds)
               for k in keys):
            return fail("Too many sign-in attempts. Wait a few minutes and try again.", 429)
        agent = agent_by_email(session, email) if email else None
        ok = auth_actions.check_password(session, agent, password)  # same effort if unknown
        if agent is None or not ok or not agent.is_active:
            for k in keys:
                ratelimit.hit(session, k, s.login_window_seconds)
            new = None
        else:
            ratelimit.reset(session, keys[1])
            needs_totp = agent.totp_enabled
            new = auth_actions.start_session(
                session, agent=agent, max_age_seconds=s.session_max_age_seconds,
                awaiting_totp=needs_totp, user_agent=request.headers.get("user-agent", ""))
            if not needs_totp:
                agent.last_login_at = utcnow()
    if new is None:
        return fail("That email and password do not match an active agent.", 401)
    response = redirect(f"/login/2fa?next={nxt}" if needs_totp else nxt)
    set_session_cookie(request, response, new.token)
    return response


@router.get("/login/2fa")
def totp_page(request: Request, auth: AuthDep, next: str | None = None) -> Response:
    if auth.web_session is None or not auth.web_session.awaiting_totp:
        return redirect("/login")
    return render(request, "shared/login_2fa.html", {"next": safe_next(next, "/agent")})


@router.post("/login/2fa")
def totp_check(request: Request, rt: RuntimeDep, auth: AuthDep, form: FormData) -> Response:
    nxt = safe_next(field(form, "next", max_length=500), "/agent")
    code = field(form, "code", max_length=12)
    ws = auth.web_session
    if ws is None or not ws.awaiting_totp or ws.agent_id is None:
        return redirect("/login")
    key = f"totp:agent:{ws.agent_id}"
    s = rt.settings
    with rt.db.write() as session:
        if ratelimit.is_limited(session, key, 5, s.login_window_seconds):
            error = "Too many wrong codes. Wait a few minutes and try again."
        else:
            agent = session.get(Agent, ws.agent_id)
            row = auth_actions.web_session_row(session, ws.token_hash)
            step = totp.matching_step(agent.totp_secret, code, after=agent.totp_last_step) if (
                agent and agent.totp_secret and row) else None
            if agent and row and step is not None:
                agent.totp_last_step = step
                auth_actions.complete_totp(session, row)
                agent.last_login_at = utcnow()
                ratelimit.reset(session, key)
                error = None
            else:
                ratelimit.hit(session, key, s.login_window_seconds)
                error = "That code is not right. Use the current code from your app."
    if error:
        return render(request, "shared/login_2fa.html", {"error": error, "next": nxt},
                      status_code=401)
    return redirect(nxt)


@router.post("/logout")
def logout(request: Request, rt: RuntimeDep, form: FormData) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    was_customer = False
    if token:
        with rt.db.write() as session:
            row = auth_actions.web_session_row(session, None, token=token)
            was_customer = bool(row and row.customer_id)
            auth_actions.end_session(session, token)
    response = redirect("/portal/login" if was_customer else "/login")
    clear_session_cookie(response)
    return response
