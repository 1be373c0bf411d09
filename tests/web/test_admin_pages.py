"""The admin pages: admins only, and each form really changes what it says it does."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tend.access import ROLE_PERMISSIONS, Permission
from tend.agents.models import Agent, Role, Team
from tend.auth.totp import new_secret
from tend.config.queries import get_config
from tend.runtime import Runtime
from tend.tickets.models import CustomField
from tests.conftest import PASSWORD, Cast

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the login form; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    assert not r.headers["location"].startswith("/login"), "sign-in wanted a second factor"
    return csrf_of(client.get("/agent/account").text)


def admin_routes(cast: Cast) -> list[tuple[str, str]]:
    return [("GET", "/admin"), ("GET", "/admin/agents"), ("GET", "/admin/agents/new"),
            ("POST", "/admin/agents/new"), ("GET", f"/admin/agents/{cast.agent.id}"),
            ("POST", f"/admin/agents/{cast.agent.id}"),
            ("POST", f"/admin/agents/{cast.agent.id}/2fa/disable"),
            ("GET", "/admin/teams"), ("GET", "/admin/teams/new"), ("POST", "/admin/teams/new"),
            ("GET", f"/admin/teams/{cast.support_team}"),
            ("POST", f"/admin/teams/{cast.support_team}"),
            ("GET", "/admin/fields"), ("GET", "/admin/fields/new"),
            ("POST", "/admin/fields/new"), ("GET", "/admin/fields/1"),
            ("POST", "/admin/fields/1"), ("GET", "/admin/settings"),
            ("POST", "/admin/settings"), ("GET", "/admin/roles")]


def _make_field(rt: Runtime, cast: Cast) -> int:
    from tend.tickets.fields import create_custom_field

    assert cast.admin.actor is not None
    with rt.db.write() as s:
        return create_custom_field(s, cast.admin.actor, key="size", label="Size",
                                   type="dropdown", options=["small", "large"]).id


def test_admin_pages_redirect_signed_out_visitors_to_sign_in(client: TestClient, cast: Cast,
                                                             rt: Runtime) -> None:
    _make_field(rt, cast)
    for method, path in admin_routes(cast):
        r = client.request(method, path, follow_redirects=False)
        assert r.status_code == 303, (method, path, r.status_code)
        assert r.headers["location"] == f"/login?next={path}", (method, path)


@pytest.mark.parametrize("role", ["agent", "light_agent", "partner_agent"])
def test_admin_pages_refuse_other_roles(client: TestClient, cast: Cast, rt: Runtime,
                                        role: str) -> None:
    field_id = _make_field(rt, cast)
    assert field_id == 1
    person = cast.by_role(role)
    token = sign_in(client, person.email)
    payload = {"csrf_token": token, "email": "new@tend.example", "name": "Mallory",
               "role": "admin", "password": "a long enough password", "label": "Hacked",
               "key": "hacked", "type": "text", "helpdesk_name": "Hacked",
               "member_ids[]": [str(person.id)], "team_ids[]": [str(cast.support_team)]}
    for method, path in admin_routes(cast):
        r = client.request(method, path, data=payload if method == "POST" else None,
                           follow_redirects=False)
        assert r.status_code == 403, (method, path, r.status_code)
        assert "Forbidden" in r.text
    with rt.db.read() as s:
        assert s.scalar(select(Agent).where(Agent.email == "new@tend.example")) is None
        assert s.get(Agent, person.id).role == role  # type: ignore[union-attr]
        assert get_config(s).helpdesk_name != "Hacked"
        assert [f.label for f in s.scalars(select(CustomField))] == ["Size"]
    # …and the layout does not offer them the admin link.
    assert 'href="/admin"' not in client.get("/agent/account").text


def test_admin_forms_need_the_csrf_token(client: TestClient, cast: Cast, rt: Runtime) -> None:
    sign_in(client, cast.admin.email)
    r = client.post("/admin/agents/new", data={"email": "new@tend.example", "name": "N",
                                               "role": "agent", "password": "a fine password"})
    assert r.status_code == 403
    r = client.post("/admin/settings", data={"csrf_token": "forged", "helpdesk_name": "X"})
    assert r.status_code == 403
    with rt.db.read() as s:
        assert s.scalar(select(Agent).where(Agent.email == "new@tend.example")) is None


def test_overview_counts_and_links(client: TestClient, cast: Cast, rt: Runtime) -> None:
    _make_field(rt, cast)
    sign_in(client, cast.admin.email)
    r = client.get("/admin")
    assert r.status_code == 200
    html = r.text
    assert re.search(r'class="count">4</strong> agents', html)
    assert re.search(r'class="count">2</strong> teams', html)
    assert re.search(r'class="count">1</strong> custom fields', html)
    for href in ("/admin/agents", "/admin/teams", "/admin/fields", "/admin/settings",
                 "/admin/roles"):
        assert f'href="{href}"' in html
    assert 'aria-current="page">Admin' in html


def test_admin_creates_an_agent_who_can_then_sign_in(client: TestClient, cast: Cast,
                                                     rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    page = client.get("/admin/agents/new").text
    for role in Role:
        assert f'value="{role.value}"' in page
    assert "Reads every ticket and writes internal notes only" in page
    r = client.post("/admin/agents/new", data={
        "csrf_token": token, "email": "Nina@Tend.example", "name": "Nina New",
        "role": "partner_agent", "team_ids[]": [str(cast.returns_team)],
        "password": "nina's long password", "is_active": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/admin/agents")
    listing = client.get(r.headers["location"]).text
    assert "Nina New" in listing and "nina@tend.example" in listing
    assert "The agent was created" in listing
    with rt.db.read() as s:
        nina = s.scalar(select(Agent).where(Agent.email == "nina@tend.example"))
        assert nina is not None
        assert (nina.role, nina.team_ids, nina.is_active) == (
            "partner_agent", frozenset({cast.returns_team}), True)

    client.cookies.clear()
    sign_in(client, "nina@tend.example", "nina's long password")
    assert "Nina New" in client.get("/agent/account").text


def test_agent_form_errors_keep_the_input(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    r = client.post("/admin/agents/new", data={
        "csrf_token": token, "email": cast.agent.email, "name": "Second Alex",
        "role": "light_agent", "team_ids[]": [str(cast.support_team)],
        "password": "another long password"})
    assert r.status_code == 422
    assert f"An agent with the email {cast.agent.email} already exists." in r.text
    assert 'value="Second Alex"' in r.text
    assert re.search(r'value="light_agent"\s+checked', r.text)
    assert re.search(rf'value="{cast.support_team}"\s+checked', r.text)
    assert "another long password" not in r.text

    for data, message in [({"email": "not an email"}, "is not a valid email address"),
                          ({"password": "short"}, "at least 10 characters"),
                          ({"password": ""}, "initial password"),
                          ({"role": "owner"}, "Choose one of the four roles")]:
        r = client.post("/admin/agents/new", data={
            "csrf_token": token, "email": "ok@tend.example", "name": "Ok",
            "role": "agent", "password": "a long enough password"} | data)
        assert r.status_code == 422, data
        assert message in r.text, data
    with rt.db.read() as s:
        assert s.scalar(select(Agent).where(Agent.email == "ok@tend.example")) is None


def test_admin_edits_role_teams_and_active(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    page = client.get(f"/admin/agents/{cast.agent.id}").text
    assert 'value="Alex Agent"' in page
    r = client.post(f"/admin/agents/{cast.agent.id}", data={
        "csrf_token": token, "email": cast.agent.email, "name": "Alex Renamed",
        "role": "light_agent", "team_ids[]": [str(cast.support_team), str(cast.returns_team)],
        "is_active": "1", "password": ""}, follow_redirects=False)
    assert r.status_code == 303
    assert "The agent was saved" in client.get(r.headers["location"]).text
    with rt.db.read() as s:
        alex = s.get(Agent, cast.agent.id)
        assert alex is not None
        assert (alex.name, alex.role, alex.is_active) == ("Alex Renamed", "light_agent", True)
        assert alex.team_ids == {cast.support_team, cast.returns_team}

    # Unticking "active" deactivates: Alex can no longer sign in.
    r = client.post(f"/admin/agents/{cast.agent.id}", data={
        "csrf_token": token, "email": cast.agent.email, "name": "Alex Renamed",
        "role": "light_agent"}, follow_redirects=False)
    assert r.status_code == 303
    with rt.db.read() as s:
        alex = s.get(Agent, cast.agent.id)
        assert alex is not None and not alex.is_active and alex.team_ids == frozenset()
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    csrf = csrf_of(other.get("/login").text)
    r = other.post("/login", data={"email": cast.agent.email, "password": PASSWORD,
                                   "csrf_token": csrf})
    assert r.status_code == 401


def test_admin_resets_a_password(client: TestClient, cast: Cast) -> None:
    token = sign_in(client, cast.admin.email)
    r = client.post(f"/admin/agents/{cast.agent.id}", data={
        "csrf_token": token, "email": cast.agent.email, "name": cast.agent.name,
        "role": "agent", "is_active": "1", "team_ids[]": [str(cast.support_team)],
        "password": "a brand new password"}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.clear()
    csrf = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"email": cast.agent.email, "password": PASSWORD,
                                    "csrf_token": csrf})
    assert r.status_code == 401
    sign_in(client, cast.agent.email, "a brand new password")


def test_the_last_admin_cannot_be_demoted(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    form = {"csrf_token": token, "email": cast.admin.email, "name": cast.admin.name,
            "role": "agent", "is_active": "1", "team_ids[]": [str(cast.support_team)]}
    r = client.post(f"/admin/agents/{cast.admin.id}", data=form)
    assert r.status_code == 422
    assert "Tend needs at least one active admin" in r.text
    assert re.search(r'value="agent"\s+checked', r.text)  # the input is kept
    inactive = {k: v for k, v in form.items() if k != "is_active"} | {"role": "admin"}
    r = client.post(f"/admin/agents/{cast.admin.id}", data=inactive)
    assert r.status_code == 422
    assert "Tend needs at least one active admin" in r.text
    with rt.db.read() as s:
        ada = s.get(Agent, cast.admin.id)
        assert ada is not None and ada.role == "admin" and ada.is_active


def test_admin_turns_off_an_agents_two_factor_sign_in(client: TestClient, cast: Cast,
                                                      rt: Runtime) -> None:
    with rt.db.write() as s:
        alex = s.get(Agent, cast.agent.id)
        assert alex is not None
        alex.totp_secret, alex.totp_enabled = new_secret(), True
    token = sign_in(client, cast.admin.email)
    assert ">On<" in client.get("/admin/agents").text
    r = client.post(f"/admin/agents/{cast.agent.id}/2fa/disable", data={"csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    with rt.db.read() as s:
        alex = s.get(Agent, cast.agent.id)
        assert alex is not None and not alex.totp_enabled and alex.totp_secret is None
    client.cookies.clear()
    sign_in(client, cast.agent.email)  # password alone is enough again


def test_team_create_and_edit_with_members(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    r = client.post("/admin/teams/new", data={
        "csrf_token": token, "name": "Billing", "description": "Invoices and refunds",
        "member_ids[]": [str(cast.agent.id), str(cast.light.id)]}, follow_redirects=False)
    assert r.status_code == 303
    listing = client.get("/admin/teams").text
    assert "Billing" in listing and "Alex Agent, Lee Light" in listing
    with rt.db.read() as s:
        team = s.scalar(select(Team).where(Team.name == "Billing"))
        assert team is not None
        assert {a.id for a in team.members} == {cast.agent.id, cast.light.id}
        team_id = team.id

    r = client.post(f"/admin/teams/{team_id}", data={
        "csrf_token": token, "name": "Billing EU", "description": "",
        "member_ids[]": [str(cast.partner.id)]}, follow_redirects=False)
    assert r.status_code == 303
    with rt.db.read() as s:
        team = s.get(Team, team_id)
        assert team is not None
        assert (team.name, team.description) == ("Billing EU", "")
        assert [a.id for a in team.members] == [cast.partner.id]

    r = client.post(f"/admin/teams/{team_id}", data={"csrf_token": token, "name": "Support",
                                                     "member_ids[]": [str(cast.agent.id)]})
    assert r.status_code == 422
    assert "A team named &#39;Support&#39; already exists." in r.text
    r = client.post("/admin/teams/new", data={"csrf_token": token, "name": "  "})
    assert r.status_code == 422 and "Name is required" in r.text


def test_custom_field_created_in_admin_is_enforced_by_the_api(client: TestClient, cast: Cast,
                                                              rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    r = client.post("/admin/fields/new", data={
        "csrf_token": token, "key": "size", "label": "Parcel size", "type": "dropdown",
        "options": "small\r\nlarge\r\n\r\n", "active": "1", "position": "2"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    listing = client.get("/admin/fields").text
    assert "Parcel size" in listing and "small, large" in listing

    r = client.post("/api/v1/tickets", headers=cast.agent.headers, json={
        "subject": "Box", "body": "Which box?", "customer": {"email": cast.carla.email}})
    assert r.status_code == 201, r.text
    ticket_id = r.json()["id"]
    r = client.patch(f"/api/v1/tickets/{ticket_id}", headers=cast.agent.headers,
                     json={"custom_fields": {"size": "huge"}})
    assert r.status_code == 422
    assert "Parcel size must be one of: small, large" in r.json()["detail"]
    r = client.patch(f"/api/v1/tickets/{ticket_id}", headers=cast.agent.headers,
                     json={"custom_fields": {"size": "large"}})
    assert r.status_code == 200, r.text
    assert r.json()["custom_fields"] == {"size": "large"}

    # Editing adds an option; the key stays what it was even if the form sends another.
    with rt.db.read() as s:
        field_id = s.scalar(select(CustomField.id).where(CustomField.key == "size"))
    assert 'readonly' in client.get(f"/admin/fields/{field_id}").text
    r = client.post(f"/admin/fields/{field_id}", data={
        "csrf_token": token, "key": "renamed", "label": "Parcel size", "type": "dropdown",
        "options": "small\nlarge\nhuge", "active": "1", "position": "2"},
        follow_redirects=False)
    assert r.status_code == 303
    r = client.patch(f"/api/v1/tickets/{ticket_id}", headers=cast.agent.headers,
                     json={"custom_fields": {"size": "huge"}})
    assert r.status_code == 200, r.text
    with rt.db.read() as s:
        assert s.scalar(select(CustomField.key).where(CustomField.id == field_id)) == "size"


def test_custom_field_form_errors(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    base = {"csrf_token": token, "key": "size", "label": "Size", "type": "dropdown",
            "options": "", "active": "1", "position": "0"}
    for data, message in [({}, "needs at least one option"),
                          ({"key": "Size!"}, "Field keys start with a letter"),
                          ({"type": "colour"}, "Unknown field type"),
                          ({"options": "a\na"}, "appears twice"),
                          ({"label": ""}, "Label is required")]:
        r = client.post("/admin/fields/new", data=base | data)
        assert r.status_code == 422, data
        assert message in r.text, data
        assert 'name="key" required maxlength="60"' in r.text
        assert f'value="{data.get("key", "size")}"' in r.text, data  # the input is kept
    assert ">a\na</textarea>" in client.post("/admin/fields/new",
                                             data=base | {"options": "a\na"}).text
    with rt.db.read() as s:
        assert s.scalars(select(CustomField)).all() == []


def test_settings_change_the_customer_label_in_the_nav(client: TestClient, cast: Cast,
                                                      rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    page = client.get("/admin/settings").text
    assert "standard | Standard\npremium | Premium" in page
    assert ">Customers<" in page
    r = client.post("/admin/settings", data={
        "csrf_token": token, "helpdesk_name": "St. Elsewhere", "customer_label": "patient",
        "customer_label_plural": "patients", "tiers": "standard | Standard\ninsured\nvip | VIP",
        "brand_color": "#AA3300"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/admin").text
    assert ">Patients<" in page and ">Customers<" not in page
    assert "St. Elsewhere" in page
    with rt.db.read() as s:
        config = get_config(s)
    assert config.tier_keys == ["standard", "insured", "vip"]
    assert [t.label for t in config.tiers] == ["Standard", "Insured", "VIP"]
    assert config.brand_color == "#aa3300"
    assert config.portal_allow_signup is False  # the checkbox was not ticked


def test_settings_errors_are_readable_and_keep_the_input(client: TestClient, cast: Cast,
                                                         rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    r = client.post("/admin/settings", data={
        "csrf_token": token, "helpdesk_name": "Renamed", "customer_label": "guest",
        "customer_label_plural": "guests", "tiers": "standard | Standard\nGold Plus | Gold",
        "brand_color": "#123456", "portal_allow_signup": "1"})
    assert r.status_code == 422
    assert "Tier on line 2 (key): tier keys are lowercase letters" in r.text
    assert "Gold Plus | Gold" in r.text and 'value="Renamed"' in r.text
    r = client.post("/admin/settings", data={
        "csrf_token": token, "helpdesk_name": "", "customer_label": "guest",
        "customer_label_plural": "guests", "tiers": "", "brand_color": "red"})
    assert r.status_code == 422
    assert "Help desk name:" in r.text and "Brand colour: colours are written #rrggbb" in r.text
    assert "Tiers: at least one tier is needed" in r.text
    with rt.db.read() as s:
        assert get_config(s).helpdesk_name == "Tend Support"


def test_roles_page_shows_the_real_permission_matrix(client: TestClient, cast: Cast) -> None:
    sign_in(client, cast.admin.email)
    html = client.get("/admin/roles").text
    ticks = sum(len(p) for p in ROLE_PERMISSIONS.values())
    assert html.count('<span aria-hidden="true">✓</span>') == ticks
    # One row per permission, one cell per role in Role order.
    for permission in Permission:
        row = re.search(rf"<code class=\"muted small\">{re.escape(permission.value)}</code></th>"
                        r"(.*?)</tr>", html, re.S)
        assert row, permission
        cells = re.findall(r'<td class="(yes|no)"', row.group(1))
        assert cells == ["yes" if permission in ROLE_PERMISSIONS[r] else "no" for r in Role]
    assert "An outsourced agent" in html


def test_brand_colour_reaches_every_page_as_css(client: TestClient, cast: Cast,
                                                rt: Runtime) -> None:
    from tend.access import SYSTEM
    from tend.config.actions import update_config

    css = client.get("/brand.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "--brand: #1f6f5c" in css.text and "--brand-ink: #ffffff" in css.text
    with rt.db.write() as s:
        update_config(s, SYSTEM, {"brand_color": "#FFD500"})  # light: text must turn dark
    css = client.get("/brand.css").text
    assert "--brand: #ffd500" in css and "--brand-ink: #111111" in css
    assert "--brand-dark: #ccaa00" in css
    assert '<link rel="stylesheet" href="/brand.css">' in client.get("/login").text
