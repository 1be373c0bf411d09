"""The client side of ``benchmarks/chat.py``, and its bare floor server.

Three roles, each run as its own process by ``chat.py`` (loopback only):

* ``python benchmarks/chatload.py widgets --url WS_URL --worker N``: many chat widgets in one
  process. It reads JSON commands on stdin, one per line, and answers one JSON line each:

  - ``{"cmd": "connect", "count": K, "parallel": P}``: open K more widgets, at most P
    handshakes at a time. Each widget opens ``/widget/live``, says ``hello``, ``start``\\ s a chat
    and waits for its ``ack`` and ``conversation``; then it stays connected and answers the
    server's ``ping`` with ``pong`` (the heartbeat). Answer: ``{"event": "connected",
    "ticket_ids": [...], "failed": F, "errors": [...]}``.
  - ``{"cmd": "send", "rate": R, "seconds": S}``: ``send`` R messages a second for S seconds,
    each from the next widget in turn, with the time of sending in the body (``bench W-I
    t=<CLOCK_MONOTONIC ns>``); answer ``{"event": "sent", "sent", "acked", "ack_ms": [...]}``
    once every ack came (or 10 s passed).
  - ``{"cmd": "status"}``: ``{"event": "status", "open", "closed", "close_codes"}``.
  - ``{"cmd": "quit"}``: close every widget and exit.
* ``AgentListener`` (imported by ``chat.py``): one agent's ``/agent/live`` socket, taking the
  time each ``bench`` message arrives. CLOCK_MONOTONIC is the same clock in every process of
  the machine, so receive time minus the time in the body is the delivery latency.
* ``python benchmarks/chatload.py floor --port P --heartbeat H``: the bare floor, a minimal
  Starlette WebSocket app with the same message path and no database: ``/widget/live`` answers
  ``hello`` with a ``welcome``, ``start`` and ``send`` with an ``ack`` (and fans each message
  out to every ``/agent/live`` socket as a ``message`` frame); both sockets ping after
  ``heartbeat`` quiet seconds as Tend does. Served by uvicorn with Tend's defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

Json = dict[str, Any]
NETWORK_ERRORS = (OSError, EOFError, TimeoutError, asyncio.IncompleteReadError,
                  WebSocketException)


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's open-file limit (inherited by the processes it starts)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def _dumps(frame: Json) -> str:
    return json.dumps(frame, separators=(",", ":"))


def bench_time(body: str) -> int | None:
    """The CLOCK_MONOTONIC nanoseconds a ``bench`` message body carries."""
    if not body.startswith("bench "):
        return None
    _, _, stamp = body.rpartition(" t=")
    return int(stamp) if stamp.isdigit() else None


# --- widgets ------------------------------------------------------------------------------------


class Widget:
    """One visitor's widget: a started chat, then idle, answering heartbeats."""

    def __init__(self, ws: ClientConnection, ticket_id: int, owner: Widgets) -> None:
        self.ws, self.ticket_id, self.owner = ws, ticket_id, owner
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for text in self.ws:
                frame = json.loads(text)
                kind = frame.get("kind")
                if kind == "ping":
                    await self.ws.send('{"op":"pong"}')
                elif kind == "ack":
                    self.owner.acked(frame.get("client_id"))
        except NETWORK_ERRORS:
            pass
        finally:
            code = self.ws.close_code
            self.owner.close_codes[str(code)] += 1


async def open_widget(url: str, name: str, owner: Widgets) -> Widget:
    ws = await connect(url, ping_interval=None, open_timeout=60, close_timeout=2,
                       max_queue=64)
    try:
        await ws.send(_dumps({"op": "hello", "token": None, "identity": None,
                              "conversation_id": None, "since_seq": 0, "locale": "en"}))
        await _expect(ws, "welcome")
        await ws.send(_dumps({"op": "start", "client_id": f"start-{name}",
                              "body": f"Hello, this is visitor {name}", "prechat": {}}))
        await _expect(ws, "ack")
        conversation = await _expect(ws, "conversation")
        return Widget(ws, int(conversation["conversation"]["id"]), owner)
    except BaseException:
        await ws.close()
        raise


async def _expect(ws: ClientConnection, kind: str, timeout: float = 120.0) -> Json:
    async with asyncio.timeout(timeout):
        while True:
            frame: Json = json.loads(await ws.recv())
            if frame.get("kind") == kind:
                return frame
            if frame.get("kind") == "error":
                raise RuntimeError(f"the server refused: {frame.get('detail')}")
            if frame.get("kind") == "ping":
                await ws.send('{"op":"pong"}')


class Widgets:
    """The widgets of one client process, driven by commands on stdin."""

    def __init__(self, url: str, worker: int) -> None:
        self.url, self.worker = url, worker
        self.widgets: list[Widget] = []
        self.close_codes: Counter[str] = Counter()
        self._names = itertools.count()
        self._sent: dict[str, int] = {}  # client_id -> monotonic ns at sending
        self._acks: list[float] = []

    def acked(self, client_id: str | None) -> None:
        sent = self._sent.pop(client_id or "", None)
        if sent is not None:
            self._acks.append((time.monotonic_ns() - sent) / 1e6)

    async def connect(self, count: int, parallel: int) -> Json:
        gate = asyncio.Semaphore(max(1, parallel))
        errors: list[str] = []

        async def one() -> Widget | None:
            async with gate:
                try:
                    return await open_widget(self.url, f"{self.worker}-{next(self._names)}",
                                             self)
                except (*NETWORK_ERRORS, RuntimeError) as exc:
                    if len(errors) < 5:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    return None

        opened = await asyncio.gather(*(one() for _ in range(count)))
        new = [w for w in opened if w is not None]
        self.widgets += new
        return {"event": "connected", "ticket_ids": [w.ticket_id for w in new],
                "failed": count - len(new), "errors": errors}

    async def send(self, rate: float, seconds: float) -> Json:
        live = [w for w in self.widgets if not w.task.done()]
        total = int(rate * seconds)
        start = time.monotonic()
        sent = 0
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if not live:
                break
            widget = live[i % len(live)]
            client_id = f"m{self.worker}-{i}"
            self._sent[client_id] = now = time.monotonic_ns()
            with contextlib.suppress(*NETWORK_ERRORS):
                await widget.ws.send(_dumps({"op": "send", "client_id": client_id,
                                             "body": f"bench {self.worker}-{i} t={now}"}))
                sent += 1
        deadline = time.monotonic() + 10
        while self._sent and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        acks, self._acks = self._acks, []
        unacked = len(self._sent)
        self._sent.clear()
        return {"event": "sent", "sent": sent, "acked": len(acks), "unacked": unacked,
                "ack_ms": acks}

    def status(self) -> Json:
        open_ = sum(1 for w in self.widgets if not w.task.done())
        return {"event": "status", "open": open_, "closed": len(self.widgets) - open_,
                "close_codes": dict(self.close_codes)}

    async def close(self) -> None:
        for widget in self.widgets:
            widget.task.cancel()
        await asyncio.gather(*(w.ws.close() for w in self.widgets), return_exceptions=True)
        await asyncio.gather(*(w.task for w in self.widgets), return_exceptions=True)


async def serve_commands(widgets: Widgets) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while line := await reader.readline():
            command = json.loads(line)
            cmd = command["cmd"]
            if cmd == "connect":
                answer = await widgets.connect(int(command["count"]),
                                               int(command.get("parallel", 50)))
            elif cmd == "send":
                answer = await widgets.send(float(command["rate"]), float(command["seconds"]))
            elif cmd == "status":
                answer = widgets.status()
            elif cmd == "quit":
                break
            else:
                answer = {"event": "error", "detail": f"unknown command {cmd!r}"}
            sys.stdout.write(_dumps(answer) + "\n")
            sys.stdout.flush()
    finally:
        await widgets.close()


# --- the agent -----------------------------------------------------------------------------------


class AgentListener:
    """An agent's workspace socket, timing the arrival of every ``bench`` message. Like the
    workspace page, it reconnects with ``?since=`` when the server closes it."""

    def __init__(self, url: str, cookie: str | None) -> None:
        self.url, self.cookie = url, cookie
        self.latencies_ms: list[float] = []
        self.replayed = 0  # of those, sent while the socket was closed (delivered on resume)
        self.seen: set[Any] = set()
        self.frames = 0
        self.since: str | None = None
        self.closes: Counter[str] = Counter()
        self.hello = asyncio.Event()
        self._stop = False
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())
        async with asyncio.timeout(30):
            await self.hello.wait()

    def take(self) -> tuple[list[float], int]:
        """The latencies measured since the last call, and how many came by a replay."""
        out, self.latencies_ms = self.latencies_ms, []
        replayed, self.replayed = self.replayed, 0
        return out, replayed

    async def _run(self) -> None:
        headers = {"cookie": f"tend_session={self.cookie}"} if self.cookie else {}
        while not self._stop:
            url = f"{self.url}?since={self.since}" if self.since else self.url
            try:
                async with connect(url, additional_headers=headers, ping_interval=None,
                                   open_timeout=30, close_timeout=2, max_queue=None) as ws:
                    self._ws = ws
                    await self._read(ws, time.monotonic_ns())
            except NETWORK_ERRORS:
                pass
            if not self._stop:
                code = self._ws.close_code if self._ws is not None else None
                self.closes[str(code)] += 1
                await asyncio.sleep(0.1)

    async def _read(self, ws: ClientConnection, opened: int) -> None:
        async for text in ws:
            received = time.monotonic_ns()
            self.frames += 1
            frame = json.loads(text)
            kind = frame.get("kind")
            if kind == "message":
                message = frame["message"]
                sent = bench_time(str(message.get("body", "")))
                if sent is not None and message.get("id") not in self.seen:
                    self.seen.add(message.get("id"))
                    self.latencies_ms.append((received - sent) / 1e6)
                    self.replayed += sent < opened
            elif kind == "ping":
                await ws.send('{"op":"pong"}')
            elif kind == "hello":
                self.since = self.since or frame.get("id")
                self.hello.set()
                continue
            if frame.get("id"):
                self.since = str(frame["id"])

    async def stop(self) -> None:
        self._stop = True
        if self._ws is not None:
            await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, *NETWORK_ERRORS):
                await self._task


# --- the floor -----------------------------------------------------------------------------------


def floor_app(heartbeat: float) -> Any:
    """The least a server can do for the same frames: no database, no audience checks."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route, WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    agents: set[WebSocket] = set()
    ids = itertools.count(1)

    async def talk(ws: WebSocket, on_frame: Callable[[Json], Any]) -> None:
        """Receive frames; ping after `heartbeat` quiet seconds (as Tend's pump does)."""
        try:
            while True:
                try:
                    text = await asyncio.wait_for(ws.receive_text(), timeout=heartbeat)
                except TimeoutError:
                    await ws.send_text('{"kind":"ping"}')
                    continue
                frame = json.loads(text)
                if frame.get("op") == "ping":
                    await ws.send_text('{"kind":"pong"}')
                elif frame.get("op") != "pong":
                    await on_frame(frame)
        except WebSocketDisconnect:
            pass

    async def widget(ws: WebSocket) -> None:
        await ws.accept()
        conversation = next(ids)
        seq = itertools.count(1)

        async def on_frame(frame: Json) -> None:
            op = frame.get("op")
            if op == "hello":
                await ws.send_text(_dumps({"kind": "welcome", "token": f"v{conversation}",
                                           "conversation": None, "messages": [],
                                           "heartbeat": heartbeat, "open": True}))
                return
            if op not in ("start", "send"):
                await ws.send_text(_dumps({"kind": "error", "detail": f"unknown op {op!r}"}))
                return
            message = {"seq": next(seq), "id": next(ids), "client_id": frame.get("client_id"),
                       "from": "customer", "text": frame.get("body", "")}
            await ws.send_text(_dumps({"kind": "ack", "client_id": frame.get("client_id"),
                                       "message": message}))
            if op == "start":
                await ws.send_text(_dumps({"kind": "conversation", "conversation": {
                    "id": conversation, "state": "queued", "last_seq": message["seq"]}}))
            out = _dumps({"id": str(message["id"]), "kind": "message", "message": {
                "id": message["id"], "ticket_id": conversation, "body": message["text"],
                "seq": message["seq"], "client_id": message["client_id"]}})
            for agent in list(agents):
                with contextlib.suppress(Exception):
                    await agent.send_text(out)

        await talk(ws, on_frame)

    async def agent(ws: WebSocket) -> None:
        await ws.accept()
        await ws.send_text(_dumps({"kind": "hello", "id": "0", "heartbeat": heartbeat}))
        agents.add(ws)
        try:
            await talk(ws, _ignore)
        finally:
            agents.discard(ws)

    async def healthz(_request: Any) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route("/healthz", healthz), WebSocketRoute("/widget/live", widget),
                             WebSocketRoute("/agent/live", agent)])


async def _ignore(_frame: Json) -> None:
    return None


# --- entry points -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/chatload.py",
                                     description="Client processes and floor server of "
                                                 "benchmarks/chat.py (not run by hand).")
    sub = parser.add_subparsers(dest="role", required=True)
    w = sub.add_parser("widgets")
    w.add_argument("--url", required=True)
    w.add_argument("--worker", type=int, default=0)
    f = sub.add_parser("floor")
    f.add_argument("--host", default="127.0.0.1")
    f.add_argument("--port", type=int, required=True)
    f.add_argument("--heartbeat", type=float, default=25.0)
    args = parser.parse_args(argv)
    raise_fd_limit(65536)
    if args.role == "floor":
        import uvicorn

        uvicorn.run(floor_app(args.heartbeat), host=args.host, port=args.port,
                    log_level="warning")
        return 0
    if not args.url.startswith(("ws://127.0.0.1:", "ws://localhost:", "ws://[::1]:")):
        raise SystemExit("loopback only")
    try:
        import uvloop

        uvloop.run(serve_commands(Widgets(args.url, args.worker)))
    except ImportError:  # pragma: no cover
        asyncio.run(serve_commands(Widgets(args.url, args.worker)))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
