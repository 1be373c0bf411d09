"""Mounts the server-rendered surfaces. Each surface is a package with its own routes."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from tend.config.queries import get_config
from tend.web import session_auth
from tend.web.pagekit import LoginRequired


async def _to_login(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(exc.location, status_code=303)


def install(app: FastAPI) -> None:
    from tend.web import account, admin, agent, portal

    app.add_exception_handler(LoginRequired, _to_login)
    app.include_router(session_auth.router)
    app.include_router(account.router)  # before the workspace, whose /agent/... paths vary
    for surface in (agent, portal, admin):
        app.include_router(surface.router)

    @app.get("/brand.css", include_in_schema=False)
    def brand_css(request: Request) -> Response:
        """The admin's brand colour as CSS variables (no inline styles under the CSP)."""
        with request.app.state.runtime.db.read() as session:
            config = get_config(session)
        css = (f":root {{ --brand: {config.brand_color}; --brand-dark: {config.brand_dark}; "
               f"--brand-ink: {config.brand_ink}; }}\n")
        return Response(css, media_type="text/css", headers={"Cache-Control": "no-cache"})

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/agent", status_code=303)
