"""Authorization specs of the HTML page routes (agent workspace, admin, portal, sign-in).

Add a spec here for every page route you write; tests/web/test_authorization_matrix.py runs them
for every role x own/other (see tests/web/authz.py for what "own" and "other" mean, and the World
helpers that build tickets, customers, teams... for a role).

On pages everyone signs in with a session cookie; for a POST, put `csrf_token=c.csrf` in the form
(`form(c, ...)`) and the runner sends the matching session. Outcomes: OK (2xx), LOGIN (3xx to a
sign-in page: what PageAgent/PageCustomer do for the wrong kind of visitor), REDIRECT (any 3xx),
HIDDEN (403 or 404), or an exact status.

    Spec("GET", "/agent/tickets/{number}", lambda w, c: Req({"number": w.ticket_number(c)}),
         expect(anonymous=LOGIN, customer=LOGIN, light_agent=OK, partner_agent=(OK, 404),
                agent=OK, admin=OK)),

Until every page route has a spec, the inventory test only lists the missing ones (shown as a
skip reason with `pytest -ra`); set REQUIRE_ALL_PAGES = True to make a missing spec fail.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD
from tests.web.authz import LOGIN, OK, REDIRECT, Ctx, Req, Spec, World, expect

REQUIRE_ALL_PAGES = False

EVERYONE_REDIRECTED = expect(anonymous=REDIRECT, customer=REDIRECT, light_agent=REDIRECT,
                             partner_agent=REDIRECT, agent=REDIRECT, admin=REDIRECT)


def form(c: Ctx, **fields: Any) -> dict[str, Any]:
    """Form fields plus the CSRF token that matches the caller's session."""
    return {"csrf_token": c.csrf, **fields}


def _login(w: World, c: Ctx) -> Req:
    w.reset_rate_limits()
    password = PASSWORD if c.own else "not the password"
    return Req(data=form(c, email=w.cast.agent.email, password=password))


def _login_csrf(w: World, c: Ctx) -> Req:
    w.reset_rate_limits()
    fields = form(c, email=w.cast.agent.email, password=PASSWORD)
    if not c.own:
        fields["csrf_token"] = "forged"
    return Req(data=fields)


def _csrf_only(w: World, c: Ctx) -> Req:
    return Req(data=form(c) if c.own else {"csrf_token": "forged"})


PAGE_SPECS: list[Spec] = [
    Spec("GET", "/", lambda w, c: Req(), EVERYONE_REDIRECTED),
    Spec("GET", "/login", lambda w, c: Req(), expect(
        anonymous=OK, customer=OK, light_agent=REDIRECT, partner_agent=REDIRECT,
        agent=REDIRECT, admin=REDIRECT)),
    Spec("POST", "/login", _login, expect(
        anonymous=(REDIRECT, 401), customer=(REDIRECT, 401), light_agent=(REDIRECT, 401),
        partner_agent=(REDIRECT, 401), agent=(REDIRECT, 401), admin=(REDIRECT, 401)),
        name="password"),
    Spec("POST", "/login", _login_csrf, expect(
        anonymous=(REDIRECT, 403), customer=(REDIRECT, 403), light_agent=(REDIRECT, 403),
        partner_agent=(REDIRECT, 403), agent=(REDIRECT, 403), admin=(REDIRECT, 403)),
        name="csrf"),
    # Nobody in the cast is half-way through two-factor sign-in: everyone goes back to /login.
    Spec("GET", "/login/2fa", lambda w, c: Req(), expect(
        anonymous=LOGIN, customer=LOGIN, light_agent=LOGIN, partner_agent=LOGIN, agent=LOGIN,
        admin=LOGIN)),
    Spec("POST", "/login/2fa", lambda w, c: Req(data=form(c, code="123456")), expect(
        anonymous=LOGIN, customer=LOGIN, light_agent=LOGIN, partner_agent=LOGIN, agent=LOGIN,
        admin=LOGIN)),
    Spec("POST", "/logout", _csrf_only, expect(
        anonymous=(LOGIN, 403), customer=(LOGIN, 403), light_agent=(LOGIN, 403),
        partner_agent=(LOGIN, 403), agent=(LOGIN, 403), admin=(LOGIN, 403))),
]


# --- agent workspace (src/tend/web/agent) ---------------------------------------------------------

AGENTS_SEE = dict(anonymous=LOGIN, customer=LOGIN, light_agent=OK, partner_agent=(OK, 404),
                  agent=OK, admin=OK)
AGENT_WORKERS_ONLY = dict(anonymous=LOGIN, customer=LOGIN, light_agent=403,
                          partner_agent=(REDIRECT, 404), agent=REDIRECT, admin=REDIRECT)


def _number(w: World, ticket_id: int) -> int:
    from tend.tickets.models import Ticket

    with w.rt.db.read() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        return t.number


def _fresh_number(w: World, c: Ctx) -> int:
    return _number(w, w.new_ticket(c))


def _priority(w: World, ticket_id: int) -> str:
    from tend.tickets.models import Ticket

    with w.rt.db.read() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        return t.priority


def _bulk(w: World, c: Ctx) -> Req:
    ticket_id = w.new_ticket(c)
    w._cache["bulk"] = ticket_id
    return Req(data=form(c, ids=str(ticket_id), priority="high", back="/agent"))


def _bulk_untouched(w: World, c: Ctx, response: Any) -> None:
    """A 200 from the bulk form lists failures; the ticket must not have changed."""
    assert _priority(w, w._cache["bulk"]) == "normal", "a refused ticket changed"
    assert "could not be updated" in response.text


def _saved_view(w: World, c: Ctx) -> Req:
    from tend.tickets.models import SavedView

    me = w.person(c.role) if c.role not in ("anonymous", "customer") else w.cast.agent
    owner = me.id if c.own else (w.cast.admin.id if me.id != w.cast.admin.id else w.cast.agent.id)
    with w.rt.db.write() as s:
        view = SavedView(name=w.unique("View "), agent_id=owner, filters={"status": ["new"]})
        s.add(view)
        s.flush()
        return Req({"view_id": view.id}, data=form(c))


def _merge(w: World, c: Ctx) -> Req:
    return Req({"number": _fresh_number(w, c)}, data=form(c, target=str(_fresh_number(w, c))))


def _search_number(w: World, c: Ctx) -> Req:
    return Req(query={"q": f"#{w.ticket_number(c)}"})


def _search_hides(w: World, c: Ctx, response: Any) -> None:
    assert f"/agent/tickets/{w.ticket_number(c)}" not in response.text, "hidden ticket listed"


PAGE_SPECS += [
    Spec("GET", "/agent", lambda w, c: Req(query={"view": "all"}), expect(
        anonymous=LOGIN, customer=LOGIN, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("POST", "/agent/tickets/bulk", _bulk, expect(
        anonymous=LOGIN, customer=LOGIN, light_agent=403, partner_agent=(REDIRECT, OK),
        agent=REDIRECT, admin=REDIRECT), verify=_bulk_untouched),
    Spec("POST", "/agent/views", lambda w, c: Req(data=form(
        c, name="Matrix view", status="unsolved", **({} if c.own else {"shared": "1"}))),
        expect(anonymous=LOGIN, customer=LOGIN, light_agent=(REDIRECT, 403),
               partner_agent=(REDIRECT, 403), agent=(REDIRECT, 403), admin=REDIRECT)),
    Spec("POST", "/agent/views/{view_id}/delete", _saved_view, expect(
        anonymous=LOGIN, customer=LOGIN, light_agent=(REDIRECT, 404),
        partner_agent=(REDIRECT, 404), agent=(REDIRECT, 404), admin=(REDIRECT, 404))),
    Spec("GET", "/agent/tickets/{number}", lambda w, c: Req({"number": w.ticket_number(c)}),
         expect(**AGENTS_SEE)),
    Spec("POST", "/agent/tickets/{number}", lambda w, c: Req(
        {"number": _fresh_number(w, c)}, data=form(c, priority="high")),
        expect(**AGENT_WORKERS_ONLY)),
    Spec("POST", "/agent/tickets/{number}/messages", lambda w, c: Req(
        {"number": _fresh_number(w, c)}, data=form(c, body="Hello", visibility="public")),
        expect(**AGENT_WORKERS_ONLY), name="reply"),
    Spec("POST", "/agent/tickets/{number}/messages", lambda w, c: Req(
        {"number": _fresh_number(w, c)}, data=form(c, body="Psst", visibility="internal")),
        expect(anonymous=LOGIN, customer=LOGIN, light_agent=REDIRECT,
               partner_agent=(REDIRECT, 404), agent=REDIRECT, admin=REDIRECT), name="note"),
    Spec("POST", "/agent/tickets/{number}/merge", _merge, expect(
        anonymous=LOGIN, customer=LOGIN, light_agent=403, partner_agent=(403, 404),
        agent=REDIRECT, admin=REDIRECT)),
    Spec("GET", "/agent/attachments/{attachment_id}",
         lambda w, c: Req({"attachment_id": w.attachment(c, visibility="internal")}),
         expect(**AGENTS_SEE)),
    Spec("GET", "/agent/search", _search_number, expect(
        anonymous=LOGIN, customer=LOGIN, light_agent=REDIRECT, partner_agent=(REDIRECT, OK),
        agent=REDIRECT, admin=REDIRECT), verify=_search_hides),
    Spec("GET", "/agent/customers", lambda w, c: Req(), expect(
        anonymous=LOGIN, customer=LOGIN, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("GET", "/agent/customers/{customer_id}", lambda w, c: Req({"customer_id": w.customer(c)}),
         expect(**AGENTS_SEE)),
    Spec("POST", "/agent/customers/{customer_id}", lambda w, c: Req(
        {"customer_id": w.customer(c)},
        data=form(c, name="Renamed", tier="standard", locale="", time_zone="", tags="",
                  notes="")),
        expect(anonymous=LOGIN, customer=LOGIN, light_agent=403, partner_agent=403,
               agent=REDIRECT, admin=REDIRECT)),
]
