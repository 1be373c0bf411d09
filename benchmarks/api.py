"""Speed of Tend's REST API beside the bare floor and, when present, django-helpdesk.

Run by ``make bench`` (``BENCH_ARGS="--quick"`` for a short run). For each database
(SQLite, PostgreSQL) it starts, as subprocesses on free loopback ports:

* Tend (``python -m tend serve``) on a fresh data directory, with an admin agent and an
  API token made by ``tend createadmin`` and ``tend token create``;
* the floor (``benchmarks/floor_app.py``): a minimal Starlette route doing one INSERT
  (create) or one SELECT of the latest 25 rows (list) on the same database;
* django-helpdesk's REST API, through ``../shared/peers/django-helpdesk/setup.sh``
  when that folder is there (its own SQLite file or its private PostgreSQL cluster).

Workloads, each at 1, 8 and 32 concurrent keep-alive clients (``loadgen.py``), each
measured step preceded by a warm-up:

* ``create``: ``POST /api/v1/tickets`` with varied payloads (customers sometimes come
  back) against ``POST /floor/tickets`` and django-helpdesk's ``POST /api/tickets/``;
* ``list``: the inbox, ``GET /api/v1/tickets?status=unsolved&limit=25`` once at least
  ``--seed-tickets`` tickets exist, against ``GET /floor/tickets?limit=25`` and
  ``GET /api/tickets/?page=1``.

Each cell stops after ``--requests`` requests or ``--seconds`` seconds, whichever comes
first; the whole run stops by itself after ``--max-minutes``. Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadgen
from loadgen import Request, Result, format_table, json_request

HOST = "127.0.0.1"
BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
PEER_DIR = REPO.parent / "shared" / "peers" / "django-helpdesk"
PEER_ROOT = Path("/tmp/peer-dh")  # where the peer's setup.sh installs it
PEER_PG_PORT = 55432  # the peer's private PostgreSQL cluster (setup.sh default)
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ADMIN_EMAIL = "bench@tend.example"
ADMIN_PASSWORD = "bench-password-1"  # noqa: S105 (a throwaway admin in a temp data dir)

TEND_CREATE = "/api/v1/tickets"
TEND_LIST = "/api/v1/tickets?status=unsolved&limit=25"
FLOOR_CREATE = "/floor/tickets"
FLOOR_LIST = "/floor/tickets?limit=25"
PEER_CREATE = "/api/tickets/"
PEER_LIST = "/api/tickets/?page=1"

COLUMNS = ["workload", "db", "concurrency", "target", "rps", "p50_ms", "p99_ms", "errors",
           "requests", "table_size", "x floor", "tend/peer"]


class Skip(Exception):
    """A database or the peer cannot be measured here; the run goes on without it."""


class HardCap(BaseException):
    """The overall time cap ran out (raised from a signal handler, so cleanup still runs)."""


# --- plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    dbs: tuple[str, ...]
    concurrency: tuple[int, ...]
    requests: int
    seconds: float
    warmup: int
    warmup_seconds: float
    seed_tickets: int
    peer: bool
    peer_seconds: float
    pg_url: str
    max_seconds: float
    request_timeout: float


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/api.py",
        description="Throughput and p50/p99 latency of Tend's ticket creation and inbox "
                    "listing, beside a bare Starlette floor and django-helpdesk, on loopback.",
        epilog="WARNING: with postgres in --db, the database at --pg-url is wiped at the start "
               "and at the end of the run (DROP SCHEMA public CASCADE; CREATE SCHEMA public). "
               "The default is the database the test suite uses: do not run the PostgreSQL "
               "tests at the same time. The peer's data under /tmp/peer-dh is reset too "
               "(setup.sh reset-db).",
    )
    parser.add_argument("--quick", action="store_true",
                        help="short run: ~200 requests or 5 s per cell, no peer unless --peer")
    parser.add_argument("--json", metavar="FILE", type=Path, help="write all figures here")
    parser.add_argument("--db", default="sqlite,postgres",
                        help="comma-separated: sqlite, postgres (default: both)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"PostgreSQL for Tend and the floor; WIPED (default {DEFAULT_PG_URL})")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated client counts")
    parser.add_argument("--requests", type=int, help="requests per cell (2000; quick 200)")
    parser.add_argument("--seconds", type=float, help="time cap per cell (20; quick 5)")
    parser.add_argument("--warmup", type=int, help="warm-up requests before each cell "
                                                   "(at least the concurrency; 50; quick 10)")
    parser.add_argument("--seed-tickets", type=int,
                        help="tickets present before the list workload (2000; quick 300)")
    parser.add_argument("--peer", action=argparse.BooleanOptionalAction, default=None,
                        help="measure django-helpdesk too (default: when its folder is there, "
                             "except under --quick)")
    parser.add_argument("--peer-seconds", type=float,
                        help="time cap per peer cell (default: --seconds)")
    parser.add_argument("--max-minutes", type=float,
                        help="hard cap on the whole run (45; quick 10)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="per-request timeout in seconds (default 60)")
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    quick = bool(args.quick)
    dbs = tuple(d.strip().lower() for d in args.db.split(",") if d.strip())
    unknown = [d for d in dbs if d not in ("sqlite", "postgres")]
    if unknown or not dbs:
        raise SystemExit(f"--db: use sqlite and/or postgres, not {args.db!r}")
    concurrency = tuple(int(c) for c in args.concurrency.split(",") if c.strip())
    if not concurrency or min(concurrency) < 1:
        raise SystemExit("--concurrency: positive integers, comma-separated")
    peer_present = (PEER_DIR / "setup.sh").exists()
    if args.peer is None:
        peer = peer_present and not quick
        if peer_present and quick:
            print("django-helpdesk: skipped under --quick (add --peer to measure it)")
        elif not peer_present:
            print(f"django-helpdesk: skipped, {PEER_DIR} is not there")
    else:
        peer = bool(args.peer)
        if peer and not peer_present:
            print(f"django-helpdesk: skipped, {PEER_DIR / 'setup.sh'} is not there")
            peer = False
    seconds = args.seconds if args.seconds is not None else (5.0 if quick else 20.0)
    return Plan(
        dbs=dbs,
        concurrency=concurrency,
        requests=args.requests if args.requests is not None else (200 if quick else 2000),
        seconds=seconds,
        warmup=args.warmup if args.warmup is not None else (10 if quick else 50),
        warmup_seconds=2.0 if quick else 5.0,
        seed_tickets=args.seed_tickets if args.seed_tickets is not None
        else (300 if quick else 2000),
        peer=peer,
        peer_seconds=args.peer_seconds if args.peer_seconds is not None else seconds,
        pg_url=args.pg_url,
        max_seconds=60.0 * (args.max_minutes if args.max_minutes is not None
                            else (10.0 if quick else 45.0)),
        request_timeout=args.timeout,
    )


# --- realistic ticket payloads ---------------------------------------------------------------

_FIRST = ["Ana", "Bruno", "Chloé", "Dmitri", "Emeka", "Fatima", "Grace", "Hiroshi", "Inés",
          "Jonas", "Kavya", "Liam", "Mei", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven",
          "Tomás", "Uma", "Víctor", "Wen", "Yusuf", "Zoë"]
_LAST = ["Almeida", "Becker", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Haddad",
         "Ivanova", "Jensen", "Kowalski", "López", "Müller", "Nakamura", "Okafor", "Petrov",
         "Rossi", "Schmidt", "Tanaka", "Urban", "Varga", "Walsh", "Yilmaz", "Zhang"]
_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com",
            "acme.example.org", "shop.example.net"]
_SUBJECTS = [
    "Order #{n} arrived damaged",
    "Can't sign in after resetting my password",
    "Refund for a duplicate charge on invoice INV-{n}",
    "Where is my parcel? Tracking {n} has not moved",
    "Please change the delivery address for order #{n}",
    "Question about the {plan} plan",
    "The app crashes when I upload a photo",
    "Cancel my subscription",
    "Wrong size sent (order #{n})",
    "Invoice needed for our accounting",
    "Discount code {code} does not work",
    "Two-factor codes never arrive",
    "Export to CSV is missing columns",
    "Urgent: our whole team is locked out",
    "Feature request: dark mode",
]
_OPENINGS = ["Hello,", "Hi there,", "Good morning,", "Dear support team,", "Hey,", "Hi,"]
_SENTENCES = [
    "I ordered this last week and it still hasn't arrived.",
    "The box was crushed and the item inside is scratched.",
    "I tried again this morning and got the same error.",
    "My colleague has the same problem on a different laptop.",
    "Could you tell me what the next steps are?",
    "I have attached nothing, but I can send screenshots if that helps.",
    "This is the second time I'm writing about this.",
    "We rely on this every day, so a quick answer would be great.",
    "The charge appeared twice on my card statement.",
    "I'd prefer a refund rather than a replacement.",
    "The tracking page says 'label created' since Monday.",
    "I'm using the latest version on Android 14.",
    "Nothing changed on our side as far as I know.",
    "Please let me know if you need the order number or anything else.",
    "Thanks for the quick help last time!",
]
_CLOSINGS = ["Thanks,", "Best regards,", "Cheers,", "Kind regards,", "Many thanks,"]
_PLANS = ["Starter", "Team", "Business", "Enterprise"]


@dataclass(frozen=True)
class TicketData:
    subject: str
    body: str
    email: str
    name: str


class Traffic:
    """A repeatable stream of ticket submissions; about 30 % come from earlier customers.

    A returning customer is picked among those first seen at least ``_SETTLED`` tickets
    earlier, so that their first ticket has committed even at 32 concurrent clients.
    """

    _SETTLED = 64
    _RETURNING = 0.3

    def __init__(self, seed: int = 7) -> None:
        self._rng = random.Random(seed)
        self._customers: list[tuple[str, str]] = []

    def _customer(self) -> tuple[str, str]:
        rng = self._rng
        settled = len(self._customers) - self._SETTLED
        if settled > 0 and rng.random() < self._RETURNING:
            return self._customers[rng.randrange(settled)]
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        ascii_first = first.encode("ascii", "ignore").decode().lower()
        ascii_last = last.encode("ascii", "ignore").decode().lower()
        email = f"{ascii_first}.{ascii_last}{len(self._customers)}@{rng.choice(_DOMAINS)}"
        customer = (email, f"{first} {last}")
        self._customers.append(customer)
        return customer

    def next(self) -> TicketData:
        rng = self._rng
        email, name = self._customer()
        subject = rng.choice(_SUBJECTS).format(
            n=rng.randrange(10_000, 99_999), plan=rng.choice(_PLANS),
            code=f"SAVE{rng.randrange(10, 60)}",
        )
        sentences = rng.sample(_SENTENCES, rng.randint(1, 6))
        paragraphs = [rng.choice(_OPENINGS), " ".join(sentences)]
        if rng.random() < 0.25:  # some people write a lot
            paragraphs.append(" ".join(rng.sample(_SENTENCES, 8)) * rng.randint(2, 5))
        paragraphs.append(f"{rng.choice(_CLOSINGS)}\n{name.split()[0]}")
        return TicketData(subject, "\n\n".join(paragraphs), email, name)


# --- targets ---------------------------------------------------------------------------------


@dataclass
class Target:
    """One server under test and how to ask it for the two workloads."""

    name: str  # tend, floor, django-helpdesk
    port: int
    create: Callable[[TicketData], Request]
    list_request: Request
    traffic: Traffic = field(default_factory=Traffic)
    created: int = 0  # tickets this run made on it (its table starts empty)

    def make_create(self, _index: int) -> Request:
        return self.create(self.traffic.next())

    def make_list(self, _index: int) -> Request:
        return self.list_request


def tend_target(port: int, token: str) -> Target:
    def create(t: TicketData) -> Request:
        payload = {"subject": t.subject, "body": t.body,
                   "customer": {"email": t.email, "name": t.name}}
        return json_request("POST", TEND_CREATE, payload, token=token)

    return Target("tend", port, create, json_request("GET", TEND_LIST, token=token))


def floor_target(port: int) -> Target:
    def create(t: TicketData) -> Request:
        payload = {"subject": t.subject, "body": t.body,
                   "customer": {"email": t.email, "name": t.name}}
        return json_request("POST", FLOOR_CREATE, payload)

    return Target("floor", port, create, json_request("GET", FLOOR_LIST))


def peer_target(port: int, token: str) -> Target:
    headers = {"Accept": "application/json", "Authorization": f"Token {token}"}

    def create(t: TicketData) -> Request:
        payload = {"queue": 1, "title": t.subject, "description": t.body,
                   "submitter_email": t.email, "priority": 3}
        body = json.dumps(payload, separators=(",", ":")).encode()
        return Request("POST", PEER_CREATE, {**headers, "Content-Type": "application/json"},
                       body)

    return Target("django-helpdesk", port, create, Request("GET", PEER_LIST, dict(headers)))


# --- processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Server:
    """A subprocess serving HTTP on loopback; always stopped by :meth:`stop`."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], log: Path,
                 port: int) -> None:
        self.name, self.port, self.log = name, port, log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)

    def wait_ready(self, path: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n"
                                   f"{_tail(self.log)}")
            try:
                loadgen.wait_http_ok(f"http://{HOST}:{self.port}{path}", timeout=1.0)
                return
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} not ready after {timeout:g}s:\n"
                                       f"{_tail(self.log)}") from None

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session, started here
            self.proc.wait(10)


def run_checked(cmd: list[str], env: dict[str, str], timeout: float = 180.0,
                cwd: Path = REPO) -> str:
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed ({done.returncode}):\n"
                           f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def tend_env(db: str, pg_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEND_")}
    env["TEND_LOG_LEVEL"] = "warning"
    src = str(REPO / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if db == "postgres":
        env["TEND_DATABASE_URL"] = pg_url
    return env


def reset_postgres(url: str) -> None:
    """Wipe the public schema (Tend migrates it again when it starts)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def floor_url(db: str, data_dir: Path, pg_url: str) -> str:
    return f"sqlite:///{data_dir / 'floor.db'}" if db == "sqlite" else pg_url


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Clock:
    deadline: float  # time.monotonic() value when the whole run must end

    def left(self) -> float:
        return self.deadline - time.monotonic()


def load(target: Target, workload: str, concurrency: int, total: int, seconds: float,
         timeout: float, label: str = "") -> Result:
    make = target.make_create if workload == "create" else target.make_list
    result = loadgen.run(HOST, target.port, make, concurrency=concurrency, total=total,
                         duration=seconds, label=label or target.name, timeout=timeout)
    if workload == "create":
        target.created += result.status_counts.get(201, 0)
    return result


def measure(target: Target, workload: str, db: str, concurrency: int, plan: Plan,
            clock: Clock) -> dict[str, Any] | None:
    cap = plan.peer_seconds if target.name == "django-helpdesk" else plan.seconds
    budget = clock.left() - 30.0  # leave time to stop everything
    if budget < 2.0:
        print(f"  {workload:<6} {target.name:<16} c={concurrency:<3} skipped: time cap reached")
        return None
    warm_total = max(plan.warmup, concurrency)
    load(target, workload, concurrency, warm_total, min(plan.warmup_seconds, budget / 4),
         plan.request_timeout, label="warm-up")
    table_size = target.created if workload == "list" else None
    busy = os.getloadavg()[0]  # other work on the machine skews the figures: keep a trace
    result = load(target, workload, concurrency, plan.requests,
                  max(1.0, min(cap, clock.left() - 30.0)), plan.request_timeout)
    cell: dict[str, Any] = {
        "workload": workload, "db": db, "concurrency": concurrency, "target": target.name,
        "rps": result.rps, "p50_ms": result.p50_ms, "p99_ms": result.p99_ms,
        "errors": result.errors, "requests": result.requests,
        "table_size": table_size if workload == "list" else target.created,
        "seconds": result.seconds, "p90_ms": result.p90_ms, "max_ms": result.max_ms,
        "status_counts": {str(k): v for k, v in result.status_counts.items()},
        "client_cpu_ms_per_request": result.client_cpu_ms_per_request,
        "loadavg_1m_before": round(busy, 2),
    }
    print(f"  {workload:<6} {target.name:<16} c={concurrency:<3} {result.rps:9.1f} req/s  "
          f"p50 {result.p50_ms:8.1f} ms  p99 {result.p99_ms:8.1f} ms  "
          f"errors {result.errors}  ({result.requests} in {result.seconds:.1f}s)", flush=True)
    return cell


def seed(target: Target, want: int, plan: Plan, clock: Clock) -> None:
    """Create tickets (unmeasured) until ``want`` exist, bounded in time."""
    missing = want - target.created
    if missing <= 0:
        return
    seconds = max(1.0, min(300.0, clock.left() / 4))
    result = load(target, "create", 8, missing, seconds, plan.request_timeout, label="seed")
    print(f"  seeded {target.name}: +{result.status_counts.get(201, 0)} tickets "
          f"({target.created} in all, {result.errors} errors, {result.seconds:.1f}s)")


def run_workloads(targets: list[Target], db: str, plan: Plan, clock: Clock,
                  workloads: tuple[str, ...] = ("create", "list")) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = []
    for workload in workloads:
        if workload == "list":
            for target in targets:
                seed(target, plan.seed_tickets, plan, clock)
        for concurrency in plan.concurrency:
            for target in targets:
                cell = measure(target, workload, db, concurrency, plan, clock)
                if cell is not None:
                    cells.append(cell)
    return cells


# --- one database ----------------------------------------------------------------------------


def pg_reachable(url: str) -> str | None:
    """None when PostgreSQL answers at ``url``, else why not."""
    try:
        from sqlalchemy import create_engine, text
    except ImportError as exc:  # pragma: no cover
        return str(exc)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 5})
    except Exception as exc:  # a missing driver shows up here
        return f"{type(exc).__name__}: {exc}"
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()
    return None


def bench_tend_and_floor(db: str, plan: Plan, clock: Clock) -> list[dict[str, Any]]:
    if db == "postgres":
        why = pg_reachable(plan.pg_url)
        if why is not None:
            raise Skip(f"PostgreSQL at {plan.pg_url} is not reachable ({why})")
        reset_postgres(plan.pg_url)
    tmp = Path(tempfile.mkdtemp(prefix=f"tend-bench-{db}-"))
    servers: list[Server] = []
    try:
        data_dir = tmp / "data"
        env = tend_env(db, plan.pg_url)
        tend_cli = [sys.executable, "-m", "tend"]
        run_checked([*tend_cli, "createadmin", "--email", ADMIN_EMAIL, "--password",
                     ADMIN_PASSWORD, "--data-dir", str(data_dir)], env)
        token = run_checked([*tend_cli, "token", "create", "--email", ADMIN_EMAIL,
                             "--data-dir", str(data_dir)], env).strip().splitlines()[-1]

        tend_port = free_port()
        servers.append(Server("tend", [*tend_cli, "serve", "--host", HOST, "--port",
                                       str(tend_port), "--data-dir", str(data_dir)],
                              env, tmp / "tend.log", tend_port))
        floor_port = free_port()
        servers.append(Server("floor", [sys.executable, str(BENCH_DIR / "floor_app.py"),
                                        "--database-url", floor_url(db, data_dir, plan.pg_url),
                                        "--port", str(floor_port), "--host", HOST],
                              env, tmp / "floor.log", floor_port))
        for server in servers:
            server.wait_ready("/healthz")
        targets = [floor_target(floor_port), tend_target(tend_port, token)]
        print(f"{db}: Tend on {HOST}:{tend_port}, floor on {HOST}:{floor_port}", flush=True)
        return run_workloads(targets, db, plan, clock)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if db == "postgres":
            with contextlib.suppress(Exception):
                reset_postgres(plan.pg_url)  # leave the shared database empty, as found


# --- the peer --------------------------------------------------------------------------------


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def bench_peer(db: str, plan: Plan, clock: Clock) -> list[dict[str, Any]]:
    if clock.left() < 120:
        raise Skip("not enough time left under the overall cap")
    setup = str(PEER_DIR / "setup.sh")
    port = free_port()
    env = {**os.environ, "PEER_DB": db, "PEER_PORT": str(port)}
    pg_was_up = _port_open(PEER_PG_PORT)
    started = False
    try:
        # reset-db = stop + fresh database + install (creates the venv the first time).
        print(f"{db}: django-helpdesk: fresh database (setup.sh reset-db"
              f"{', ~40 s: first install' if not PEER_ROOT.exists() else ''})", flush=True)
        run_checked([setup, "reset-db"], env, timeout=600, cwd=PEER_DIR)
        started = True
        run_checked([setup, "start"], env, timeout=120, cwd=PEER_DIR)
        lines = run_checked([setup, "env"], env, timeout=30, cwd=PEER_DIR).splitlines()
        values = dict(line.split("=", 1) for line in lines if "=" in line)
        token = values.get("PEER_TOKEN", "")
        if not token:
            raise Skip("setup.sh env printed no PEER_TOKEN")
        if values.get("PEER_URL") != f"http://{HOST}:{port}":
            raise Skip(f"unexpected PEER_URL {values.get('PEER_URL')!r}")
        print(f"{db}: django-helpdesk (gunicorn, 4 sync workers) on {HOST}:{port}", flush=True)
        return run_workloads([peer_target(port, token)], db, plan, clock)
    finally:
        if started:
            with contextlib.suppress(Exception):
                run_checked([setup, "stop"], env, timeout=60, cwd=PEER_DIR)
        if db == "postgres" and not pg_was_up:
            with contextlib.suppress(Exception):
                run_checked([setup, "pg-stop"], env, timeout=60, cwd=PEER_DIR)


# --- report ----------------------------------------------------------------------------------


def _ratio(a: float, b: float) -> float | None:
    return a / b if a > 0 and b > 0 else None


def add_ratios(cells: list[dict[str, Any]]) -> None:
    """Tend and peer cells get ratios to the floor; peer cells get Tend/peer ratios."""
    index = {(c["workload"], c["db"], c["concurrency"], c["target"]): c for c in cells}
    for cell in cells:
        key = (cell["workload"], cell["db"], cell["concurrency"])
        floor = index.get((*key, "floor"))
        if cell["target"] != "floor" and floor is not None:
            cell["rps_vs_floor"] = _ratio(cell["rps"], floor["rps"])
            cell["p50_vs_floor"] = _ratio(cell["p50_ms"], floor["p50_ms"])
        tend = index.get((*key, "tend"))
        if cell["target"] == "django-helpdesk" and tend is not None:
            cell["tend_rps_vs_peer"] = _ratio(tend["rps"], cell["rps"])
            cell["tend_p50_vs_peer"] = _ratio(tend["p50_ms"], cell["p50_ms"])


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}x"


def table_rows(cells: list[dict[str, Any]]) -> list[dict[str, object]]:
    order = {"create": 0, "list": 1}
    targets = {"floor": 0, "tend": 1, "django-helpdesk": 2}
    rows: list[dict[str, object]] = []
    for cell in sorted(cells, key=lambda c: (c["db"] != "sqlite", order[c["workload"]],
                                            c["concurrency"], targets.get(c["target"], 9))):
        row: dict[str, object] = {k: cell[k] for k in COLUMNS if k in cell}
        if cell["workload"] != "list":
            row.pop("table_size", None)
        if "rps_vs_floor" in cell:
            row["x floor"] = (f"{_fmt(cell['rps_vs_floor'])} rps, "
                              f"{_fmt(cell['p50_vs_floor'], 1)} p50")
        if "tend_rps_vs_peer" in cell:
            row["tend/peer"] = (f"{_fmt(cell['tend_rps_vs_peer'], 1)} rps, "
                                f"{_fmt(cell['tend_p50_vs_peer'], 3)} p50")
        rows.append(row)
    return rows


def summaries(cells: list[dict[str, Any]], dbs: tuple[str, ...]) -> list[str]:
    out = []
    for db in dbs:
        parts = []
        for workload, noun in (("create", "creates tickets"), ("list", "lists the inbox")):
            tend = sorted((c for c in cells if c["db"] == db and c["workload"] == workload
                           and c["target"] == "tend"), key=lambda c: c["concurrency"])
            if not tend:
                continue
            rps = "/".join(f"{c['rps']:.0f}" for c in tend)
            conc = "/".join(str(c["concurrency"]) for c in tend)
            floor = "/".join(_fmt(c.get("rps_vs_floor")) for c in tend)
            text = f"Tend {noun} at {rps} req/s (c={conc}) = {floor} the floor"
            peers = [c for c in cells if c["db"] == db and c["workload"] == workload
                     and c["target"] == "django-helpdesk"]
            if peers:
                text += ", " + "/".join(_fmt(c.get("tend_rps_vs_peer"), 1) for c in peers)
                text += " django-helpdesk"
                if workload == "list":
                    text += f" (its table: {peers[0]['table_size']:,} tickets)"
            parts.append(text)
        if parts:
            out.append(f"{db}: " + "; ".join(parts))
    return out


def git_commit() -> str | None:
    """HEAD's commit, read from .git without running git."""
    git = REPO / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except OSError:
        return None
    return None


def metadata(plan: Plan, loadavg_at_start: tuple[float, float, float]) -> dict[str, Any]:
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": git_commit(),
        "plan": {k: v for k, v in plan.__dict__.items() if k != "pg_url"},
        "loadavg_at_start": [round(x, 2) for x in loadavg_at_start],
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        "note": "client and servers share this machine's CPUs; loopback only",
    }


# --- main ------------------------------------------------------------------------------------


@contextlib.contextmanager
def hard_cap(seconds: float) -> Iterator[None]:
    """Raise HardCap after ``seconds`` and turn SIGTERM into a clean exit (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(_sig: int, _frame: FrameType | None) -> None:
        raise HardCap(f"overall time cap of {seconds:.0f}s reached")

    def on_term(_sig: int, _frame: FrameType | None) -> None:
        raise SystemExit(143)

    old_alarm = signal.signal(signal.SIGALRM, on_alarm)
    old_term = signal.signal(signal.SIGTERM, on_term)
    signal.alarm(max(1, int(seconds)))
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_alarm)
        signal.signal(signal.SIGTERM, old_term)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = make_plan(args)
    json_path: Path | None = args.json
    clock = Clock(time.monotonic() + plan.max_seconds)
    cells: list[dict[str, Any]] = []
    skipped: list[str] = []
    started = time.monotonic()
    print(f"Tend API benchmark: db={','.join(plan.dbs)} concurrency={plan.concurrency} "
          f"cells of {plan.requests} requests or {plan.seconds:g}s; {os.cpu_count()} CPUs "
          f"shared by client and servers", flush=True)
    loadavg_at_start = os.getloadavg()
    load_1m = loadavg_at_start[0]
    if load_1m > 0.5 * (os.cpu_count() or 1):
        print(f"warning: load average {load_1m:.1f} before the run: other work on this "
              f"machine will slow every target down (see loadavg_1m_before per cell)", flush=True)
    try:
        # The cap fires a little after the clock's own deadline, which the cells respect.
        with hard_cap(plan.max_seconds + 60):
            for db in plan.dbs:
                try:
                    cells += bench_tend_and_floor(db, plan, clock)
                except Skip as exc:
                    skipped.append(f"{db}: {exc}")
                    print(f"{db}: skipped: {exc}", flush=True)
                    continue
                if plan.peer:
                    try:
                        cells += bench_peer(db, plan, clock)
                    except (Skip, RuntimeError, subprocess.TimeoutExpired) as exc:
                        skipped.append(f"{db}: django-helpdesk: {exc}")
                        print(f"{db}: django-helpdesk skipped: {exc}", flush=True)
    except HardCap as exc:
        print(f"stopped: {exc}", flush=True)
        skipped.append(str(exc))
    add_ratios(cells)
    print()
    print(format_table(table_rows(cells), COLUMNS))
    print()
    for line in summaries(cells, plan.dbs):
        print(line)
    print(f"(x floor: Tend or peer rps / floor rps, and p50 / floor p50; tend/peer: Tend rps / "
          f"peer rps, and Tend p50 / peer p50; {time.monotonic() - started:.0f}s in all)")
    if json_path is not None:
        report = {"metadata": metadata(plan, loadavg_at_start), "skipped": skipped, "cells": cells}
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, indent=2) + "\n")
        print(f"figures written to {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
