"""A customer's requests (tickets, in the portal's words): the list, submitting one (signed in,
or signed out with name + email), one request's public timeline, replies and attachments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from tend.access import SYSTEM, CustomerActor, NotFound
from tend.attachments.actions import StoredFile, store_uploads
from tend.attachments.files import AttachmentError
from tend.attachments.queries import access_attachment
from tend.auth import ratelimit
from tend.auth.actions import create_login_link
from tend.config.queries import get_config
from tend.customers.actions import find_or_create_by_email
from tend.customers.models import Customer
from tend.customers.rules import IdentityError, normalize_email
from tend.ids import MAX_ID
from tend.runtime import Runtime
from tend.tickets.actions import MAX_BODY_CHARS, add_message, create_ticket
from tend.tickets.models import Ticket
from tend.tickets.queries import (
    TicketFilters,
    access_ticket,
    access_ticket_by_number,
    list_tickets,
    timeline,
)
from tend.tickets.rules import RuleError
from tend.web.deps import AuthDep, RuntimeDep
from tend.web.downloads import attachment_response
from tend.web.pagekit import FormData, PageCustomer, client_ip, redirect
from tend.web.portal import mail
from tend.web.portal.common import (
    Gettext,
    gettext_for,
    limit_key,
    locale_of,
    not_found,
    page,
    text,
    uploads,
)
from tend.web.portal.signin import LINK_WINDOW_SECONDS, LINKS_PER_EMAIL

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
MAX_SUBJECT = 250
MAX_NAME = 200
# Signed-out submissions create customers and send email: a few per hour per IP is plenty.
SUBMISSIONS_PER_IP = 10
SUBMISSION_WINDOW_SECONDS = 3600


@router.get("/portal")
def home(request: Request, rt: RuntimeDep, auth: AuthDep, cursor: str | None = None) -> Response:
    if not isinstance(auth.actor, CustomerActor):
        return page(request, "portal/landing.html")
    with rt.db.read() as session:
        result = list_tickets(session, auth.actor, TicketFilters(), sort="-created_at",
                              cursor=cursor, limit=PAGE_SIZE)
    return page(request, "portal/home.html", {
        "tickets": result.items, "next_cursor": result.next_cursor, "nav": "requests"})


def _signup_allowed(rt: RuntimeDep) -> bool:
    with rt.db.read() as session:
        return get_config(session).portal_allow_signup


@router.get("/portal/requests/new")
def new_request_page(request: Request, rt: RuntimeDep, auth: AuthDep) -> Response:
    if not isinstance(auth.actor, CustomerActor) and not _signup_allowed(rt):
        return redirect("/portal/login?next=/portal/requests/new")
    return page(request, "portal/new_request.html", {"values": {}, "errors": {}, "nav": "new"})


def _check_request(_: Gettext, values: dict[str, str], signed_in: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["subject"]:
        errors["subject"] = _("Tell us in a few words what this is about.")
    elif len(values["subject"]) > MAX_SUBJECT:
        errors["subject"] = _("Keep the subject under %(count)d characters.") % {
            "count": MAX_SUBJECT}
    if not values["body"]:
        errors["body"] = _("Describe what happened and what you need.")
    elif len(values["body"]) > MAX_BODY_CHARS:
        errors["body"] = _("Keep the description under %(count)d characters.") % {
            "count": MAX_BODY_CHARS}
    if not signed_in:
        if not values["name"]:
            errors["name"] = _("Tell us your name.")
        elif len(values["name"]) > MAX_NAME:
            errors["name"] = _("Keep the name under %(count)d characters.") % {"count": MAX_NAME}
        try:
            normalize_email(values["email"])
        except IdentityError:
            errors["email"] = _("Enter a valid email address, like name@example.com.")
    return errors


def _store_files(form: dict[str, Any], rt: Runtime, _: Gettext,
                 errors: dict[str, str]) -> list[StoredFile]:
    """Check the form's files and, when the form has no other error, store them (before the
    transaction that uses them). A refused file becomes `errors["files"]`."""
    try:
        files = uploads(form, rt.settings, _)
        return store_uploads(rt.store, files) if not errors else []
    except AttachmentError as exc:
        errors["files"] = str(exc)
        return []


@router.post("/portal/requests/new")
def submit_request(request: Request, rt: RuntimeDep, auth: AuthDep, form: FormData) -> Response:
    _ = gettext_for(request)
    actor = auth.actor if isinstance(auth.actor, CustomerActor) else None
    if actor is None and not _signup_allowed(rt):
        return redirect("/portal/login?next=/portal/requests/new")
    values = {key: text(form, key) for key in ("subject", "body", "name", "email")}
    errors = _check_request(_, values, signed_in=actor is not None)
    stored = _store_files(form, rt, _, errors)

    def again(errors: dict[str, str], status: int = 422) -> Response:
        return page(request, "portal/new_request.html",
                    {"values": values, "errors": errors, "nav": "new"}, status_code=status)

    if errors:
        return again(errors)
    try:
        if actor is not None:
            with rt.db.write() as session:
                customer = session.get(Customer, actor.id)
                if customer is None:
                    return not_found(request)
                ticket = create_ticket(session, actor, requester=customer,
                                       subject=values["subject"], body=values["body"],
                                       channel="web", files=stored)
                number = ticket.number
            return redirect(f"/portal/requests/{number}?created=1")
        return _submit_signed_out(request, rt, values, stored, again)
    except RuleError as exc:
        return again({"body": str(exc)})


def _submit_signed_out(request: Request, rt: RuntimeDep, values: dict[str, str],
                       stored: list[StoredFile],
                       again: Callable[[dict[str, str], int], Response]) -> Response:
    """A new (or returning) customer by email; they get a magic link to follow the request."""
    _ = gettext_for(request)
    email = normalize_email(values["email"])
    ip_key = limit_key("portal-submit:ip", client_ip(request))
    link_key = limit_key("portal-link:email", email)
    token = None
    with rt.db.write() as session:
        if ratelimit.is_limited(session, ip_key, SUBMISSIONS_PER_IP, SUBMISSION_WINDOW_SECONDS):
            return again({"form": _("Too many requests were sent from your network. "
                                    "Wait a while and try again.")}, 429)
        ratelimit.hit(session, ip_key, SUBMISSION_WINDOW_SECONDS)
        customer = find_or_create_by_email(session, SYSTEM, email, values["name"])
        ticket = create_ticket(session, SYSTEM, requester=customer, subject=values["subject"],
                               body=values["body"], channel="web", files=stored)
        number, subject, name = ticket.number, ticket.subject, customer.name
        if not ratelimit.is_limited(session, link_key, LINKS_PER_EMAIL, LINK_WINDOW_SECONDS):
            ratelimit.hit(session, link_key, LINK_WINDOW_SECONDS)
            token = create_login_link(session, customer, email,
                                      rt.settings.magic_link_max_age_seconds)
        helpdesk = get_config(session).helpdesk_name
    if token is not None:
        url = mail.sign_in_url(rt.settings, token, f"/portal/requests/{number}")
        rt.outbox.send(mail.request_received(
            rt.settings, locale_of(request), helpdesk, to=email, name=name, number=number,
            subject=subject, url=url))
    return page(request, "portal/request_received.html", {"number": number, "email": email})


def _merged_into(session: Session, actor: CustomerActor, ticket: Ticket) -> int | None:
    if ticket.merged_into_id is None:
        return None
    try:
        return access_ticket(session, actor, ticket.merged_into_id).number
    except NotFound:
        return None


def _request_page(request: Request, rt: RuntimeDep, actor: CustomerActor, number: int, *,
                  status_code: int = 200, **extra: Any) -> Response:
    if not 0 < number <= MAX_ID:
        return not_found(request)
    try:
        with rt.db.read() as session:
            ticket = access_ticket_by_number(session, actor, number)
            messages = timeline(session, actor, ticket)  # never notes for a customer
            merged_into = _merged_into(session, actor, ticket)
    except NotFound:
        return not_found(request)
    context = {"ticket": ticket, "messages": messages, "merged_into": merged_into,
               "errors": {}, "reply": "", "nav": "requests", **extra}
    return page(request, "portal/request.html", context, status_code=status_code)


@router.get("/portal/requests/{number}")
def view_request(request: Request, number: int, rt: RuntimeDep, actor: PageCustomer,
                 created: int = 0, replied: int = 0) -> Response:
    return _request_page(request, rt, actor, number, created=bool(created),
                         replied=bool(replied))


@router.post("/portal/requests/{number}/reply")
def reply(request: Request, number: int, rt: RuntimeDep, actor: PageCustomer,
          form: FormData) -> Response:
    _ = gettext_for(request)
    if not 0 < number <= MAX_ID:
        return not_found(request)
    body = text(form, "body")
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = _("Write your reply first.")
    elif len(body) > MAX_BODY_CHARS:
        errors["body"] = _("Keep the reply under %(count)d characters.") % {
            "count": MAX_BODY_CHARS}
    stored = _store_files(form, rt, _, errors)
    if not errors:
        try:
            with rt.db.write() as session:
                ticket = access_ticket_by_number(session, actor, number)
                add_message(session, actor, ticket, body=body, files=stored)
            return redirect(f"/portal/requests/{number}?replied=1#latest")
        except NotFound:
            return not_found(request)
        except RuleError:
            errors["body"] = _("This request is closed, so it cannot get new replies. "
                               "Please submit a new request.")
    return _request_page(request, rt, actor, number, status_code=422, errors=errors,
                         reply=body)


@router.get("/portal/attachments/{attachment_id}")
def download(request: Request, attachment_id: int, rt: RuntimeDep,
             actor: PageCustomer) -> Response:
    if not 0 < attachment_id <= MAX_ID:
        return not_found(request)
    try:
        with rt.db.read() as session:
            attachment = access_attachment(session, actor, attachment_id)
    except NotFound:
        return not_found(request)
    return attachment_response(rt.store, attachment)
