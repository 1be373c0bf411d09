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
from tests.web.authz import LOGIN, OK, REDIRECT, Ctx, Req, Spec, World, chat_inbox, expect

REQUIRE_ALL_PAGES = True

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
# --- admin (src/tend/web/admin) and the agent's own account (src/tend/web/account.py) -----------

ADMINS_ONLY = dict(anonymous=LOGIN, customer=LOGIN, light_agent=403, partner_agent=403, agent=403)
EVERY_AGENT = dict(anonymous=LOGIN, customer=LOGIN)


def _agent_form(w: World, c: Ctx) -> Req:
    """The agent's current values (own: the caller), so the admin's save succeeds."""
    from tend.agents.models import Agent

    agent_id = w.agent_id(c)
    with w.rt.db.read() as s:
        a = s.get(Agent, agent_id)
        assert a is not None
        fields = {"email": a.email, "name": a.name, "role": a.role, "is_active": "1",
                  "team_ids[]": [str(t) for t in sorted(a.team_ids)]}
    return Req({"agent_id": agent_id}, data=form(c, **fields))


def _custom_field(w: World) -> int:
    if "custom_field" not in w._cache:
        from tend.access import SYSTEM
        from tend.tickets.fields import create_custom_field

        with w.rt.db.write() as s:
            w._cache["custom_field"] = create_custom_field(
                s, SYSTEM, key="size", label="Size", type="dropdown", options=["s", "l"]).id
    return int(w._cache["custom_field"])


def _field_form(c: Ctx, **extra: Any) -> dict[str, Any]:
    return form(c, label=f"Size {c.role} {c.whose}", type="dropdown", options="s\nl",
                active="1", position="0", **extra)


def _settings_form(w: World, c: Ctx) -> Req:
    return Req(data=form(c, helpdesk_name="Matrix desk", customer_label="guest",
                         customer_label_plural="guests", tiers="standard | Standard",
                         brand_color="#123456"))


def _password_form(w: World, c: Ctx) -> Req:
    current = PASSWORD if c.own else "not the password"
    return Req(data=form(c, current_password=current, new_password="a new long password",
                         confirm_password="a new long password"))


def _token_id(w: World, c: Ctx) -> Req:
    """own: a token of the caller; other: a token of another agent (hidden: 404)."""
    from tend.agents.models import Agent
    from tend.auth.actions import create_api_token

    owner = w.agent_id(Ctx(c.role if c.role not in ("anonymous", "customer") else "agent",
                           c.whose))
    with w.rt.db.write() as s:
        agent = s.get(Agent, owner)
        assert agent is not None
        create_api_token(s, agent, "matrix")
        from tend.auth.queries import api_tokens_of

        return Req({"token_id": api_tokens_of(s, owner)[0].id}, data=form(c))


PAGE_SPECS += [
    Spec("GET", "/admin", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/admin/agents", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/admin/agents/new", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/agents/new", lambda w, c: Req(data=form(
        c, email=f"{w.unique('new')}@tend.example", name="New Agent", role="agent",
        password="a long enough password", is_active="1")),
        expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/agents/{agent_id}", lambda w, c: Req({"agent_id": w.agent_id(c)}),
         expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/agents/{agent_id}", _agent_form, expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("POST", "/admin/agents/{agent_id}/2fa/disable",
         lambda w, c: Req({"agent_id": w.agent_id(c)}, data=form(c)),
         expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/teams", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/admin/teams/new", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/teams/new", lambda w, c: Req(data=form(c, name=w.unique("Team "))),
         expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/teams/{team_id}", lambda w, c: Req({"team_id": w.team_id(c)}),
         expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/teams/{team_id}", lambda w, c: Req(
        {"team_id": w.team_id(c)}, data=form(c, name=w.unique("Team "), description="")),
        expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/fields", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/admin/fields/new", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/fields/new", lambda w, c: Req(
        data=_field_form(c, key=w.unique("f"))), expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/fields/{field_id}", lambda w, c: Req({"field_id": _custom_field(w)}),
         expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/fields/{field_id}", lambda w, c: Req(
        {"field_id": _custom_field(w)}, data=_field_form(c)),
        expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/settings", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/settings", _settings_form, expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/roles", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/agent/account", lambda w, c: Req(), expect(
        **EVERY_AGENT, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("POST", "/agent/account/password", _password_form, expect(
        **EVERY_AGENT, light_agent=(REDIRECT, 422), partner_agent=(REDIRECT, 422),
        agent=(REDIRECT, 422), admin=(REDIRECT, 422))),
    Spec("POST", "/agent/account/2fa/start", lambda w, c: Req(data=form(c)), expect(
        **EVERY_AGENT, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    # Without a set-up signed for the caller, enabling is refused for everyone.
    Spec("POST", "/agent/account/2fa/enable", lambda w, c: Req(data=form(
        c, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", signature="0" * 64, code="123456")),
        expect(**EVERY_AGENT, light_agent=422, partner_agent=422, agent=422, admin=422)),
    Spec("POST", "/agent/account/2fa/disable", lambda w, c: Req(data=form(
        c, current_password=PASSWORD if c.own else "not the password")), expect(
        **EVERY_AGENT, light_agent=(REDIRECT, 422), partner_agent=(REDIRECT, 422),
        agent=(REDIRECT, 422), admin=(REDIRECT, 422))),
    Spec("POST", "/agent/account/tokens", lambda w, c: Req(data=form(c, name="matrix")), expect(
        **EVERY_AGENT, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)),
    Spec("POST", "/agent/account/tokens/{token_id}/revoke", _token_id, expect(
        **EVERY_AGENT, light_agent=(REDIRECT, 404), partner_agent=(REDIRECT, 404),
        agent=(REDIRECT, 404), admin=(REDIRECT, 404))),
]


# --- email inboxes and the mail quarantine (admin), the original mail of a message (agents) ------

INBOX_FORM = dict(smtp_port="587", smtp_security="starttls", imap_port="993",
                  imap_security="tls", imap_folder="INBOX", active="1")


def _inbox_form(w: World, c: Ctx) -> Req:
    return Req({"inbox_id": w.inbox()}, data=form(
        c, name="Matrix inbox", address="matrix@shop.example", from_name=f"{c.role} {c.whose}",
        team_id=str(w.cast.support_team), smtp_host="smtp.shop.example", smtp_username="matrix",
        imap_host="imap.shop.example", imap_username="matrix", **INBOX_FORM))


def _new_inbox_form(w: World, c: Ctx) -> Req:
    return Req(data=form(c, name="New inbox", address=f"{w.unique('in')}@shop.example",
                         team_id="none", **INBOX_FORM))


def _quarantined(w: World, c: Ctx) -> Req:
    return Req({"inbound_id": w.stored_mail()}, data=form(c))


def _discard(w: World, c: Ctx) -> Req:
    return Req(data=form(c, **{"ids[]": [str(w.stored_mail())]}))


PAGE_SPECS += [
    Spec("GET", "/admin/inboxes", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/admin/inboxes/new", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/inboxes/new", _new_inbox_form, expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/inboxes/{inbox_id}", lambda w, c: Req({"inbox_id": w.inbox()}),
         expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/inboxes/{inbox_id}", _inbox_form, expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/mail", lambda w, c: Req(query={"status": "quarantined"}),
         expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/admin/mail/{inbound_id}", _quarantined, expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/admin/mail/{inbound_id}/raw", _quarantined, expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/mail/{inbound_id}/reprocess", _quarantined,
         expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/mail/{inbound_id}/release", _quarantined,
         expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/mail/{inbound_id}/release", _quarantined,
         expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("POST", "/admin/mail/discard", _discard, expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/agent/messages/{message_id}/original",
         lambda w, c: Req({"message_id": w.email_message(c)}), expect(**AGENTS_SEE)),
]


# --- chat inboxes (admin) -------------------------------------------------------------------------


def _chat_form(w: World, c: Ctx, *, name: str) -> dict[str, Any]:
    return form(c, name=name, team_id=str(w.cast.support_team), active="1", prechat="optional",
                tz="UTC", **{"mon_from[]": ["09:00"], "mon_to[]": ["17:00"]},
                offer_timeout_seconds="30")


def _chat_inbox_id(w: World, c: Ctx) -> dict[str, Any]:
    return {"chat_inbox_id": chat_inbox(w)}


PAGE_SPECS += [
    Spec("GET", "/admin/chat", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("GET", "/admin/chat/new", lambda w, c: Req(), expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/chat/new", lambda w, c: Req(data=_chat_form(w, c, name="New chat")),
         expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("GET", "/admin/chat/{chat_inbox_id}", lambda w, c: Req(_chat_inbox_id(w, c)),
         expect(**ADMINS_ONLY, admin=OK)),
    Spec("POST", "/admin/chat/{chat_inbox_id}", lambda w, c: Req(
        _chat_inbox_id(w, c), data=_chat_form(w, c, name=f"{c.role} {c.whose}")),
        expect(**ADMINS_ONLY, admin=REDIRECT)),
    Spec("POST", "/admin/chat/{chat_inbox_id}/identity-secret", lambda w, c: Req(
        _chat_inbox_id(w, c), data=form(c, confirm="1")), expect(**ADMINS_ONLY, admin=REDIRECT)),
]


# --- customer portal (src/tend/web/portal) -------------------------------------------------------

CUSTOMER_ONLY = dict(anonymous=LOGIN, light_agent=LOGIN, partner_agent=LOGIN, agent=LOGIN,
                     admin=LOGIN)
ANYONE = dict(anonymous=OK, customer=OK, light_agent=OK, partner_agent=OK, agent=OK, admin=OK)


def _login_link(w: World, c: Ctx) -> str:
    """Own: a valid link for Carla; other: a token that was never issued."""
    if not c.own:
        return "never-issued-token"
    from tend.auth.actions import create_login_link
    from tend.customers.models import Customer

    with w.rt.db.write() as s:
        carla = s.get(Customer, w.cast.carla.id)
        assert carla is not None
        return create_login_link(s, carla, w.cast.carla.email, 600)


def _portal_number(w: World, c: Ctx) -> int:
    """Own: Carla's ticket; other: Dan's (whatever the caller's role)."""
    from tend.tickets.models import Ticket

    ticket_id = w.new_ticket(Ctx(role="customer", whose=c.whose, csrf=c.csrf))
    with w.rt.db.read() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        return t.number


def _portal_login(w: World, c: Ctx) -> Req:
    """Own: a proper sign-in link request; other: the same with a forged CSRF token."""
    w.reset_rate_limits()
    fields = form(c, email=w.cast.carla.email)
    if not c.own:
        fields["csrf_token"] = "forged"
    return Req(data=fields)


def _portal_new_request(w: World, c: Ctx) -> Req:
    w.reset_rate_limits()
    return Req(data=form(c, subject="Help", body="Please help me", name="Visitor",
                         email=f"{w.unique('v')}@example.com"))


def _portal_attachment(w: World, c: Ctx) -> int:
    return w.attachment(Ctx(role="customer", whose=c.whose, csrf=c.csrf))


PAGE_SPECS += [
    Spec("GET", "/portal", lambda w, c: Req(), expect(**ANYONE)),
    Spec("GET", "/portal/login", lambda w, c: Req(), expect(
        anonymous=OK, customer=REDIRECT, light_agent=OK, partner_agent=OK, agent=OK,
        admin=OK)),
    Spec("POST", "/portal/login", lambda w, c: _portal_login(w, c),
         expect(anonymous=(OK, 403), customer=(OK, 403), light_agent=(OK, 403),
                partner_agent=(OK, 403), agent=(OK, 403), admin=(OK, 403))),
    Spec("GET", "/portal/auth/{token}", lambda w, c: Req({"token": _login_link(w, c)}),
         expect(anonymous=(OK, 410), customer=(OK, 410), light_agent=(OK, 410),
                partner_agent=(OK, 410), agent=(OK, 410), admin=(OK, 410))),
    Spec("POST", "/portal/auth/{token}", lambda w, c: Req({"token": _login_link(w, c)},
                                                          data=form(c)),
         expect(anonymous=(REDIRECT, 410), customer=(REDIRECT, 410),
                light_agent=(REDIRECT, 410), partner_agent=(REDIRECT, 410),
                agent=(REDIRECT, 410), admin=(REDIRECT, 410))),
    Spec("GET", "/portal/lang/{code}", lambda w, c: Req({"code": "es" if c.own else "xx"}),
         expect(anonymous=(REDIRECT, 404), customer=(REDIRECT, 404),
                light_agent=(REDIRECT, 404), partner_agent=(REDIRECT, 404),
                agent=(REDIRECT, 404), admin=(REDIRECT, 404))),
    Spec("GET", "/portal/password", lambda w, c: Req(), expect(customer=OK, **CUSTOMER_ONLY)),
    Spec("POST", "/portal/password", lambda w, c: Req(data=form(
        c, password="a much longer password", password_confirm="a much longer password")),
        expect(customer=REDIRECT, **CUSTOMER_ONLY)),
    Spec("GET", "/portal/requests/new", lambda w, c: Req(), expect(**ANYONE)),
    Spec("POST", "/portal/requests/new", lambda w, c: _portal_new_request(w, c),
         expect(anonymous=OK, customer=REDIRECT, light_agent=OK, partner_agent=OK, agent=OK,
                admin=OK)),
    Spec("GET", "/portal/requests/{number}", lambda w, c: Req({"number": _portal_number(w, c)}),
         expect(customer=(OK, 404), **CUSTOMER_ONLY)),
    Spec("POST", "/portal/requests/{number}/reply", lambda w, c: Req(
        {"number": _portal_number(w, c)}, data=form(c, body="Thanks, one more thing")),
        expect(customer=(REDIRECT, 404), **CUSTOMER_ONLY)),
    Spec("GET", "/portal/attachments/{attachment_id}",
         lambda w, c: Req({"attachment_id": _portal_attachment(w, c)}),
         expect(customer=(OK, 404), **CUSTOMER_ONLY)),
]
