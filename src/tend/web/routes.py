"""Lists every route of the app with its full path (docs tests, the authorization matrix).

FastAPI keeps included routers nested; this walks them and joins the prefixes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute


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
