"""Fetching mail by IMAP: one thread per inbox that has an IMAP server.

Each round searches the inbox's folder for mail not yet taken (unseen, or everything when
fetched mail is moved to an archive folder), reads each mail with `BODY.PEEK[]` (so nothing is
flagged by reading) and hands it to `intake.receive`. Only after that returns, the mail being
committed, is it flagged `\\Seen` or moved to the archive folder. A crash in between leaves it
unflagged; the next round offers it again and intake recognises it (mailbox + UID, or content
hash), so it is acknowledged then and never stored twice.

Between rounds the connection waits in IDLE (RFC 2177) when the server offers it, else it polls.
A lost connection is opened again with exponential backoff.

Exactly one process fetches: `MailFetcher` first takes a lock (a PostgreSQL advisory lock, or a
file lock in the data directory beside SQLite) and retries it while another process holds it,
so every `tend serve` worker may start one and a dead holder is replaced.
"""

from __future__ import annotations

import contextlib
import imaplib
import io
import logging
import re
import select
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from sqlalchemy import Connection as DbConnection
from sqlalchemy import select as sql_select
from sqlalchemy import text

from tend.channels.email import intake
from tend.channels.email.models import Inbox
from tend.channels.email.secrets import SecretError, unseal

if TYPE_CHECKING:
    from tend.runtime import Runtime
    from tend.settings import Settings

log = logging.getLogger("tend.email.imap")

TIMEOUT_SECONDS = 60.0  # one server answer; IDLE waits with select(), not with this
IDLE_SECONDS = 25 * 60.0  # RFC 2177: servers may end an IDLE after 30 minutes
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 300.0
BATCH = 200  # UIDs per size query, to keep command lines short
_LOCK_KEY = 0x74656E64_6D61696C  # "tendmail": the advisory lock all Tend processes share
CONNECTION_ERRORS = (imaplib.IMAP4.error, OSError)  # OSError covers ssl and socket errors

_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_NEW_MAIL = re.compile(rb"^\* \d+ (?:EXISTS|RECENT)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Account:
    """What a fetcher needs from an inbox row (a changed row restarts its fetcher)."""

    inbox_id: int
    address: str
    host: str
    port: int
    security: str
    username: str
    password: str = field(repr=False)  # never logged
    folder: str = "INBOX"
    archive_folder: str | None = None

    @classmethod
    def of(cls, inbox: Inbox, settings: Settings) -> Account:
        """Raises SecretError when the stored password cannot be decrypted."""
        assert inbox.imap_host
        return cls(inbox_id=inbox.id, address=inbox.address, host=inbox.imap_host,
                   port=inbox.imap_port, security=inbox.imap_security,
                   username=inbox.imap_username or inbox.address,
                   password=unseal(settings, inbox.imap_password or ""),
                   folder=inbox.imap_folder or "INBOX",
                   archive_folder=inbox.imap_archive_folder or None)

    def __str__(self) -> str:
        return f"{self.username}@{self.host}:{self.port}/{self.folder}"


def accounts(rt: Runtime) -> list[Account]:
    """The active inboxes with an IMAP server (those whose password is unreadable skipped)."""
    found = []
    with rt.db.read() as session:
        for inbox in session.scalars(sql_select(Inbox).where(
                Inbox.active, Inbox.imap_host.is_not(None), Inbox.imap_host != "",
        ).order_by(Inbox.id)):
            try:
                found.append(Account.of(inbox, rt.settings))
            except SecretError as exc:
                log.error("inbox %s is not fetched: %s", inbox.address, exc)
    return found


def quote(name: str) -> str:
    """An IMAP quoted string (folder names may hold spaces)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ok(result: tuple[str, list[Any]], what: str) -> list[Any]:
    typ, data = result
    if typ != "OK":
        raise imaplib.IMAP4.error(f"{what} failed: {typ} {data!r}")
    return data


class Connection:
    """One logged-in IMAP connection with the inbox's folder selected."""

    def __init__(self, account: Account, *, ssl_context: ssl.SSLContext | None = None,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.account = account
        self.ssl_context = ssl_context
        self.timeout = timeout
        self.imap: imaplib.IMAP4 | None = None
        self.capabilities: frozenset[str] = frozenset()
        self.uidvalidity = 0

    def open(self) -> None:
        a = self.account
        context = self.ssl_context or ssl.create_default_context()
        if a.security == "tls":
            self.imap = imaplib.IMAP4_SSL(a.host, a.port, ssl_context=context,
                                          timeout=self.timeout)
        else:
            self.imap = imaplib.IMAP4(a.host, a.port, timeout=self.timeout)
            if a.security == "starttls":
                self.imap.starttls(context)
        imap = self.imap
        imap.login(a.username, a.password)
        # The capabilities before login may omit what only logged-in users get (MOVE, ...).
        found = _ok(imap.capability(), "CAPABILITY")
        self.capabilities = frozenset(
            b" ".join(x for x in found if isinstance(x, bytes)).decode("ascii", "replace")
            .upper().split())
        if a.archive_folder:
            imap.create(quote(a.archive_folder))  # NO when it exists: fine
        _ok(imap.select(quote(a.folder)), f"SELECT {a.folder}")
        _, validity = imap.response("UIDVALIDITY")
        if not validity or validity[0] is None:
            raise imaplib.IMAP4.error(f"no UIDVALIDITY for {a.folder}")
        self.uidvalidity = int(validity[-1])
        self.forget_new_mail()

    @property
    def can_idle(self) -> bool:
        return "IDLE" in self.capabilities

    def _imap(self) -> imaplib.IMAP4:
        if self.imap is None:
            raise imaplib.IMAP4.abort("not connected")
        return self.imap

    def forget_new_mail(self) -> None:
        """Drop the server's earlier news (new mail, expunges): a search is about to see it
        all. imaplib keeps unclaimed responses forever; this also bounds them."""
        self._imap().untagged_responses.clear()

    def heard_of_new_mail(self) -> bool:
        return bool({"EXISTS", "RECENT"} & set(self._imap().untagged_responses))

    def pending(self) -> list[int]:
        """UIDs not yet taken: with an archive folder, all there; else the unseen ones."""
        criteria = "UNDELETED" if self.account.archive_folder else "UNSEEN UNDELETED"
        data = _ok(self._imap().uid("SEARCH", criteria), "SEARCH")
        return sorted(int(x) for x in (data[0] or b"").split()) if data else []

    def sizes(self, uids: list[int]) -> dict[int, int]:
        data = _ok(self._imap().uid("FETCH", ",".join(map(str, uids)), "(RFC822.SIZE)"),
                   "FETCH RFC822.SIZE")
        found = {}
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if isinstance(line, bytes) and (u := _UID.search(line)) and (
                    s := _SIZE.search(line)):
                found[int(u.group(1))] = int(s.group(1))
        return found

    def fetch(self, uid: int, part: str = "") -> bytes | None:
        """The mail's bytes (or one part of it) without setting `\\Seen`; None if it is gone."""
        data = _ok(self._imap().uid("FETCH", str(uid), f"(BODY.PEEK[{part}])"), "FETCH")
        for item in data:
            found = _UID.search(item[0]) if isinstance(item, tuple) else None
            if found is not None and int(found.group(1)) == uid:
                return bytes(item[1])
        return None

    def acknowledge(self, uid: int) -> None:
        """The mail is stored: move it to the archive folder, or flag it seen."""
        imap, archive = self._imap(), self.account.archive_folder
        if archive is None:
            _ok(imap.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)"), "STORE \\Seen")
        elif "MOVE" in self.capabilities:
            _ok(imap.uid("MOVE", str(uid), quote(archive)), f"MOVE to {archive}")
        else:
            _ok(imap.uid("COPY", str(uid), quote(archive)), f"COPY to {archive}")
            _ok(imap.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), "STORE \\Deleted")
            if "UIDPLUS" in self.capabilities:
                _ok(imap.uid("EXPUNGE", str(uid)), "UID EXPUNGE")
            else:
                _ok(imap.expunge(), "EXPUNGE")

    def idle(self, seconds: float, stop: threading.Event) -> bool:
        """Wait in IDLE until the server announces new mail (True), `seconds` pass or `stop`.

        imaplib (before Python 3.14) has no IDLE, so this speaks it on the connection's socket.
        """
        if self.heard_of_new_mail():  # told during the last round: no need to wait
            return True
        imap = self._imap()
        tag = bytes(imap._new_tag())
        imap.send(tag + b" IDLE\r\n")
        woke = False
        while not (line := self._line()).startswith(b"+"):
            if line.startswith(tag + b" "):
                raise imaplib.IMAP4.error(f"IDLE refused: {line.decode('ascii', 'replace')}")
            woke = woke or _NEW_MAIL.match(line) is not None
        deadline = time.monotonic() + seconds
        while not woke and not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if self._buffered() or select.select([imap.sock], [], [], min(left, 0.5))[0]:
                woke = _NEW_MAIL.match(self._line()) is not None
        imap.send(b"DONE\r\n")
        while not (line := self._line()).startswith(tag + b" "):
            woke = woke or _NEW_MAIL.match(line) is not None
        if not line[len(tag) + 1:].upper().startswith(b"OK"):
            raise imaplib.IMAP4.error(f"IDLE failed: {line.decode('ascii', 'replace')}")
        return woke

    def _line(self) -> bytes:
        line = self._imap().readline()
        if not line or line.upper().startswith(b"* BYE"):
            raise imaplib.IMAP4.abort("the server closed the connection")
        return line

    def _buffered(self) -> bool:
        """Whether a response already waits in imaplib's read buffer (select() cannot see it)."""
        imap = self._imap()
        reader = cast(io.BufferedReader, cast(IO[bytes], imap.file))
        timeout = imap.sock.gettimeout()
        imap.sock.settimeout(0.0)
        try:
            return bool(reader.peek(1))
        except (BlockingIOError, ssl.SSLWantReadError):
            return False
        finally:
            imap.sock.settimeout(timeout)

    def close(self) -> None:
        imap, self.imap = self.imap, None
        if imap is None:
            return
        try:
            imap.logout()
        except (*CONNECTION_ERRORS, ValueError):
            with contextlib.suppress(OSError):
                imap.shutdown()


@dataclass
class Round:
    """What one pass over a folder did."""

    stored: int = 0
    duplicates: int = 0
    too_large: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (f"{self.stored} stored, {self.duplicates} already stored, "
                f"{self.too_large} too large, {self.failed} failed")


def _batches(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def fetch_round(rt: Runtime, conn: Connection, stop: threading.Event | None = None) -> Round:
    """Receive every pending mail of the folder, acknowledging each once it is committed."""
    done = Round()
    account, limit = conn.account, rt.settings.mail_max_bytes
    conn.forget_new_mail()
    for batch in _batches(conn.pending(), BATCH):
        sizes = conn.sizes(batch)
        for uid in batch:
            if stop is not None and stop.is_set():
                return done
            key = f"{conn.uidvalidity}:{uid}"
            size = sizes.get(uid)
            if size is None:
                continue  # expunged by someone else meanwhile
            raw = conn.fetch(uid) if size <= limit else b""
            if raw is None:
                continue  # expunged by someone else meanwhile
            try:
                if size > limit or len(raw) > limit:
                    _record_too_large(rt, conn, uid, key, size)
                    done.too_large += 1
                    continue
                got = intake.receive(rt, raw, intake.Envelope(
                    source="imap", inbox_id=account.inbox_id, mailbox=account.folder, uid=key))
            except CONNECTION_ERRORS:
                raise
            except Exception:  # this mail stays unflagged and is offered again next round
                log.exception("IMAP %s: receiving UID %s failed; it stays on the server",
                              account, uid)
                done.failed += 1
                continue
            conn.acknowledge(uid)  # only now: the mail is committed
            if got.duplicate:
                done.duplicates += 1
            else:
                done.stored += 1
    return done


def _record_too_large(rt: Runtime, conn: Connection, uid: int, key: str, size: int) -> None:
    """List a mail too large to take in (headers only) in the quarantine; it stays unflagged."""
    account = conn.account
    envelope = intake.Envelope(source="imap", inbox_id=account.inbox_id,
                               mailbox=account.folder, uid=key)
    if intake.listed_too_large(rt, envelope):
        return
    where = f"left on the IMAP server in {account.folder}, UID {uid}"
    reason = intake.record_too_large(rt, conn.fetch(uid, "HEADER") or b"", size, envelope, where)
    log.warning("IMAP %s: %s", account, reason)


def fetch_once(rt: Runtime, *, ssl_context: ssl.SSLContext | None = None,
               ) -> list[tuple[Account, Round | Exception]]:
    """One round for every IMAP inbox (`tend mail fetch --once`)."""
    intake.process_pending(rt)
    results: list[tuple[Account, Round | Exception]] = []
    for account in accounts(rt):
        conn = Connection(account, ssl_context=ssl_context)
        try:
            conn.open()
            results.append((account, fetch_round(rt, conn)))
        except CONNECTION_ERRORS as exc:
            log.warning("IMAP %s: %s", account, exc)
            results.append((account, exc))
        finally:
            conn.close()
    return results


class InboxFetcher:
    """A thread that keeps one inbox fetched: rounds, IDLE or polling, reconnecting."""

    def __init__(self, rt: Runtime, account: Account, *, poll_seconds: float,
                 idle_seconds: float = IDLE_SECONDS, backoff_max: float = BACKOFF_MAX,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.rt, self.account = rt, account
        self.poll_seconds, self.idle_seconds = poll_seconds, idle_seconds
        self.backoff_max, self.ssl_context = backoff_max, ssl_context
        self.rounds = 0  # completed rounds, for tests and health checks
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"tend-imap-{account.inbox_id}")

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        backoff = BACKOFF_FIRST
        while not self._stop.is_set():
            conn = Connection(self.account, ssl_context=self.ssl_context)
            try:
                conn.open()
                log.info("IMAP %s: connected (%s)", self.account,
                         "IDLE" if conn.can_idle else f"polling every {self.poll_seconds:g} s")
                while not self._stop.is_set():
                    done = fetch_round(self.rt, conn, self._stop)
                    self.rounds += 1
                    backoff = BACKOFF_FIRST
                    if done.stored or done.too_large or done.failed:
                        log.info("IMAP %s: %s", self.account, done)
                    if conn.can_idle:
                        conn.idle(self.idle_seconds, self._stop)
                    else:
                        self._stop.wait(self.poll_seconds)
            except CONNECTION_ERRORS as exc:
                log.warning("IMAP %s: %s; connecting again in %g s", self.account, exc, backoff)
            except Exception:  # e.g. the database is down: keep the thread, try again later
                log.exception("IMAP %s: fetching failed; trying again in %g s", self.account,
                              backoff)
            finally:
                conn.close()
            if self._stop.wait(backoff):
                break
            backoff = min(backoff * 2, self.backoff_max)


class FetchLock:
    """Held by the one process that fetches: a PostgreSQL advisory lock (its connection stays
    open while held), else an exclusive file lock in the data directory."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._conn: DbConnection | None = None
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        if self.held():
            return True
        if self.rt.db.dialect == "postgresql":
            conn = self.rt.db.engine.connect()
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                    {"k": _LOCK_KEY}).scalar())
            conn.commit()
            if got:
                self._conn = conn
            else:
                conn.close()
            return got
        import fcntl

        path = Path(self.rt.settings.data_dir) / "mail-fetch.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def held(self) -> bool:
        """Whether this process still holds the lock (a dropped connection loses it)."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                self._conn.commit()
            except Exception:
                self.release()
                return False
            return True
        return self._file is not None

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                conn.commit()
                conn.close()
            except Exception:  # dropping the connection releases the lock on the server
                conn.invalidate()
        handle, self._file = self._file, None
        if handle is not None:
            handle.close()


class MailFetcher:
    """Keeps every IMAP inbox fetched while this process holds the fetch lock.

    Every `interval` seconds it re-reads the inboxes (starting, restarting or stopping their
    fetchers as admins change them) and, when it does not hold the lock, tries to take it.
    """

    def __init__(self, rt: Runtime, *, interval: float | None = None,
                 ssl_context: ssl.SSLContext | None = None,
                 idle_seconds: float = IDLE_SECONDS, backoff_max: float = BACKOFF_MAX) -> None:
        self.rt = rt
        self.interval = interval or float(rt.settings.mail_fetch_interval_seconds)
        self.ssl_context, self.idle_seconds, self.backoff_max = (
            ssl_context, idle_seconds, backoff_max)
        self.fetchers: dict[int, InboxFetcher] = {}
        self.lock = FetchLock(rt)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="tend-mail-fetch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)

    def run(self) -> None:
        """Supervise until `stop()` (in a thread, or in the foreground for the CLI)."""
        waiting = False
        try:
            while not self._stop.is_set():
                if self.lock.held():
                    self._reconcile()
                elif self._take_lock():
                    waiting = False
                    continue
                else:
                    self._reconcile(everything_off=True)
                    if not waiting:
                        log.info("another process fetches mail; this one waits to take over")
                        waiting = True
                self._stop.wait(self.interval)
        finally:
            self._reconcile(everything_off=True)
            self.lock.release()

    def _take_lock(self) -> bool:
        try:
            if not self.lock.acquire():
                return False
            log.info("fetching mail in this process")
            finished = intake.process_pending(self.rt)
            if finished:
                log.info("finished %d stored but unprocessed mails", finished)
            return True
        except Exception:
            log.exception("cannot take the mail fetch lock (is the database up?)")
            self.lock.release()
            return False

    def _reconcile(self, *, everything_off: bool = False) -> None:
        try:
            wanted = {} if everything_off else {a.inbox_id: a for a in accounts(self.rt)}
        except Exception:
            log.exception("cannot read the inboxes; keeping the fetchers as they are")
            return
        for inbox_id, fetcher in list(self.fetchers.items()):
            if wanted.get(inbox_id) != fetcher.account:
                fetcher.stop()
                del self.fetchers[inbox_id]
        for inbox_id, account in wanted.items():
            if inbox_id not in self.fetchers:
                fetcher = InboxFetcher(self.rt, account, poll_seconds=self.interval,
                                       idle_seconds=self.idle_seconds,
                                       backoff_max=self.backoff_max,
                                       ssl_context=self.ssl_context)
                self.fetchers[inbox_id] = fetcher
                fetcher.start()
