"""The chat inbox admin pages: create, edit (business hours as weekday pairs, an optional brand
colour), the widget tag and the identity secret with its regeneration; bad input is a form
error, never a crash."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tend.access import SYSTEM
from tend.channels.chat import inboxes, tokens
from tend.channels.chat.models import ChatInbox
from tend.channels.email.inboxes import create_inbox as create_email_inbox
from tend.runtime import Runtime
from tests.conftest import Cast
from tests.web.test_admin_pages import sign_in

CLOSED = ("", "")


def hours(**days: tuple[str, str]) -> dict[str, Any]:
    """The weekday pairs of the form (every day, closed unless given)."""
    out: dict[str, Any] = {}
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        start, end = days.get(day, CLOSED)
        out[f"{day}_from[]"], out[f"{day}_to[]"] = [start], [end]
    return out


def chat_form(token: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "csrf_token": token, "name": "Shop website", "team_id": "none", "active": "1",
        "greeting": "Hi! Ask us anything.", "brand_color": "#1f6feb", "prechat": "off",
        "topics": "", "tz": "", "allowed_origins": "", "offline_inbox_id": "none",
        "offer_timeout_seconds": "30", **hours()}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def only_inbox(rt: Runtime) -> ChatInbox:
    with rt.db.read() as s:
        [inbox] = s.scalars(select(ChatInbox)).all()
        return inbox


def test_admin_creates_a_chat_inbox_and_gets_the_widget_tag(client: TestClient, cast: Cast,
                                                             rt: Runtime) -> None:
    with rt.db.write() as s:
        email_id = create_email_inbox(s, SYSTEM, rt.settings, {
            "name": "Support mail", "address": "support@shop.example"}).id
    token = sign_in(client, cast.admin.email)
    page = client.get("/admin/chat/new").text
    assert 'name="mon_from[]"' in page and "Support mail (support@shop.example)" in page
    assert 'href="/admin/chat"' in page  # the admin nav
    r = client.post("/admin/chat/new", data=chat_form(
        token, team_id=str(cast.support_team), own_color="1", brand_color="#AA3300",
        prechat="required", topics="Orders\n\n Billing \nOrders", tz="Europe/Berlin",
        allowed_origins="https://www.shop.example/\nhttps://shop.example",
        offline_inbox_id=str(email_id), offer_timeout_seconds="45",
        **hours(mon=("09:00", "17:30"), fri=("10:00", "14:00"))), follow_redirects=False)
    assert r.status_code == 303, r.text
    inbox = only_inbox(rt)
    assert r.headers["location"] == f"/admin/chat/{inbox.id}?saved=chat_inbox_new"
    assert (inbox.name, inbox.team_id, inbox.active, inbox.brand_color, inbox.prechat) == (
        "Shop website", cast.support_team, True, "#AA3300", "required")
    assert inbox.topics == ["Orders", "Billing"]
    assert inbox.business_hours == {"tz": "Europe/Berlin", "days": {
        "mon": [["09:00", "17:30"]], "fri": [["10:00", "14:00"]]}}
    assert inbox.allowed_origins == "https://www.shop.example\nhttps://shop.example"
    assert (inbox.offline_inbox_id, inbox.offer_timeout_seconds) == (email_id, 45)

    edit = client.get(r.headers["location"]).text
    assert "The chat inbox was created" in edit
    tag = (f'<script src="{rt.settings.public_url}/widget.js" data-inbox="{inbox.key}" '
           'defer></script>')
    assert tag in html.unescape(edit) and tag not in edit  # shown as text, never run
    assert f'href="/widget/demo?inbox={inbox.key}"' in edit
    secret = tokens.identity_secret(rt.settings.signing_key(), inbox.identity_salt)
    assert secret in edit and "HMAC-SHA256" in edit
    assert 'value="09:00"' in edit and 'value="17:30"' in edit and "#aa3300" in edit.lower()

    listing = client.get("/admin/chat").text
    assert f'href="/admin/chat/{inbox.id}"' in listing and inbox.key in listing
    assert "Required" in listing and "Support" in listing


def test_admin_edits_a_chat_inbox(client: TestClient, cast: Cast, rt: Runtime) -> None:
    with rt.db.write() as s:
        inbox = inboxes.create_inbox(s, SYSTEM, name="Website", team_id=cast.support_team,
                                     brand_color="#123456", business_hours={
                                         "tz": "UTC", "days": {"tue": [["08:00", "12:00"],
                                                                       ["13:00", "17:00"]]}})
        inbox_id, key = inbox.id, inbox.key
    token = sign_in(client, cast.admin.email)
    page = client.get(f"/admin/chat/{inbox_id}").text
    # A day with two spans (set through the API) shows both, so saving keeps them.
    assert page.count('name="tue_from[]"') == 2 and 'value="13:00"' in page
    form = chat_form(token, name="Shop chat", prechat="optional", tz="UTC",
                     **{**hours(), "tue_from[]": ["08:00", "13:00"],
                        "tue_to[]": ["12:00", "17:00"]})
    form.pop("active")  # unticked: deactivate; no "own_color": the help desk's colour
    r = client.post(f"/admin/chat/{inbox_id}", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == (
        f"/admin/chat/{inbox_id}?saved=chat_inbox")
    inbox = only_inbox(rt)
    assert (inbox.name, inbox.active, inbox.brand_color, inbox.prechat, inbox.team_id,
            inbox.key) == ("Shop chat", False, None, "optional", None, key)
    assert inbox.business_hours == {"tz": "UTC", "days": {"tue": [["08:00", "12:00"],
                                                                  ["13:00", "17:00"]]}}
    assert "The chat inbox was saved" in client.get(r.headers["location"]).text

    # Every day empty: always open (the time zone left is ignored).
    r = client.post(f"/admin/chat/{inbox_id}", data=chat_form(token, tz="UTC"),
                    follow_redirects=False)
    assert r.status_code == 303 and only_inbox(rt).business_hours == {}


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": "  "}, "Name is required"),
    ({"tz": "Mars/Olympus", **hours(mon=("09:00", "17:00"))}, "Unknown time zone"),
    ({**hours(mon=("09:00", "17:00"))}, "need a time zone"),
    ({"tz": "UTC", **hours(wed=("09:00", ""))}, "Wednesday: give both"),
    ({"tz": "UTC", **hours(thu=("18:00", "09:00"))}, "ends before it starts"),
    ({"allowed_origins": "shop.example"}, "Origins are like"),
    ({"own_color": "1", "brand_color": "red"}, "hex colour"),
    ({"prechat": "always"}, "prechat is one of"),
    ({"offer_timeout_seconds": "2"}, "5 to 600 seconds"),
    ({"offer_timeout_seconds": "soon"}, "whole number"),
    ({"team_id": "9999"}, "Team 9999 was not found"),
])
def test_bad_input_rerenders_the_form(client: TestClient, cast: Cast, rt: Runtime,
                                      changes: dict[str, Any], message: str) -> None:
    token = sign_in(client, cast.admin.email)
    r = client.post("/admin/chat/new", data=chat_form(token, **{"name": "Typed name", **changes}))
    assert r.status_code == 422 and message in html.unescape(r.text), r.text[-2000:]
    assert 'role="alert"' in r.text
    if "name" not in changes:
        assert 'value="Typed name"' in r.text  # what was typed is kept
    with rt.db.read() as s:
        assert s.scalars(select(ChatInbox)).all() == []


def test_edit_errors_keep_the_inbox_page(client: TestClient, cast: Cast, rt: Runtime) -> None:
    with rt.db.write() as s:
        inbox = inboxes.create_inbox(s, SYSTEM, name="Website")
        inbox_id, key = inbox.id, inbox.key
    token = sign_in(client, cast.admin.email)
    r = client.post(f"/admin/chat/{inbox_id}", data=chat_form(
        token, name="Renamed", allowed_origins="ftp://shop.example"))
    assert r.status_code == 422 and "Origins are like" in html.unescape(r.text)
    assert "/identity-secret" in r.text and key in r.text and 'value="Renamed"' in r.text
    assert only_inbox(rt).name == "Website"


def test_admin_regenerates_the_identity_secret(client: TestClient, cast: Cast,
                                               rt: Runtime) -> None:
    with rt.db.write() as s:
        inbox_id = inboxes.create_inbox(s, SYSTEM, name="Website").id
    before = only_inbox(rt).identity_salt
    old = tokens.identity_secret(rt.settings.signing_key(), before)
    token = sign_in(client, cast.admin.email)
    assert old in client.get(f"/admin/chat/{inbox_id}").text
    # Without the confirmation nothing changes.
    r = client.post(f"/admin/chat/{inbox_id}/identity-secret", data={"csrf_token": token})
    assert r.status_code == 422 and "Tick the box" in r.text
    assert only_inbox(rt).identity_salt == before
    r = client.post(f"/admin/chat/{inbox_id}/identity-secret",
                    data={"csrf_token": token, "confirm": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == (
        f"/admin/chat/{inbox_id}?saved=chat_secret")
    new = tokens.identity_secret(rt.settings.signing_key(), only_inbox(rt).identity_salt)
    assert new != old
    page = client.get(r.headers["location"]).text
    assert new in page and old not in page and "the old one no longer works" in page
    # A forged form changes nothing.
    r = client.post(f"/admin/chat/{inbox_id}/identity-secret",
                    data={"csrf_token": "forged", "confirm": "1"})
    assert r.status_code == 403
    assert tokens.identity_secret(rt.settings.signing_key(),
                                  only_inbox(rt).identity_salt) == new


def test_chat_admin_is_for_admins(client: TestClient, cast: Cast, rt: Runtime) -> None:
    with rt.db.write() as s:
        inbox_id = inboxes.create_inbox(s, SYSTEM, name="Website").id
    before = only_inbox(rt).identity_salt
    token = sign_in(client, cast.agent.email)
    for path in ("/admin/chat", "/admin/chat/new", f"/admin/chat/{inbox_id}"):
        assert client.get(path).status_code == 403
    assert client.post(f"/admin/chat/{inbox_id}", data=chat_form(token, name="Mine")
                       ).status_code == 403
    assert client.post(f"/admin/chat/{inbox_id}/identity-secret",
                       data={"csrf_token": token, "confirm": "1"}).status_code == 403
    inbox = only_inbox(rt)
    assert (inbox.name, inbox.identity_salt) == ("Website", before)
    assert re.search(r'href="/admin/chat"', client.get("/agent/account").text) is None
