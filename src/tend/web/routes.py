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


def _walk(routes: Iterable[BaseRoute], prefix: str, in_schema: bool) -> Iterator[RouteInfo]:
    for route in routes:
        nested: Any = getattr(route, "original_router", None)
        if nested is not None:
            ctx = getattr(route, "include_context", None)
            sub_prefix = prefix + (getattr(ctx, "prefix", "") or "")
            sub_schema = in_schema and bool(getattr(ctx, "include_in_schema", True))
            yield from _walk(nested.routes, sub_prefix, sub_schema)
        elif isinstance(route, Mount):
            yield RouteInfo(prefix + route.path, frozenset({"GET"}), route.name or "", False)
        elif isinstance(route, Route | WebSocketRoute):
            methods = frozenset(getattr(route, "methods", None) or {"WEBSOCKET"}) - {"HEAD"}
            schema = in_schema and bool(getattr(route, "include_in_schema", True))
            yield RouteInfo(prefix + route.path, methods, route.name or "", schema)


def iter_routes(app: Any) -> list[RouteInfo]:
    return list(_walk(app.routes, "", True))


def plain_sockets(app: Any) -> dict[str, Callable[[WebSocket], Awaitable[None]]]:
    """WebSocket endpoints that take the socket and nothing else (no path parameters, no
    dependencies on the route or any router above it), by full path."""
    found: dict[str, Callable[[WebSocket], Awaitable[None]]] = {}

    def walk(routes: Iterable[BaseRoute], prefix: str) -> None:
        for route in routes:
            nested: Any = getattr(route, "original_router", None)
            if nested is not None:
                ctx = getattr(route, "include_context", None)
                if not getattr(ctx, "dependencies", None) and not nested.dependencies:
                    walk(nested.routes, prefix + (getattr(ctx, "prefix", "") or ""))
            elif isinstance(route, APIWebSocketRoute) and not route.param_convertors \
                    and not route.dependant.dependencies and not route.dependant.query_params:
                found[prefix + route.path] = route.endpoint

    walk(app.routes, "")
    return found
