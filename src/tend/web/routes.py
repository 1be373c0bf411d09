"""Lists every route of the app with its full path (docs tests, the authorization matrix), and
the WebSocket endpoints that can be called without FastAPI's machinery (`app.TendApp`).

FastAPI keeps included routers nested; this walks them and joins the prefixes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIWebSocketRoute
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    name: str
    in_schema: bool


def _leaves(routes: Iterable[BaseRoute], prefix: str = "", in_schema: bool = True,
            guarded: bool = False) -> Iterator[tuple[str, BaseRoute, bool, bool]]:
    """Every route that is not a router: its full path, itself, whether it is in the schema,
    and whether a router above it adds dependencies."""
    for route in routes:
        nested: Any = getattr(route, "original_router", None)
        if nested is not None:
            ctx = getattr(route, "include_context", None)
            yield from _leaves(
                nested.routes, prefix + (getattr(ctx, "prefix", "") or ""),
                in_schema and bool(getattr(ctx, "include_in_schema", True)),
                guarded or bool(getattr(ctx, "dependencies", None) or nested.dependencies))
        else:
            yield prefix + getattr(route, "path", ""), route, in_schema, guarded


def iter_routes(app: Any) -> list[RouteInfo]:
    found = []
    for path, route, in_schema, _ in _leaves(app.routes):
        if isinstance(route, Mount):
            found.append(RouteInfo(path, frozenset({"GET"}), route.name or "", False))
        elif isinstance(route, Route | WebSocketRoute):
            methods = frozenset(getattr(route, "methods", None) or {"WEBSOCKET"}) - {"HEAD"}
            schema = in_schema and bool(getattr(route, "include_in_schema", True))
            found.append(RouteInfo(path, methods, route.name or "", schema))
    return found


def plain_sockets(app: Any) -> dict[str, Callable[[WebSocket], Awaitable[None]]]:
    """WebSocket endpoints that take the socket and nothing else (no path parameters, no
    dependencies on the route or any router above it), by full path."""
    return {path: route.endpoint for path, route, _, guarded in _leaves(app.routes)
            if isinstance(route, APIWebSocketRoute) and not guarded
            and not route.param_convertors and not route.dependant.dependencies
            and not route.dependant.query_params}
