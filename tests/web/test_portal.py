"""The customer portal: magic-link and password sign-in, the request list, submitting requests
(signed in and signed out), one request's public timeline, replies, attachments, languages."""

from __future__ import annotations

import re
from collections import deque
from datetime import timedelta
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update
from starlette.testclient import TestClient

from tend.access import SYSTEM
from tend.attachments.actions import store_uploads
from tend.attachments.files import Upload
from tend.attachments.models import Attachment
from tend.auth import passwords
from tend.auth.actions import create_login_link
from tend.auth.models import LoginLink
from tend.config.actions import update_config
from tend.customers.models import Customer, CustomerIdentity
from tend.db import utcnow
from tend.notify import ConsoleOutbox, Notice
from tend.runtime import Runtime
from tend.tickets import actions as ticket_actions
from tend.tickets.models import Message, Ticket
from tend.web.portal import signin
from tend.web.portal import tickets as portal_tickets
from tests.conftest import Cast, Person, customer_obj

BASE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the cast alone hashes four passwords per test."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", lambda: cheap)


# --- helpers -------------------------------------------------------------------------------------


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return str(match.group(1))


def csrf(client: TestClient, url: str = "/portal/login") -> str:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return hidden(r.text, "csrf_token")


def ask_link(client: TestClient, email: str, *, next: str = "/portal") -> Any:
    token = csrf(client)
    return client.post("/portal/login", data={"csrf_token": token, "method": "link",
                                              "email": email, "next": next})


def link_path(rt: Runtime) -> str:
    link = sent(rt)[-1].link
    assert link and link.startswith(BASE + "/portal/auth/")
    return link[len(BASE):]


def use_link(client: TestClient, path: str) -> Any:
    r = client.get(path)
    assert r.status_code == 200, r.text
    return client.post(path.split("?")[0], data={
        "csrf_token": hidden(r.text, "csrf_token"), "next": hidden(r.text, "next")},
        follow_redirects=False)


def sign_in(client: TestClient, rt: Runtime, person: Person) -> None:
    ask_link(client, person.email)
    r = use_link(client, link_path(rt))
    assert r.status_code == 303


def new_ticket(rt: Runtime, person: Person, subject: str, *, body: str = "Please help.") -> int:
    with rt.db.write() as s:
        requester = s.get(Customer, person.id)
        assert requester is not None
        return ticket_actions.create_ticket(s, SYSTEM, requester=requester, subject=subject,
                                            body=body).number


def ticket_by_number(rt: Runtime, number: int) -> Ticket:
    with rt.db.read() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == number)).one()
        return ticket


def agent_message(rt: Runtime, cast: Cast, number: int, body: str, *,
                  visibility: Literal["public", "internal"],
                  filename: str | None = None, status: str | None = None) -> None:
    files = store_uploads(rt.store, [Upload(filename, "text/plain", body.encode())]) \
        if filename else []
    with rt.db.write() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert cast.agent.actor is not None
        ticket_actions.add_message(s, cast.agent.actor, ticket, body=body, visibility=visibility,
                                   files=files, status=status)


def set_status(rt: Runtime, cast: Cast, number: int, status: str) -> None:
    with rt.db.write() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert cast.agent.actor is not None
        ticket_actions.update_ticket(s, cast.agent.actor, ticket, {"status": status})


def sent(rt: Runtime) -> deque[Notice]:
    assert isinstance(rt.outbox, ConsoleOutbox)
    return rt.outbox.sent


def main_of(html: str) -> str:
    return html[html.index("<main"):]


# --- landing and sign-in -------------------------------------------------------------------------


def test_signed_out_landing_offers_submit_and_sign_in(client: TestClient) -> None:
    r = client.get("/portal")
    assert r.status_code == 200
    assert 'href="/portal/requests/new"' in r.text and 'href="/portal/login"' in r.text
    assert "Tend Support" in r.text  # the helpdesk name from the config


def test_magic_link_signs_in_and_lists_only_own_requests(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    mine = new_ticket(rt, cast.carla, "Broken kettle of Carla")
    new_ticket(rt, cast.dan, "Secret matter of Dan")
    r = ask_link(client, "  Carla@Example.com ")
    assert r.status_code == 200
    assert len(sent(rt)) == 1
    notice = sent(rt)[0]
    assert notice.to == cast.carla.email
    assert notice.link and notice.link in notice.body
    path = link_path(rt)

    # GET only asks for confirmation (mail scanners pre-fetch links): nothing is spent.
    for _ in range(2):
        r = client.get(path)
        assert r.status_code == 200
        assert "Carla Customer" in r.text and f'action="{path}"' in r.text
    assert client.get("/portal").text.count("Broken kettle of Carla") == 0

    r = use_link(client, path)
    assert r.status_code == 303 and r.headers["location"] == "/portal"
    home = client.get("/portal")
    assert "Broken kettle of Carla" in home.text and f"/portal/requests/{mine}" in home.text
    assert "Secret matter of Dan" not in home.text
    assert "Signed in as Carla Customer" in home.text
    with rt.db.read() as s:
        identity = s.scalars(select(CustomerIdentity).where(
            CustomerIdentity.address == cast.carla.email)).one()
        assert identity.verified


def test_link_is_single_use(client: TestClient, rt: Runtime, cast: Cast) -> None:
    ask_link(client, cast.carla.email)
    path = link_path(rt)
    assert use_link(client, path).status_code == 303
    client.cookies.clear()
    r = client.get(path)
    assert r.status_code == 410 and 'href="/portal/login"' in r.text
    # Even a POST with a valid form cannot use it again.
    token = csrf(client)
    r = client.post(path, data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 410 and "tend_session" not in r.headers.get("set-cookie", "")


def test_expired_link_is_refused(client: TestClient, rt: Runtime, cast: Cast) -> None:
    with rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        token = create_login_link(s, carla, cast.carla.email, 600)
        s.execute(update(LoginLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get(f"/portal/auth/{token}").status_code == 410
    form_token = csrf(client)
    r = client.post(f"/portal/auth/{token}", data={"csrf_token": form_token},
                    follow_redirects=False)
    assert r.status_code == 410
    assert "Carla" not in client.get("/portal").text


def test_link_keeps_a_safe_next_only(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = new_ticket(rt, cast.carla, "Where is my parcel")
    ask_link(client, cast.carla.email, next=f"/portal/requests/{number}")
    r = use_link(client, link_path(rt))
    assert r.headers["location"] == f"/portal/requests/{number}"
    client.cookies.clear()
    ask_link(client, cast.carla.email, next="//evil.example/steal")
    assert "evil" not in link_path(rt)
    r = use_link(client, link_path(rt))
    assert r.headers["location"] == "/portal"


def test_unknown_email_gets_the_same_page_and_no_notice(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    known = ask_link(client, cast.carla.email)
    unknown = ask_link(client, "nobody@example.net")
    assert known.status_code == unknown.status_code == 200
    assert (main_of(known.text).replace(cast.carla.email, "@")
            == main_of(unknown.text).replace("nobody@example.net", "@"))
    assert [n.to for n in sent(rt)] == [cast.carla.email]


def test_invalid_email_is_explained(client: TestClient, rt: Runtime) -> None:
    r = ask_link(client, "not an address")
    assert r.status_code == 422
    assert 'role="alert"' in r.text and 'value="not an address"' in r.text
    assert not sent(rt)


def test_magic_links_are_rate_limited_per_email(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    for _ in range(signin.LINKS_PER_EMAIL):
        assert ask_link(client, cast.carla.email).status_code == 200
    r = ask_link(client, cast.carla.email)
    assert r.status_code == 429 and 'role="alert"' in r.text
    assert len(sent(rt)) == signin.LINKS_PER_EMAIL
    # Unknown addresses count too, so the limit tells nothing about who is a customer.
    for _ in range(signin.LINKS_PER_EMAIL):
        ask_link(client, "ghost@example.net")
    assert ask_link(client, "ghost@example.net").status_code == 429


def test_magic_links_are_rate_limited_per_ip(
        client: TestClient, rt: Runtime, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signin, "LINKS_PER_IP", 2)
    assert ask_link(client, "a@example.net").status_code == 200
    assert ask_link(client, "b@example.net").status_code == 200
    assert ask_link(client, cast.carla.email).status_code == 429
    assert not sent(rt)


# --- passwords -----------------------------------------------------------------------------------


def password_form(client: TestClient, password: str, confirm: str | None = None) -> Any:
    token = csrf(client, "/portal/password")
    return client.post("/portal/password", data={
        "csrf_token": token, "password": password,
        "password_confirm": password if confirm is None else confirm}, follow_redirects=False)


def password_login(client: TestClient, email: str, password: str) -> Any:
    token = csrf(client)
    return client.post("/portal/login", data={"csrf_token": token, "method": "password",
                                              "email": email, "password": password},
                       follow_redirects=False)


def test_password_needs_a_signed_in_customer(client: TestClient) -> None:
    r = client.get("/portal/password", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/portal/login")


def test_set_a_password_then_sign_in_with_it(client: TestClient, rt: Runtime, cast: Cast) -> None:
    good = "blue kettle on a quiet sunday"
    assert password_login(client, cast.carla.email, good).status_code == 401
    sign_in(client, rt, cast.carla)
    assert "Set a password" in client.get("/portal/password").text

    r = password_form(client, "short")
    assert r.status_code == 422 and "at least 10 characters" in r.text
    r = password_form(client, good, "something else entirely")
    assert r.status_code == 422 and "not the same" in r.text
    assert customer_obj(rt, cast.carla).password_hash is None

    sent_before = len(sent(rt))
    r = password_form(client, good)
    assert r.status_code == 303
    assert "Your password is saved" in client.get(r.headers["location"]).text
    assert customer_obj(rt, cast.carla).password_hash
    changed = sent(rt)[-1]
    assert len(sent(rt)) == sent_before + 1 and changed.to == cast.carla.email
    assert "password" in changed.subject.lower()
    assert "Change your password" in client.get("/portal/password").text

    client.post("/logout", data={"csrf_token": csrf(client, "/portal")})
    assert "Signed in as" not in client.get("/portal").text
    r = password_login(client, cast.carla.email, "wrong password here")
    assert r.status_code == 401 and "do not match" in r.text
    r = password_login(client, cast.carla.email, good)
    assert r.status_code == 303 and r.headers["location"] == "/portal"
    assert "Signed in as Carla Customer" in client.get("/portal").text


def test_password_sign_in_is_rate_limited(client: TestClient, rt: Runtime, cast: Cast) -> None:
    good = "blue kettle on a quiet sunday"
    sign_in(client, rt, cast.carla)
    assert password_form(client, good).status_code == 303
    client.cookies.clear()
    for _ in range(rt.settings.login_max_attempts):
        assert password_login(client, cast.carla.email, "wrong").status_code == 401
    r = password_login(client, cast.carla.email, good)
    assert r.status_code == 429
    assert "Signed in as" not in client.get("/portal").text


def test_customer_without_password_cannot_sign_in_with_one(
        client: TestClient, cast: Cast) -> None:
    r = password_login(client, cast.dan.email, "")
    assert r.status_code == 401


# --- submitting requests -------------------------------------------------------------------------


def test_submit_a_request_signed_in_with_attachments(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    sign_in(client, rt, cast.carla)
    token = csrf(client, "/portal/requests/new")
    r = client.post("/portal/requests/new", data={
        "csrf_token": token, "subject": "Invoice is wrong", "body": "It says 100 instead of 10."},
        files=[("files", ("invoice.txt", b"total: 100", "text/plain")),
               ("files", ("photo.png", b"\x89PNG fake", "image/png"))],
        follow_redirects=False)
    assert r.status_code == 303, r.text
    number = int(r.headers["location"].split("/")[-1].split("?")[0])
    ticket = ticket_by_number(rt, number)
    assert ticket.requester_id == cast.carla.id and ticket.channel == "web"
    with rt.db.read() as s:
        first = s.scalars(select(Message).where(Message.ticket_id == ticket.id)).one()
        assert first.author_type == "customer" and first.author_customer_id == cast.carla.id
        names = sorted(a.filename for a in first.attachments)
        ids = [a.id for a in first.attachments]
    assert names == ["invoice.txt", "photo.png"]
    page = client.get(r.headers["location"])
    assert "Invoice is wrong" in page.text and 'role="status"' in page.text
    for attachment_id in ids:
        assert f'href="/portal/attachments/{attachment_id}"' in page.text
    download = client.get(f"/portal/attachments/{min(ids)}")
    assert download.status_code == 200 and download.content == b"total: 100"
    assert download.headers["content-disposition"].startswith("attachment;")


def test_submit_keeps_what_was_typed_when_invalid(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    sign_in(client, rt, cast.carla)
    token = csrf(client, "/portal/requests/new")
    r = client.post("/portal/requests/new", data={
        "csrf_token": token, "subject": "", "body": "Typed with care"},
        files=[("files", ("run.exe", b"MZ", "application/octet-stream"))])
    assert r.status_code == 422
    assert "Typed with care" in r.text and 'aria-invalid="true"' in r.text
    assert "run.exe" in r.text  # the refused file is named
    with rt.db.read() as s:
        assert s.scalars(select(Ticket)).first() is None


def test_submit_signed_out_creates_customer_and_sends_a_link(
        client: TestClient, rt: Runtime) -> None:
    token = csrf(client, "/portal/requests/new")
    r = client.post("/portal/requests/new", data={
        "csrf_token": token, "name": "Nina New", "email": "Nina@Example.net",
        "subject": "Cannot log in", "body": "The app says no."},
        files=[("files", ("log.txt", b"error 42", "text/plain"))])
    assert r.status_code == 200, r.text
    ticket = ticket_by_number(rt, 1)
    assert "#1" in r.text and "nina@example.net" in r.text and 'role="status"' in r.text
    with rt.db.read() as s:
        nina = s.get(Customer, ticket.requester_id)
        assert nina is not None and nina.name == "Nina New" and nina.email == "nina@example.net"
        message = s.scalars(select(Message).where(Message.ticket_id == ticket.id)).one()
        assert message.author_type == "customer" and message.author_customer_id == nina.id
        assert [a.filename for a in message.attachments] == ["log.txt"]
    assert ticket.channel == "web"
    notice = sent(rt)[-1]
    assert notice.to == "nina@example.net" and "#1" in notice.subject
    # The link leads to the request, and signs Nina in.
    assert notice.link and notice.link.endswith("?next=/portal/requests/1")
    r = use_link(client, link_path(rt))
    assert r.headers["location"] == "/portal/requests/1"
    assert "Cannot log in" in client.get("/portal/requests/1").text


def test_submit_signed_out_with_a_known_email_files_it_for_that_customer(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    token = csrf(client, "/portal/requests/new")
    r = client.post("/portal/requests/new", data={
        "csrf_token": token, "name": "Someone", "email": cast.carla.email,
        "subject": "Again me", "body": "Hello."})
    assert r.status_code == 200
    assert ticket_by_number(rt, 1).requester_id == cast.carla.id
    assert customer_obj(rt, cast.carla).name == "Carla Customer"  # not renamed
    assert sent(rt)[-1].to == cast.carla.email


def test_signed_out_submissions_are_rate_limited(
        client: TestClient, rt: Runtime, cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    # The magic link shares the per-address limit with the sign-in page...
    for _ in range(signin.LINKS_PER_EMAIL):
        ask_link(client, cast.carla.email)
    links = len(sent(rt))
    token = csrf(client, "/portal/requests/new")
    fields = {"csrf_token": token, "name": "Carla", "email": cast.carla.email,
              "subject": "Hello", "body": "Hello."}
    assert client.post("/portal/requests/new", data=fields).status_code == 200
    assert ticket_by_number(rt, 1).requester_id == cast.carla.id
    assert len(sent(rt)) == links  # filed, but no extra email
    # ...and one network may only send so many requests.
    monkeypatch.setattr(portal_tickets, "SUBMISSIONS_PER_IP", 1)
    r = client.post("/portal/requests/new", data=fields)
    assert r.status_code == 429 and 'role="alert"' in r.text and "Hello." in r.text
    with rt.db.read() as s:
        assert len(s.scalars(select(Ticket)).all()) == 1


def test_signed_out_submission_needs_signup_allowed(client: TestClient, rt: Runtime) -> None:
    with rt.db.write() as s:
        update_config(s, SYSTEM, {"portal_allow_signup": False})
    r = client.get("/portal/requests/new", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/portal/login")
    token = csrf(client)
    r = client.post("/portal/requests/new", data={
        "csrf_token": token, "name": "Nina", "email": "nina@example.net", "subject": "Hi",
        "body": "Hello."}, follow_redirects=False)
    assert r.status_code == 303
    with rt.db.read() as s:
        assert s.scalars(select(Ticket)).first() is None
    assert not sent(rt)


def test_signed_out_submission_validates_name_and_email(client: TestClient, rt: Runtime) -> None:
    token = csrf(client, "/portal/requests/new")
    r = client.post("/portal/requests/new", data={
        "csrf_token": token, "name": "", "email": "nope", "subject": "Hi", "body": "Hello."})
    assert r.status_code == 422
    assert 'id="name-error"' in r.text and 'id="email-error"' in r.text
    assert not sent(rt)


# --- one request ---------------------------------------------------------------------------------


def test_customer_sees_replies_but_never_notes(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = new_ticket(rt, cast.carla, "Refund please")
    agent_message(rt, cast, number, "We sent your refund today.", visibility="public",
                  filename="receipt.txt")
    agent_message(rt, cast, number, "SECRET: customer is a known complainer",
                  visibility="internal", filename="secret-notes.txt")
    with rt.db.read() as s:
        by_name = {a.filename: a.id for a in s.scalars(select(Attachment))}
    sign_in(client, rt, cast.carla)
    page = client.get(f"/portal/requests/{number}")
    assert page.status_code == 200
    assert "We sent your refund today." in page.text and "Alex Agent" in page.text
    assert "SECRET" not in page.text and "secret-notes.txt" not in page.text
    assert f'/portal/attachments/{by_name["receipt.txt"]}"' in page.text
    assert client.get(f"/portal/attachments/{by_name['receipt.txt']}").status_code == 200
    r = client.get(f"/portal/attachments/{by_name['secret-notes.txt']}")
    assert r.status_code == 404 and "SECRET" not in r.text


@pytest.mark.parametrize(("status", "words"), [
    ("open", "Open"), ("pending", "Awaiting your reply"), ("on_hold", "Open"),
    ("solved", "Solved"), ("closed", "Closed")])
def test_status_in_customer_words(client: TestClient, rt: Runtime, cast: Cast, status: str,
                                  words: str) -> None:
    number = new_ticket(rt, cast.carla, "Status check")
    for step in {"open": ["open"], "pending": ["pending"], "on_hold": ["on_hold"],
                 "solved": ["solved"], "closed": ["solved", "closed"]}[status]:
        set_status(rt, cast, number, step)
    sign_in(client, rt, cast.carla)
    for url in ("/portal", f"/portal/requests/{number}"):
        badge = re.search(r'class="portal-status [^"]*">([^<]+)<', client.get(url).text)
        assert badge and badge.group(1) == words


def test_requests_are_listed_newest_first(client: TestClient, rt: Runtime, cast: Cast) -> None:
    for subject in ("First one", "Second one", "Third one"):
        new_ticket(rt, cast.carla, subject)
    sign_in(client, rt, cast.carla)
    text = client.get("/portal").text
    assert text.index("Third one") < text.index("Second one") < text.index("First one")


def test_reply_reopens_a_solved_request(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = new_ticket(rt, cast.carla, "Printer jam")
    agent_message(rt, cast, number, "Try turning it off and on.", visibility="public",
                  status="solved")
    assert ticket_by_number(rt, number).status == "solved"
    sign_in(client, rt, cast.carla)
    page = client.get(f"/portal/requests/{number}")
    assert "opens again" in page.text
    token = hidden(page.text, "csrf_token")
    r = client.post(f"/portal/requests/{number}/reply", data={
        "csrf_token": token, "body": "Still jammed, sorry."},
        files=[("files", ("jam.txt", b"paper everywhere", "text/plain"))],
        follow_redirects=False)
    assert r.status_code == 303 and "replied=1" in r.headers["location"]
    ticket = ticket_by_number(rt, number)
    assert ticket.status == "open" and ticket.reopen_count == 1
    with rt.db.read() as s:
        last = s.scalars(select(Message).where(Message.ticket_id == ticket.id)
                         .order_by(Message.id.desc())).first()
        assert last is not None and last.author_customer_id == cast.carla.id
        assert last.visibility == "public" and [a.filename for a in last.attachments] == [
            "jam.txt"]
    page = client.get(r.headers["location"])
    assert "Still jammed, sorry." in page.text and "Your reply was sent." in page.text


def test_empty_reply_is_refused_and_nothing_is_added(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = new_ticket(rt, cast.carla, "Quiet")
    sign_in(client, rt, cast.carla)
    token = csrf(client, f"/portal/requests/{number}")
    r = client.post(f"/portal/requests/{number}/reply", data={"csrf_token": token, "body": " "})
    assert r.status_code == 422 and 'id="body-error"' in r.text
    assert ticket_by_number(rt, number).message_count == 1


def test_closed_request_cannot_get_replies(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = new_ticket(rt, cast.carla, "Old matter")
    set_status(rt, cast, number, "solved")
    set_status(rt, cast, number, "closed")
    sign_in(client, rt, cast.carla)
    page = client.get(f"/portal/requests/{number}")
    assert "This request is closed" in page.text
    assert f'action="/portal/requests/{number}/reply"' not in page.text
    assert 'href="/portal/requests/new"' in page.text
    token = csrf(client, f"/portal/requests/{number}")
    r = client.post(f"/portal/requests/{number}/reply",
                    data={"csrf_token": token, "body": "Hello?"})
    assert r.status_code == 422 and "closed" in r.text
    assert ticket_by_number(rt, number).message_count == 1


def test_another_customers_request_and_attachment_are_not_found(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    theirs = new_ticket(rt, cast.dan, "Private trouble of Dan")
    agent_message(rt, cast, theirs, "Here is your file, Dan.", visibility="public",
                  filename="dan.txt")
    with rt.db.read() as s:
        dan_file = s.scalars(select(Attachment)).one().id
    sign_in(client, rt, cast.carla)
    r = client.get(f"/portal/requests/{theirs}")
    assert r.status_code == 404 and "Private trouble of Dan" not in r.text
    assert client.get("/portal/requests/999").status_code == 404
    assert client.get(f"/portal/requests/{2**70}").status_code == 404
    assert client.get(f"/portal/attachments/{2**70}").status_code == 404
    r = client.get(f"/portal/attachments/{dan_file}")
    assert r.status_code == 404 and "Here is your file" not in r.text
    token = csrf(client, "/portal")
    r = client.post(f"/portal/requests/{theirs}/reply",
                    data={"csrf_token": token, "body": "Let me in"})
    assert r.status_code == 404
    assert ticket_by_number(rt, theirs).message_count == 2


def test_request_pages_need_a_signed_in_customer(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = new_ticket(rt, cast.carla, "Mine")
    r = client.get(f"/portal/requests/{number}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/portal/login?next=/portal/requests/{number}"


def test_posts_without_csrf_token_are_refused(client: TestClient, rt: Runtime, cast: Cast) -> None:
    r = client.post("/portal/login", data={"method": "link", "email": cast.carla.email})
    assert r.status_code == 403 and not sent(rt)
    number = new_ticket(rt, cast.carla, "Careful")
    sign_in(client, rt, cast.carla)
    r = client.post(f"/portal/requests/{number}/reply", data={"body": "forged"})
    assert r.status_code == 403
    r = client.post("/portal/requests/new", data={"subject": "x", "body": "forged"})
    assert r.status_code == 403
    r = client.post("/portal/password", data={"password": "a very fine password",
                                              "password_confirm": "a very fine password"})
    assert r.status_code == 403
    assert ticket_by_number(rt, number).message_count == 1
    assert customer_obj(rt, cast.carla).password_hash is None


# --- languages -----------------------------------------------------------------------------------


def test_spanish_from_accept_language(client: TestClient, rt: Runtime, cast: Cast) -> None:
    r = client.get("/portal/login", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in r.text
    assert "Iniciar sesión" in r.text and "Enviarme un enlace de acceso" in r.text
    assert "Email me a sign-in link" not in r.text
    # The email is written in the language of the page it was asked from.
    token = hidden(r.text, "csrf_token")
    r = client.post("/portal/login", data={"csrf_token": token, "method": "link",
                                           "email": cast.carla.email},
                    headers={"Accept-Language": "es"})
    assert "Revise su correo electrónico" in r.text
    notice = sent(rt)[-1]
    assert notice.subject == "Su enlace de acceso a Tend Support"
    assert notice.body.startswith("Hola, Carla Customer:") and "caduca dentro de" in notice.body


def test_language_switcher_sets_a_cookie_and_returns_safely(
        client: TestClient, rt: Runtime, cast: Cast) -> None:
    page = client.get("/portal/login?next=/portal/requests/3")
    assert 'href="/portal/lang/de?next=/portal/login%3Fnext%3D/portal/requests/3"' in page.text
    r = client.get("/portal/lang/de?next=/portal/login%3Fnext%3D/portal/requests/3",
                   follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/portal/login?next=/portal/requests/3"
    assert "tend_lang=de" in r.headers["set-cookie"]
    page = client.get("/portal/login")
    assert '<html lang="de">' in page.text and "Anmeldelink per E-Mail senden" in page.text
    r = client.get("/portal/lang/es?next=//evil.example/", follow_redirects=False)
    assert r.headers["location"] == "/portal"
    assert client.get("/portal/lang/xx").status_code == 404


def test_signed_in_pages_in_german(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = new_ticket(rt, cast.carla, "Paket fehlt")
    set_status(rt, cast, number, "pending")
    sign_in(client, rt, cast.carla)
    client.get("/portal/lang/de")
    home = client.get("/portal")
    assert "Meine Anfragen" in home.text and "Wartet auf Ihre Antwort" in home.text
    assert "Abmelden" in home.text
    page = client.get(f"/portal/requests/{number}")
    assert "Antwort senden" in page.text and "Zurück zu meinen Anfragen" in page.text
