"""Every route x every role x own/other object gets exactly the outcome its spec declares.

The specs are in tests/web/authz.py (API) and tests/web/authz_pages.py (HTML pages). A route of
the app without a spec fails `test_every_route_has_a_spec`.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.testclient import TestClient

from tend.runtime import Runtime
from tests.conftest import Cast
from tests.web import authz_pages
from tests.web.authz import (
    KEYED_ROUTES,
    PUBLIC_ROUTES,
    ROLES,
    WEBSOCKETS,
    WHOSE,
    Ctx,
    Spec,
    World,
    all_specs,
    run_spec,
)

SPECS = list(all_specs())


@pytest.fixture
def world(rt: Runtime, cast: Cast, client: TestClient) -> World:
    return World(rt, cast, client)


def app_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path template) of every route; static mounts are files, not routes."""
    keys = set()
    # FastAPI includes routers lazily; iter_route_contexts yields the effective routes.
    for ctx in iter_route_contexts(app.routes):
        # Specs write "{number}" where the route says "{number:int}".
        route, path = ctx.original_route, re.sub(r"\{(\w+):\w+\}", r"{\1}", str(ctx.path))
        if isinstance(route, Mount):
            assert path.startswith("/static"), f"unexpected mount {path}"
            continue
        if isinstance(route, APIWebSocketRoute | WebSocketRoute):
            keys.add(("WS", path))
            continue
        assert isinstance(route, APIRoute | Route), f"unexpected route type {route!r}"
        for method in ctx.methods or ():
            if method != "HEAD":
                keys.add((method, path))
    return keys


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_route_matrix(world: World, spec: Spec) -> None:
    failures = run_spec(world, spec)
    assert not failures, f"{spec.id}\n" + "\n".join(failures)


def test_every_route_has_a_spec(client: TestClient) -> None:
    routes = app_routes(client.app)
    sockets = {k for k in routes if k[0] == "WS"}
    assert sockets == {("WS", path) for path in WEBSOCKETS}, (
        "every WebSocket route names the test of its authorization in tests/web/authz.py")
    routes -= sockets | set(KEYED_ROUTES)
    specced = {(s.method, s.path) for s in SPECS}
    missing = sorted(k for k in routes - specced - PUBLIC_ROUTES
                     if k[1].startswith("/api/") or authz_pages.REQUIRE_ALL_PAGES)
    assert not missing, ("routes without an authorization spec (add one to tests/web/authz.py "
                         f"or authz_pages.py): {missing}")
    stale = sorted(specced - routes)
    assert not stale, f"specs for routes that do not exist: {stale}"


def test_page_routes_without_spec(client: TestClient) -> None:
    """Lists the page routes still lacking a spec (see authz_pages.REQUIRE_ALL_PAGES)."""
    specced = {(s.method, s.path) for s in SPECS}
    missing = sorted(k for k in app_routes(client.app) - specced - PUBLIC_ROUTES
                     - set(KEYED_ROUTES) if not k[1].startswith("/api/") and k[0] != "WS")
    if missing:
        listing = ", ".join(f"{m} {p}" for m, p in missing)
        print(f"page routes without an authorization spec: {listing}")
        pytest.skip(f"{len(missing)} page route(s) without an authorization spec: {listing}")


def test_websocket_authorization_tests_exist() -> None:
    from pathlib import Path

    root = Path(__file__).parent.parent
    for path, test in [*WEBSOCKETS.items(), *KEYED_ROUTES.items()]:
        module, _, name = test.partition("::")
        assert f"def {name}(" in (root / module).read_text(), (path, test)


def test_public_routes_are_public(client: TestClient) -> None:
    assert app_routes(client.app) >= PUBLIC_ROUTES
    for method, path in sorted(PUBLIC_ROUTES):
        client.cookies.clear()
        r = client.request(method, path)
        assert r.status_code == 200, (path, r.status_code)


def test_matrix_covers_every_role_and_side() -> None:
    for spec in SPECS:
        assert set(spec.expect) == set(ROLES), spec.id
    assert len(WHOSE) == 2


# --- what a list shows is what a fetch allows ----------------------------------------------------


def _get(world: World, role: str, path: str, **params: Any) -> Any:
    headers, _ = world.credentials(role, api=True)
    world.client.cookies.clear()
    r = world.client.get(path, headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_ticket_lists_show_only_what_the_role_may_see(world: World) -> None:
    own = {role: world.ticket(Ctx(role, "own")) for role in ("customer", "partner_agent")}
    other = {role: world.ticket(Ctx(role, "other")) for role in ("customer", "partner_agent")}
    for role in ("customer", "partner_agent"):
        ids = {t["id"] for t in _get(world, role, "/api/v1/tickets")["items"]}
        assert own[role] in ids and other[role] not in ids, role
        # Filtering on someone else's customer does not widen anything.
        dan = world.cast.dan.id if role == "customer" else world.cast.carla.id
        assert _get(world, role, "/api/v1/tickets", customer=dan)["items"] == []
    for role in ("light_agent", "agent", "admin"):
        ids = {t["id"] for t in _get(world, role, "/api/v1/tickets")["items"]}
        assert {own["customer"], other["customer"]} <= ids, role


def test_partner_lists_only_customers_of_its_teams_tickets(world: World) -> None:
    world.ticket(Ctx("partner_agent", "own"))
    world.ticket(Ctx("partner_agent", "other"))
    ids = {c["id"] for c in _get(world, "partner_agent", "/api/v1/customers")["items"]}
    assert ids == {world.cast.dan.id}
    ids = {c["id"] for c in _get(world, "agent", "/api/v1/customers")["items"]}
    assert ids == {world.cast.dan.id, world.cast.carla.id}


def test_customer_never_sees_notes_or_their_attachments(world: World) -> None:
    c = Ctx("customer", "own")
    note_file = world.attachment(c, visibility="internal")
    reply_file = world.attachment(c)
    ticket = world.ticket(c)
    items = _get(world, "customer", f"/api/v1/tickets/{ticket}/messages")["items"]
    assert [m["visibility"] for m in items] == ["public", "public"]
    files = [a["id"] for m in items for a in m["attachments"]]
    assert files == [reply_file]
    agent_items = _get(world, "agent", f"/api/v1/tickets/{ticket}/messages")["items"]
    assert note_file in [a["id"] for m in agent_items for a in m["attachments"]]
