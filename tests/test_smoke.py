from starlette.testclient import TestClient

from tests.conftest import Cast


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_create_and_fetch_ticket(client: TestClient, cast: Cast) -> None:
    r = client.post("/api/v1/tickets", headers=cast.agent.headers, json={
        "subject": "Printer on fire", "body": "It is really on fire.",
        "customer": {"email": "new@example.net", "name": "Nora New"}})
    assert r.status_code == 201, r.text
    t = r.json()
    assert t["number"] == 1 and t["status"] == "new"
    assert t["requester"]["email"] == "new@example.net"
    r = client.get(f"/api/v1/tickets/{t['id']}", headers=cast.agent.headers)
    assert r.status_code == 200
    r = client.get("/api/v1/tickets", headers=cast.agent.headers)
    assert [x["id"] for x in r.json()["items"]] == [t["id"]]
