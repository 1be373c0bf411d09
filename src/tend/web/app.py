"""`create_app(settings)` composes Tend's web application. Nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

import tend
from tend import runtime as runtime_mod
from tend.runtime import Runtime
from tend.settings import Settings
from tend.web import api, live, middleware, problems, widget
from tend.web.idempotency import Idempotency
from tend.web.routes import plain_sockets
from tend.web.templating import Renderer
from tend.web.widget.watch import VisitorWatch

STATIC = Path(__file__).parent / "static"


class TendApp(FastAPI):
    """FastAPI, with the live sockets handed straight to their endpoint.

    A live socket is held for hours, and so is every layer it came through: the middlewares,
    the router, FastAPI's dependency solving, about 120 objects a socket that each full pass
    of the garbage collector walks (benchmarks/README.md, chat). Our middlewares leave
    WebSockets alone, and these endpoints take nothing but the socket, so `__call__` calls
    them directly. The routes stay declared on the router as usual.
    """

    _direct: dict[str, Callable[[WebSocket], Awaitable[None]]] | None = None

    def direct_sockets(self) -> dict[str, Callable[[WebSocket], Awaitable[None]]]:
        if self._direct is None:
            self._direct = plain_sockets(self)
        return self._direct

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            path, root = scope["path"], scope.get("root_path", "")
            if root and path.startswith(root):
                path = path[len(root):]
            endpoint = self.direct_sockets().get(path)
            if endpoint is not None:
                scope["app"] = self
                await endpoint(WebSocket(scope, receive, send))
                return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None, *, rt: Runtime | None = None) -> FastAPI:
    settings = settings or (rt.settings if rt else Settings())
    rt = rt or runtime_mod.build(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await rt.hub.start()
        visitors.start()
        consumer = rt.jobs.start_consumer(settings.job_workers) if settings.job_workers else None
        fetcher = None
        if settings.fetches_mail:  # every worker starts one; only the lock holder fetches
            from tend.channels.email.imap import MailFetcher

            fetcher = MailFetcher(rt)
            fetcher.start()
        yield
        if fetcher is not None:
            fetcher.stop()
        if consumer is not None:
            consumer.stop(graceful=True)
        await visitors.stop()
        await rt.hub.stop()
        rt.close()

    app = TendApp(
        title="Tend API",
        version=tend.__version__,
        description="REST API of Tend, the open-source help desk. See docs/api.md.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.runtime = rt
    app.state.visitors = visitors = VisitorWatch(rt)
    renderer = Renderer()
    app.state.renderer = renderer

    def render_error(request: Request, status: int, detail: str) -> Response:
        return renderer.render(request, "shared/error.html",
                               {"status": status, "detail": detail,
                                "title": problems.TITLES.get(status, "Error")},
                               status_code=status)

    problems.install(app, render_error)
    app.include_router(api.router)
    app.include_router(live.router)
    app.include_router(widget.router)
    _install_pages(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        from sqlalchemy import text

        with rt.db.read() as session:
            session.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok", "version": tend.__version__})

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        # Swagger UI 5 from the fastapi-offline package, started by our own script (the CSP
        # forbids inline scripts, and nothing is loaded from a CDN).
        return renderer.render(request, "shared/api_docs.html", {})

    _mount_static(app)
    app.add_middleware(Idempotency, runtime=rt)
    app.add_middleware(middleware.BodyLimit, max_bytes=settings.request_max_bytes,
                       upload_max_bytes=settings.attachment_max_bytes * 2 + 65536)
    app.add_middleware(middleware.SecurityHeaders, hsts=settings.secure_cookies)
    return app


def _mount_static(app: FastAPI) -> None:
    import fastapi_offline

    swagger = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/static/swagger", StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def _install_pages(app: FastAPI) -> None:
    """Server-rendered surfaces: agent workspace, admin, customer portal."""
    from tend.web import pages

    pages.install(app)
