"""What customers get from the API about their own tickets: nothing internal."""

from __future__ import annotations

from starlette.testclient import TestClient

from tend.access import SYSTEM
from tend.runtime import Runtime
from tend.tickets.fields import create_custom_field
from tests.conftest import Cast
from tests.web.test_api_tickets import create, customer_headers


def test_customers_see_no_internal_ticket_fields(rt: Runtime, client: TestClient,
                                                 cast: Cast) -> None:
    with rt.db.write() as s:
        create_custom_field(s, SYSTEM, key="order_no", label="Order", type="text",
                            customer_visible=True)
        create_custom_field(s, SYSTEM, key="fraud_score", label="Fraud score", type="number")
    t = create(client, cast, team_id=cast.support_team, assignee_id=cast.agent.id,
               tags=["vip", "refund-risk"], custom_fields={"order_no": "A-1", "fraud_score": 9})
    client.post(f"/api/v1/tickets/{t['id']}/messages", headers=cast.agent.headers,
                json={"body": "internal thoughts", "visibility": "internal"})
    as_agent = client.get(f"/api/v1/tickets/{t['id']}", headers=cast.agent.headers).json()
    assert as_agent["custom_fields"] == {"order_no": "A-1", "fraud_score": 9}
    assert as_agent["message_count"] == 2 and as_agent["tags"] == ["refund-risk", "vip"]

    headers = customer_headers(rt, cast, client)
    for r in (client.get(f"/api/v1/tickets/{t['id']}", headers=headers),
              client.get("/api/v1/tickets", headers=headers)):
        assert r.status_code == 200, r.text
        mine = r.json() if "id" in r.json() else r.json()["items"][0]
        assert mine["custom_fields"] == {"order_no": "A-1"}
        assert mine["tags"] == [] and mine["team"] is None and mine["message_count"] is None
        assert mine["assignee"] == {"id": cast.agent.id, "name": cast.agent.name, "email": None}
        assert "internal thoughts" not in r.text


def test_customers_cannot_tag_their_tickets(rt: Runtime, client: TestClient, cast: Cast) -> None:
    headers = customer_headers(rt, cast, client)
    r = client.post("/api/v1/tickets", headers=headers,
                    json={"subject": "Hi", "body": "Help", "tags": ["vip"]})
    assert r.status_code == 403 and "tags" in r.json()["detail"]


def test_idempotency_scope_ignores_unrelated_cookies(rt: Runtime, client: TestClient,
                                                     cast: Cast) -> None:
    headers = customer_headers(rt, cast, client)
    body = {"subject": "Once", "body": "only once"}
    first = client.post("/api/v1/tickets", json=body,
                        headers={**headers, "Idempotency-Key": "k1"})
    assert first.status_code == 201
    client.cookies.set("tend_lang", "es")  # another cookie appears between the retries
    again = client.post("/api/v1/tickets", json=body,
                        headers={**headers, "Cookie": headers["Cookie"] + "; tend_lang=es",
                                 "Idempotency-Key": "k1"})
    assert again.status_code == 201 and again.headers.get("idempotent-replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
