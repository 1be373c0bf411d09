"""The inbox and stored-mail API (admins): passwords are write-only, the quarantine's ways out
answer 409 for mail that is not quarantined. Bad input per field is in test_api_bad_input.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from tend.channels.email import intake
from tend.channels.email.intake import Envelope
from tend.channels.email.models import InboundEmail, Inbox
from tend.channels.email.secrets import unseal
from tend.runtime import Runtime
from tests.channels.email.mailgen import mail
from tests.conftest import Cast

PIPE = Envelope(source="pipe")
PROBLEM = "application/problem+json"
SECRET = "a-secret-Hq5"


def create(client: TestClient, cast: Cast, **body: Any) -> Any:
    r = client.post("/api/v1/inboxes", headers=cast.admin.headers,
                    json={"name": "Support", "address": "Support@Shop.example", **body})
    assert r.status_code == 201, r.text
    return r.json()


def quarantined(rt: Runtime, subject: str = "Stuck") -> int:
    stored = intake.store(rt, mail(subject=subject), PIPE)
    with rt.db.write() as s:
        row = s.get(InboundEmail, stored.inbound_id)
        assert row is not None
        row.status, row.reason = "quarantined", "cannot process: database hiccup"
    return stored.inbound_id


def test_inboxes_are_created_listed_and_changed_without_revealing_passwords(
        client: TestClient, cast: Cast, rt: Runtime) -> None:
    made = create(client, cast, team_id=cast.support_team, smtp_host="smtp.shop.example",
                  smtp_username="support", smtp_password=SECRET,
                  imap_host="imap.shop.example", imap_username="support")
    assert made["address"] == "support@shop.example" and made["team_id"] == cast.support_team
    assert (made["smtp_password_set"], made["imap_password_set"]) == (True, False)
    assert "smtp_password" not in made and (made["smtp_port"], made["imap_port"]) == (587, 993)
    listed = client.get("/api/v1/inboxes", headers=cast.admin.headers)
    one = client.get(f"/api/v1/inboxes/{made['id']}", headers=cast.admin.headers)
    for r in (listed, one):
        assert r.status_code == 200 and SECRET not in r.text and "fernet:" not in r.text
    assert listed.json()["items"] == [made] and one.json() == made

    r = client.patch(f"/api/v1/inboxes/{made['id']}", headers=cast.admin.headers,
                     json={"active": False, "imap_password": "imap pass", "smtp_port": 465,
                           "smtp_security": "tls"})
    assert r.status_code == 200, r.text
    assert (r.json()["active"], r.json()["imap_password_set"], r.json()["smtp_port"]) == (
        False, True, 465)
    r = client.patch(f"/api/v1/inboxes/{made['id']}", headers=cast.admin.headers,
                     json={"smtp_password": None, "team_id": None})
    assert (r.json()["smtp_password_set"], r.json()["team_id"]) == (False, None)
    with rt.db.read() as s:
        inbox = s.get(Inbox, made["id"])
        assert inbox is not None and inbox.smtp_password is None
        assert unseal(rt.settings, inbox.imap_password or "") == "imap pass"


def test_leaving_a_password_out_keeps_it(client: TestClient, cast: Cast, rt: Runtime) -> None:
    made = create(client, cast, smtp_password=SECRET)
    with rt.db.read() as s:
        before = s.scalar(select(Inbox.smtp_password))
    r = client.patch(f"/api/v1/inboxes/{made['id']}", headers=cast.admin.headers,
                     json={"name": "Help"})
    assert r.json()["smtp_password_set"] is True
    with rt.db.read() as s:
        assert s.scalar(select(Inbox.smtp_password)) == before


def test_inbox_errors_are_problems(client: TestClient, cast: Cast) -> None:
    made = create(client, cast)
    cases = [
        ("POST", "/api/v1/inboxes", {"name": "x", "address": "SUPPORT@shop.example"}, 409),
        ("POST", "/api/v1/inboxes", {"name": "x", "address": "x@shop.example",
                                     "smtp_port": 99999}, 422),
        ("POST", "/api/v1/inboxes", {"name": "x" * 1000, "address": "x@shop.example"}, 422),
        ("PATCH", f"/api/v1/inboxes/{made['id']}", {"smtp_security": "starttls2"}, 422),
        ("PATCH", "/api/v1/inboxes/4711", {"name": "x"}, 404),
    ]
    for method, path, body, status in cases:
        r = client.request(method, path, headers=cast.admin.headers, json=body)
        assert r.status_code == status, (path, body, r.text)
        assert r.headers["content-type"] == PROBLEM and r.json()["detail"]


def test_stored_mail_is_listed_by_status_with_cursor_pages(client: TestClient, cast: Cast,
                                                           rt: Runtime) -> None:
    waiting = [quarantined(rt, f"Stuck {i}") for i in range(3)]
    processed = intake.receive(rt, mail(subject="Fine"), PIPE).inbound_id
    h = cast.admin.headers
    everything = client.get("/api/v1/mail", headers=h).json()
    assert [m["id"] for m in everything["items"]] == [*waiting, processed]
    page = client.get("/api/v1/mail", headers=h, params={"status": "quarantined", "limit": 2})
    first = page.json()
    assert [m["id"] for m in first["items"]] == waiting[:2] and first["next_cursor"]
    assert first["items"][0]["reason"] == "cannot process: database hiccup"
    rest = client.get("/api/v1/mail", headers=h, params={
        "status": "quarantined", "limit": 2, "cursor": first["next_cursor"]}).json()
    assert [m["id"] for m in rest["items"]] == waiting[2:] and rest["next_cursor"] is None
    done = client.get("/api/v1/mail", headers=h, params={"status": "processed"}).json()
    [item] = done["items"]
    assert (item["id"], item["outcome"], item["from_email"]) == (
        processed, "new", "carla@example.com")
    assert item["ticket_id"] is not None and "raw" not in item


def test_one_mail_its_headers_and_its_raw_bytes(client: TestClient, cast: Cast,
                                                rt: Runtime) -> None:
    inbound_id = quarantined(rt, "Where is <my> order?")
    r = client.get(f"/api/v1/mail/{inbound_id}", headers=cast.admin.headers)
    assert r.status_code == 200
    headers = {h["name"]: h["value"] for h in r.json()["headers"]}
    assert headers["Subject"] == "Where is <my> order?"
    assert headers["From"] == "Carla Customer <carla@example.com>"
    raw = client.get(f"/api/v1/mail/{inbound_id}/raw", headers=cast.admin.headers)
    assert raw.status_code == 200 and raw.headers["content-type"] == "message/rfc822"
    assert raw.headers["content-disposition"].startswith("attachment;")
    assert raw.headers["x-content-type-options"] == "nosniff"
    with rt.db.read() as s:
        assert raw.content == s.get(InboundEmail, inbound_id).raw  # type: ignore[union-attr]
    assert client.get("/api/v1/mail/4711", headers=cast.admin.headers).status_code == 404


def test_reprocess_release_discard(client: TestClient, cast: Cast, rt: Runtime) -> None:
    h = cast.admin.headers
    first, second, third = (quarantined(rt, f"Mail {i}") for i in range(3))
    r = client.post(f"/api/v1/mail/{first}/reprocess", headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["attempts"]) == ("processed", 1)
    assert r.json()["ticket_id"] is not None
    r = client.post(f"/api/v1/mail/{second}/release", headers={
        **h, "Content-Type": "application/json"}, content=b"")
    assert r.status_code == 200 and r.json()["status"] == "processed"
    r = client.post(f"/api/v1/mail/{third}/discard", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "discarded"
    for action in ("reprocess", "release", "discard"):
        for inbound_id in (first, third):
            again = client.post(f"/api/v1/mail/{inbound_id}/{action}", headers=h)
            assert again.status_code == 409, (action, again.text)
            assert again.headers["content-type"] == PROBLEM
            assert "not quarantined" in again.json()["detail"]


def test_only_admins_reach_the_mail(client: TestClient, cast: Cast, rt: Runtime) -> None:
    inbound_id = quarantined(rt)
    for person in (cast.agent, cast.light, cast.partner):
        for method, path in (("GET", "/api/v1/mail"), ("GET", f"/api/v1/mail/{inbound_id}/raw"),
                             ("POST", f"/api/v1/mail/{inbound_id}/discard"),
                             ("GET", "/api/v1/inboxes")):
            r = client.request(method, path, headers=person.headers)
            assert r.status_code == 403, (person.name, path)
    with rt.db.read() as s:
        assert s.get(InboundEmail, inbound_id).status == "quarantined"  # type: ignore[union-attr]
