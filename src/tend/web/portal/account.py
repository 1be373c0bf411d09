"""The signed-in customer's own settings: a password (optional; email links always work) and
the portal language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.access import NotFound
from tend.auth import actions as auth_actions
from tend.auth.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    check_password_strength,
)
from tend.config.queries import get_config
from tend.customers.models import Customer
from tend.i18n import LOCALES
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, PageCustomer, redirect, safe_next
from tend.web.portal import mail
from tend.web.portal.common import Gettext, gettext_for, locale_of, not_found, page, text

router = APIRouter(include_in_schema=False)

LANG_COOKIE = "tend_lang"


@router.get("/portal/lang/{code}")
def choose_language(request: Request, code: str, next: str | None = None) -> Response:
    if code not in LOCALES:
        return not_found(request)
    response = redirect(safe_next(next, "/portal"))
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, httponly=True,
                        samesite="lax", secure=request.app.state.runtime.settings.secure_cookies,
                        path="/")
    return response


def _has_password(rt: RuntimeDep, customer_id: int) -> bool:
    with rt.db.read() as session:
        customer = session.get(Customer, customer_id)
        return bool(customer and customer.password_hash)


@router.get("/portal/password")
def password_page(request: Request, rt: RuntimeDep, actor: PageCustomer,
                  saved: int = 0) -> Response:
    return page(request, "portal/password.html", {
        "has_password": _has_password(rt, actor.id), "saved": bool(saved),
        "min_length": MIN_LENGTH})


def _weakness(_: Gettext, password: str) -> str | None:
    """check_password_strength decides; the reason is said in the customer's language."""
    if check_password_strength(password) is None:
        return None
    if len(password) < MIN_LENGTH:
        return _("Use at least %(count)d characters.") % {"count": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return _("Use at most %(count)d characters.") % {"count": MAX_LENGTH}
    return _("That password is too easy to guess. Try a few unrelated words.")


@router.post("/portal/password")
def set_password(request: Request, rt: RuntimeDep, actor: PageCustomer,
                 form: FormData) -> Response:
    _ = gettext_for(request)
    password = text(form, "password")
    errors: dict[str, str] = {}
    weakness = _weakness(_, password)
    if weakness:
        errors["password"] = weakness
    elif password != text(form, "password_confirm"):
        errors["password_confirm"] = _("The two passwords are not the same.")
    if errors:
        return page(request, "portal/password.html", {
            "has_password": _has_password(rt, actor.id), "errors": errors,
            "min_length": MIN_LENGTH}, status_code=422)
    with rt.db.write() as session:
        customer = session.get(Customer, actor.id)
        if customer is None:
            raise NotFound("This customer no longer exists.")
        auth_actions.set_customer_password(session, customer, password)
        email, name = customer.email, customer.name
        helpdesk = get_config(session).helpdesk_name
    if email:
        # Tell the mailbox owner, so a hijacked session cannot quietly take the account.
        rt.outbox.send(mail.password_changed(rt.settings, locale_of(request), helpdesk,
                                             to=email, name=name))
    return redirect("/portal/password?saved=1")
