"""The inbox admin pages: create, edit, deactivate; passwords are write-only; bad input is a
form error, never a crash."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tend.channels.email.models import Inbox
from tend.channels.email.secrets import unseal
from tend.runtime import Runtime
from tests.conftest import Cast
from tests.web.test_admin_pages import sign_in

SMTP_SECRET = "smtp-pass-Qx81"
IMAP_SECRET = "imap-pass-Zr27"


def inbox_form(token: str, **changes: Any) -> dict[str, Any]:
    data = {"csrf_token": token, "name": "Support", "address": "Support@Shop.example",
            "from_name": "Shop support", "team_id": "none", "active": "1",
            "smtp_host": "smtp.shop.example", "smtp_port": "587", "smtp_security": "starttls",
            "smtp_username": "support", "smtp_password": "",
            "imap_host": "imap.shop.example", "imap_port": "993", "imap_security": "tls",
            "imap_username": "support", "imap_password": "", "imap_folder": "INBOX",
            "imap_archive_folder": "Archive"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def only_inbox(rt: Runtime) -> Inbox:
    with rt.db.read() as s:
        [inbox] = s.scalars(select(Inbox)).all()
        return inbox


def test_admin_creates_an_inbox_with_sealed_passwords(client: TestClient, cast: Cast,
                                                      rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    page = client.get("/admin/inboxes/new").text
    assert 'name="smtp_password"' in page and "Support" in page  # the team select
    r = client.post("/admin/inboxes/new", data=inbox_form(
        token, team_id=str(cast.support_team), smtp_password=SMTP_SECRET,
        imap_password=IMAP_SECRET, send_acknowledgement="1"), follow_redirects=False)
    assert r.status_code == 303, r.text
    inbox = only_inbox(rt)
    assert r.headers["location"] == f"/admin/inboxes/{inbox.id}?saved=inbox_new"
    assert (inbox.address, inbox.team_id, inbox.send_acknowledgement, inbox.active) == (
        "support@shop.example", cast.support_team, True, True)
    assert inbox.imap_archive_folder == "Archive"
    assert inbox.smtp_password and SMTP_SECRET not in inbox.smtp_password
    assert unseal(rt.settings, inbox.smtp_password) == SMTP_SECRET
    assert unseal(rt.settings, inbox.imap_password or "") == IMAP_SECRET

    edit = client.get(r.headers["location"]).text
    assert "The inbox was created" in edit
    assert SMTP_SECRET not in edit and IMAP_SECRET not in edit and "fernet:" not in edit
    assert edit.count("(set; leave empty to keep it)") == 2
    assert 'name="clear_smtp_password"' in edit
    listing = client.get("/admin/inboxes").text
    assert "support@shop.example" in listing and "IMAP imap.shop.example" in listing


def test_empty_password_keeps_it_and_clear_removes_it(client: TestClient, cast: Cast,
                                                      rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    client.post("/admin/inboxes/new", data=inbox_form(token, smtp_password=SMTP_SECRET,
                                                      imap_password=IMAP_SECRET))
    inbox = only_inbox(rt)
    before = inbox.smtp_password
    r = client.post(f"/admin/inboxes/{inbox.id}", data=inbox_form(token, name="Help desk"),
                    follow_redirects=False)
    assert r.status_code == 303
    after = only_inbox(rt)
    assert after.name == "Help desk" and after.smtp_password == before  # untouched
    r = client.post(f"/admin/inboxes/{inbox.id}", data=inbox_form(
        token, clear_imap_password="1", smtp_password="a new one"), follow_redirects=False)
    assert r.status_code == 303
    after = only_inbox(rt)
    assert after.imap_password is None
    assert unseal(rt.settings, after.smtp_password or "") == "a new one"
    page = client.get(f"/admin/inboxes/{inbox.id}").text
    assert "(not set)" in page and 'name="clear_imap_password"' not in page


def test_deactivating_an_inbox(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    client.post("/admin/inboxes/new", data=inbox_form(token))
    inbox = only_inbox(rt)
    client.post(f"/admin/inboxes/{inbox.id}", data=inbox_form(token, active=None))
    assert only_inbox(rt).active is False
    assert re.search(r'<tr class="inactive">\s*<td><a href="/admin/inboxes/\d+">Support',
                     client.get("/admin/inboxes").text)


@pytest.mark.parametrize(("changes", "message"), [
    ({"address": "not an email"}, "not a valid email address"),
    ({"address": "a" * 300 + "@shop.example"}, "at most 254 characters"),
    ({"name": "n" * 101}, "at most 100 characters"),
    ({"name": ""}, "Name is required"),
    ({"smtp_port": "70000"}, "between 1 and 65535"),
    ({"imap_port": "0"}, "between 1 and 65535"),
    ({"smtp_port": "smtp"}, "SMTP port must be a number"),
    ({"smtp_port": "9" * 400}, "at most 10 characters"),
    ({"smtp_security": "ssl"}, "tls, starttls, none"),
    ({"imap_security": ""}, "tls, starttls, none"),
    ({"team_id": "9999"}, "unknown team id 9999"),
    ({"team_id": "support"}, "Team is not valid"),
    ({"team_id": str(2**70)}, "Team may have at most 20"),
    ({"team_id": str(2**40)}, "Team is not valid"),
    ({"smtp_host": "not a host!"}, "not a host name"),
    ({"smtp_host": "h" * 300}, "at most 253 characters"),
    ({"imap_username": ""}, "IMAP user name is required"),
    ({"imap_folder": ""}, "IMAP folder is required"),
    ({"smtp_password": "p" * 1001}, "at most 1000 characters"),
    ({"imap_password": "x\r\nA1 LOGOUT"}, "line breaks"),
])
def test_bad_input_is_a_form_error_that_keeps_the_input(
        client: TestClient, cast: Cast, rt: Runtime, changes: dict[str, Any],
        message: str) -> None:
    token = sign_in(client, cast.admin.email)
    r = client.post("/admin/inboxes/new", data=inbox_form(token, from_name="Kept <b>",
                                                          **changes))
    assert r.status_code == 422, r.text[:300]
    assert message in r.text
    assert 'value="Kept &lt;b&gt;"' in r.text  # typed input is shown again, escaped
    for secret in (changes.get("smtp_password"), changes.get("imap_password")):
        if secret:
            assert secret not in r.text
    with rt.db.read() as s:
        assert s.scalar(select(Inbox.id)) is None


def test_edit_errors_keep_the_stored_inbox(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.admin.email)
    client.post("/admin/inboxes/new", data=inbox_form(token, smtp_password=SMTP_SECRET))
    client.post("/admin/inboxes/new", data=inbox_form(token, name="Billing",
                                                      address="billing@shop.example"))
    with rt.db.read() as s:
        billing = s.scalar(select(Inbox).where(Inbox.name == "Billing"))
        assert billing is not None
    r = client.post(f"/admin/inboxes/{billing.id}", data=inbox_form(
        token, name="Billing", address="SUPPORT@shop.example", smtp_password="typed secret"))
    assert r.status_code == 422
    assert "Another inbox already uses the address support@shop.example" in r.text
    assert "typed secret" not in r.text
    with rt.db.read() as s:
        assert s.get(Inbox, billing.id).address == "billing@shop.example"  # type: ignore[union-attr]


def test_unknown_inbox_is_404(client: TestClient, cast: Cast) -> None:
    sign_in(client, cast.admin.email)
    assert client.get("/admin/inboxes/4711").status_code == 404
    assert client.get(f"/admin/inboxes/{2**70}").status_code == 422


def test_agents_cannot_read_or_change_inboxes(client: TestClient, cast: Cast,
                                              rt: Runtime) -> None:
    admin_token = sign_in(client, cast.admin.email)
    client.post("/admin/inboxes/new", data=inbox_form(admin_token))
    inbox = only_inbox(rt)
    client.cookies.clear()
    token = sign_in(client, cast.agent.email)
    assert client.get(f"/admin/inboxes/{inbox.id}").status_code == 403
    r = client.post(f"/admin/inboxes/{inbox.id}", data=inbox_form(token, name="Mine"))
    assert r.status_code == 403
    assert only_inbox(rt).name == "Support"
    assert "/admin/inboxes" not in client.get("/agent").text  # no admin nav for agents
