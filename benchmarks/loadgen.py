"""A small asyncio HTTP/1.1 load generator for loopback benchmarks.

Written on ``asyncio.open_connection`` only, so the client costs little CPU per
request (a general-purpose client such as httpx costs several milliseconds of
CPU per request, which on a two-core machine would distort what is measured).

Each concurrent client owns one persistent keep-alive connection. It sends a
request, reads the full response (status line, headers, and a body delimited by
``Content-Length``, chunked transfer-encoding or end of stream) and then sends
the next one. It reconnects when the server closes the connection or answers
with ``Connection: close``.

Definitions used in :class:`Result`:

* ``requests`` counts every request attempted (answered or failed).
* ``errors`` counts requests whose status is not in ``ok_status`` plus
  transport failures (refused connection, reset, timeout, malformed response);
  non-ok statuses still appear in ``status_counts``, transport failures don't.
* Latency is taken per request with :func:`time.perf_counter` from just before
  the request is written until the last body byte is read. Connections are
  opened before the clock starts; a reconnect needed mid-run is counted in the
  latency of the request that needed it.
* ``rps`` and the percentiles cover ok responses only, so a server that fails
  fast cannot look fast. Percentiles use the nearest-rank method.
* ``client_cpu_s`` is the CPU time (user + system) this process spent during
  the run: the load generator's own cost when the server runs in another
  process (it includes any other threads of this process).

Only loopback hosts are accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field

__all__ = [
    "LOOPBACK_HOSTS",
    "ProtocolError",
    "Request",
    "Result",
    "format_table",
    "json_request",
    "run",
    "run_load",
    "wait_http_ok",
]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

_STREAM_LIMIT = 1 << 20  # longest header block / chunk-size line accepted
_NO_BODY_STATUSES = frozenset({204, 304})


class ProtocolError(Exception):
    """The server sent something that is not a valid HTTP/1.x response."""


class _StaleConnection(Exception):
    """A reused connection was closed by the server before any response byte."""


@dataclass
class Request:
    """One HTTP request; ``Host`` and ``Content-Length`` are added when encoded."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Result:
    """Outcome of one :func:`run_load` call (see the module docstring)."""

    label: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    status_counts: dict[int, int]
    client_cpu_s: float = 0.0

    @property
    def client_cpu_ms_per_request(self) -> float:
        """Load-generator CPU per request, in milliseconds."""
        return 1000.0 * self.client_cpu_s / self.requests if self.requests else 0.0

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["status_counts"] = dict(self.status_counts)
        data["client_cpu_ms_per_request"] = self.client_cpu_ms_per_request
        return data


def _check_loopback(host: str) -> None:
    if host.lower() not in LOOPBACK_HOSTS:
        raise ValueError(f"loadgen only targets loopback hosts, not {host!r}")


def _encode(request: Request, host_header: str) -> bytes:
    lines = [f"{request.method} {request.path} HTTP/1.1", f"Host: {host_header}"]
    for name, value in request.headers.items():
        lowered = name.lower()
        if lowered in ("host", "content-length", "transfer-encoding"):
            continue
        lines.append(f"{name}: {value}")
    if request.body or request.method.upper() in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(request.body)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + request.body


def json_request(
    method: str, path: str, payload: object | None = None, token: str | None = None
) -> Request:
    """Build a request with a JSON body (when ``payload`` is not None) and a bearer token."""
    headers = {"Accept": "application/json"}
    body = b""
    if payload is not None:
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return Request(method=method.upper(), path=path, headers=headers, body=body)


async def _read_chunked(reader: asyncio.StreamReader) -> None:
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size_text = size_line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError as exc:
            raise ProtocolError(f"bad chunk size {size_line!r}") from exc
        if size == 0:
            # Trailer section: header lines until an empty line.
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return
        chunk = await reader.readexactly(size + 2)
        if chunk[-2:] != b"\r\n":
            raise ProtocolError("chunk not followed by CRLF")


async def _read_response(reader: asyncio.StreamReader, method: str) -> tuple[int, bool]:
    """Read one full response; return (status, whether the connection stays usable)."""
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if not exc.partial:
                raise _StaleConnection from exc
            raise
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ProtocolError(f"bad status line {lines[0]!r}")
        try:
            status = int(parts[1])
        except ValueError as exc:
            raise ProtocolError(f"bad status line {lines[0]!r}") from exc
        if 100 <= status < 200 and status != 101:
            continue  # interim response (100 Continue, 103 Early Hints)
        break

    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ProtocolError(f"bad header line {line!r}")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value

    connection = {t.strip() for t in headers.get("connection", "").lower().split(",")}
    # HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 closes it.
    http10 = parts[0] == "HTTP/1.0"
    keep_alive = "keep-alive" in connection if http10 else "close" not in connection

    if method == "HEAD" or status in _NO_BODY_STATUSES:
        return status, keep_alive
    transfer_encoding = headers.get("transfer-encoding", "").lower()
    if "chunked" in transfer_encoding:
        await _read_chunked(reader)
    elif "content-length" in headers:
        try:
            length = int(headers["content-length"])
        except ValueError as exc:
            raise ProtocolError("bad Content-Length") from exc
        if length:
            await reader.readexactly(length)
    else:
        # Body delimited by the end of the stream.
        while await reader.read(65536):
            pass
        keep_alive = False
    return status, keep_alive


class _Connection:
    __slots__ = ("reader", "used", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.used = False

    async def close(self, *, abort: bool = False) -> None:
        """Close politely after a complete exchange, or abort after a failure."""
        transport = self.writer.transport
        if abort:
            transport.abort()
        else:
            self.writer.close()
        with contextlib.suppress(OSError, EOFError):
            await self.writer.wait_closed()


class _Slot:
    """The connection a worker currently owns (None when it must reconnect)."""

    __slots__ = ("conn",)

    def __init__(self, conn: _Connection | None) -> None:
        self.conn = conn

    async def drop(self, *, abort: bool = False) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            await conn.close(abort=abort)


async def _connect(host: str, port: int) -> _Connection:
    reader, writer = await asyncio.open_connection(host, port, limit=_STREAM_LIMIT)
    return _Connection(reader, writer)


class _Shared:
    """State shared by the workers of one run (single event loop, no locks needed)."""

    def __init__(self, total: int | None, deadline: float | None) -> None:
        self.total = total
        self.deadline = deadline
        self.next_index = 0
        self.errors = 0
        self.latencies: list[float] = []
        self.status_counts: dict[int, int] = {}

    def take_index(self) -> int | None:
        if self.total is not None and self.next_index >= self.total:
            return None
        if self.deadline is not None and time.perf_counter() >= self.deadline:
            return None
        index = self.next_index
        self.next_index += 1
        return index


async def _exchange(
    slot: _Slot, host: str, port: int, data: bytes, method: str
) -> tuple[int, bool]:
    """Send ``data`` on the slot's connection and read the response.

    Connects when the slot is empty. A reused keep-alive connection that the
    server closed while idle shows up as EOF (or a reset) before any response
    byte; the request is then retried once on a new connection, as HTTP clients
    usually do for stale keep-alive connections.
    """
    for _attempt in range(2):
        if slot.conn is None:
            slot.conn = await _connect(host, port)
        conn = slot.conn
        reused = conn.used
        conn.used = True
        try:
            conn.writer.write(data)
            await conn.writer.drain()
            return await _read_response(conn.reader, method)
        except (_StaleConnection, ConnectionResetError, BrokenPipeError) as exc:
            await slot.drop(abort=True)
            if reused:
                continue
            if isinstance(exc, _StaleConnection):
                raise ProtocolError("connection closed before a response") from exc
            raise
    raise ProtocolError("connection closed before a response, twice")


_FAILURES = (OSError, EOFError, ProtocolError, asyncio.LimitOverrunError, TimeoutError)


async def _worker(
    shared: _Shared,
    slot: _Slot,
    host: str,
    port: int,
    host_header: str,
    make_request: Callable[[int], Request],
    ok_status: frozenset[int],
    timeout: float,
) -> None:
    try:
        while (index := shared.take_index()) is not None:
            request = make_request(index)
            data = _encode(request, host_header)
            method = request.method.upper()
            start = time.perf_counter()
            try:
                status, keep_alive = await asyncio.wait_for(
                    _exchange(slot, host, port, data, method), timeout
                )
            except _FAILURES:
                # IncompleteReadError is an EOFError. A timeout cancels the
                # exchange and may leave a half-read connection: drop it.
                shared.errors += 1
                await slot.drop(abort=True)
                continue
            elapsed = time.perf_counter() - start
            shared.status_counts[status] = shared.status_counts.get(status, 0) + 1
            if status in ok_status:
                shared.latencies.append(elapsed)
            else:
                shared.errors += 1
            if not keep_alive:
                await slot.drop()
    finally:
        await slot.drop(abort=True)


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def run_load(
    host: str,
    port: int,
    make_request: Callable[[int], Request],
    *,
    concurrency: int,
    total: int | None = None,
    duration: float | None = None,
    label: str = "",
    ok_status: Collection[int] = (200, 201),
    timeout: float = 30.0,
) -> Result:
    """Run ``concurrency`` keep-alive clients against ``host:port``.

    Stops after ``total`` requests or ``duration`` seconds, whichever comes
    first (at least one is required); requests already in flight when the
    duration ends are completed, each bounded by ``timeout`` seconds.
    ``make_request(i)`` builds request number ``i`` (0-based, in send order).
    """
    _check_loopback(host)
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if total is None and duration is None:
        raise ValueError("give total or duration (or both)")
    if total is not None and total < 0:
        raise ValueError("total must not be negative")
    if duration is not None and duration <= 0:
        raise ValueError("duration must be positive")
    if timeout <= 0:
        raise ValueError("timeout must be positive")

    connect_host = host.strip("[]")
    host_header = f"[{connect_host}]:{port}" if ":" in connect_host else f"{connect_host}:{port}"
    workers = concurrency if total is None else max(1, min(concurrency, total))

    async def open_one() -> _Connection | None:
        try:
            return await asyncio.wait_for(_connect(connect_host, port), timeout)
        except (TimeoutError, OSError):
            return None  # the worker retries, and counts the failure, when it sends

    conns = await asyncio.gather(*(open_one() for _ in range(workers)))

    cpu_start = time.process_time()
    start = time.perf_counter()
    shared = _Shared(total, None if duration is None else start + duration)
    ok = frozenset(ok_status)
    tasks = [
        asyncio.ensure_future(
            _worker(shared, _Slot(conn), connect_host, port, host_header, make_request, ok, timeout)
        )
        for conn in conns
    ]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        # A bug in make_request (or cancellation): stop the other clients too.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start

    latencies = sorted(shared.latencies)
    return Result(
        label=label,
        concurrency=concurrency,
        requests=shared.next_index,
        errors=shared.errors,
        seconds=seconds,
        rps=len(latencies) / seconds if seconds > 0 else 0.0,
        p50_ms=1000.0 * _percentile(latencies, 0.50),
        p90_ms=1000.0 * _percentile(latencies, 0.90),
        p99_ms=1000.0 * _percentile(latencies, 0.99),
        max_ms=1000.0 * latencies[-1] if latencies else 0.0,
        status_counts=dict(sorted(shared.status_counts.items())),
        client_cpu_s=cpu_seconds,
    )


def run(
    host: str,
    port: int,
    make_request: Callable[[int], Request],
    *,
    concurrency: int,
    total: int | None = None,
    duration: float | None = None,
    label: str = "",
    ok_status: Collection[int] = (200, 201),
    timeout: float = 30.0,
) -> Result:
    """Synchronous wrapper around :func:`run_load` (uses :func:`asyncio.run`)."""
    return asyncio.run(
        run_load(
            host,
            port,
            make_request,
            concurrency=concurrency,
            total=total,
            duration=duration,
            label=label,
            ok_status=ok_status,
            timeout=timeout,
        )
    )


def wait_http_ok(url: str, timeout: float = 30.0) -> None:
    """Poll ``GET url`` until it answers 200; raise :class:`TimeoutError` otherwise.

    Proxy settings from the environment are ignored (loopback URLs only).
    """
    host = urllib.parse.urlsplit(url).hostname or ""
    _check_loopback(host)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    last: str = "no attempt"
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"{url} not answering 200 after {timeout:g}s ({last})")
        try:
            with opener.open(url, timeout=max(0.1, min(2.0, remaining))) as response:
                response.read()
                if response.status == 200:
                    return
                last = f"status {response.status}"
        except urllib.error.HTTPError as exc:
            exc.close()
            last = f"status {exc.code}"
        except (OSError, ValueError) as exc:  # URLError is an OSError
            last = repr(exc)
        time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


def _cell(value: object) -> tuple[str, bool]:
    """Text for a table cell and whether it is numeric (right-aligned)."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value), True
        return f"{value:,.2f}", True
    if isinstance(value, dict):
        return " ".join(f"{k}:{v}" for k, v in value.items()), False
    return str(value), False


def format_table(rows: list[dict[str, object]], columns: list[str]) -> str:
    """Render ``rows`` as an aligned plain-text table with the given columns.

    Integers get thousands separators, floats two decimals; numbers are
    right-aligned, everything else left-aligned; missing keys print empty.
    """
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    widths = [len(col) for col in columns]
    for row_cells in cells:
        for i, (text, _numeric) in enumerate(row_cells):
            widths[i] = max(widths[i], len(text))
    numeric_col = [
        any(row_cells[i][1] for row_cells in cells)
        and all(row_cells[i][1] or not row_cells[i][0] for row_cells in cells)
        for i in range(len(columns))
    ]

    def line(texts: list[str]) -> str:
        padded = [
            text.rjust(widths[i]) if numeric_col[i] else text.ljust(widths[i])
            for i, text in enumerate(texts)
        ]
        return "  ".join(padded).rstrip()

    out = [line(list(columns)), "  ".join("-" * w for w in widths)]
    out.extend(line([text for text, _ in row_cells]) for row_cells in cells)
    return "\n".join(out)
