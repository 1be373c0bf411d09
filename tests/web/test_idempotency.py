"""Idempotency-Key on API POSTs: a retry returns the first response and creates nothing twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from tend.db import utcnow
from tend.idempotency import store
from tend.idempotency.models import IdempotencyRecord
from tend.runtime import Runtime
from tend.tickets.models import Message, Ticket
from tests.conftest import Cast
from tests.web.authz import Ctx, World

BODY = {"subject": "Help", "body": "It broke", "customer": {"email": "nora@new.example"}}


def count(rt: Runtime, model: Any) -> int:
    with rt.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def post(client: TestClient, headers: dict[str, str], key: str, json: Any,
         path: str = "/api/v1/tickets") -> Any:
    return client.post(path, headers={**headers, "Idempotency-Key": key}, json=json)


def test_retry_returns_the_first_response(rt: Runtime, client: TestClient, cast: Cast) -> None:
    first = post(client, cast.agent.headers, "k-1", BODY)
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    again = post(client, cast.agent.headers, "k-1", BODY)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"] == "application/json"
    assert again.content == first.content
    assert count(rt, Ticket) == 1
    # Without a key every POST acts.
    client.post("/api/v1/tickets", headers=cast.agent.headers, json=BODY)
    assert count(rt, Ticket) == 2


def test_same_key_different_body_is_refused(rt: Runtime, client: TestClient,
                                            cast: Cast) -> None:
    assert post(client, cast.agent.headers, "k-2", BODY).status_code == 201
    r = post(client, cast.agent.headers, "k-2", {**BODY, "subject": "Other"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert "different request" in r.json()["detail"]
    r = post(client, cast.agent.headers, "k-2", {"body": "hi"},
             path="/api/v1/tickets/1/messages")  # same key, another endpoint
    assert r.status_code == 422
    assert count(rt, Ticket) == 1 and count(rt, Message) == 1


def test_keys_are_private_per_credential(rt: Runtime, client: TestClient, cast: Cast) -> None:
    mine = post(client, cast.agent.headers, "shared", BODY)
    theirs = post(client, cast.admin.headers, "shared", BODY)
    assert mine.status_code == theirs.status_code == 201
    assert "idempotent-replayed" not in theirs.headers
    assert mine.json()["id"] != theirs.json()["id"]
    assert count(rt, Ticket) == 2


def test_error_responses_are_replayed(rt: Runtime, client: TestClient, cast: Cast) -> None:
    bad = {**BODY, "priority": "meh"}
    first = post(client, cast.agent.headers, "k-bad", bad)
    assert first.status_code == 422
    again = post(client, cast.agent.headers, "k-bad", bad)
    assert again.status_code == 422 and again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert again.headers["content-type"] == "application/problem+json"
    forbidden = post(client, cast.light.headers, "k-403", BODY)
    assert forbidden.status_code == 403
    assert post(client, cast.light.headers, "k-403", BODY).headers["idempotent-replayed"]
    assert count(rt, Ticket) == 0


def test_message_retry_creates_one_message(rt: Runtime, client: TestClient, cast: Cast) -> None:
    ticket = post(client, cast.agent.headers, "t", BODY).json()["id"]
    url = f"/api/v1/tickets/{ticket}/messages"
    first = post(client, cast.agent.headers, "m-1", {"body": "On it"}, path=url)
    again = post(client, cast.agent.headers, "m-1", {"body": "On it"}, path=url)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert count(rt, Message) == 2  # the first message of the ticket, and this reply
    r = client.get(f"/api/v1/tickets/{ticket}", headers=cast.agent.headers)
    assert r.json()["message_count"] == 2


def test_customer_session_keys(rt: Runtime, client: TestClient, cast: Cast) -> None:
    world = World(rt, cast, client)
    cookie, csrf = world.session_cookie(customer_id=cast.carla.id)
    headers = {"Cookie": f"tend_session={cookie}", "X-CSRF-Token": csrf}
    ticket = world.ticket(Ctx("customer", "own"))
    url = f"/api/v1/tickets/{ticket}/messages"
    first = post(client, headers, "c-1", {"body": "Thanks"}, path=url)
    again = post(client, headers, "c-1", {"body": "Thanks"}, path=url)
    assert first.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert count(rt, Message) == 2


def test_request_in_flight_gets_409(rt: Runtime, client: TestClient, cast: Cast) -> None:
    credential = cast.agent.headers["Authorization"]
    with rt.db.write() as s:  # the first attempt has claimed the key and is still running
        claim = store.claim(s, store.scope_hash(credential, "busy"),
                            store.request_hash("POST", "/api/v1/tickets", b"{}"), "POST",
                            "/api/v1/tickets")
        assert claim.outcome == "new"
    r = post(client, cast.agent.headers, "busy", BODY)
    assert r.status_code == 409 and "still being processed" in r.json()["detail"]
    assert count(rt, Ticket) == 0
    # An attempt that died long ago no longer blocks the key.
    with rt.db.write() as s:
        record = s.get(IdempotencyRecord, store.scope_hash(credential, "busy"))
        assert record is not None
        record.created_at = utcnow() - timedelta(minutes=10)
    assert post(client, cast.agent.headers, "busy", BODY).status_code == 201


def test_server_errors_are_not_remembered(rt: Runtime, client: TestClient, cast: Cast,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from tend.tickets import actions

    real = actions.create_ticket

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "create_ticket", broken)
    with pytest.raises(RuntimeError):
        post(client, cast.agent.headers, "k-crash", BODY)
    monkeypatch.setattr(actions, "create_ticket", real)
    retry = post(client, cast.agent.headers, "k-crash", BODY)
    assert retry.status_code == 201 and "idempotent-replayed" not in retry.headers
    assert count(rt, Ticket) == 1


@pytest.mark.parametrize("key", ["", " ", "k" * 256, "tab\there"])
def test_bad_keys(client: TestClient, cast: Cast, key: str) -> None:
    r = post(client, cast.agent.headers, key, BODY)
    assert r.status_code == 400 and "Idempotency-Key" in r.json()["detail"]


def test_keys_only_apply_to_api_posts(rt: Runtime, client: TestClient, cast: Cast) -> None:
    t = post(client, cast.agent.headers, "p", BODY).json()
    for _ in range(2):
        r = client.patch(f"/api/v1/tickets/{t['id']}", json={"priority": "high"},
                         headers={**cast.agent.headers, "Idempotency-Key": "p"})
        assert r.status_code == 200 and "idempotent-replayed" not in r.headers
