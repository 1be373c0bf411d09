"""Jinja2 set-up: autoescaping, i18n, and the helpers every template may use."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_datetime, format_timedelta
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tend.i18n import translations

TEMPLATES = Path(__file__).parent / "templates"


def _ago(value: datetime | None, locale: str = "en") -> str:
    if value is None:
        return ""
    return format_timedelta(value - datetime.now(UTC), add_direction=True, locale=locale,
                            threshold=1.1)


def _when(value: datetime | None, locale: str = "en") -> str:
    if value is None:
        return ""
    return format_datetime(value, "medium", locale=locale)


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ago"] = _ago
    env.filters["when"] = _when
    env.filters["label"] = lambda s: str(s).replace("_", " ").capitalize()
    return env


class Renderer:
    def __init__(self) -> None:
        self.env = make_environment()

    def render(self, request: Request, name: str, context: dict[str, Any], *,
               status_code: int = 200, locale: str = "en") -> HTMLResponse:
        t = translations(locale)
        ctx = {"request": request, "locale": locale, "gettext": t.gettext,
               "ngettext": t.ngettext, "_": t.gettext, **context}
        html = self.env.get_template(name).render(ctx)
        return HTMLResponse(html, status_code=status_code)
