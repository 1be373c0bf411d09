"""How fast Tend turns incoming mail into tickets, beside the floor and django-helpdesk.

Run by ``make bench`` after ``api.py`` (``--quick`` for 500 messages). It generates a
repeatable stream of realistic mail (``--n``, 10,000) with Python's ``email`` package:

* 70 % new conversations: plain text, HTML only, multipart/alternative, and multipart/mixed
  with one or two attachments (PDF, PNG, JPEG, text, DOCX; about one mail in 300 carries
  600 KB photos, which Tend parses in its sandbox child process); some in French, German or
  Spanish; a quarter from customers who wrote before;
* 15 % replies by ``In-Reply-To`` / ``References`` to an earlier mail of the stream (sometimes
  to an earlier reply), from the same sender, quoting it;
* 15 % replies carrying the ticket number in the subject, from the same sender, answering a
  notification whose Message-ID no system stored (``Re: [#N] ...`` for Tend, where N is the
  number Tend gives that conversation; ``Re: [support-ID] ...`` for the peer, see below).

Replies always come after what they answer. For each database (SQLite, PostgreSQL):

1. **floor**: the same bytes, one by one: ``email.message_from_bytes(raw, policy=default)``,
   the body text, and one INSERT of (from, subject, body, raw) committed per message;
2. **Tend**, in-process: ``runtime.build(settings)`` on a fresh database with one inbox, then
   ``intake.receive(rt, raw, Envelope(source="pipe"))`` per message, in stream order; then
   checks from the database that nothing was lost and every reply threaded into its ticket;
3. **django-helpdesk**, when ``../shared/peers/django-helpdesk/setup.sh`` is there (not under
   ``--quick`` unless ``--peer``): a fresh database (``setup.sh reset-db``), then the first
   ``--peer-n`` messages of the same stream dropped into its queue's local maildir and imported
   by its ``get_email`` command (in-process, in the peer's venv), one run per reply depth so
   that parents are imported before their replies (its importer takes files in directory
   order). Its subject-tag replies get the peer's own tag ``[support-<ticket id>]``, written
   just before the run that imports them. Same checks, from its tables.

PostgreSQL: Tend and the floor use a private schema (``email_ingest_bench``) in the database at
``--pg-url``, dropped before and after; nothing else there is touched. Loopback only; the run
stops by itself after ``--max-minutes``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import email
import email.policy
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api import (
    DEFAULT_PG_URL,
    PEER_DIR,
    PEER_PG_PORT,
    PEER_ROOT,
    Clock,
    HardCap,
    _port_open,
    git_commit,
    hard_cap,
    pg_reachable,
    run_checked,
)
from loadgen import format_table
from mailstream import INBOX, NEW_KINDS, REF, TAG, Mail, MailStream, mix

SCHEMA = "email_ingest_bench"
COLUMNS = ["db", "messages", "floor msg/s", "Tend msg/s", "Tend p50/p99 ms", "Tend ÷ floor",
           "Tend threaded", "Tend checks", "peer msg/s", "Tend ÷ peer", "peer threaded",
           "peer checks"]


class Skip(Exception):
    """A database or the peer cannot be measured here; the run goes on without it."""


# --- timing ------------------------------------------------------------------------------------


@dataclass
class Timing:
    """Per-message wall times of one system over the stream (in stream order)."""

    per_message: list[float]
    stopped_early: bool = False

    def figures(self, first: int | None = None) -> dict[str, Any]:
        times = self.per_message[:first] if first else self.per_message
        total = sum(times)
        ordered = sorted(times)

        def pct(p: float) -> float:  # nearest rank, as loadgen
            return 1000 * ordered[max(0, min(len(ordered) - 1, round(p * len(ordered)) - 1))]

        return {"messages": len(times), "seconds": round(total, 3),
                "msgs_per_s": round(len(times) / total, 1) if total else 0.0,
                "p50_ms": round(pct(0.50), 2) if times else None,
                "p99_ms": round(pct(0.99), 2) if times else None,
                "mean_ms": round(1000 * statistics.fmean(times), 2) if times else None,
                # msg/s over each tenth of the stream: does intake slow down as tables grow?
                "msgs_per_s_by_tenth": [round(len(c) / sum(c), 1) for c in (
                    times[k * len(times) // 10:(k + 1) * len(times) // 10] for k in range(10))
                    if c and sum(c)],
                "stopped_early": self.stopped_early}


def timed_loop(mails: list[Mail], one: Callable[[Mail], object], clock: Clock) -> Timing:
    timing = Timing([])
    for mail in mails:
        if clock.left() < 30:  # leave time to check and clean up
            timing.stopped_early = True
            break
        start = time.perf_counter()
        one(mail)
        timing.per_message.append(time.perf_counter() - start)
    return timing


def pg_schema_url(url: str) -> str:
    """The same database, with ``search_path`` set to this benchmark's private schema."""
    from sqlalchemy.engine import make_url

    with_path = make_url(url).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    return with_path.render_as_string(hide_password=False)


def reset_schema(url: str, *, create: bool) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            if create:
                conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    finally:
        engine.dispose()


# --- the floor ---------------------------------------------------------------------------------


def run_floor(url: str, mails: list[Mail], clock: Clock) -> dict[str, Any]:
    """Parse each mail with the standard library, take its body, INSERT it, commit."""
    from floor_app import make_engine
    from sqlalchemy import Column, Integer, LargeBinary, MetaData, Table, Text, func, insert, select

    table = Table("floor_mail", MetaData(), Column("id", Integer, primary_key=True),
                  Column("sender", Text), Column("subject", Text), Column("body", Text),
                  Column("raw", LargeBinary))
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            table.drop(conn, checkfirst=True)
            table.create(conn)

        def one(mail: Mail) -> None:
            msg = email.message_from_bytes(mail.raw, policy=email.policy.default)
            part = msg.get_body(preferencelist=("plain", "html"))
            body = part.get_content() if part is not None else ""
            with engine.connect() as conn:
                conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    conn.execute(insert(table).values(sender=str(msg["From"]),
                                                      subject=str(msg["Subject"]), body=body,
                                                      raw=mail.raw))

        timing = timed_loop(mails, one, clock)
        with engine.connect() as conn:
            rows = int(conn.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        engine.dispose()
    done = len(timing.per_message)
    return {**timing.figures(), "checks": {"rows": rows, "ok": rows == done}}


# --- Tend --------------------------------------------------------------------------------------


def run_tend(db: str, url: str | None, data_dir: Path, mails: list[Mail], clock: Clock,
             first: int, profile: Path | None) -> dict[str, Any]:
    """Feed every mail through ``intake.receive`` in stream order, then check the database."""
    from tend import runtime
    from tend.channels.email import intake
    from tend.channels.email.models import Inbox
    from tend.settings import Settings

    settings = Settings(data_dir=data_dir, database_url=url, secret_key="bench-" + "k" * 40,
                        mail_check_sender=False, mail_trusted_authserv_ids="",
                        jobs_inline=False, redis_url=None, log_level="warning")
    rt = runtime.build(settings)
    try:
        with rt.db.write() as session:
            session.add(Inbox(name="Support", address=INBOX))
        envelope = intake.Envelope(source="pipe")
        profiler = None
        if profile is not None:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        timing = timed_loop(mails, lambda mail: intake.receive(rt, mail.raw, envelope), clock)
        if profiler is not None:
            profiler.disable()
            assert profile is not None
            profile.parent.mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(str(profile.with_suffix(f".{db}.prof")))
        checks = tend_checks(rt, mails[:len(timing.per_message)])
    finally:
        rt.close()
    figures = timing.figures()
    figures["first_n"] = timing.figures(first) if first < len(timing.per_message) else None
    return {**figures, "checks": checks}


def tend_checks(rt: Any, mails: list[Mail]) -> dict[str, Any]:
    from sqlalchemy import func, select

    from tend.attachments.models import Attachment
    from tend.channels.email.models import InboundEmail
    from tend.tickets.models import Ticket

    with rt.db.read() as session:
        rows = session.execute(select(InboundEmail.message_id_header, InboundEmail.status,
                                      InboundEmail.outcome, InboundEmail.ticket_id)).all()
        tickets = int(session.scalar(select(func.count()).select_from(Ticket)) or 0)
        stored = Counter(session.execute(select(Attachment.filename, Attachment.size)).all())
    return threading_checks(
        mails, {(mid or "").strip("<>"): tid for mid, _s, _o, tid in rows}, tickets,
        stored=stored, extra={
            "inbound_rows": len(rows),
            "processed": sum(1 for _m, status, _o, _t in rows if status == "processed"),
            "outcomes": dict(Counter(outcome or "-" for _m, _s, outcome, _t in rows)),
        })


def threading_checks(mails: list[Mail], ticket_of: Mapping[str, int | None], tickets: int, *,
                     stored: Counter[tuple[str, int]], extra: dict[str, Any]) -> dict[str, Any]:
    """Did every mail land, each conversation get one ticket, every reply join it?

    ``ticket_of`` maps Message-ID (no brackets) to the ticket the system filed the mail in;
    ``stored`` counts the (filename, size) of the attachments the system kept.
    """
    root_ticket = {m.index: ticket_of.get(m.msgid) for m in mails if m.kind in NEW_KINDS}
    news = [m for m in mails if m.kind in NEW_KINDS]
    own = {root_ticket[m.index] for m in news} - {None}

    def threaded(kind: str) -> list[int]:
        group = [m for m in mails if m.kind == kind]
        ok = sum(1 for m in group if ticket_of.get(m.msgid) is not None
                 and ticket_of.get(m.msgid) == root_ticket.get(m.root))
        return [ok, len(group)]

    expected = Counter(f for m in mails for f in m.files)
    checks: dict[str, Any] = {
        "messages": len(mails), "filed": sum(1 for m in mails if ticket_of.get(m.msgid)),
        "tickets": tickets, "tickets_expected": len(news),
        "new_with_own_ticket": [len(own), len(news)],
        "threaded_references": threaded(REF), "threaded_subject": threaded(TAG),
        "attachments": [sum(min(n, stored[f]) for f, n in expected.items()),
                        sum(expected.values())],
        **extra,
    }
    checks["ok"] = (checks["filed"] == len(mails) and tickets == len(news)
                    and all(a == b for a, b in (checks["new_with_own_ticket"],
                                                checks["threaded_references"],
                                                checks["threaded_subject"],
                                                checks["attachments"])))
    return checks


# --- django-helpdesk ---------------------------------------------------------------------------


def run_peer(db: str, mails: list[Mail], clock: Clock, tmp: Path) -> dict[str, Any]:
    """A fresh peer database, then its importer on the same mails, one run per reply depth."""
    if clock.left() < 180:
        raise Skip("not enough time left under the overall cap")
    setup = str(PEER_DIR / "setup.sh")
    env = {**os.environ, "PEER_DB": db, "PEER_ROOT": str(PEER_ROOT),
           "PEER_PG_PORT": str(PEER_PG_PORT)}
    pg_was_up = _port_open(PEER_PG_PORT)
    try:
        print(f"{db}: django-helpdesk: fresh database (setup.sh reset-db"
              f"{', first install' if not PEER_ROOT.exists() else ''})", flush=True)
        run_checked([setup, "reset-db"], env, timeout=600, cwd=PEER_DIR)
        src = tmp / "peer-mail"
        src.mkdir(parents=True, exist_ok=True)
        for mail in mails:
            (src / f"{mail.index:06d}.eml").write_bytes(mail.raw)
        manifest = tmp / "peer-manifest.json"
        manifest.write_text(json.dumps({"dir": str(src), "mails": [
            {k: v for k, v in asdict(m).items() if k != "raw"} for m in mails]}))
        out = tmp / "peer-result.json"
        print(f"{db}: django-helpdesk: get_email on {len(mails):,} messages", flush=True)
        run_checked([str(PEER_ROOT / "venv" / "bin" / "python"), str(Path(__file__).resolve()),
                     "--peer-driver", str(manifest), "--peer-out", str(out)], env,
                    timeout=max(60.0, clock.left() - 60), cwd=PEER_ROOT / "site")
        found: dict[str, Any] = json.loads(out.read_text())
    finally:
        if db == "postgres" and not pg_was_up:
            with contextlib.suppress(Exception):
                run_checked([setup, "pg-stop"], env, timeout=60, cwd=PEER_DIR)
    seconds = sum(w["seconds"] for w in found["waves"])
    return {"messages": len(mails), "seconds": round(seconds, 3),
            "msgs_per_s": round(len(mails) / seconds, 1) if seconds else 0.0,
            "mean_ms": round(1000 * seconds / len(mails), 2) if mails else None,
            "waves": found["waves"], "checks": found["checks"]}


def retag(raw: bytes, subject: str) -> bytes:
    """The same mail with another Subject (the peer's own ticket tag)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    msg.replace_header("Subject", subject)
    return msg.as_bytes()


def peer_driver(manifest: Path, out: Path) -> None:
    """Runs in the peer's venv, in its site directory: import the mails, check its tables."""
    sys.path.insert(0, str(Path.cwd()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")
    import django  # type: ignore[import-not-found]  # the peer's venv has it

    django.setup()
    from django.core.management import call_command  # type: ignore[import-not-found]
    from helpdesk.models import (  # type: ignore[import-not-found]
        FollowUp,
        FollowUpAttachment,
        Queue,
        Ticket,
    )

    spec = json.loads(manifest.read_text())
    mails = [Mail(**{**m, "raw": b"", "files": tuple(tuple(f) for f in m["files"])})
             for m in spec["mails"]]
    queue = Queue.objects.get(slug="support")
    maildir = Path(queue.email_box_local_dir)
    maildir.mkdir(parents=True, exist_ok=True)
    if any(maildir.iterdir()):
        raise SystemExit(f"{maildir} is not empty")
    tickets_before = Ticket.objects.count()
    waves = []
    for wave in sorted({m.wave for m in mails}):
        batch = [m for m in mails if m.wave == wave]
        for m in batch:  # untimed: the peer's own tag, then the file in its maildir
            raw = (Path(spec["dir"]) / f"{m.index:06d}.eml").read_bytes()
            if m.kind == TAG:
                root = FollowUp.objects.filter(message_id=f"<{mails[m.root].msgid}>")
                ticket_id = root.values_list("ticket_id", flat=True).first()
                raw = retag(raw, f"Re: [{queue.slug}-{ticket_id}] {m.subject}")
            (maildir / f"{m.index:06d}.eml").write_bytes(raw)
        start = time.perf_counter()
        call_command("get_email", quiet=True)
        waves.append({"wave": wave, "messages": len(batch),
                      "seconds": round(time.perf_counter() - start, 3)})
    ids = [f"<{m.msgid}>" for m in mails]
    ticket_of = {mid.strip("<>"): tid for mid, tid in FollowUp.objects.filter(
        message_id__in=ids).values_list("message_id", "ticket_id")}
    # It names the files it keeps "part-<n>_<filename>".
    stored = Counter((re.sub(r"^part-\d+_", "", name), size) for name, size in
                     FollowUpAttachment.objects.filter(followup__message_id__in=ids)
                     .values_list("filename", "size"))
    checks = threading_checks(mails, ticket_of, Ticket.objects.count() - tickets_before,
                              stored=stored, extra={
                                  "followups": FollowUp.objects.count(),
                                  "files_left_in_maildir": sum(1 for _ in maildir.iterdir())})
    out.write_text(json.dumps({"waves": waves, "checks": checks}))


# --- report ------------------------------------------------------------------------------------


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def add_ratios(result: dict[str, Any]) -> None:
    floor, tend, peer = result.get("floor"), result.get("tend"), result.get("peer")
    if tend and floor:
        result["tend_vs_floor"] = _ratio(tend["msgs_per_s"], floor["msgs_per_s"])
    if tend and peer:
        # Over the same first messages the peer imported (tables grow as the stream goes on).
        same = tend.get("first_n") or tend
        result["tend_vs_peer"] = _ratio(same["msgs_per_s"], peer["msgs_per_s"])


def _threaded(checks: dict[str, Any] | None) -> str:
    if not checks:
        return "-"
    refs, subj = checks["threaded_references"], checks["threaded_subject"]
    return f"{refs[0] + subj[0]:,}/{refs[1] + subj[1]:,}"


def _verdict(checks: dict[str, Any] | None) -> str:
    """"ok", or what failed: the table must not hide a wrong answer behind a fast one."""
    if not checks:
        return "-"
    wrong = [f"filed {checks['filed']:,}/{checks['messages']:,}"
             if checks["filed"] != checks["messages"] else "",
             f"tickets {checks['tickets']:,}/{checks['tickets_expected']:,}"
             if checks["tickets"] != checks["tickets_expected"] else "",
             *(f"{name} {pair[0]:,}/{pair[1]:,}" for name, pair in (
                 ("new", checks["new_with_own_ticket"]),
                 ("attachments", checks["attachments"])) if pair[0] != pair[1])]
    return ", ".join(w for w in wrong if w) or ("ok" if checks["ok"] else "FAILED")


def table_rows(results: list[dict[str, Any]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for r in results:
        floor, tend, peer = r.get("floor") or {}, r.get("tend") or {}, r.get("peer") or {}
        rows.append({
            "db": r["db"], "messages": tend.get("messages"),
            "floor msg/s": floor.get("msgs_per_s"), "Tend msg/s": tend.get("msgs_per_s"),
            "Tend p50/p99 ms": (f"{tend['p50_ms']:.1f} / {tend['p99_ms']:.1f}"
                                if tend.get("p50_ms") is not None else "-"),
            "Tend ÷ floor": f"{r['tend_vs_floor']:.2f}x" if r.get("tend_vs_floor") else "-",
            "Tend threaded": _threaded(tend.get("checks")),
            "Tend checks": _verdict(tend.get("checks")),
            "peer msg/s": (f"{peer['msgs_per_s']:.1f} (first {peer['messages']:,})"
                           if peer else "-"),
            "Tend ÷ peer": f"{r['tend_vs_peer']:.1f}x" if r.get("tend_vs_peer") else "-",
            "peer threaded": _threaded(peer.get("checks")),
            "peer checks": _verdict(peer.get("checks")),
        })
    return rows


def describe_checks(name: str, checks: dict[str, Any]) -> str:
    def frac(pair: list[int]) -> str:
        return f"{pair[0]:,}/{pair[1]:,}"

    stored = (f"{checks['inbound_rows']:,} stored, {checks['processed']:,} processed, "
              if "inbound_rows" in checks else
              f"{checks['followups']:,} follow-ups, {checks['files_left_in_maildir']} files left, "
              if "followups" in checks else "")
    return (f"{name}: {stored}{checks['filed']:,}/{checks['messages']:,} filed in a ticket; "
            f"tickets {checks['tickets']:,} (expected {checks['tickets_expected']:,}); "
            f"by references {frac(checks['threaded_references'])}, "
            f"by subject tag {frac(checks['threaded_subject'])}; "
            f"attachments {frac(checks['attachments'])} -> {'ok' if checks['ok'] else 'FAILED'}")


def metadata(args: argparse.Namespace, loadavg_at_start: tuple[float, float, float],
             mails: list[Mail]) -> dict[str, Any]:
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(), "git_commit": git_commit(),
        "plan": {"n": args.n, "seed": args.seed, "dbs": args.dbs, "peer": args.peer,
                 "peer_n": args.peer_n, "max_minutes": args.max_minutes},
        "mix": mix(mails), "reply_depths": dict(Counter(m.wave for m in mails)),
        "mean_bytes": round(statistics.fmean(len(m.raw) for m in mails)) if mails else 0,
        "attachments": sum(len(m.files) for m in mails),
        "loadavg_at_start": [round(x, 2) for x in loadavg_at_start],
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        "note": "one process, sequential; the database server shares this machine's CPUs",
    }


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/email_ingest.py",
        description="Messages per second of Tend's mail intake beside the floor (stdlib parse "
                    "+ one INSERT) and django-helpdesk's get_email, with threading checks.",
        epilog=f"PostgreSQL: Tend and the floor use the schema {SCHEMA} of --pg-url, dropped "
               "before and after. The peer's data under /tmp/peer-dh is reset (setup.sh "
               "reset-db).")
    parser.add_argument("--quick", action="store_true",
                        help="500 messages, no peer unless --peer")
    parser.add_argument("--n", type=int, help="messages in the stream (10000; quick 500)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the mail stream (7)")
    parser.add_argument("--json", metavar="FILE", type=Path, help="write all figures here")
    parser.add_argument("--db", default="sqlite,postgres",
                        help="comma-separated: sqlite, postgres (default: both)")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL,
                        help=f"PostgreSQL for Tend and the floor (default {DEFAULT_PG_URL})")
    parser.add_argument("--peer", action=argparse.BooleanOptionalAction, default=None,
                        help="measure django-helpdesk too (default: when its folder is there, "
                             "except under --quick)")
    parser.add_argument("--peer-n", type=int, default=2000,
                        help="the peer imports the first this many messages (2000)")
    parser.add_argument("--max-minutes", type=float, help="hard cap on the run (30; quick 10)")
    parser.add_argument("--profile", metavar="FILE", type=Path,
                        help="cProfile Tend's intake loop into FILE.<db>.prof")
    parser.add_argument("--peer-driver", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peer-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peer_driver is not None:
        return args
    args.n = args.n if args.n is not None else (500 if args.quick else 10_000)
    args.max_minutes = args.max_minutes if args.max_minutes is not None else (
        10.0 if args.quick else 30.0)
    args.dbs = [d.strip().lower() for d in args.db.split(",") if d.strip()]
    if not args.dbs or any(d not in ("sqlite", "postgres") for d in args.dbs):
        parser.error(f"--db: use sqlite and/or postgres, not {args.db!r}")
    if args.n < 10:
        parser.error("--n: at least 10 messages")
    present = (PEER_DIR / "setup.sh").exists()
    if args.peer is None:
        args.peer = present and not args.quick
        if present and args.quick:
            print("django-helpdesk: skipped under --quick (add --peer to measure it)")
    if args.peer and not present:
        print(f"django-helpdesk: skipped, {PEER_DIR / 'setup.sh'} is not there")
        args.peer = False
    args.peer_n = max(1, min(args.peer_n, args.n))
    return args


def bench_db(db: str, mails: list[Mail], args: argparse.Namespace, clock: Clock,
             skipped: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {"db": db, "floor": None, "tend": None, "peer": None}
    if db == "postgres":
        why = pg_reachable(args.pg_url)
        if why is not None:
            raise Skip(f"PostgreSQL at {args.pg_url} is not reachable ({why})")
        reset_schema(args.pg_url, create=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"tend-mail-bench-{db}-"))
    try:
        url = pg_schema_url(args.pg_url) if db == "postgres" else None
        print(f"{db}: floor on {len(mails):,} messages", flush=True)
        result["floor"] = floor = run_floor(url or f"sqlite:///{tmp / 'floor.db'}", mails, clock)
        print(f"  floor {floor['msgs_per_s']:8.1f} msg/s  p50 {floor['p50_ms']:.2f} ms  "
              f"p99 {floor['p99_ms']:.2f} ms", flush=True)
        print(f"{db}: Tend on {len(mails):,} messages", flush=True)
        result["tend"] = tend = run_tend(db, url, tmp / "data", mails, clock, args.peer_n,
                                         args.profile)
        print(f"  Tend  {tend['msgs_per_s']:8.1f} msg/s  p50 {tend['p50_ms']:.2f} ms  "
              f"p99 {tend['p99_ms']:.2f} ms", flush=True)
        if args.peer:
            try:
                result["peer"] = peer = run_peer(db, mails[:args.peer_n], clock, tmp)
                print(f"  peer  {peer['msgs_per_s']:8.1f} msg/s  ({peer['messages']:,} messages, "
                      f"{len(peer['waves'])} get_email runs)", flush=True)
            except (Skip, RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
                skipped.append(f"{db}: django-helpdesk: {exc}")
                print(f"{db}: django-helpdesk skipped: {exc}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if db == "postgres":
            with contextlib.suppress(Exception):
                reset_schema(args.pg_url, create=False)
    add_ratios(result)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.peer_driver is not None:
        peer_driver(args.peer_driver, args.peer_out)
        return 0
    clock = Clock(time.monotonic() + 60 * args.max_minutes)
    started, loadavg_at_start = time.monotonic(), os.getloadavg()
    print(f"Tend mail intake benchmark: {args.n:,} messages, db={','.join(args.dbs)}, peer "
          f"{'on the first ' + format(args.peer_n, ',') if args.peer else 'off'}; "
          f"{os.cpu_count()} CPUs", flush=True)
    if loadavg_at_start[0] > 0.5 * (os.cpu_count() or 1):
        print(f"warning: load average {loadavg_at_start[0]:.1f} before the run: other work on "
              f"this machine slows every system down", flush=True)
    mails = MailStream(args.seed).generate(args.n)
    print(f"generated {len(mails):,} messages ({mix(mails)}), mean "
          f"{statistics.fmean(len(m.raw) for m in mails) / 1024:.1f} KiB, "
          f"{time.monotonic() - started:.0f}s", flush=True)
    results: list[dict[str, Any]] = []
    skipped: list[str] = []
    try:
        with hard_cap(60 * args.max_minutes + 60):
            for db in args.dbs:
                try:
                    results.append(bench_db(db, mails, args, clock, skipped))
                except Skip as exc:
                    skipped.append(f"{db}: {exc}")
                    print(f"{db}: skipped: {exc}", flush=True)
    except HardCap as exc:
        print(f"stopped: {exc}", flush=True)
        skipped.append(str(exc))
    print()
    print(format_table(table_rows(results), COLUMNS))
    print()
    for r in results:
        for name in ("floor", "tend", "peer"):
            part = r.get(name)
            if part and name != "floor":
                print(describe_checks(f"{r['db']} {'Tend' if name == 'tend' else 'peer'}",
                                      part["checks"]))
            if part and part.get("stopped_early"):
                print(f"{r['db']} {name}: stopped early by the time cap")
    print(f"(Tend ÷ floor: messages per second, same db, same bytes; Tend ÷ peer: Tend over the "
          f"same first --peer-n messages ÷ the peer; threaded: replies filed in their "
          f"conversation's ticket; {time.monotonic() - started:.0f}s in all)")
    if args.json is not None:
        report = {"metadata": metadata(args, loadavg_at_start, mails), "skipped": skipped,
                  "results": results}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
