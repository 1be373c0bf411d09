"""The signed-in agent's own account: profile, password, two-factor sign-in, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from tend.access import AgentActor
from tend.agents.actions import AgentError, change_own_password, set_totp
from tend.agents.models import Agent
from tend.auth import actions as auth_actions
from tend.auth import queries as auth_queries
from tend.auth import ratelimit, totp
from tend.auth.passwords import verify_password
from tend.config.queries import get_config
from tend.runtime import Runtime
from tend.web.deps import AuthDep, RuntimeDep
from tend.web.pagekit import FormData, PageAgent, field, redirect, render

router = APIRouter(include_in_schema=False)

_SECRET = re.compile(r"^[A-Z2-7]{16,64}$")
NOTICES = {
    "password": "Your password was changed.",
    "2fa_on": "Two-factor sign-in is on. You will be asked for a code when you sign in.",
    "2fa_off": "Two-factor sign-in is off.",
    "revoked": "The API token was revoked; it no longer works.",
}


def _me(session: Session, actor: AgentActor) -> Agent:
    agent = session.get(Agent, actor.id)
    assert agent is not None  # PageAgent only lets active, existing agents through
    _ = agent.teams
    return agent


def _setup_signature(request: Request, agent_id: int, secret: str) -> str:
    """Binds a pending TOTP secret to this agent, so the page cannot be fed another secret."""
    key = request.app.state.runtime.settings.signing_key().encode()
    return hmac.new(key, f"tend.totp-setup:{agent_id}:{secret}".encode(),
                    hashlib.sha256).hexdigest()


def _page(request: Request, actor: AgentActor, *, status_code: int = 200,
          **context: Any) -> Response:
    rt = request.app.state.runtime
    with rt.db.read() as session:
        agent = _me(session, actor)
        tokens = auth_queries.api_tokens_of(session, actor.id)
        issuer = get_config(session).helpdesk_name
    pending = context.get("pending_secret")
    if pending:
        uri = totp.provisioning_uri(pending, agent.email, issuer)
        context |= {"qr_svg": totp.qr_svg(uri),
                    "pending_signature": _setup_signature(request, actor.id, pending)}
    notice = NOTICES.get(request.query_params.get("saved", ""))
    return render(request, "agent/account.html",
                  {"nav_active": "account", "agent": agent, "tokens": tokens,
                   "notice": notice, "errors": {}, **context}, status_code=status_code)


@router.get("/agent/account")
def account(request: Request, actor: PageAgent) -> Response:
    return _page(request, actor)


def _wrong_password(rt: Runtime, actor: AgentActor, password: str) -> str | None:
    """Why `password` is not accepted as the agent's current one (rate-limited), or None."""
    key = f"account:password:{actor.id}"
    s = rt.settings
    with rt.db.write() as session:
        if ratelimit.is_limited(session, key, s.login_max_attempts, s.login_window_seconds):
            return "Too many wrong passwords. Wait a few minutes and try again."
        if verify_password(_me(session, actor).password_hash, password):
            ratelimit.reset(session, key)
            return None
        ratelimit.hit(session, key, s.login_window_seconds)
        return "Your current password is not right."


@router.post("/agent/account/password")
def change_password(request: Request, rt: RuntimeDep, actor: PageAgent, auth: AuthDep,
                    form: FormData) -> Response:
    current = field(form, "current_password", max_length=256)
    new = field(form, "new_password", max_length=256)
    if new != field(form, "confirm_password", max_length=256):
        return _page(request, actor, errors={"password": "The new passwords do not match."},
                     status_code=422)
    error = _wrong_password(rt, actor, current)
    if error:
        return _page(request, actor, errors={"password": error}, status_code=422)
    try:
        with rt.db.write() as session:
            change_own_password(session, actor, _me(session, actor), new)
            # Other browsers signed in with the old password are signed out; this one stays.
            auth_actions.end_all_sessions(session, agent_id=actor.id, keep=auth.web_session
                                          .token_hash if auth.web_session else None)
    except AgentError as exc:
        return _page(request, actor, errors={"password": str(exc)}, status_code=422)
    return redirect("/agent/account?saved=password")


@router.post("/agent/account/2fa/start")
def start_totp(request: Request, actor: PageAgent, form: FormData) -> Response:
    return _page(request, actor, pending_secret=totp.new_secret())


@router.post("/agent/account/2fa/enable")
def enable_totp(request: Request, rt: RuntimeDep, actor: PageAgent, form: FormData) -> Response:
    secret = field(form, "secret", max_length=64).upper()
    signature = field(form, "signature", max_length=128)
    code = field(form, "code", max_length=12)
    if not _SECRET.match(secret) or not hmac.compare_digest(
            signature, _setup_signature(request, actor.id, secret)):
        return _page(request, actor, errors={"totp": "That set-up expired; start again."},
                     status_code=422)
    step = totp.matching_step(secret, code)
    if step is None:
        return _page(request, actor, pending_secret=secret, status_code=422,
                     errors={"totp": "That code is not right. Type the current code from "
                                           "your app."})
    with rt.db.write() as session:
        set_totp(session, actor, _me(session, actor), secret, used_step=step)
    return redirect("/agent/account?saved=2fa_on")


@router.post("/agent/account/2fa/disable")
def disable_totp(request: Request, rt: RuntimeDep, actor: PageAgent,
                 form: FormData) -> Response:
    error = _wrong_password(rt, actor, field(form, "current_password", max_length=256))
    if error:
        return _page(request, actor, errors={"totp": f"{error} Two-factor sign-in is still on."},
                     status_code=422)
    with rt.db.write() as session:
        set_totp(session, actor, _me(session, actor), None)
    return redirect("/agent/account?saved=2fa_off")


@router.post("/agent/account/tokens")
def create_token(request: Request, rt: RuntimeDep, actor: PageAgent, form: FormData) -> Response:
    name = field(form, "name", max_length=100) or "API token"
    with rt.db.write() as session:
        token = auth_actions.create_api_token(session, _me(session, actor), name)
    # Shown once, on this response only: Tend keeps only its hash.
    return _page(request, actor, new_token=token, new_token_name=name)


@router.post("/agent/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, rt: RuntimeDep, actor: PageAgent,
                 form: FormData) -> Response:
    with rt.db.write() as session:
        revoked = auth_actions.revoke_api_token(session, token_id, actor.id)
    if not revoked:
        return _page(request, actor, errors={"tokens": "That token does not exist or is "
                                                     "already revoked."}, status_code=404)
    return redirect("/agent/account?saved=revoked")
