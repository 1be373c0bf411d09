"""Request dependencies: the runtime, the signed-in actor, CSRF. Routes read like sentences:

    def get_ticket(ticket_id: int, rt: RuntimeDep, actor: ApiActor) -> TicketOut: ...
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection
from starlette.responses import Response

from tend.access import Actor, AgentActor, CustomerActor
from tend.agents.models import Agent
from tend.agents.queries import actor_for
from tend.auth import queries as auth_queries
from tend.auth.models import WebSession
from tend.customers.models import Customer
from tend.runtime import Runtime
from tend.web.problems import Problem

SESSION_COOKIE = "tend_session"
PRE_SESSION_COOKIE = "tend_csrf"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_TOKEN_TOUCH_SECONDS = 60.0
_last_touch: dict[str, float] = {}


def get_runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


class Auth:
    """What the request carries: an actor, and the web session if it came from a cookie."""

    def __init__(self, actor: Actor | None, web_session: WebSession | None = None,
                 agent: Agent | None = None, customer: Customer | None = None,
                 via_token: bool = False) -> None:
        self.actor = actor
        self.web_session = web_session
        self.agent = agent
        self.customer = customer
        self.via_token = via_token


def _resolve(request: HTTPConnection, rt: Runtime) -> Auth:
    cached: Auth | None = getattr(request.state, "tend_auth", None)
    if cached is not None:
        return cached
    auth = Auth(None)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(401, "Send your API token as 'Authorization: Bearer <token>'.")
        token = token.strip()
        with rt.db.read() as session:
            actor = auth_queries.actor_for_api_token(session, token)
        if actor is None:
            raise Problem(401, "This API token is not valid (revoked, expired or mistyped).")
        auth = Auth(actor, via_token=True)
        _touch_token(rt, token)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            with rt.db.read() as session:
                ws = auth_queries.web_session(session, cookie)
                if ws is not None and not ws.awaiting_totp:
                    if ws.agent_id is not None:
                        agent = session.get(Agent, ws.agent_id)
                        if agent is not None and agent.is_active:
                            _ = agent.teams
                            auth = Auth(actor_for(agent), ws, agent=agent)
                    elif ws.customer_id is not None:
                        customer = session.get(Customer, ws.customer_id)
                        if customer is not None:
                            _ = customer.identities
                            auth = Auth(CustomerActor(customer.id, customer.name), ws,
                                        customer=customer)
                elif ws is not None:
                    auth = Auth(None, ws)
    request.state.tend_auth = auth
    return auth


def _touch_token(rt: Runtime, token: str) -> None:
    now = time.monotonic()
    if now - _last_touch.get(token, 0.0) < _TOKEN_TOUCH_SECONDS:
        return
    _last_touch[token] = now
    with rt.db.write() as session:
        auth_queries.touch_api_token(session, token)


def check_csrf(request: Request, auth: Auth, form_token: str | None = None) -> None:
    """Cookie-authenticated unsafe requests must prove they come from our own pages."""
    if request.method not in _UNSAFE or auth.via_token:
        return
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise Problem(403, "Cross-site requests are refused.")
    expected = auth.web_session.csrf_token if auth.web_session else request.cookies.get(
        PRE_SESSION_COOKIE)
    sent = form_token or request.headers.get(CSRF_HEADER)
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise Problem(403, "The form expired or did not come from this site; reload and retry.")


def csrf_token(request: Request, response: Response | None = None) -> str:
    """The token to embed in forms (the session's, or a pre-session cookie's)."""
    auth: Auth | None = getattr(request.state, "tend_auth", None)
    if auth is not None and auth.web_session is not None:
        return auth.web_session.csrf_token
    token = request.cookies.get(PRE_SESSION_COOKIE)
    if not token:
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def get_auth(request: Request, rt: RuntimeDep) -> Auth:
    return _resolve(request, rt)


def connection_auth(conn: HTTPConnection, rt: Runtime) -> Auth:
    """The actor of a WebSocket (its session cookie), like `get_auth` for requests."""
    return _resolve(conn, rt)


AuthDep = Annotated[Auth, Depends(get_auth)]


def api_actor(request: Request, auth: AuthDep) -> Actor:
    """Any signed-in actor on the API; cookie users must also pass CSRF for writes."""
    if auth.actor is None:
        raise Problem(401, "Sign in, or send an API token as 'Authorization: Bearer <token>'.")
    check_csrf(request, auth)
    return auth.actor


ApiActor = Annotated[Actor, Depends(api_actor)]


def api_agent(actor: ApiActor) -> AgentActor:
    if not isinstance(actor, AgentActor):
        raise Problem(403, "Only agents may use this endpoint.")
    return actor


ApiAgent = Annotated[AgentActor, Depends(api_agent)]
