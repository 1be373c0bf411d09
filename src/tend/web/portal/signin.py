"""Customer sign-in: a magic link by email (the default), or email + password for customers who
set one. Both are rate-limited; neither tells whether an address is known."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from tend.auth import actions as auth_actions
from tend.auth import queries as auth_queries
from tend.auth import ratelimit
from tend.config.queries import get_config
from tend.customers.actions import find_customer_by_identity
from tend.customers.models import Customer
from tend.customers.rules import IdentityError, normalize_email
from tend.web.deps import SESSION_COOKIE, AuthDep, RuntimeDep
from tend.web.pagekit import FormData, client_ip, redirect, safe_next, set_session_cookie
from tend.web.portal import mail
from tend.web.portal.common import gettext_for, limit_key, locale_of, page, text

router = APIRouter(include_in_schema=False)

# Magic links: a few per address (the mailbox owner's patience), more per IP (shared offices).
LINK_WINDOW_SECONDS = 15 * 60
LINKS_PER_EMAIL = 5
LINKS_PER_IP = 30


@router.get("/portal/login")
def login_page(request: Request, auth: AuthDep, next: str | None = None) -> Response:
    nxt = safe_next(next, "/portal")
    if auth.customer is not None:
        return redirect(nxt)
    return page(request, "portal/login.html", {"next": nxt})


@router.post("/portal/login")
def login(request: Request, rt: RuntimeDep, form: FormData) -> Response:
    nxt = safe_next(text(form, "next"), "/portal")
    if text(form, "method") == "password":
        return _password_sign_in(request, rt, form, nxt)
    return _send_link(request, rt, text(form, "email")[:320], nxt)


def _send_link(request: Request, rt: RuntimeDep, raw_email: str, nxt: str) -> Response:
    _ = gettext_for(request)
    try:
        email = normalize_email(raw_email)
    except IdentityError:
        return page(request, "portal/login.html", {
            "next": nxt, "email": raw_email,
            "link_error": _("Enter a valid email address, like name@example.com.")},
            status_code=422)
    keys = ((limit_key("portal-link:email", email), LINKS_PER_EMAIL),
            (limit_key("portal-link:ip", client_ip(request)), LINKS_PER_IP))
    token = name = None
    with rt.db.write() as session:
        limited = any(ratelimit.is_limited(session, key, limit, LINK_WINDOW_SECONDS)
                      for key, limit in keys)
        if not limited:
            for key, _limit in keys:
                ratelimit.hit(session, key, LINK_WINDOW_SECONDS)
            customer = find_customer_by_identity(session, "email", email)
            if customer is not None:
                token = auth_actions.create_login_link(
                    session, customer, email, rt.settings.magic_link_max_age_seconds)
                name = customer.name
        helpdesk = get_config(session).helpdesk_name
    if limited:
        return page(request, "portal/login.html", {
            "next": nxt, "email": raw_email,
            "link_error": _("Too many sign-in links were requested. "
                            "Wait a few minutes and try again.")},
            status_code=429)
    if token is not None:
        rt.outbox.send(mail.sign_in_link(
            rt.settings, locale_of(request), helpdesk, to=email, name=name or email,
            url=mail.sign_in_url(rt.settings, token, nxt)))
    # The same answer whether or not the address is known: no account enumeration.
    return page(request, "portal/link_sent.html", {
        "email": email, "expiry": mail.link_expiry(rt.settings, locale_of(request))})


def _password_sign_in(request: Request, rt: RuntimeDep, form: FormData, nxt: str) -> Response:
    _ = gettext_for(request)
    raw_email = text(form, "email")[:320]
    password = text(form, "password")[:256]
    try:
        email = normalize_email(raw_email)
    except IdentityError:
        email = raw_email.lower()
    s = rt.settings
    keys = (limit_key("portal-login:ip", client_ip(request)),
            limit_key("portal-login:email", email))
    error, status, new = None, 200, None
    with rt.db.write() as session:
        if any(ratelimit.is_limited(session, k, s.login_max_attempts, s.login_window_seconds)
               for k in keys):
            error, status = _("Too many sign-in attempts. Wait a few minutes and try again."), 429
        else:
            customer = find_customer_by_identity(session, "email", email) if email else None
            ok = auth_actions.check_password(session, customer, password)  # same effort if unknown
            if customer is None or not ok:
                for k in keys:
                    ratelimit.hit(session, k, s.login_window_seconds)
                error, status = _("That email address and password do not match."), 401
            else:
                ratelimit.reset(session, keys[1])
                new = _start(request, rt, session, customer)
    if error is not None or new is None:
        return page(request, "portal/login.html", {
            "next": nxt, "email": raw_email, "password_error": error}, status_code=status)
    response = redirect(nxt)
    set_session_cookie(request, response, new.token)
    return response


def _start(request: Request, rt: RuntimeDep, session: Session,
           customer: Customer) -> auth_actions.NewSession:
    """A fresh web session for `customer`; the browser's previous one (if any) ends."""
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        auth_actions.end_session(session, old)
    return auth_actions.start_session(
        session, customer=customer, max_age_seconds=rt.settings.session_max_age_seconds,
        user_agent=request.headers.get("user-agent", ""))


@router.get("/portal/auth/{token}")
def confirm_link(request: Request, token: str, rt: RuntimeDep, auth: AuthDep,
                 next: str | None = None) -> Response:
    """Only shows who the link signs in: mail scanners that fetch links must not spend them."""
    with rt.db.read() as session:
        link = auth_queries.login_link(session, token)
        who = session.get(Customer, link.customer_id) if link else None
    if link is None or who is None:
        return page(request, "portal/link_invalid.html", status_code=410)
    return page(request, "portal/confirm.html", {
        "token": token, "who": who.name, "email": link.email, "next": safe_next(next, "/portal")})


@router.post("/portal/auth/{token}")
def use_link(request: Request, token: str, rt: RuntimeDep, form: FormData) -> Response:
    nxt = safe_next(text(form, "next"), "/portal")
    new = None
    with rt.db.write() as session:
        link = auth_queries.login_link(session, token)
        customer = auth_actions.consume_login_link(session, token)
        if customer is not None and link is not None:
            auth_actions.verify_link_address(customer, link.email)
            new = _start(request, rt, session, customer)
    if new is None:
        return page(request, "portal/link_invalid.html", status_code=410)
    response = redirect(nxt)
    set_session_cookie(request, response, new.token)
    return response
