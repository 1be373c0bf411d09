"""Live chat at scale: connected widgets, delivery latency, memory per connection.

Run by ``make bench`` (``BENCH_ARGS="--quick"`` for a short run). Each scenario starts its
servers as subprocesses on free loopback ports, with a fresh data directory and database, and
client processes (``chatload.py widgets``) that hold the widgets:

1. **floor**: ``chatload.py floor``, a minimal Starlette WebSocket app with the same frames and
   no database (``hello``/``welcome``, ``start``/``send`` answered with ``ack``, every message
   fanned out to ``/agent/live``), served by uvicorn as Tend is;
2. **tend**: one ``tend serve`` process (the in-memory feed);
3. **tend x2**: two ``tend serve`` processes sharing the database and Redis
   (``TEND_REDIS_URL``): the customers on A, the agent on B.

In each: one agent's workspace socket opens (a web session made in the database), then
``--connections`` widgets connect in waves (``--wave``), each saying ``hello`` and starting a
chat; after each wave the agent accepts the new chats (in the database, as the workspace's
accept does), so the queue stays as short as a staffed help desk keeps it. Every widget then
idles, answering the server's heartbeat (``TEND_LIVE_HEARTBEAT_SECONDS``, ``--heartbeat``) for
``--hold`` seconds. Then, with every connection still open, the customers send ``--rate``
messages a second in all for ``--seconds`` seconds (each from the next widget in turn), and
the agent's socket takes the time each one arrives: latency = arrival - sending, both on
CLOCK_MONOTONIC. Memory per connection is the customers' server's RSS after the widgets
connected minus before (after a warm-up wave), divided by their number.

Loopback only. The whole run stops by itself after ``--max-minutes``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import chatload
from api import (
    HOST,
    Clock,
    HardCap,
    Server,
    free_port,
    git_commit,
    hard_cap,
    pg_reachable,
    reset_postgres,
    tend_env,
)
from loadgen import format_table

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
SECRET = "chat-benchmark-" + "k" * 32  # a throwaway key for a throwaway data dir
AGENT_EMAIL = "bench@tend.example"
COLUMNS = ["scenario", "db", "processes", "connections", "connect/s", "KB/conn", "p50_ms", "p99_ms",
           "max_ms", "samples", "ack_p50_ms", "x floor"]


class Skip(Exception):
    """A scenario cannot run here (no PostgreSQL, no Redis); the run goes on without it."""


@dataclass(frozen=True)
class Plan:
    connections: int
    client_procs: int
    wave: int
    parallel: int
    heartbeat: float
    hold: float
    rate: float
    seconds: float
    dbs: tuple[str, ...]
    pg_url: str
    redis_url: str
    scenarios: tuple[str, ...]
    max_seconds: float


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/chat.py",
        description="Connected chat widgets, customer-to-agent delivery latency and memory per "
                    "connection of Tend (one process, and two behind Redis) beside a bare "
                    "WebSocket floor, on loopback.",
        epilog="WARNING: with --db postgresql the database at --pg-url is wiped before each "
               "Tend scenario and at the end (DROP SCHEMA public CASCADE). In the Redis "
               "database of --redis-url the keys tend:* and huey* are deleted.")
    parser.add_argument("--quick", action="store_true",
                        help="short run: 300 connections, 5 s heartbeat, 5 s of sending")
    parser.add_argument("--json", metavar="FILE", type=Path, help="write all figures here")
    parser.add_argument("--db", default="sqlite",
                        help="comma-separated: sqlite (default), postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"PostgreSQL for --db postgresql; WIPED (default {DEFAULT_PG_URL})")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL,
                        help=f"Redis for the two-process scenario (default {DEFAULT_REDIS_URL})")
    parser.add_argument("--connections", type=int, help="widgets per scenario (5000; quick 300)")
    parser.add_argument("--client-procs", type=int,
                        help="client processes holding the widgets (one per 2,500)")
    parser.add_argument("--wave", type=int, default=10,
                        help="widgets connected before the agent accepts their chats (10)")
    parser.add_argument("--parallel", type=int, default=10,
                        help="handshakes in flight per client process (10)")
    parser.add_argument("--heartbeat", type=float,
                        help="TEND_LIVE_HEARTBEAT_SECONDS for every server (10; quick 5)")
    parser.add_argument("--hold", type=float,
                        help="idle seconds with every widget connected (2.5 heartbeats + 1: "
                             "longer than a server waits for a silent screen)")
    parser.add_argument("--rate", type=float, help="messages per second, all customers (20)")
    parser.add_argument("--seconds", type=float, help="seconds of sending (30; quick 5)")
    parser.add_argument("--scenarios", default="floor,tend,tend-x2",
                        help="comma-separated: floor, tend, tend-x2 (default: all)")
    parser.add_argument("--max-minutes", type=float, help="hard cap on the run (45; quick 10)")
    parser.add_argument("--peer", action=argparse.BooleanOptionalAction, default=None,
                        help="ignored (accepted with make bench's BENCH_ARGS): no peer here")
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    quick = bool(args.quick)
    names = {"sqlite": "sqlite", "postgres": "postgresql", "postgresql": "postgresql"}
    dbs = tuple(dict.fromkeys(names.get(d.strip().lower(), "?") for d in args.db.split(",")
                              if d.strip()))
    if not dbs or "?" in dbs:
        raise SystemExit(f"--db: sqlite and/or postgresql, not {args.db!r}")
    scenarios = tuple(s.strip() for s in args.scenarios.split(",") if s.strip())
    if not scenarios or set(scenarios) - {"floor", "tend", "tend-x2"}:
        raise SystemExit(f"--scenarios: floor, tend and/or tend-x2, not {args.scenarios!r}")
    connections = args.connections or (300 if quick else 5000)
    heartbeat = args.heartbeat or (5.0 if quick else 10.0)
    return Plan(
        connections=connections,
        client_procs=args.client_procs or max(1, math.ceil(connections / 2500)),
        wave=args.wave,
        parallel=args.parallel,
        heartbeat=heartbeat,
        hold=args.hold if args.hold is not None else 2.5 * heartbeat + 1,
        rate=args.rate or 20.0,
        seconds=args.seconds or (5.0 if quick else 30.0),
        dbs=dbs,
        pg_url=args.pg_url,
        redis_url=args.redis_url,
        scenarios=scenarios,
        max_seconds=60.0 * (args.max_minutes or (10.0 if quick else 45.0)),
    )


# --- servers and the database -----------------------------------------------------------------


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def redis_reachable(url: str) -> str | None:
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=3).ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def clear_redis(url: str) -> None:
    """The feed's stream and the job queue of an earlier run must not leak into this one."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        keys = [*client.scan_iter("tend:*"), *client.scan_iter("huey*")]
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@dataclass
class Seeded:
    inbox_key: str
    cookie: str


class TendDatabase:
    """Tend's database for one scenario, and the agent's actions on it (accepting chats)."""

    def __init__(self, plan: Plan, db: str, data_dir: Path, redis_url: str | None) -> None:
        from tend import runtime
        from tend.notify import ConsoleOutbox
        from tend.settings import Settings

        if db == "postgresql":
            reset_postgres(plan.pg_url)
        self.url = plan.pg_url if db == "postgresql" else None
        settings = Settings(environment="development", data_dir=data_dir, secret_key=SECRET,
                            database_url=self.url, redis_url=redis_url, jobs_inline=True,
                            mail_fetch=False)
        self.rt = runtime.build(settings, outbox=ConsoleOutbox(echo=False))

    def seed(self) -> Seeded:
        from tend.access import SYSTEM
        from tend.agents import actions as agent_actions
        from tend.agents.models import Agent, Role
        from tend.auth.actions import start_session
        from tend.channels.chat import inboxes

        with self.rt.db.write() as s:
            team = agent_actions.create_team(s, SYSTEM, name="Support")
            agent = agent_actions.create_agent(s, SYSTEM, email=AGENT_EMAIL, name="Bench Agent",
                                               role=Role.AGENT, team_ids=[team.id])
            inbox = inboxes.create_inbox(s, SYSTEM, name="Website", team_id=team.id)
            row = s.get(Agent, agent.id)
            assert row is not None
            self.agent_id = agent.id
            return Seeded(inbox.key, start_session(s, agent=row, max_age_seconds=86400).token)

    def accept(self, ticket_ids: list[int]) -> None:
        from tend.agents.models import Agent
        from tend.agents.queries import actor_for
        from tend.channels.chat import routing

        with self.rt.db.write() as s:
            row = s.get(Agent, self.agent_id)
            assert row is not None
            actor = actor_for(row)
            for ticket_id in ticket_ids:
                routing.accept(s, actor, ticket_id)

    def close(self) -> None:
        self.rt.close()


def tend_server(name: str, tmp: Path, plan: Plan, db: str, redis_url: str | None) -> Server:
    env = tend_env("postgres" if db == "postgresql" else "sqlite", plan.pg_url)
    env.update(TEND_SECRET_KEY=SECRET, TEND_LIVE_HEARTBEAT_SECONDS=f"{plan.heartbeat:g}",
               TEND_MAIL_FETCH="false")
    if redis_url:
        env["TEND_REDIS_URL"] = redis_url
        env["TEND_JOB_WORKERS"] = "1"
    port = free_port()
    return Server(name, [sys.executable, "-m", "tend", "serve", "--host", HOST, "--port",
                         str(port), "--data-dir", str(tmp / "data")],
                  env, tmp / f"{name}.log", port)


# --- one scenario ------------------------------------------------------------------------------


@dataclass
class Target:
    """Where the widgets and the agent connect, and what the agent does after each wave."""

    name: str
    processes: int
    widget_url: str
    agent_url: str
    cookie: str | None
    pid: int  # the process holding the widgets (its RSS is measured)
    accept: Callable[[list[int]], None] | None = None
    notes: list[str] = field(default_factory=list)


class Client:
    """One ``chatload.py widgets`` process, spoken to in JSON lines."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, url: str, worker: int, log: Path) -> Client:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEND_")}
        with log.open("ab") as err:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, str(BENCH_DIR / "chatload.py"), "widgets", "--url", url,
                "--worker", str(worker), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=err, env=env, limit=1 << 26)
        return cls(proc)

    async def ask(self, command: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        await self.proc.stdin.drain()
        line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
        if not line:
            raise RuntimeError(f"client process exited ({self.proc.returncode})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    async def stop(self) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(Exception):
                assert self.proc.stdin is not None
                self.proc.stdin.write(b'{"cmd": "quit"}\n')
                await self.proc.stdin.drain()
            try:
                await asyncio.wait_for(self.proc.wait(), 30)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest rank, as loadgen.py."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


async def measure(target: Target, plan: Plan, tmp: Path, clock: Clock) -> dict[str, Any]:
    agent = chatload.AgentListener(target.agent_url, target.cookie)
    await agent.start()
    clients = [await Client.start(target.widget_url, i, tmp / f"client-{i}.log")
               for i in range(plan.client_procs)]
    try:
        return await _measure(target, plan, clients, agent, clock)
    finally:
        await asyncio.gather(*(c.stop() for c in clients), return_exceptions=True)
        await agent.stop()


async def _waves(clients: list[Client], count: int, plan: Plan, clock: Clock,
                 accept: Callable[[list[int]], None] | None) -> tuple[int, int, list[str]]:
    opened = failed = 0
    errors: list[str] = []
    accepting: asyncio.Task[None] | None = None
    while opened + failed < count:
        if clock.left() < 60:
            errors.append("time cap: stopped connecting")
            break
        wave = min(plan.wave, count - opened - failed)
        answers = await asyncio.gather(*(
            c.ask({"cmd": "connect", "count": n, "parallel": plan.parallel}, clock.left())
            for c, n in zip(clients, _split(wave, len(clients)), strict=True) if n))
        ticket_ids = [t for a in answers for t in a["ticket_ids"]]
        opened += len(ticket_ids)
        failed += sum(a["failed"] for a in answers)
        errors += [e for a in answers for e in a["errors"]][:5 - len(errors)]
        if accept is not None and ticket_ids:
            # The agent takes this wave's chats while the next wave connects.
            if accepting is not None:
                await accepting
            accepting = asyncio.create_task(asyncio.to_thread(accept, ticket_ids))
    if accepting is not None:
        await accepting
    return opened, failed, errors


async def _measure(target: Target, plan: Plan, clients: list[Client],
                   agent: chatload.AgentListener, clock: Clock) -> dict[str, Any]:
    label = f"{target.name}:"
    warm = min(plan.wave, max(1, plan.connections // 10))
    await _waves(clients, warm, plan, clock, target.accept)  # imports, caches, pools
    await asyncio.sleep(1)
    rss_before = rss_kb(target.pid)
    started = time.monotonic()
    opened, failed, errors = await _waves(clients, plan.connections - warm, plan, clock,
                                          target.accept)
    connect_seconds = time.monotonic() - started
    await asyncio.sleep(1)
    rss_after = rss_kb(target.pid)
    print(f"  {label} {opened + warm:,} widgets connected in {connect_seconds:.1f}s "
          f"({failed} failed){'; ' + errors[0] if errors else ''}", flush=True)
    await asyncio.sleep(max(0.0, min(plan.hold, clock.left() - 90)))
    agent.take()
    answers = await asyncio.gather(*(
        c.ask({"cmd": "send", "rate": plan.rate / len(clients), "seconds": plan.seconds},
              plan.seconds + 60) for c in clients))
    await asyncio.sleep(2)  # the last messages' way to the agent
    latencies, replayed = agent.take()
    statuses = await asyncio.gather(*(c.ask({"cmd": "status"}, 30) for c in clients))
    held = sum(s["open"] for s in statuses)
    codes: dict[str, int] = {}
    for status in statuses:
        for code, n in status["close_codes"].items():
            codes[code] = codes.get(code, 0) + n
    sent = sum(a["sent"] for a in answers)
    acks = [ms for a in answers for ms in a["ack_ms"]]
    rss_end = rss_kb(target.pid)
    cell: dict[str, Any] = {
        "scenario": target.name, "processes": target.processes,
        "connections_target": plan.connections, "connections": held,
        "connect_failed": failed, "connect_errors": errors, "closed": codes,
        "connect_seconds": round(connect_seconds, 2),
        "connect_per_s": round(opened / connect_seconds, 1) if connect_seconds > 0 else None,
        "rss_before_kb": rss_before, "rss_after_kb": rss_after, "rss_end_kb": rss_end,
        "kb_per_connection": round((rss_after - rss_before) / opened, 2) if opened else None,
        "sent": sent, "delivered": len(latencies), "acked": len(acks), "replayed": replayed,
        "p50_ms": _round(percentile(latencies, 0.50)),
        "p90_ms": _round(percentile(latencies, 0.90)),
        "p99_ms": _round(percentile(latencies, 0.99)),
        "max_ms": _round(max(latencies) if latencies else None),
        "ack_p50_ms": _round(percentile(acks, 0.50)),
        "ack_p99_ms": _round(percentile(acks, 0.99)),
        "rate": plan.rate, "seconds": plan.seconds, "heartbeat": plan.heartbeat,
        "hold": plan.hold, "loadavg_1m": round(os.getloadavg()[0], 2),
        "agent_reconnects": sum(agent.closes.values()), "agent_closes": dict(agent.closes),
        "notes": target.notes,
    }
    print(f"  {label} {held:,} held; {len(latencies)}/{sent} delivered: p50 "
          f"{cell['p50_ms']} ms, p99 {cell['p99_ms']} ms; "
          f"{cell['kb_per_connection']} KB per connection", flush=True)
    return cell


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- scenarios ---------------------------------------------------------------------------------


Runner = Callable[[Plan, str, Path, Clock], Awaitable[dict[str, Any]]]


async def floor_scenario(plan: Plan, _db: str, tmp: Path, clock: Clock) -> dict[str, Any]:
    port = free_port()
    server = Server("floor", [sys.executable, str(BENCH_DIR / "chatload.py"), "floor",
                              "--host", HOST, "--port", str(port), "--heartbeat",
                              f"{plan.heartbeat:g}"],
                    tend_env("sqlite", plan.pg_url), tmp / "floor.log", port)
    try:
        server.wait_ready("/healthz")
        base = f"ws://{HOST}:{port}"
        return await measure(Target("floor", 1, f"{base}/widget/live", f"{base}/agent/live",
                                    None, server.proc.pid), plan, tmp, clock)
    finally:
        server.stop()


async def tend_scenario(plan: Plan, db: str, tmp: Path, clock: Clock) -> dict[str, Any]:
    database = TendDatabase(plan, db, tmp / "data", None)
    server: Server | None = None
    try:
        seeded = database.seed()
        server = tend_server("tend", tmp, plan, db, None)
        server.wait_ready("/healthz")
        base = f"ws://{HOST}:{server.port}"
        return await measure(Target("tend", 1, f"{base}/widget/live?inbox={seeded.inbox_key}",
                                    f"{base}/agent/live", seeded.cookie, server.proc.pid,
                                    database.accept), plan, tmp, clock)
    finally:
        if server is not None:
            server.stop()
        database.close()


async def tend_x2_scenario(plan: Plan, db: str, tmp: Path, clock: Clock) -> dict[str, Any]:
    why = redis_reachable(plan.redis_url)
    if why is not None:
        raise Skip(f"Redis at {plan.redis_url} is not reachable ({why})")
    clear_redis(plan.redis_url)
    database = TendDatabase(plan, db, tmp / "data", plan.redis_url)
    servers: list[Server] = []
    try:
        seeded = database.seed()
        servers = [tend_server(name, tmp, plan, db, plan.redis_url)
                   for name in ("tend-a", "tend-b")]
        for server in servers:
            server.wait_ready("/healthz")
        a, b = servers
        return await measure(Target(
            "tend x2", 2, f"ws://{HOST}:{a.port}/widget/live?inbox={seeded.inbox_key}",
            f"ws://{HOST}:{b.port}/agent/live", seeded.cookie, a.proc.pid, database.accept,
            ["customers on A, the agent on B, one Redis stream between them"]),
            plan, tmp, clock)
    finally:
        for server in servers:
            server.stop()
        database.close()
        with contextlib.suppress(Exception):
            clear_redis(plan.redis_url)


SCENARIOS: dict[str, Runner] = {"floor": floor_scenario, "tend": tend_scenario,
                                "tend-x2": tend_x2_scenario}


# --- report ------------------------------------------------------------------------------------


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b and a > 0 and b > 0 else None


def add_ratios(cells: list[dict[str, Any]]) -> None:
    floor = next((c for c in cells if c["scenario"] == "floor"), None)
    if floor is None:
        return
    for cell in cells:
        if cell is floor:
            continue
        cell["vs_floor"] = {k: _ratio(cell.get(k), floor.get(k))
                            for k in ("connections", "kb_per_connection", "p50_ms", "p99_ms")}


def table_rows(cells: list[dict[str, Any]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for cell in cells:
        ratios = cell.get("vs_floor") or {}
        rows.append({
            "scenario": cell["scenario"], "db": cell["db"], "processes": cell["processes"],
            "connections": f"{cell['connections']:,}/{cell['connections_target']:,}",
            "connect/s": cell["connect_per_s"], "KB/conn": cell["kb_per_connection"],
            "p50_ms": cell["p50_ms"], "p99_ms": cell["p99_ms"], "max_ms": cell["max_ms"],
            "samples": f"{cell['delivered']}/{cell['sent']}", "ack_p50_ms": cell["ack_p50_ms"],
            "x floor": (f"conns {_x(ratios.get('connections'))}, "
                        f"mem {_x(ratios.get('kb_per_connection'))}, "
                        f"p50 {_x(ratios.get('p50_ms'))}, p99 {_x(ratios.get('p99_ms'))}")
            if ratios else "",
        })
    return rows


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def metadata(plan: Plan, loadavg_at_start: tuple[float, float, float]) -> dict[str, Any]:
    import platform

    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpu_count": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(), "git_commit": git_commit(),
        "plan": {k: v for k, v in asdict(plan).items() if k not in ("pg_url", "redis_url")},
        "loadavg_at_start": [round(x, 2) for x in loadavg_at_start],
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        "note": "client processes and servers share this machine's CPUs; loopback only",
    }


# --- main ------------------------------------------------------------------------------------


async def run_all(plan: Plan, clock: Clock, cells: list[dict[str, Any]],
                  skipped: list[str]) -> None:
    runs = [(name, None if name == "floor" else db) for name in plan.scenarios
            for db in (plan.dbs[:1] if name == "floor" else plan.dbs)]
    for name, db in runs:
        label = name if db is None else f"{name} ({db})"
        if clock.left() < 120:
            skipped.append(f"{label}: not enough time left under the cap")
            continue
        tmp = Path(tempfile.mkdtemp(prefix=f"tend-chat-bench-{name}-"))
        print(f"{label}: {plan.connections:,} widgets in {plan.client_procs} client "
              f"process(es), heartbeat {plan.heartbeat:g}s", flush=True)
        try:
            if db == "postgresql" and (why := pg_reachable(plan.pg_url)) is not None:
                raise Skip(f"PostgreSQL at {plan.pg_url} is not reachable ({why})")
            cell = await SCENARIOS[name](plan, db or "-", tmp, clock)
            cells.append({**cell, "db": db or "-"})
        except Skip as exc:
            skipped.append(f"{label}: {exc}")
            print(f"{label}: skipped: {exc}", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = make_plan(args)
    limit = chatload.raise_fd_limit(2 * plan.connections + 1024)  # servers inherit it
    if limit < plan.connections + 256:
        print(f"warning: only {limit} open files allowed; connections will fail", flush=True)
    clock = Clock(time.monotonic() + plan.max_seconds)
    cells: list[dict[str, Any]] = []
    skipped: list[str] = []
    started = time.monotonic()
    loadavg_at_start = os.getloadavg()
    print(f"Tend chat benchmark: {plan.connections:,} connections, {plan.rate:g} msg/s for "
          f"{plan.seconds:g}s; {os.cpu_count()} CPUs shared by clients and servers", flush=True)
    if loadavg_at_start[0] > 0.5 * (os.cpu_count() or 1):
        print(f"warning: load average {loadavg_at_start[0]:.1f} before the run: other work on "
              "this machine slows every target down", flush=True)
    try:
        with hard_cap(plan.max_seconds + 60):
            asyncio.run(run_all(plan, clock, cells, skipped))
    except HardCap as exc:
        print(f"stopped: {exc}", flush=True)
        skipped.append(str(exc))
    finally:
        if "postgresql" in plan.dbs:
            with contextlib.suppress(Exception):
                reset_postgres(plan.pg_url)  # leave the shared database empty, as found
    add_ratios(cells)
    print()
    print(format_table(table_rows(cells), COLUMNS))
    print()
    for line in summaries(cells):
        print(line)
    print(f"(latency: customer's send to the agent's socket; x floor: Tend / floor; "
          f"{time.monotonic() - started:.0f}s in all)")
    if args.json is not None:
        tend = next((c for c in cells if c["scenario"] == "tend"), {})
        report = {"connections": tend.get("connections"), "p50_ms": tend.get("p50_ms"),
                  "p99_ms": tend.get("p99_ms"), "kb_per_connection": tend.get("kb_per_connection"),
                  "db": tend.get("db"), "metadata": metadata(plan, loadavg_at_start),
                  "skipped": skipped, "scenarios": cells}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"figures written to {args.json}")
    return 0


def summaries(cells: list[dict[str, Any]]) -> list[str]:
    out = []
    for cell in cells:
        line = (f"{cell['scenario']} ({cell['db']}): held {cell['connections']:,} of "
                f"{cell['connections_target']:,} widgets at {cell['kb_per_connection']} KB "
                f"each; customer -> agent p50 {cell['p50_ms']} ms, p99 {cell['p99_ms']} ms "
                f"({cell['delivered']} of {cell['sent']} messages"
                + (f", {cell['replayed']} of them replayed after the agent's socket reconnected"
                   if cell["replayed"] else "") + ")")
        closed = sum(cell["closed"].values())
        if closed or cell["agent_reconnects"]:
            line += (f"; the server closed {closed} widget(s) {cell['closed']} and the agent's "
                     f"socket {cell['agent_reconnects']} time(s) {cell['agent_closes']} "
                     "(4408: no heartbeat answered in time)")
        out.append(line)
    return out


if __name__ == "__main__":
    sys.exit(main())
