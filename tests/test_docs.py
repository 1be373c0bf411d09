"""The docs tell the truth: every setting, event and API route is documented."""

from __future__ import annotations

import re
from pathlib import Path

from tend.events.catalog import all_event_types
from tend.settings import Settings
from tend.web.routes import iter_routes

DOCS = Path(__file__).parent.parent / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    missing = [f"TEND_{name.upper()}" for name in Settings.model_fields
               if f"`TEND_{name.upper()}`" not in text]
    assert not missing, f"document these in docs/settings.md: {missing}"


def test_every_event_is_documented() -> None:
    text = (DOCS / "events.md").read_text()
    missing = [cls.name for cls in all_event_types() if f"`{cls.name}`" not in text]
    assert not missing, f"document these in docs/events.md: {missing}"


def test_every_api_route_is_documented(client) -> None:  # type: ignore[no-untyped-def]
    text = (DOCS / "api.md").read_text()
    documented = set(re.findall(r"\| `(GET|POST|PATCH|PUT|DELETE)` \| `([^`]+)` \|", text))
    routes = {(method, re.sub(r"\{[^}]+\}", "{id}", r.path)) for r in iter_routes(client.app)
              if r.in_schema and r.path.startswith("/api/v1") for method in r.methods}
    missing = sorted(routes - documented)
    assert not missing, f"document these in docs/api.md: {missing}"
    stale = sorted(documented - routes)
    assert not stale, f"docs/api.md lists routes that do not exist: {stale}"
