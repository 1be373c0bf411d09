"""The authorization matrix: for every route, who may call it on their own and on someone else's
objects, and what they get.

A *spec* declares one way to call a route: the method, the path template (exactly as in
`app.routes`), how to build the request for a role and for "own" or "other" objects, and the
expected outcome per role x (own, other). tests/web/test_authorization_matrix.py runs every spec
and fails when a route of the app has no spec, so a new route cannot ship without one.

API specs live here (`API_SPECS`); HTML page specs live in tests/web/authz_pages.py (`PAGE_SPECS`),
written with the same helpers.

"Own" and "other" depend on the role (see `World`):
- tickets: carla's ticket in the Support team vs dan's ticket in the Returns team; a partner
  agent (Returns) has them the other way round, so "other" is always what a restricted role must
  not reach;
- customers: for the customer role, carla herself vs dan; for a partner, dan (requester of a
  Returns ticket) vs carla (requester of Support tickets only);
- agents and teams: yourself / your team vs someone else / the other team.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.testclient import TestClient

from tend.access import SYSTEM
from tend.attachments.actions import store_uploads
from tend.attachments.files import Upload
from tend.auth.actions import start_session
from tend.auth.models import RateLimitHit
from tend.customers import actions as customer_actions
from tend.models import Agent, Customer
from tend.runtime import Runtime
from tend.tickets import actions as ticket_actions
from tend.tickets.models import Ticket
from tests.conftest import Cast, Person

ROLES = ("anonymous", "customer", "light_agent", "partner_agent", "agent", "admin")
WHOSE = ("own", "other")

# Outcomes. Plain ints are exact statuses.
OK = "ok"  # any 2xx
HIDDEN = "403|404"  # refused either way (the issue allows both)
REDIRECT = "redirect"  # any 3xx
LOGIN = "login"  # a 3xx to a sign-in page (/login or /portal/login)
Outcome = str | int
Expect = dict[str, Outcome | tuple[Outcome, Outcome]]

INBOX_PASSWORD = "matrix-inbox-secret-4711"
PUBLIC_ROUTES = {("GET", "/api/v1/openapi.json"), ("GET", "/api/docs"), ("GET", "/healthz"),
                 ("GET", "/brand.css")}

# WebSocket routes are authorized when they open and for every envelope; each names the test
# (relative to tests/) that checks both for every role.
WEBSOCKETS = {
    "/agent/live": "realtime/test_workspace_socket.py::test_who_may_open_the_workspace_socket",
    "/widget/live": "channels/chat/test_widget_socket.py::test_who_may_open_the_widget_socket",
}

# The chat widget's routes are reached from customers' websites without a session: they are
# authorized by what the request carries (an active chat inbox's key, a visitor token, a signed
# link). Each names the test that checks it.
KEYED_ROUTES = {
    ("GET", "/widget.js"): "channels/chat/test_widget_http.py::test_the_script_is_public",
    ("GET", "/widget/config"):
        "channels/chat/test_widget_http.py::test_config_needs_an_active_inbox_key",
    ("GET", "/widget/demo"):
        "channels/chat/test_widget_http.py::test_config_needs_an_active_inbox_key",
    ("POST", "/widget/uploads"):
        "channels/chat/test_widget_http.py::test_uploads_need_the_visitors_token",
    ("GET", "/widget/files/{attachment_id}"):
        "channels/chat/test_widget_http.py::test_file_links_are_signed",
}


@pytest.fixture
def fast_passwords() -> None:
    """Kept for modules that still use it: tests/conftest.py now makes hashing cheap for all."""


def expect(*, anonymous: Any, customer: Any, light_agent: Any, partner_agent: Any, agent: Any,
           admin: Any) -> Expect:
    """Every role must be spelled out: a spec cannot forget one."""
    return {"anonymous": anonymous, "customer": customer, "light_agent": light_agent,
            "partner_agent": partner_agent, "agent": agent, "admin": admin}


def outcome_for(exp: Expect, role: str, whose: str) -> Outcome:
    value = exp[role]
    if isinstance(value, tuple):
        return value[0] if whose == "own" else value[1]
    return value


def matches(outcome: Outcome, status: int, location: str = "") -> bool:
    if outcome == OK:
        return 200 <= status < 300
    if outcome == HIDDEN:
        return status in (403, 404)
    if outcome == REDIRECT:
        return 300 <= status < 400
    if outcome == LOGIN:
        path = location.split("?", 1)[0]
        return 300 <= status < 400 and path.endswith(("/login", "/portal/login"))
    return status == outcome


@dataclass
class Ctx:
    """Who is calling (role), on which object (own/other), with which CSRF token."""

    role: str
    whose: str
    csrf: str = ""

    @property
    def own(self) -> bool:
        return self.whose == "own"


@dataclass
class Req:
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    data: dict[str, Any] | None = None
    files: Any = None
    query: dict[str, Any] | None = None


Builder = Callable[["World", Ctx], Req]
Verifier = Callable[["World", Ctx, Any], None]


@dataclass
class Spec:
    method: str
    path: str
    build: Builder
    expect: Expect
    name: str = ""
    verify: Verifier | None = None  # extra checks on a response that matched its outcome

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}" + (f" [{self.name}]" if self.name else "")

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


# --- the world the matrix runs in ---------------------------------------------------------------


class World:
    """Objects for own/other, built lazily on the cast (one world per test function)."""

    def __init__(self, rt: Runtime, cast: Cast, client: TestClient) -> None:
        self.rt, self.cast, self.client = rt, cast, client
        self._cache: dict[Any, Any] = {}
        self._counter = itertools.count(1)

    def unique(self, prefix: str = "x") -> str:
        return f"{prefix}{next(self._counter)}{secrets.token_hex(3)}"

    def person(self, role: str) -> Person:
        if role == "customer":
            return self.cast.carla
        if role == "anonymous":
            return self.cast.agent
        return self.cast.by_role(role)

    # tickets
    def _sides(self, role: str) -> tuple[tuple[Person, int], tuple[Person, int]]:
        support = (self.cast.carla, self.cast.support_team)
        returns = (self.cast.dan, self.cast.returns_team)
        return (returns, support) if role == "partner_agent" else (support, returns)

    def new_ticket(self, c: Ctx, *, status: str | None = None, subject: str = "Matrix") -> int:
        requester, team = self._sides(c.role)[0 if c.own else 1]
        with self.rt.db.write() as s:
            customer = s.get(Customer, requester.id)
            assert customer is not None
            t = ticket_actions.create_ticket(s, SYSTEM, requester=customer, subject=subject,
                                             body="Hello there", channel="api", team_id=team)
            if status is not None:
                t.status = status
            return t.id

    def ticket(self, c: Ctx) -> int:
        """A shared ticket (read-only uses); `new_ticket` for anything that changes it."""
        key = ("ticket", c.role == "partner_agent", c.own)
        if key not in self._cache:
            self._cache[key] = self.new_ticket(c)
        return int(self._cache[key])

    def ticket_number(self, c: Ctx) -> int:
        with self.rt.db.read() as s:
            t = s.get(Ticket, self.ticket(c))
            assert t is not None
            return t.number

    def attachment(self, c: Ctx, *, visibility: str = "public") -> int:
        key = ("attachment", c.role == "partner_agent", c.own, visibility)
        if key not in self._cache:
            ticket_id = self.ticket(c)
            files = store_uploads(self.rt.store, [Upload("a.txt", "text/plain", b"secret")])
            with self.rt.db.write() as s:
                t = s.get(Ticket, ticket_id)
                assert t is not None
                m = ticket_actions.add_message(s, SYSTEM, t, body="with a file",
                                               visibility=visibility, files=files)
                s.flush()
                s.refresh(m, ["attachments"])
                self._cache[key] = m.attachments[0].id
        return int(self._cache[key])

    # customers, organizations, agents, teams
    def customer(self, c: Ctx) -> int:
        """The requester of the role's own (or other) ticket, which is made to exist."""
        self.ticket(c)
        first, second = self._sides(c.role)
        return (first if c.own else second)[0].id

    def organization(self, c: Ctx) -> int:
        key = ("org", c.own)
        if key not in self._cache:
            with self.rt.db.write() as s:
                org = customer_actions.create_organization(
                    s, SYSTEM, name=self.unique("Org "), domains=[f"{self.unique('d')}.example"])
                self._cache[key] = org.id
        return int(self._cache[key])

    def agent_id(self, c: Ctx) -> int:
        me = self.person(c.role) if c.role not in ("anonymous", "customer") else self.cast.agent
        if c.own:
            return me.id
        return self.cast.light.id if me.id != self.cast.light.id else self.cast.agent.id

    def team_id(self, c: Ctx) -> int:
        support, returns = self.cast.support_team, self.cast.returns_team
        mine, theirs = (returns, support) if c.role == "partner_agent" else (support, returns)
        return mine if c.own else theirs

    # email: inboxes, stored mail, the original mail of a message
    def inbox(self) -> int:
        """One shared inbox (with both passwords set, so leaks would show)."""
        if "inbox" not in self._cache:
            from tend.channels.email.inboxes import create_inbox

            with self.rt.db.write() as s:
                self._cache["inbox"] = create_inbox(s, SYSTEM, self.rt.settings, {
                    "name": "Matrix inbox", "address": "matrix@shop.example",
                    "team_id": self.cast.support_team, "smtp_host": "smtp.shop.example",
                    "smtp_username": "matrix", "smtp_password": INBOX_PASSWORD,
                    "imap_host": "imap.shop.example", "imap_username": "matrix",
                    "imap_password": INBOX_PASSWORD}).id
        return int(self._cache["inbox"])

    def stored_mail(self, *, status: str = "quarantined") -> int:
        """A fresh stored mail (unique content, so never a duplicate) in `status`."""
        from tend.channels.email import intake
        from tend.channels.email.models import InboundEmail
        from tests.channels.email.mailgen import mail

        raw = mail(subject=self.unique("Stored "), to="matrix@shop.example")
        stored = intake.store(self.rt, raw, intake.Envelope(source="pipe"))
        with self.rt.db.write() as s:
            row = s.get(InboundEmail, stored.inbound_id)
            assert row is not None
            row.status = status
            row.reason = "the sender failed DMARC" if status == "quarantined" else None
        return stored.inbound_id

    def email_message(self, c: Ctx) -> int:
        """The first message of the role's own (other) ticket, made to have come by email."""
        key = ("email_message", c.role == "partner_agent", c.own)
        if key not in self._cache:
            from tend.channels.email.models import InboundEmail

            ticket_id = self.ticket(c)
            inbound_id = self.stored_mail(status="processed")
            with self.rt.db.write() as s:
                t = s.get(Ticket, ticket_id)
                row = s.get(InboundEmail, inbound_id)
                assert t is not None and row is not None
                row.ticket_id, row.message_id = t.id, t.messages[0].id
                self._cache[key] = t.messages[0].id
        return int(self._cache[key])

    def reset_rate_limits(self) -> None:
        with self.rt.db.write() as s:
            s.query(RateLimitHit).delete()

    # credentials
    def session_cookie(self, *, agent_id: int | None = None,
                       customer_id: int | None = None) -> tuple[str, str]:
        """A fresh web session: (cookie token, csrf token)."""
        with self.rt.db.write() as s:
            agent = s.get(Agent, agent_id) if agent_id else None
            customer = s.get(Customer, customer_id) if customer_id else None
            new = start_session(s, agent=agent, customer=customer, max_age_seconds=3600)
            return new.token, new.row.csrf_token

    def credentials(self, role: str, *, api: bool) -> tuple[dict[str, str], str]:
        """Headers for `role` and the CSRF token that goes with them.

        On the API agents use their bearer token; customers (and everyone on pages) use a
        session cookie. Each call makes a new session, so a sign-out cannot spoil the next call.
        """
        if role == "anonymous":
            token = secrets.token_urlsafe(16)
            return {"Cookie": f"tend_csrf={token}"}, token
        if api and role != "customer":
            return dict(self.person(role).headers), ""
        person = self.person(role)
        if role == "customer":
            cookie, csrf = self.session_cookie(customer_id=person.id)
        else:
            cookie, csrf = self.session_cookie(agent_id=person.id)
        return {"Cookie": f"tend_session={cookie}"}, csrf

    def call(self, spec: Spec, role: str, whose: str) -> tuple[Any, Ctx]:
        headers, csrf = self.credentials(role, api=spec.is_api)
        ctx = Ctx(role, whose, csrf)
        req = spec.build(self, ctx)
        if csrf and spec.method not in ("GET", "HEAD"):
            headers["X-CSRF-Token"] = csrf
        self.client.cookies.clear()
        response = self.client.request(
            spec.method, spec.path.format(**req.params), headers=headers, json=req.json,
            data=req.data, files=req.files, params=req.query, follow_redirects=False)
        return response, ctx


def run_spec(world: World, spec: Spec) -> list[str]:
    """Every role x own/other of one spec; returns readable failures (empty when all pass)."""
    failures = []
    for role, whose in itertools.product(ROLES, WHOSE):
        wanted = outcome_for(spec.expect, role, whose)
        response, ctx = world.call(spec, role, whose)
        location = response.headers.get("location", "")
        where = f"{role:>13} {whose:<5}"
        if not matches(wanted, response.status_code, location):
            failures.append(f"{where}: wanted {wanted}, got {response.status_code} "
                            f"{location or response.text[:160]}")
            continue
        if response.status_code >= 500:
            failures.append(f"{where}: server error {response.text[:160]}")
        if spec.is_api and response.status_code >= 400:
            ctype = response.headers.get("content-type", "")
            if ctype != "application/problem+json" or not response.json().get("detail"):
                failures.append(f"{where}: {response.status_code} is not problem+json "
                                f"with a detail ({ctype})")
        if spec.verify is not None and 200 <= response.status_code < 300:
            try:
                spec.verify(world, ctx, response)
            except AssertionError as exc:
                failures.append(f"{where}: {exc}")
    return failures


def all_specs() -> Iterator[Spec]:
    from tests.web.authz_pages import PAGE_SPECS

    yield from API_SPECS
    yield from PAGE_SPECS


# --- API specs ----------------------------------------------------------------------------------

V1 = "/api/v1"
AGENTS_ONLY = {"anonymous": 401, "customer": 403}


def _ticket(w: World, c: Ctx) -> Req:
    return Req({"ticket_id": w.ticket(c)})


def _fresh_ticket(json: Any) -> Builder:
    return lambda w, c: Req({"ticket_id": w.new_ticket(c)}, json=json)


def _create_ticket(w: World, c: Ctx) -> Req:
    body: dict[str, Any] = {"subject": "Matrix", "body": "Please help",
                            "customer": {"email": w.cast.carla.email}}
    if not c.own:
        body["team_id"] = w.team_id(c)  # someone else's team
    return Req(json=body)


def _merge(w: World, c: Ctx) -> Req:
    return Req({"ticket_id": w.new_ticket(c)}, json={"target_id": w.new_ticket(c)})


def _bulk(w: World, c: Ctx) -> Req:
    return Req(json={"ids": [w.new_ticket(c)], "changes": {"priority": "high"}})


def _bulk_verify(w: World, c: Ctx, response: Any) -> None:
    results = response.json()["results"]
    allowed = c.own or c.role in ("agent", "admin")
    assert [r["ok"] for r in results] == [allowed], f"bulk results {results}"


def _message(visibility: str) -> Builder:
    return lambda w, c: Req({"ticket_id": w.new_ticket(c)},
                            json={"body": "A message", "visibility": visibility})


def _messages_verify(w: World, c: Ctx, response: Any) -> None:
    visibilities = {m["visibility"] for m in response.json()["items"]}
    if c.role == "customer":
        assert visibilities <= {"public"}, "a customer got a note"


def _customer(json: Any = None) -> Builder:
    return lambda w, c: Req({"customer_id": w.customer(c)}, json=json)


def _new_customer(w: World, c: Ctx) -> Req:
    return Req(json={"name": "New Person", "email": f"{w.unique('n')}@example.net"})


def _org(json: Any = None) -> Builder:
    return lambda w, c: Req({"organization_id": w.organization(c)}, json=json)


def _agent(json: Any = None) -> Builder:
    return lambda w, c: Req({"agent_id": w.agent_id(c)}, json=json)


def _team(json: Any = None) -> Builder:
    return lambda w, c: Req({"team_id": w.team_id(c)}, json=json)


def _nothing(w: World, c: Ctx) -> Req:
    return Req()


API_SPECS: list[Spec] = [
    # tickets
    Spec("POST", f"{V1}/tickets", _create_ticket, expect(
        anonymous=401, customer=(OK, 403), light_agent=403, partner_agent=(OK, 403), agent=OK,
        admin=OK)),
    Spec("GET", f"{V1}/tickets", _nothing, expect(
        anonymous=401, customer=OK, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("GET", f"{V1}/tickets/{{ticket_id}}", _ticket, expect(
        anonymous=401, customer=(OK, 404), light_agent=OK, partner_agent=(OK, 404), agent=OK,
        admin=OK)),
    Spec("PATCH", f"{V1}/tickets/{{ticket_id}}", _fresh_ticket({"priority": "high"}), expect(
        anonymous=401, customer=(403, HIDDEN), light_agent=403, partner_agent=(OK, 404),
        agent=OK, admin=OK)),
    Spec("POST", f"{V1}/tickets/{{ticket_id}}/merge", _merge, expect(
        anonymous=401, customer=(403, HIDDEN), light_agent=403, partner_agent=(403, HIDDEN),
        agent=OK, admin=OK)),
    Spec("POST", f"{V1}/tickets/bulk", _bulk, expect(
        anonymous=401, customer=403, light_agent=403, partner_agent=OK, agent=OK, admin=OK),
        verify=_bulk_verify),
    Spec("GET", f"{V1}/tickets/{{ticket_id}}/messages", _ticket, expect(
        anonymous=401, customer=(OK, 404), light_agent=OK, partner_agent=(OK, 404), agent=OK,
        admin=OK), verify=_messages_verify),
    Spec("POST", f"{V1}/tickets/{{ticket_id}}/messages", _message("public"), expect(
        anonymous=401, customer=(OK, 404), light_agent=403, partner_agent=(OK, 404), agent=OK,
        admin=OK), name="reply"),
    Spec("POST", f"{V1}/tickets/{{ticket_id}}/messages", _message("internal"), expect(
        anonymous=401, customer=(403, HIDDEN), light_agent=OK, partner_agent=(OK, 404),
        agent=OK, admin=OK), name="note"),
    Spec("GET", f"{V1}/attachments/{{attachment_id}}",
         lambda w, c: Req({"attachment_id": w.attachment(c)}), expect(
             anonymous=401, customer=(OK, 404), light_agent=OK, partner_agent=(OK, 404),
             agent=OK, admin=OK), name="on a reply"),
    Spec("GET", f"{V1}/attachments/{{attachment_id}}",
         lambda w, c: Req({"attachment_id": w.attachment(c, visibility="internal")}), expect(
             anonymous=401, customer=404, light_agent=OK, partner_agent=(OK, 404), agent=OK,
             admin=OK), name="on a note"),
    # customers
    Spec("GET", f"{V1}/customers", _nothing, expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("POST", f"{V1}/customers", _new_customer, expect(
        **AGENTS_ONLY, light_agent=403, partner_agent=403, agent=OK, admin=OK)),
    Spec("GET", f"{V1}/customers/{{customer_id}}", _customer(), expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=(OK, 404), agent=OK, admin=OK)),
    Spec("PATCH", f"{V1}/customers/{{customer_id}}", _customer({"notes": "VIP"}), expect(
        **AGENTS_ONLY, light_agent=403, partner_agent=(403, HIDDEN), agent=OK, admin=OK)),
    # organizations
    Spec("GET", f"{V1}/organizations", _nothing, expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=403, agent=OK, admin=OK)),
    Spec("POST", f"{V1}/organizations", lambda w, c: Req(json={"name": w.unique("Org ")}),
         expect(**AGENTS_ONLY, light_agent=403, partner_agent=403, agent=OK, admin=OK)),
    Spec("GET", f"{V1}/organizations/{{organization_id}}", _org(), expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=403, agent=OK, admin=OK)),
    Spec("PATCH", f"{V1}/organizations/{{organization_id}}", _org({"notes": "Key account"}),
         expect(**AGENTS_ONLY, light_agent=403, partner_agent=403, agent=OK, admin=OK)),
    # agents
    Spec("GET", f"{V1}/agents", _nothing, expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("POST", f"{V1}/agents",
         lambda w, c: Req(json={"email": f"{w.unique('a')}@tend.example", "name": "New Agent"}),
         expect(**AGENTS_ONLY, light_agent=403, partner_agent=403, agent=403, admin=OK)),
    Spec("GET", f"{V1}/agents/{{agent_id}}", _agent(), expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("PATCH", f"{V1}/agents/{{agent_id}}", _agent({"signature": "Cheers"}), expect(
        **AGENTS_ONLY, light_agent=403, partner_agent=403, agent=403, admin=OK)),
    # teams
    Spec("GET", f"{V1}/teams", _nothing, expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("POST", f"{V1}/teams", lambda w, c: Req(json={"name": w.unique("Team ")}), expect(
        **AGENTS_ONLY, light_agent=403, partner_agent=403, agent=403, admin=OK)),
    Spec("GET", f"{V1}/teams/{{team_id}}", _team(), expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("PATCH", f"{V1}/teams/{{team_id}}", _team({"description": "Front line"}), expect(
        **AGENTS_ONLY, light_agent=403, partner_agent=403, agent=403, admin=OK)),
]

# email inboxes and stored mail: admins only, whose or whichever

ADMINS_ONLY_API = dict(**AGENTS_ONLY, light_agent=403, partner_agent=403, agent=403)


def _inbox(json: Any = None) -> Builder:
    return lambda w, c: Req({"inbox_id": w.inbox()}, json=json)


def _no_password(w: World, c: Ctx, response: Any) -> None:
    assert INBOX_PASSWORD not in response.text and "fernet:" not in response.text, \
        "a password (or its sealed form) was returned"


def _with(make: Callable[[World], Any]) -> Builder:
    """A request without parameters, once `make` has put something to list in place."""
    def build(w: World, c: Ctx) -> Req:
        make(w)
        return Req()

    return build


def _mail(status: str = "quarantined") -> Builder:
    return lambda w, c: Req({"inbound_id": w.stored_mail(status=status)})


API_SPECS += [
    Spec("GET", f"{V1}/inboxes", _with(World.inbox),
         expect(**ADMINS_ONLY_API, admin=OK), verify=_no_password),
    Spec("POST", f"{V1}/inboxes", lambda w, c: Req(json={
        "name": "Matrix", "address": f"{w.unique('in')}@shop.example",
        "smtp_password": INBOX_PASSWORD}), expect(**ADMINS_ONLY_API, admin=OK),
        verify=_no_password),
    Spec("GET", f"{V1}/inboxes/{{inbox_id}}", _inbox(), expect(**ADMINS_ONLY_API, admin=OK),
         verify=_no_password),
    Spec("PATCH", f"{V1}/inboxes/{{inbox_id}}", _inbox({"from_name": "Matrix desk"}),
         expect(**ADMINS_ONLY_API, admin=OK), verify=_no_password),
    Spec("GET", f"{V1}/mail", _with(World.stored_mail),
         expect(**ADMINS_ONLY_API, admin=OK)),
    Spec("GET", f"{V1}/mail/{{inbound_id}}", _mail(), expect(**ADMINS_ONLY_API, admin=OK)),
    Spec("GET", f"{V1}/mail/{{inbound_id}}/raw", _mail(), expect(**ADMINS_ONLY_API, admin=OK)),
    Spec("POST", f"{V1}/mail/{{inbound_id}}/reprocess", _mail(),
         expect(**ADMINS_ONLY_API, admin=OK)),
    Spec("POST", f"{V1}/mail/{{inbound_id}}/release", _mail(),
         expect(**ADMINS_ONLY_API, admin=OK)),
    Spec("POST", f"{V1}/mail/{{inbound_id}}/discard", _mail(),
         expect(**ADMINS_ONLY_API, admin=OK)),
]

# chat: inboxes (admins), presence, the queue and offers (agents), one chat (who sees it)


def chat_inbox(w: World, team_id: int | None = None) -> int:
    """A shared chat inbox of a team (one per team)."""
    key = ("chat_inbox", team_id)
    if key not in w._cache:
        from tend.channels.chat.inboxes import create_inbox

        with w.rt.db.write() as s:
            w._cache[key] = create_inbox(s, SYSTEM, name=w.unique("Chat "), team_id=team_id).id
    return int(w._cache[key])


def new_chat(w: World, c: Ctx) -> int:
    """A fresh queued chat of the role's own (or other) team, like `World.new_ticket`."""
    from tend.channels.chat import conversations
    from tend.channels.chat.models import ChatInbox

    inbox_id = chat_inbox(w, w.team_id(c))
    with w.rt.db.write() as s:
        inbox = s.get(ChatInbox, inbox_id)
        assert inbox is not None
        visitor = conversations.recognise(s, w.rt.settings.signing_key(), inbox, None, None)
        ticket, _ = conversations.start(s, inbox, visitor, body="Hello, anyone there?",
                                        client_id="m1")
        return ticket.id


def _chat(w: World, c: Ctx) -> Req:
    key = ("chat", c.role == "partner_agent", c.own)
    if key not in w._cache:
        w._cache[key] = new_chat(w, c)
    return Req({"ticket_id": w._cache[key]})


def _fresh_chat(json: Any = None) -> Builder:
    return lambda w, c: Req({"ticket_id": new_chat(w, c)}, json=json)


def _chat_transfer(w: World, c: Ctx) -> Req:
    return Req({"ticket_id": new_chat(w, c)}, json={"team_id": w.team_id(c)})


def _offer(w: World, c: Ctx) -> Req:
    """own: an offer made to the caller; other: to another agent (both of a chat the caller
    sees)."""
    from datetime import timedelta

    from tend.channels.chat.models import ChatOffer
    from tend.db import utcnow

    agent = w.agent_id(Ctx(c.role if c.role not in ("anonymous", "customer") else "agent",
                           c.whose))
    ticket_id = new_chat(w, Ctx(c.role, "own"))
    with w.rt.db.write() as s:
        offer = ChatOffer(ticket_id=ticket_id, agent_id=agent, state="pending",
                          expires_at=utcnow() + timedelta(minutes=5))
        s.add(offer)
        s.flush()
        return Req({"offer_id": offer.id})


def _chat_inbox_req(json: Any = None) -> Builder:
    return lambda w, c: Req({"inbox_id": chat_inbox(w)}, json=json)


def _no_identity_secret(w: World, c: Ctx, response: Any) -> None:
    body = response.json()
    for item in body.get("items", [body]):
        assert "identity_secret" not in item, "a list or a change showed the identity secret"


def _identity_secret(w: World, c: Ctx, response: Any) -> None:
    assert len(response.json()["identity_secret"]) == 64, "no identity secret"


def _two_sided_queue(w: World, c: Ctx) -> Req:
    for whose in WHOSE:
        _chat(w, Ctx(c.role, whose))
    return Req()


def _queue_verify(w: World, c: Ctx, response: Any) -> None:
    teams = {item["ticket"]["team"]["id"] for item in response.json()["items"]}
    if c.role == "partner_agent":
        assert teams == {w.cast.returns_team}, f"a partner's queue shows teams {teams}"
    else:
        assert {w.cast.support_team, w.cast.returns_team} <= teams, f"queue teams {teams}"


AGENTS_ALL = dict(**AGENTS_ONLY, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)
CHAT_WORKERS = dict(**AGENTS_ONLY, light_agent=403, partner_agent=(OK, 404), agent=OK,
                    admin=OK)

API_SPECS += [
    Spec("GET", f"{V1}/chat/inboxes", _with(chat_inbox), expect(**ADMINS_ONLY_API, admin=OK),
         verify=_no_identity_secret),
    Spec("POST", f"{V1}/chat/inboxes", lambda w, c: Req(json={"name": w.unique("Chat ")}),
         expect(**ADMINS_ONLY_API, admin=OK), verify=_no_identity_secret),
    Spec("GET", f"{V1}/chat/inboxes/{{inbox_id}}", _chat_inbox_req(),
         expect(**ADMINS_ONLY_API, admin=OK), verify=_identity_secret),
    Spec("PATCH", f"{V1}/chat/inboxes/{{inbox_id}}", _chat_inbox_req({"greeting": "Hi!"}),
         expect(**ADMINS_ONLY_API, admin=OK), verify=_no_identity_secret),
    Spec("POST", f"{V1}/chat/inboxes/{{inbox_id}}/identity-secret", _chat_inbox_req(),
         expect(**ADMINS_ONLY_API, admin=OK), verify=_identity_secret),
    Spec("GET", f"{V1}/chat/presence", _nothing, expect(**AGENTS_ALL)),
    Spec("PUT", f"{V1}/chat/presence", lambda w, c: Req(json={"status": "away"}),
         expect(**AGENTS_ALL), name="away"),
    Spec("PUT", f"{V1}/chat/presence", lambda w, c: Req(json={"status": "online"}),
         expect(**{**AGENTS_ALL, "light_agent": 403}), name="online"),
    Spec("GET", f"{V1}/chat/queue", _two_sided_queue, expect(**AGENTS_ALL),
         verify=_queue_verify),
    Spec("GET", f"{V1}/chat/offers", _nothing, expect(**AGENTS_ALL)),
    Spec("POST", f"{V1}/chat/offers/{{offer_id}}/decline", _offer, expect(
        **AGENTS_ONLY, light_agent=(OK, 404), partner_agent=(OK, 404), agent=(OK, 404),
        admin=(OK, 404))),
    Spec("GET", f"{V1}/chat/conversations/{{ticket_id}}", _chat, expect(
        **AGENTS_ONLY, light_agent=OK, partner_agent=(OK, 404), agent=OK, admin=OK)),
    Spec("POST", f"{V1}/chat/conversations/{{ticket_id}}/accept", _fresh_chat(),
         expect(**CHAT_WORKERS)),
    Spec("POST", f"{V1}/chat/conversations/{{ticket_id}}/transfer", _chat_transfer,
         expect(**CHAT_WORKERS)),
    Spec("POST", f"{V1}/chat/conversations/{{ticket_id}}/end", _fresh_chat(),
         expect(**CHAT_WORKERS)),
]
