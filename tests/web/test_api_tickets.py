"""The REST contract for tickets and messages: shapes, filters, pagination, merge, bulk, docs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from tend.access import SYSTEM
from tend.customers.actions import find_or_create_by_email
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import Ticket
from tend.tickets.queries import SORTS
from tests.conftest import Cast
from tests.web.authz import World

TICKET_KEYS = {
    "id", "number", "subject", "status", "priority", "channel", "requester", "assignee", "team",
    "tags", "custom_fields", "merged_into_id", "message_count", "reopen_count", "created_at",
    "updated_at", "first_reply_at", "last_agent_reply_at", "last_customer_message_at",
    "assigned_at", "solved_at", "closed_at",
}
MESSAGE_KEYS = {
    "id", "ticket_id", "visibility", "author_type", "author", "body", "body_html", "channel",
    "delivery_status", "delivery_error", "attachments", "seq", "client_id", "created_at",
}


def create(client: TestClient, cast: Cast, **fields: Any) -> dict[str, Any]:
    body = {"subject": "Help", "body": "It broke",
            "customer": {"email": cast.carla.email, "name": cast.carla.name}, **fields}
    r = client.post("/api/v1/tickets", headers=cast.agent.headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def customer_headers(rt: Runtime, cast: Cast, client: TestClient,
                     who: str = "carla") -> dict[str, str]:
    world = World(rt, cast, client)
    cookie, csrf = world.session_cookie(customer_id=getattr(cast, who).id)
    return {"Cookie": f"tend_session={cookie}", "X-CSRF-Token": csrf}


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["items"]]


# --- create, get, patch --------------------------------------------------------------------------


def test_create_ticket_shape(client: TestClient, cast: Cast) -> None:
    t = create(client, cast, subject="Printer on fire", priority="urgent", channel="phone",
               tags=["Hardware", "fire"], team_id=cast.support_team, assignee_id=cast.agent.id,
               customer={"email": "Nora@New.example", "name": "Nora New"})
    assert set(t) == TICKET_KEYS
    assert (t["number"], t["status"], t["priority"], t["channel"]) == (1, "new", "urgent", "phone")
    assert t["subject"] == "Printer on fire" and sorted(t["tags"]) == ["fire", "hardware"]
    assert t["requester"]["email"] == "nora@new.example" and t["requester"]["name"] == "Nora New"
    assert t["assignee"] == {"id": cast.agent.id, "name": cast.agent.name,
                             "email": cast.agent.email}
    assert t["team"] == {"id": cast.support_team, "name": "Support"}
    assert t["message_count"] == 1 and t["merged_into_id"] is None
    assert t["created_at"].endswith(("Z", "+00:00"))
    # A repeat customer is recognised by email.
    again = create(client, cast, customer={"email": "nora@new.example"})
    assert again["requester"]["id"] == t["requester"]["id"] and again["number"] == 2
    assert again["priority"] == "normal" and again["channel"] == "api"
    r = client.get(f"/api/v1/tickets/{t['id']}", headers=cast.light.headers)
    assert r.status_code == 200 and r.json() == t


def test_customer_creates_own_ticket_with_session(rt: Runtime, client: TestClient,
                                                  cast: Cast) -> None:
    headers = customer_headers(rt, cast, client)
    r = client.post("/api/v1/tickets", headers=headers,
                    json={"subject": "Mine", "body": "Please", "customer": {"email": "x@y.com"}})
    assert r.status_code == 201, r.text
    assert r.json()["requester"]["id"] == cast.carla.id  # never someone else
    r = client.post("/api/v1/tickets", headers={"Cookie": headers["Cookie"]},
                    json={"subject": "Mine", "body": "Please"})
    assert r.status_code == 403  # a cookie without the CSRF token


def test_patch_ticket(client: TestClient, cast: Cast) -> None:
    t = create(client, cast, team_id=cast.support_team, tags=["a"])
    url = f"/api/v1/tickets/{t['id']}"
    r = client.patch(url, headers=cast.agent.headers, json={
        "subject": "Renamed", "priority": "high", "status": "pending",
        "assignee_id": cast.agent.id, "add_tags": ["b"], "remove_tags": ["a"]})
    assert r.status_code == 200, r.text
    p = r.json()
    assert (p["subject"], p["priority"], p["status"]) == ("Renamed", "high", "pending")
    assert p["assignee"]["id"] == cast.agent.id and p["tags"] == ["b"]
    assert p["assigned_at"] is not None and p["updated_at"] >= t["updated_at"]
    r = client.patch(url, headers=cast.agent.headers, json={"assignee_id": None, "team_id": None})
    assert r.status_code == 200 and r.json()["assignee"] is None and r.json()["team"] is None
    r = client.patch(url, headers=cast.agent.headers, json={"status": "solved"})
    assert r.json()["solved_at"] is not None
    r = client.patch(url, headers=cast.agent.headers, json={"status": "closed"})
    assert r.json()["closed_at"] is not None
    r = client.patch(url, headers=cast.agent.headers, json={"priority": "low"})
    assert r.status_code == 422 and "Closed" in r.json()["detail"]
    assert client.get(url, headers=cast.agent.headers).json()["priority"] == "high"


# --- list: filters -------------------------------------------------------------------------------


@pytest.fixture
def spread(rt: Runtime, cast: Cast, client: TestClient) -> dict[str, int]:
    """Tickets that differ in every filterable way."""
    made = {
        "a": create(client, cast, priority="low", tags=["vip"], team_id=cast.support_team,
                    assignee_id=cast.agent.id),
        "b": create(client, cast, priority="high", channel="email", team_id=cast.returns_team,
                    assignee_id=cast.partner.id, subject="Broken zipper"),
        "c": create(client, cast, customer={"email": cast.dan.email}, tags=["vip", "late"]),
        "d": create(client, cast, priority="urgent", assignee_id=cast.admin.id),
    }
    client.patch(f"/api/v1/tickets/{made['b']['id']}", headers=cast.agent.headers,
                 json={"status": "pending"})
    client.patch(f"/api/v1/tickets/{made['d']['id']}", headers=cast.agent.headers,
                 json={"status": "solved"})
    return {k: v["id"] for k, v in made.items()}


FILTERS: list[tuple[dict[str, Any], str]] = [
    ({}, "abcd"),
    ({"status": "new"}, "ac"),
    ({"status": "pending,solved"}, "bd"),
    ({"status": ["pending", "new"]}, "abc"),
    ({"status": "unsolved"}, "abc"),
    ({"priority": "high,urgent"}, "bd"),
    ({"assignee": "me"}, "a"),
    ({"assignee": "none"}, "c"),
    ({"assignee": "{partner}"}, "b"),
    ({"team": "mine"}, "a"),
    ({"team": "none"}, "cd"),
    ({"team": "{returns}"}, "b"),
    ({"tag": "vip"}, "ac"),
    ({"tag": "late"}, "c"),
    ({"tag": "nothing"}, ""),
    ({"customer": "{dan}"}, "c"),
    ({"channel": "email"}, "b"),
    ({"q": "zipper"}, "b"),
    ({"q": "#3"}, "c"),
    ({"q": "dan@example"}, "c"),
    ({"status": "new", "tag": "vip", "customer": "{carla}"}, "a"),
]


def test_list_filters(client: TestClient, cast: Cast, spread: dict[str, int]) -> None:
    """One row per filter (the tickets are built once: each row is a query)."""
    values = {"partner": cast.partner.id, "returns": cast.returns_team, "dan": cast.dan.id,
              "carla": cast.carla.id}
    wrong = []
    for params, expected in FILTERS:
        params = {k: v.format(**values) if isinstance(v, str) else v for k, v in params.items()}
        got = ids(client.get("/api/v1/tickets", headers=cast.agent.headers, params=params))
        if sorted(got) != sorted(spread[k] for k in expected):
            wrong.append(f"{params}: wanted {expected}, got {got} (tickets {spread})")
    assert not wrong, "\n".join(wrong)


def test_filter_by_organization(client: TestClient, cast: Cast) -> None:
    r = client.post("/api/v1/organizations", headers=cast.agent.headers,
                    json={"name": "Acme", "domains": ["acme.example"]})
    org = r.json()["id"]
    mine = create(client, cast, customer={"email": "wile@acme.example"})
    create(client, cast)
    got = ids(client.get("/api/v1/tickets", headers=cast.agent.headers,
                         params={"organization": org}))
    assert got == [mine["id"]]


def _set_times(rt: Runtime, when: dict[int, datetime]) -> None:
    with rt.db.write() as s:
        for ticket_id, at in when.items():
            t = s.get(Ticket, ticket_id)
            assert t is not None
            t.updated_at = at


def test_updated_since(rt: Runtime, client: TestClient, cast: Cast) -> None:
    made = [create(client, cast)["id"] for _ in range(3)]
    base = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    _set_times(rt, {made[0]: base - timedelta(days=1), made[1]: base, made[2]: base + timedelta(
        hours=1)})
    for since, expected in [("2026-01-10T12:00:00Z", made[1:]),
                            ("2026-01-10T13:00:00+01:00", made[1:]),  # the same instant
                            ("2026-01-10T12:00:01Z", made[2:]),
                            ("2026-01-01T00:00:00Z", made)]:
        got = ids(client.get("/api/v1/tickets", headers=cast.agent.headers,
                             params={"updated_since": since}))
        assert sorted(got) == sorted(expected), since


# --- list: pagination ----------------------------------------------------------------------------


@pytest.fixture
def many(rt: Runtime, cast: Cast) -> list[int]:
    """Eleven tickets whose timestamps and priorities tie in places, to test the tie-breaks."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    priorities = ["low", "normal", "high", "urgent"]
    made = []
    with rt.db.write() as s:
        carla = find_or_create_by_email(s, SYSTEM, cast.carla.email, "")
        for i in range(11):
            t = actions.create_ticket(s, SYSTEM, requester=carla, subject=f"T{i}", body="x",
                                      priority=priorities[i % 4])
            t.created_at = base + timedelta(minutes=i // 3)  # groups of three share a time
            t.updated_at = base + timedelta(minutes=(11 - i) // 2)
            made.append(t.id)
    return made


def _walk(client: TestClient, cast: Cast, sort: str, limit: int) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    cursor = None
    for _ in range(50):
        params: dict[str, Any] = {"sort": sort, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        r = client.get("/api/v1/tickets", headers=cast.agent.headers, params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= limit
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("sort", SORTS)
def test_cursor_walks_every_ticket_once(client: TestClient, cast: Cast, many: list[int],
                                        sort: str) -> None:
    name = sort.lstrip("-")
    rank = {"low": 0, "normal": 1, "high": 2, "urgent": 3}

    def key(t: dict[str, Any]) -> tuple[Any, int]:
        value = rank[t["priority"]] if name == "priority" else t[name]
        return value, t["id"]

    for limit in (1, 3, 11, 100):
        items = _walk(client, cast, sort, limit)
        got = [t["id"] for t in items]
        assert len(got) == len(set(got)) and set(got) == set(many), limit  # no dups, no gaps
        assert items == sorted(items, key=key, reverse=sort.startswith("-")), limit


def test_default_sort_is_recently_updated_first(rt: Runtime, client: TestClient,
                                                cast: Cast) -> None:
    made = [create(client, cast)["id"] for _ in range(3)]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    _set_times(rt, {made[0]: base + timedelta(hours=2), made[1]: base,
                    made[2]: base + timedelta(hours=1)})
    assert ids(client.get("/api/v1/tickets", headers=cast.agent.headers)) == [
        made[0], made[2], made[1]]


def test_cursor_is_bound_to_its_sort(client: TestClient, cast: Cast, many: list[int]) -> None:
    r = client.get("/api/v1/tickets", headers=cast.agent.headers,
                   params={"sort": "number", "limit": 2})
    cursor = r.json()["next_cursor"]
    r = client.get("/api/v1/tickets", headers=cast.agent.headers,
                   params={"sort": "-number", "cursor": cursor})
    assert r.status_code == 400 and "sort" in r.json()["detail"]


# --- messages ------------------------------------------------------------------------------------


def test_reply_and_note_visibility(rt: Runtime, client: TestClient, cast: Cast) -> None:
    t = create(client, cast)
    url = f"/api/v1/tickets/{t['id']}/messages"
    r = client.post(url, headers=cast.agent.headers, json={"body": "We are on it"})
    assert r.status_code == 201, r.text
    reply = r.json()
    assert set(reply) == MESSAGE_KEYS
    assert (reply["visibility"], reply["author_type"], reply["channel"]) == (
        "public", "agent", "api")
    assert reply["author"] == {"id": cast.agent.id, "name": cast.agent.name, "email": None}
    assert reply["body_html"] == "<p>We are on it</p>" and reply["attachments"] == []
    r = client.post(url, headers=cast.light.headers,
                    json={"body": "Customer is <b>VIP</b>", "visibility": "internal"})
    assert r.status_code == 201 and r.json()["visibility"] == "internal"
    assert "&lt;b&gt;" in r.json()["body_html"]  # plain text is escaped, never markup
    agent_view = client.get(url, headers=cast.agent.headers).json()["items"]
    assert [m["visibility"] for m in agent_view] == ["public", "public", "internal"]
    customer = customer_headers(rt, cast, client)
    customer_view = client.get(url, headers=customer).json()["items"]
    assert [m["id"] for m in customer_view] == [m["id"] for m in agent_view[:2]]
    r = client.post(url, headers=customer, json={"body": "Thanks!"})
    assert r.status_code == 201 and r.json()["author_type"] == "customer"
    assert r.json()["channel"] == "web"
    r = client.post(url, headers=customer, json={"body": "Close it", "status": "solved"})
    assert r.status_code == 403
    ticket = client.get(f"/api/v1/tickets/{t['id']}", headers=cast.agent.headers).json()
    assert ticket["status"] == "open" and ticket["message_count"] == 4
    assert ticket["first_reply_at"] == reply["created_at"]


def test_reply_can_set_status(client: TestClient, cast: Cast) -> None:
    t = create(client, cast)
    r = client.post(f"/api/v1/tickets/{t['id']}/messages", headers=cast.agent.headers,
                    json={"body": "Fixed", "status": "solved"})
    assert r.status_code == 201
    t = client.get(f"/api/v1/tickets/{t['id']}", headers=cast.agent.headers).json()
    assert t["status"] == "solved" and t["solved_at"] is not None


def test_multipart_message_with_files(rt: Runtime, client: TestClient, cast: Cast) -> None:
    t = create(client, cast)
    files = [("files", ("report.pdf", b"%PDF-1.4 fake", "application/pdf")),
             ("files", ("notes.txt", "héllo".encode(), "text/plain"))]
    r = client.post(f"/api/v1/tickets/{t['id']}/messages", headers=cast.agent.headers,
                    data={"body": "See attached", "visibility": "public"}, files=files)
    assert r.status_code == 201, r.text
    attachments = r.json()["attachments"]
    assert [(a["filename"], a["content_type"], a["size"]) for a in attachments] == [
        ("report.pdf", "application/pdf", 13), ("notes.txt", "text/plain", 6)]
    download = client.get(attachments[1]["url"], headers=customer_headers(rt, cast, client))
    assert download.status_code == 200 and download.content == "héllo".encode()
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    r = client.get(attachments[1]["url"], headers=customer_headers(rt, cast, client, "dan"))
    assert r.status_code == 404


# --- merge and bulk ------------------------------------------------------------------------------


def test_merge_moves_messages_and_closes_source(client: TestClient, cast: Cast) -> None:
    source = create(client, cast, subject="Dup", tags=["dup"])
    target = create(client, cast, subject="Main")
    client.post(f"/api/v1/tickets/{source['id']}/messages", headers=cast.agent.headers,
                json={"body": "more detail"})
    r = client.post(f"/api/v1/tickets/{source['id']}/merge", headers=cast.agent.headers,
                    json={"target_id": target["id"]})
    assert r.status_code == 200, r.text
    merged = r.json()
    assert merged["id"] == target["id"] and "dup" in merged["tags"]
    src = client.get(f"/api/v1/tickets/{source['id']}", headers=cast.agent.headers).json()
    assert (src["status"], src["merged_into_id"]) == ("closed", target["id"])
    bodies = [m["body"] for m in client.get(f"/api/v1/tickets/{target['id']}/messages",
                                            headers=cast.agent.headers).json()["items"]]
    assert bodies[:3] == ["It broke", "It broke", "more detail"]
    assert "merged into this ticket" in bodies[-1]
    r = client.post(f"/api/v1/tickets/{target['id']}/merge", headers=cast.agent.headers,
                    json={"target_id": target["id"]})
    assert r.status_code == 422
    r = client.post(f"/api/v1/tickets/{source['id']}/merge", headers=cast.agent.headers,
                    json={"target_id": 99999})
    assert r.status_code == 404


def test_bulk_reports_each_ticket(client: TestClient, cast: Cast) -> None:
    a = create(client, cast)
    b = create(client, cast)
    closed = create(client, cast)
    for status in ("solved", "closed"):
        client.patch(f"/api/v1/tickets/{closed['id']}", headers=cast.agent.headers,
                     json={"status": status})
    r = client.post("/api/v1/tickets/bulk", headers=cast.agent.headers, json={
        "ids": [a["id"], b["id"], closed["id"], 99999, a["id"]],
        "changes": {"priority": "high", "add_tags": ["bulk"]}})
    assert r.status_code == 200, r.text
    results = {x["id"]: x for x in r.json()["results"]}
    assert len(r.json()["results"]) == 4  # duplicates are applied once
    assert results[a["id"]] == {"id": a["id"], "ok": True, "error": None}
    assert results[b["id"]]["ok"] and not results[closed["id"]]["ok"]
    assert "Closed" in results[closed["id"]]["error"]
    assert results[99999] == {"id": 99999, "ok": False, "error": "Ticket 99999 was not found."}
    got = client.get("/api/v1/tickets", headers=cast.agent.headers, params={"tag": "bulk"})
    assert sorted(ids(got)) == sorted([a["id"], b["id"]])


# --- documentation -------------------------------------------------------------------------------


def test_openapi_lists_every_api_route(client: TestClient) -> None:
    from tests.web.test_authorization_matrix import app_routes

    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    api = {k for k in app_routes(client.app) if k[1].startswith("/api/v1/")
           and k[1] != "/api/v1/openapi.json"}
    assert api == documented
    ops = doc["paths"]["/api/v1/tickets/{ticket_id}/messages"]["post"]
    assert set(ops["requestBody"]["content"]) == {"application/json", "multipart/form-data"}


def test_api_docs_page_loads_local_swagger(client: TestClient) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<script src="/static/swagger/swagger-ui-bundle.js"></script>' in r.text
    assert "https://" not in r.text  # nothing from a CDN
    js = client.get("/static/swagger/swagger-ui-bundle.js")
    assert js.status_code == 200 and "SwaggerUIBundle" in js.text
    assert client.get("/static/api-docs.js").status_code == 200
    assert client.get("/static/swagger/swagger-ui.css").status_code == 200
