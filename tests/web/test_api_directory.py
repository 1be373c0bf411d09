"""The REST contract for customers, organizations, agents and teams."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import Cast

CUSTOMER_KEYS = {"id", "name", "email", "identities", "organization", "tier", "locale",
                 "time_zone", "tags", "notes", "attributes", "created_at", "updated_at"}
ORG_KEYS = {"id", "name", "domains", "notes", "customer_count", "created_at", "updated_at"}
AGENT_KEYS = {"id", "email", "name", "role", "is_active", "teams", "totp_enabled", "created_at",
              "last_login_at"}
TEAM_KEYS = {"id", "name", "description", "members", "created_at"}


def post(client: TestClient, cast: Cast, path: str, body: dict[str, Any],
         who: str = "agent", status: int = 201) -> dict[str, Any]:
    r = client.post(f"/api/v1/{path}", headers=getattr(cast, who).headers, json=body)
    assert r.status_code == status, r.text
    return r.json()  # type: ignore[no-any-return]


def walk(client: TestClient, cast: Cast, path: str, **params: Any) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = client.get(f"/api/v1/{path}", headers=cast.agent.headers, params=query)
        assert r.status_code == 200, r.text
        seen += [x["id"] for x in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return seen


# --- customers -----------------------------------------------------------------------------------


def test_customer_create_get_update(client: TestClient, cast: Cast) -> None:
    c = post(client, cast, "customers", {
        "name": "  Nora New ", "email": "Nora@New.Example", "phone": "+49 30 123456",
        "identities": [{"channel": "chat", "address": "visitor-7"}], "tier": "standard",
        "locale": "de", "time_zone": "Europe/Berlin", "tags": ["lead"], "notes": "met at fair",
        "attributes": {"plan": "gold", "seats": 5}})
    assert set(c) == CUSTOMER_KEYS
    assert (c["name"], c["email"], c["locale"]) == ("Nora New", "nora@new.example", "de")
    assert [(i["channel"], i["address"]) for i in c["identities"]] == [
        ("email", "nora@new.example"), ("chat", "visitor-7"), ("phone", "+4930123456")]
    assert c["attributes"] == {"plan": "gold", "seats": 5} and c["organization"] is None
    url = f"/api/v1/customers/{c['id']}"
    assert client.get(url, headers=cast.light.headers).json() == c
    r = client.patch(url, headers=cast.agent.headers,
                     json={"name": "Nora N.", "tags": ["customer"], "locale": None})
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["tags"], r.json()["locale"]) == (
        "Nora N.", ["customer"], None)
    assert r.json()["notes"] == "met at fair"  # untouched fields stay
    # The same email again is a conflict, not a second customer.
    r = client.post("/api/v1/customers", headers=cast.agent.headers,
                    json={"name": "Copy", "email": "nora@new.example"})
    assert r.status_code == 409 and "already exists" in r.json()["detail"]


def test_customer_list_search_and_pages(client: TestClient, cast: Cast) -> None:
    made = [post(client, cast, "customers", {"name": f"Person {i}",
                                             "email": f"p{i}@list.example"})["id"]
            for i in range(5)]
    everyone = [cast.carla.id, cast.dan.id, *made]
    assert walk(client, cast, "customers", limit=2) == sorted(everyone)
    assert walk(client, cast, "customers", limit=100) == sorted(everyone)
    assert walk(client, cast, "customers", q="list.example", limit=2) == made
    assert walk(client, cast, "customers", q="carla") == [cast.carla.id]
    assert walk(client, cast, "customers", q="PERSON 3") == [made[3]]


# --- organizations -------------------------------------------------------------------------------


def test_organization_create_get_update(client: TestClient, cast: Cast) -> None:
    org = post(client, cast, "organizations", {"name": "Acme", "domains": ["ACME.example",
                                                                          "@acme.test"],
                                               "notes": "big"})
    assert set(org) == ORG_KEYS
    assert org["domains"] == ["acme.example", "acme.test"] and org["customer_count"] == 0
    url = f"/api/v1/organizations/{org['id']}"
    assert client.get(url, headers=cast.light.headers).json() == org
    r = client.patch(url, headers=cast.agent.headers, json={"name": "Acme Inc", "notes": ""})
    assert r.status_code == 200 and (r.json()["name"], r.json()["notes"]) == ("Acme Inc", "")
    assert r.json()["domains"] == ["acme.example", "acme.test"]
    post(client, cast, "organizations", {"name": "Acme Inc"}, status=409)
    post(client, cast, "organizations", {"name": "Other", "domains": ["acme.test"]}, status=409)
    assert walk(client, cast, "organizations", q="acme") == [org["id"]]


def test_organizations_link_customers_by_email_domain(client: TestClient, cast: Cast) -> None:
    early = post(client, cast, "customers", {"name": "Early", "email": "early@acme.example"})
    org = post(client, cast, "organizations", {"name": "Acme", "domains": ["acme.example"]})
    # Existing customers at the domain join when the organization is created...
    r = client.get(f"/api/v1/customers/{early['id']}", headers=cast.agent.headers)
    assert r.json()["organization"] == {"id": org["id"], "name": "Acme"}
    # ...and a ticket from a new address at the domain brings its customer in too.
    r = client.post("/api/v1/tickets", headers=cast.agent.headers, json={
        "subject": "Hi", "body": "Hello", "customer": {"email": "wile@ACME.example"}})
    requester = r.json()["requester"]["id"]
    r = client.get(f"/api/v1/customers/{requester}", headers=cast.agent.headers)
    assert r.json()["organization"]["id"] == org["id"]
    # Other domains do not.
    assert client.get(f"/api/v1/customers/{cast.carla.id}",
                      headers=cast.agent.headers).json()["organization"] is None
    assert walk(client, cast, "customers", organization=org["id"]) == sorted(
        [early["id"], requester])
    r = client.get(f"/api/v1/organizations/{org['id']}", headers=cast.agent.headers)
    assert r.json()["customer_count"] == 2
    # A domain added later links the customers already there.
    r = client.patch(f"/api/v1/organizations/{org['id']}", headers=cast.agent.headers,
                     json={"domains": ["acme.example", "example.com"]})
    assert r.status_code == 200 and r.json()["customer_count"] == 3
    assert client.get(f"/api/v1/customers/{cast.carla.id}",
                      headers=cast.agent.headers).json()["organization"]["id"] == org["id"]


def test_organization_list_pages(client: TestClient, cast: Cast) -> None:
    made = [post(client, cast, "organizations", {"name": f"Org {i}"})["id"] for i in range(5)]
    assert walk(client, cast, "organizations", limit=2) == made


# --- agents and teams ----------------------------------------------------------------------------


def test_agents(client: TestClient, cast: Cast) -> None:
    r = client.get("/api/v1/agents", headers=cast.partner.headers)
    assert r.status_code == 200
    items = r.json()["items"]
    assert all(set(a) == AGENT_KEYS for a in items)
    assert [a["name"] for a in items] == sorted(a["name"] for a in items)
    assert {a["email"] for a in items} >= {cast.admin.email, cast.partner.email}
    new = post(client, cast, "agents", {"email": "Neo@Tend.example", "name": "Neo",
                                        "role": "light_agent",
                                        "team_ids": [cast.returns_team]}, who="admin")
    assert (new["email"], new["role"], new["is_active"]) == ("neo@tend.example", "light_agent",
                                                             True)
    assert new["teams"] == [{"id": cast.returns_team, "name": "Returns"}]
    assert "password" not in new and "password_hash" not in new
    url = f"/api/v1/agents/{new['id']}"
    assert client.get(url, headers=cast.light.headers).json() == new
    r = client.patch(url, headers=cast.admin.headers, json={"role": "agent", "is_active": False})
    assert r.status_code == 200 and (r.json()["role"], r.json()["is_active"]) == ("agent", False)
    r = client.get("/api/v1/agents", headers=cast.admin.headers, params={"active": "false"})
    assert [a["id"] for a in r.json()["items"]] == [new["id"]]
    post(client, cast, "agents", {"email": "neo@tend.example", "name": "Twin"}, who="admin",
         status=409)
    # The last active admin cannot be demoted.
    r = client.patch(f"/api/v1/agents/{cast.admin.id}", headers=cast.admin.headers,
                     json={"role": "agent"})
    assert r.status_code == 409 and "admin" in r.json()["detail"]


def test_teams(client: TestClient, cast: Cast) -> None:
    r = client.get("/api/v1/teams", headers=cast.light.headers)
    assert [t["name"] for t in r.json()["items"]] == ["Returns", "Support"]
    assert all(set(t) == TEAM_KEYS for t in r.json()["items"])
    team = post(client, cast, "teams", {"name": "Billing", "description": "Money",
                                        "member_ids": [cast.agent.id]}, who="admin")
    assert team["members"] == [{"id": cast.agent.id, "name": cast.agent.name}]
    url = f"/api/v1/teams/{team['id']}"
    assert client.get(url, headers=cast.partner.headers).json() == team
    r = client.patch(url, headers=cast.admin.headers,
                     json={"name": "Billing & Refunds", "member_ids": [cast.partner.id]})
    assert r.status_code == 200
    assert r.json()["name"] == "Billing & Refunds"
    assert [m["id"] for m in r.json()["members"]] == [cast.partner.id]
    r = client.get(f"/api/v1/agents/{cast.partner.id}", headers=cast.agent.headers)
    assert {t["name"] for t in r.json()["teams"]} == {"Returns", "Billing & Refunds"}
    post(client, cast, "teams", {"name": "Support"}, who="admin", status=409)


def test_identities_can_be_added_and_must_stay_unique(client: TestClient, cast: Cast) -> None:
    url = f"/api/v1/customers/{cast.carla.id}"
    r = client.patch(url, headers=cast.agent.headers, json={"add_identities": [
        {"channel": "phone", "address": "+49 30 1234567"},
        {"channel": "chat", "address": "visitor-42"}]})
    assert r.status_code == 200, r.text
    idents = {(i["channel"], i["address"]) for i in r.json()["identities"]}
    assert {("phone", "+49301234567"), ("chat", "visitor-42"),
            ("email", cast.carla.email)} <= idents
    taken = client.patch(f"/api/v1/customers/{cast.dan.id}", headers=cast.agent.headers,
                         json={"add_identities": [{"channel": "phone",
                                                   "address": "+49301234567"}]})
    assert taken.status_code == 409 and "already belongs" in taken.json()["detail"]
    bad = client.patch(url, headers=cast.agent.headers,
                       json={"add_identities": [{"channel": "phone", "address": "call me"}]})
    assert bad.status_code == 422 and "international" in bad.json()["detail"]
    r = client.patch(url, headers=cast.light.headers,
                     json={"add_identities": [{"channel": "chat", "address": "v-1"}]})
    assert r.status_code == 403
