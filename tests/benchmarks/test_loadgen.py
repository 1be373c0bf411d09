"""Tests for benchmarks/loadgen.py and benchmarks/floor_app.py (loopback only, self-timed)."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import create_engine, func, select
from starlette.applications import Starlette
from starlette.requests import Request as StarletteRequest
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import floor_app
import loadgen
from loadgen import Request, Result, format_table, json_request, run, run_load

HOST = "127.0.0.1"
TEST_TIMEOUT = 20.0  # per load run / server start, so nothing can hang


# --- a real server: uvicorn in a thread on an ephemeral port -------------------------------


@contextmanager
def uvicorn_server(app: Starlette) -> Iterator[int]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", ws="none", http="h11"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + TEST_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield port
    finally:
        server.should_exit = True
        thread.join(TEST_TIMEOUT)
        sock.close()
    assert not thread.is_alive(), "uvicorn did not stop"


def ticket_request(i: int) -> Request:
    payload = {
        "subject": f"subject {i}",
        "body": f"body {i}",
        "customer": {"email": f"c{i}@example.org", "name": f"Customer {i}"},
    }
    return json_request("POST", "/floor/tickets", payload, token="secret")


def test_floor_app_sqlite_concurrent_inserts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'floor.db'}"
    seen: list[int] = []

    def make(i: int) -> Request:
        seen.append(i)
        return ticket_request(i)

    with uvicorn_server(floor_app.create_floor_app(url)) as port:
        loadgen.wait_http_ok(f"http://{HOST}:{port}/healthz", timeout=TEST_TIMEOUT)
        result = run(HOST, port, make, concurrency=4, total=50, label="post", timeout=TEST_TIMEOUT)
        listing = run(
            HOST,
            port,
            lambda i: json_request("GET", "/floor/tickets?limit=25"),
            concurrency=2,
            total=4,
            timeout=TEST_TIMEOUT,
        )

    assert result.label == "post"
    assert result.concurrency == 4
    assert result.requests == 50
    assert result.errors == 0
    assert result.status_counts == {201: 50}
    assert sorted(seen) == list(range(50))
    assert 0 < result.p50_ms <= result.p90_ms <= result.p99_ms <= result.max_ms
    assert result.rps > 0
    assert listing.requests == 4 and listing.errors == 0 and listing.status_counts == {200: 4}

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(floor_app.floor_tickets))
            assert count.scalar_one() == 50
            subjects = conn.execute(select(floor_app.floor_tickets.c.subject)).scalars().all()
            assert set(subjects) == {f"subject {i}" for i in range(50)}
    finally:
        engine.dispose()


def http_json(method: str, url: str, body: bytes | None = None) -> tuple[int, object]:
    """A plain urllib call that ignores proxy settings."""
    assert url.startswith(f"http://{HOST}:")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 (checked above)
    request.add_header("Content-Type", "application/json")
    try:
        with opener.open(request, timeout=TEST_TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def test_floor_app_rejects_bad_payload_and_lists(tmp_path: Path) -> None:
    app = floor_app.create_floor_app(f"sqlite:///{tmp_path / 'floor.db'}")
    with uvicorn_server(app) as port:
        base = f"http://{HOST}:{port}"
        loadgen.wait_http_ok(f"{base}/healthz", timeout=TEST_TIMEOUT)
        status, _ = http_json("POST", f"{base}/floor/tickets", b'{"subject": "x"}')
        assert status == 422
        status, _ = http_json("POST", f"{base}/floor/tickets", b"not json")
        assert status == 422
        for i in range(30):
            status, created = http_json("POST", f"{base}/floor/tickets", ticket_request(i).body)
            assert (status, created) == (201, {"id": i + 1})
        status, rows = http_json("GET", f"{base}/floor/tickets?limit=25")
    assert status == 200
    assert isinstance(rows, list)
    assert [row["id"] for row in rows] == list(range(30, 5, -1))
    assert rows[0]["email"] == "c29@example.org"
    assert rows[0]["subject"] == "subject 29"


def stream_app() -> Starlette:
    async def stream(_request: StarletteRequest) -> Response:
        async def parts() -> AsyncIterator[bytes]:
            for i in range(5):
                yield f"part {i}\n".encode() * 100

        return StreamingResponse(parts(), status_code=200)  # no length: chunked

    async def fail(_request: StarletteRequest) -> Response:
        return PlainTextResponse("nope", status_code=500)

    return Starlette(routes=[Route("/stream", stream), Route("/fail", fail)])


def test_uvicorn_chunked_streaming_and_errors() -> None:
    with uvicorn_server(stream_app()) as port:
        streamed = run(
            HOST,
            port,
            lambda i: Request("GET", "/stream", {}),
            concurrency=3,
            total=30,
            timeout=TEST_TIMEOUT,
        )
        failed = run(
            HOST,
            port,
            lambda i: Request("GET", "/fail", {}),
            concurrency=2,
            total=10,
            timeout=TEST_TIMEOUT,
        )
    assert (streamed.requests, streamed.errors, streamed.status_counts) == (30, 0, {200: 30})
    # Non-ok statuses are errors but still counted; no latency figures without ok responses.
    assert (failed.requests, failed.errors, failed.status_counts) == (10, 10, {500: 10})
    assert failed.rps == 0.0 and failed.p50_ms == 0.0


# --- hand-written servers on asyncio, for exact control of the wire ------------------------

# respond(request_bytes, request_number) -> (response bytes, close afterwards) or None to hang
Responder = Callable[[bytes, int], "tuple[bytes, bool] | None"]


@dataclass
class RawStats:
    connections: int = 0
    requests: int = 0


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return head + (await reader.readexactly(length) if length else b"")


async def with_raw_server(
    respond: Responder, load: Callable[[int], Awaitable[Result]]
) -> tuple[Result, RawStats]:
    stats = RawStats()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stats.connections += 1
        try:
            while (request := await _read_request(reader)) is not None:
                stats.requests += 1
                answer = respond(request, stats.requests)
                if answer is None:  # never answer; wait for the client to go away
                    while await reader.read(1024):
                        pass
                    return
                data, close = answer
                writer.write(data)
                await writer.drain()
                if close:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    server = await asyncio.start_server(handle, HOST, 0)
    port = server.sockets[0].getsockname()[1]
    try:
        result = await asyncio.wait_for(load(port), TEST_TIMEOUT)
    finally:
        server.close()
        await server.wait_closed()
    await asyncio.sleep(0.05)  # let handlers see EOF and close their writers
    return result, stats


def get(_i: int) -> Request:
    return Request("GET", "/x", {})


def test_chunked_responses_on_keep_alive() -> None:
    body = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
        b"5\r\nhello\r\n"
        b"1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n"
        b"0\r\nX-Trailer: yes\r\n\r\n"
    )

    def respond(_request: bytes, _n: int) -> tuple[bytes, bool]:
        return body, False

    result, stats = asyncio.run(
        with_raw_server(respond, lambda port: run_load(HOST, port, get, concurrency=3, total=40))
    )
    assert (result.requests, result.errors, result.status_counts) == (40, 0, {200: 40})
    assert stats.connections == 3  # one persistent connection per client
    assert stats.requests == 40


def test_connection_close_each_response() -> None:
    body = b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"

    def respond(_request: bytes, _n: int) -> tuple[bytes, bool]:
        return body, True

    result, stats = asyncio.run(
        with_raw_server(respond, lambda port: run_load(HOST, port, get, concurrency=2, total=20))
    )
    assert (result.requests, result.errors, result.status_counts) == (20, 0, {201: 20})
    assert stats.connections == 20


def test_server_closing_idle_keep_alive_connection_is_retried() -> None:
    # No "Connection: close" header, but the server hangs up after each response
    # (like a keep-alive timeout): the next request finds a dead connection.
    body = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"

    def respond(_request: bytes, _n: int) -> tuple[bytes, bool]:
        return body, True

    result, _stats = asyncio.run(
        with_raw_server(respond, lambda port: run_load(HOST, port, get, concurrency=2, total=10))
    )
    assert (result.requests, result.errors, result.status_counts) == (10, 0, {200: 10})


def test_http10_body_until_eof() -> None:
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody without a length"

    def respond(_request: bytes, _n: int) -> tuple[bytes, bool]:
        return body, True

    result, stats = asyncio.run(
        with_raw_server(respond, lambda port: run_load(HOST, port, get, concurrency=1, total=5))
    )
    assert (result.requests, result.errors, result.status_counts) == (5, 0, {200: 5})
    assert stats.connections == 5


def test_request_bytes_on_the_wire() -> None:
    seen: list[bytes] = []

    def respond(request: bytes, _n: int) -> tuple[bytes, bool]:
        seen.append(request)
        return b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", False

    def make(i: int) -> Request:
        return json_request("post", f"/t/{i}", {"n": i}, token="tok")

    result, _stats = asyncio.run(
        with_raw_server(respond, lambda port: run_load(HOST, port, make, concurrency=1, total=2))
    )
    assert result.errors == 0
    head, _, body = seen[0].partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /t/0 HTTP/1.1"
    assert lines[1].startswith("Host: 127.0.0.1:")
    assert "Authorization: Bearer tok" in lines
    assert "Content-Type: application/json" in lines
    assert f"Content-Length: {len(body)}" in lines
    assert body == b'{"n":0}'
    assert seen[1].startswith(b"POST /t/1 HTTP/1.1\r\n")


def test_unanswered_requests_time_out_as_errors() -> None:
    def respond(_request: bytes, _n: int) -> None:
        return None

    result, _stats = asyncio.run(
        with_raw_server(
            respond, lambda port: run_load(HOST, port, get, concurrency=2, total=4, timeout=0.2)
        )
    )
    assert (result.requests, result.errors, result.status_counts) == (4, 4, {})


def test_refused_connection_counts_errors() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    result = run(HOST, port, get, concurrency=2, total=6, timeout=2.0)
    assert (result.requests, result.errors, result.status_counts) == (6, 6, {})


def test_duration_bound_stops_by_itself() -> None:
    def respond(_request: bytes, _n: int) -> tuple[bytes, bool]:
        return b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", False

    result, _stats = asyncio.run(
        with_raw_server(
            respond, lambda port: run_load(HOST, port, get, concurrency=2, duration=0.2)
        )
    )
    assert result.requests >= 1
    assert result.errors == 0
    assert result.status_counts == {200: result.requests}


def test_ok_status_is_configurable() -> None:
    def respond(_request: bytes, _n: int) -> tuple[bytes, bool]:
        return b"HTTP/1.1 204 No Content\r\n\r\n", False

    result, _stats = asyncio.run(
        with_raw_server(
            respond,
            lambda port: run_load(HOST, port, get, concurrency=1, total=3, ok_status={204}),
        )
    )
    assert (result.requests, result.errors, result.status_counts) == (3, 0, {204: 3})


# --- argument checks and helpers ------------------------------------------------------------


@pytest.mark.parametrize("host", ["10.0.0.1", "example.org", "0.0.0.0", "192.168.1.1"])  # noqa: S104
def test_non_loopback_hosts_are_refused(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        run(host, 80, get, concurrency=1, total=1)
    with pytest.raises(ValueError, match="loopback"):
        loadgen.wait_http_ok(f"http://{host}/healthz", timeout=0.1)


def test_bounds_are_required() -> None:
    with pytest.raises(ValueError, match="total or duration"):
        run(HOST, 80, get, concurrency=1)
    with pytest.raises(ValueError):
        run(HOST, 80, get, concurrency=0, total=1)


def test_wait_http_ok_times_out() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(TimeoutError):
        loadgen.wait_http_ok(f"http://{HOST}:{port}/healthz", timeout=0.3)


def test_json_request() -> None:
    request = json_request("post", "/api/tickets", {"a": [1, 2]}, token="t0k")
    assert request.method == "POST"
    assert request.path == "/api/tickets"
    assert request.body == b'{"a":[1,2]}'
    assert request.headers["Authorization"] == "Bearer t0k"
    assert request.headers["Content-Type"] == "application/json"
    bare = json_request("GET", "/api/tickets")
    assert bare.body == b"" and "Authorization" not in bare.headers
    assert "Content-Type" not in bare.headers


def test_result_as_dict() -> None:
    result = Result("x", 8, 10, 1, 2.0, 4.5, 1.0, 2.0, 3.0, 4.0, {201: 9, 500: 1}, 0.01)
    data = result.as_dict()
    assert data["label"] == "x" and data["rps"] == 4.5
    assert data["status_counts"] == {201: 9, 500: 1}
    assert data["client_cpu_ms_per_request"] == pytest.approx(1.0)


def test_format_table() -> None:
    rows: list[dict[str, object]] = [
        {"label": "floor", "concurrency": 1, "rps": 512.345, "p99_ms": 3.0},
        {"label": "tend create", "concurrency": 32, "rps": 1234.5, "extra": "ignored"},
    ]
    text = format_table(rows, ["label", "concurrency", "rps", "p99_ms"])
    lines = text.splitlines()
    assert lines == [
        "label        concurrency       rps  p99_ms",
        "-----------  -----------  --------  ------",
        "floor                  1    512.35    3.00",
        "tend create           32  1,234.50",
    ]
    assert format_table([], ["a", "bb"]).splitlines() == ["a  bb", "-  --"]
