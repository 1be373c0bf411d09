"""The bare floor for the API benchmark: the least a web app can do per request.

A minimal Starlette app on the same database as Tend:

* ``POST /floor/tickets`` takes Tend's ticket payload
  (``{"subject", "body", "customer": {"email", "name"}}``), does one INSERT into
  ``floor_tickets`` and answers 201 ``{"id": ...}``;
* ``GET /floor/tickets?limit=25`` does one SELECT of the latest rows (id desc);
* ``GET /healthz`` answers 200.

Database work uses SQLAlchemy Core on a sync engine, run in the threadpool as a
sync FastAPI route would be. The ``floor_tickets`` table is dropped and created
again at startup so every run starts clean.

SQLite: WAL journal, ``synchronous=NORMAL`` (as Tend), ``busy_timeout``,
``foreign_keys=ON``, and ``BEGIN IMMEDIATE`` for the insert so concurrent writers
queue on the lock instead of failing. PostgreSQL: use a ``postgresql+psycopg://`` URL.

Run: ``python benchmarks/floor_app.py --database-url URL --port P [--host H]``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import uvicorn
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
)
from sqlalchemy.engine import Connection
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

__all__ = ["create_floor_app", "floor_tickets", "main", "make_engine"]

SQLITE_BUSY_TIMEOUT_MS = 30_000
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# The threadpool runs at most 40 sync calls at once (anyio's default); let the
# pool hand each of them a connection rather than queue on checkout.
POOL_SIZE = 10
MAX_OVERFLOW = 30

metadata = MetaData()
floor_tickets = Table(
    "floor_tickets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", String(255), nullable=False),
    Column("body", Text, nullable=False),
    Column("email", String(320), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def _setup_sqlite(engine: Engine) -> None:
    """WAL, synchronous=NORMAL, busy timeout, foreign keys, and an explicit BEGIN we control.

    pysqlite's own transaction handling is turned off (``isolation_level =
    None``) and SQLAlchemy's begin emits ``BEGIN <mode>`` instead, where the
    mode comes from the ``sqlite_begin`` execution option (default DEFERRED).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            # As Tend does (tend/db.py), so the floor pays the same fsync cost per commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(database_url: str) -> Engine:
    """A sync engine for SQLite (file) or PostgreSQL, set up for concurrent use."""
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
        )
        _setup_sqlite(engine)
        return engine
    return create_engine(
        database_url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW, pool_pre_ping=False
    )


def _reset_table(engine: Engine) -> None:
    with engine.begin() as conn:
        floor_tickets.drop(conn, checkfirst=True)
        floor_tickets.create(conn)


def _insert_ticket(engine: Engine, subject: str, body: str, email: str) -> int:
    with engine.connect() as conn:
        conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            result = conn.execute(
                insert(floor_tickets).values(
                    subject=subject, body=body, email=email, created_at=datetime.now(UTC)
                )
            )
            key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _latest_tickets(engine: Engine, limit: int) -> list[dict[str, object]]:
    query = select(floor_tickets).order_by(floor_tickets.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        {
            "id": row.id,
            "subject": row.subject,
            "body": row.body,
            "email": row.email,
            "created_at": row.created_at.isoformat(),
        }
        for row in rows
    ]


def _parse_ticket(raw: bytes) -> tuple[str, str, str] | None:
    try:
        payload = json.loads(raw)
        subject = payload["subject"]
        body = payload["body"]
        email = payload["customer"]["email"]
    except (ValueError, KeyError, TypeError):
        return None
    if not all(isinstance(v, str) and v for v in (subject, body, email)):
        return None
    return subject[:255], body, email[:320]


def create_floor_app(database_url: str) -> Starlette:
    """Build the floor app; the table is reset when the app starts (lifespan)."""
    engine = make_engine(database_url)

    async def create_ticket(request: Request) -> Response:
        fields = _parse_ticket(await request.body())
        if fields is None:
            return JSONResponse({"detail": "subject, body and customer.email required"}, 422)
        ticket_id = await run_in_threadpool(_insert_ticket, engine, *fields)
        return JSONResponse({"id": ticket_id}, status_code=201)

    async def list_tickets(request: Request) -> Response:
        try:
            limit = int(request.query_params.get("limit", DEFAULT_LIMIT))
        except ValueError:
            return JSONResponse({"detail": "limit must be an integer"}, 422)
        limit = max(1, min(MAX_LIMIT, limit))
        return JSONResponse(await run_in_threadpool(_latest_tickets, engine, limit))

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(_reset_table, engine)
        try:
            yield
        finally:
            await run_in_threadpool(engine.dispose)

    routes = [
        Route("/floor/tickets", create_ticket, methods=["POST"]),
        Route("/floor/tickets", list_tickets, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.engine = engine
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    uvicorn.run(
        create_floor_app(args.database_url),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
