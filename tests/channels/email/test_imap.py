"""Fetching by IMAP from a real dovecot: stored first, acknowledged on the server only after the
commit, IDLE, reconnects, and no mail lost or doubled when the fetcher is killed mid-way."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from tend.channels.email import imap, intake
from tend.channels.email.imap import Account, Connection, InboxFetcher, MailFetcher
from tend.channels.email.models import InboundEmail, Inbox
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets.models import Ticket
from tests.channels.email.dovecot import (  # noqa: F401 - fixtures
    PASSWORD,
    USER,
    Dovecot,
    dovecot_fixture,
    make_dovecot_fixture,
    wait_for,
)
from tests.channels.email.mailgen import mail
from tests.conftest import Cast

SEEN = "\\Seen"


def make_inbox(rt: Runtime, server: Dovecot, **extra: Any) -> int:
    values: dict[str, Any] = {
        "name": "Support", "address": "support@shop.example", "imap_host": "127.0.0.1",
        "imap_port": server.port, "imap_security": "none", "imap_username": USER,
        "imap_password": PASSWORD, **extra}
    with rt.db.write() as s:
        box = Inbox(**values)
        s.add(box)
        s.flush()
        return box.id


@pytest.fixture
def inbox(rt: Runtime, cast: Cast, dovecot: Dovecot) -> int:
    return make_inbox(rt, dovecot, team_id=cast.support_team)


def account(rt: Runtime, inbox_id: int) -> Account:
    [found] = [a for a in imap.accounts(rt) if a.inbox_id == inbox_id]
    return found


def count(rt: Runtime, model: Any) -> int:
    with rt.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def subjects(rt: Runtime) -> list[str]:
    with rt.db.read() as s:
        return sorted(s.scalars(select(Ticket.subject)))


def questions(n: int, start: int = 0) -> list[bytes]:
    return [mail(sender=f"Customer {i} <c{i}@example.com>", subject=f"Question {i}",
                 body=f"Question number {i}: where is my parcel?",
                 message_id=f"<q{i}@mail.example.com>") for i in range(start, start + n)]


@pytest.fixture
def fetcher() -> Iterator[list[InboxFetcher]]:
    """Fetchers started by the test, stopped at its end."""
    started: list[InboxFetcher] = []
    yield started
    for f in started:
        f.stop()


def test_mails_become_tickets_and_are_flagged_only_after_the_commit(
        rt: Runtime, dovecot: Dovecot, inbox: int, monkeypatch: pytest.MonkeyPatch) -> None:
    dovecot.append_many(questions(3))
    real_store, real_ack = intake.store, Connection.acknowledge
    acknowledged: list[int] = []

    def store(rt_: Runtime, raw: bytes, envelope: intake.Envelope) -> intake.Received:
        if b"Question 1" in raw:
            raise RuntimeError("the database went away")
        assert SEEN not in dovecot.flags()[int(str(envelope.uid).split(":")[1])]
        return real_store(rt_, raw, envelope)

    def acknowledge(self: Connection, uid: int) -> None:
        with rt.db.read() as s:  # a fresh session sees only what was committed
            committed = s.scalar(select(InboundEmail.status).where(
                InboundEmail.uid == f"{self.uidvalidity}:{uid}"))
        assert committed == "processed"
        acknowledged.append(uid)
        real_ack(self, uid)

    monkeypatch.setattr(intake, "store", store)
    monkeypatch.setattr(Connection, "acknowledge", acknowledge)
    [(_, first)] = imap.fetch_once(rt)
    assert isinstance(first, imap.Round) and (first.stored, first.failed) == (2, 1)
    assert subjects(rt) == ["Question 0", "Question 2"]
    flags = dovecot.flags()
    assert [SEEN in flags[uid] for uid in sorted(flags)] == [True, False, True]
    assert acknowledged == [1, 3]

    monkeypatch.setattr(intake, "store", real_store)  # the database is back
    [(_, second)] = imap.fetch_once(rt)
    assert isinstance(second, imap.Round) and (second.stored, second.duplicates) == (1, 0)
    assert subjects(rt) == ["Question 0", "Question 1", "Question 2"]
    assert all(SEEN in f for f in dovecot.flags().values())
    with rt.db.read() as s:
        rows = s.scalars(select(InboundEmail).order_by(InboundEmail.id)).all()
        assert [(r.source, r.mailbox, r.inbox_id) for r in rows] == [("imap", "INBOX", inbox)] * 3
    [(_, third)] = imap.fetch_once(rt)  # nothing left: seen mail is not fetched again
    assert third == imap.Round()


def test_duplicates_are_acknowledged_without_a_second_ticket(
        rt: Runtime, dovecot: Dovecot, inbox: int, monkeypatch: pytest.MonkeyPatch) -> None:
    [raw] = questions(1)
    dovecot.append(raw)
    dovecot.append(b"Received: from relay2.example by mx\r\n" + raw)  # the same mail, twice
    real_ack = Connection.acknowledge
    calls = 0

    def crash_once(self: Connection, uid: int) -> None:  # the process dies after the commit
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionResetError("killed between the commit and the flag")
        real_ack(self, uid)

    monkeypatch.setattr(Connection, "acknowledge", crash_once)
    [(_, first)] = imap.fetch_once(rt)
    assert isinstance(first, ConnectionResetError)
    assert count(rt, Ticket) == 1 and not any(SEEN in f for f in dovecot.flags().values())
    [(_, again)] = imap.fetch_once(rt)
    assert isinstance(again, imap.Round) and (again.stored, again.duplicates) == (0, 2)
    assert all(SEEN in f for f in dovecot.flags().values())
    assert count(rt, Ticket) == 1 and count(rt, InboundEmail) == 1


def test_fetched_mail_moves_to_the_archive_folder(rt: Runtime, cast: Cast,
                                                  make_dovecot: Any) -> None:
    # A server without MOVE or IDLE: COPY + \Deleted + EXPUNGE, and polling.
    server = make_dovecot(capabilities="IMAP4rev1 LITERAL+ UIDPLUS")
    inbox_id = make_inbox(rt, server, imap_archive_folder="Done Tend")
    server.append_many(questions(2))
    conn = Connection(account(rt, inbox_id))
    conn.open()
    try:
        assert "MOVE" not in conn.capabilities and not conn.can_idle
        done = imap.fetch_round(rt, conn)
    finally:
        conn.close()
    assert done.stored == 2
    assert server.flags("INBOX") == {}
    assert server.subjects("Done Tend") == ["Question 0", "Question 1"]
    server.append_many(questions(1, start=2))
    [(_, again)] = imap.fetch_once(rt)
    assert isinstance(again, imap.Round) and again.stored == 1
    assert server.subjects("Done Tend") == ["Question 0", "Question 1", "Question 2"]


def test_move_with_the_move_command(rt: Runtime, dovecot: Dovecot, inbox: int) -> None:
    with rt.db.write() as s:
        box = s.get(Inbox, inbox)
        assert box
        box.imap_archive_folder = "Archive"
    dovecot.append_many(questions(2))
    conn = Connection(account(rt, inbox))
    conn.open()
    try:
        assert "MOVE" in conn.capabilities
        assert imap.fetch_round(rt, conn).stored == 2
    finally:
        conn.close()
    assert dovecot.flags("INBOX") == {} and len(dovecot.flags("Archive")) == 2


def test_too_large_mail_stays_on_the_server_and_is_listed_once(
        rt: Runtime, dovecot: Dovecot, inbox: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rt, "settings", rt.settings.model_copy(update={"mail_max_bytes": 65536}))
    dovecot.append(mail(subject="Huge scan", body="x" * 100_000))
    dovecot.append_many(questions(1))
    for _ in range(2):
        [(_, done)] = imap.fetch_once(rt)
        assert isinstance(done, imap.Round)
    assert subjects(rt) == ["Question 0"]
    flags = dovecot.flags()
    assert SEEN not in flags[1] and SEEN in flags[2]
    with rt.db.read() as s:
        [big] = s.scalars(select(InboundEmail).where(InboundEmail.status == "quarantined"))
        assert big.subject == "Huge scan" and big.size > 100_000
        assert "too large" in (big.reason or "") and "left on the IMAP server" in (big.reason or "")
        assert big.raw.startswith(b"From: ") and b"xxxx" not in big.raw  # headers only


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_tls_and_starttls(rt: Runtime, cast: Cast, make_dovecot: Any, security: str) -> None:
    server = make_dovecot(tls=True)
    make_inbox(rt, server, imap_security=security,
               imap_port=server.tls_port if security == "tls" else server.port)
    server.append_many(questions(1))
    [(_, done)] = imap.fetch_once(rt, ssl_context=server.client_context())
    assert isinstance(done, imap.Round) and done.stored == 1
    [(_, refused)] = imap.fetch_once(rt)  # the self-signed certificate is not trusted
    assert isinstance(refused, OSError)


def test_idle_picks_up_new_mail_at_once(rt: Runtime, dovecot: Dovecot, inbox: int,
                                        fetcher: list[InboxFetcher]) -> None:
    dovecot.append_many(questions(1))
    # Polling would take an hour: only IDLE can bring the second mail in time.
    f = InboxFetcher(rt, account(rt, inbox), poll_seconds=3600)
    fetcher.append(f)
    f.start()
    wait_for(lambda: count(rt, Ticket) == 1, what="the first mail")
    wait_for(lambda: f.rounds >= 1, what="the first round")
    dovecot.append_many(questions(1, start=1))
    wait_for(lambda: count(rt, Ticket) == 2, what="the mail appended while idling")
    assert all(SEEN in flags for flags in dovecot.flags().values())


def test_idle_over_tls(rt: Runtime, cast: Cast, make_dovecot: Any,
                       fetcher: list[InboxFetcher]) -> None:
    server = make_dovecot(tls=True)
    inbox_id = make_inbox(rt, server, imap_security="tls", imap_port=server.tls_port)
    f = InboxFetcher(rt, account(rt, inbox_id), poll_seconds=3600,
                     ssl_context=server.client_context())
    fetcher.append(f)
    f.start()
    wait_for(lambda: f.rounds >= 1, what="the first round")
    for n in range(2):
        server.append_many(questions(1, start=n))
        wait_for(lambda n=n: count(rt, Ticket) == n + 1, what=f"mail {n} over TLS")


def test_polling_when_the_server_has_no_idle(rt: Runtime, cast: Cast, make_dovecot: Any,
                                             fetcher: list[InboxFetcher]) -> None:
    server = make_dovecot(capabilities="IMAP4rev1 LITERAL+ UIDPLUS MOVE")
    inbox_id = make_inbox(rt, server)
    f = InboxFetcher(rt, account(rt, inbox_id), poll_seconds=0.2)
    fetcher.append(f)
    f.start()
    wait_for(lambda: f.rounds >= 2, what="two polls")
    server.append_many(questions(1))
    wait_for(lambda: count(rt, Ticket) == 1, what="the polled mail")


def test_the_fetcher_reconnects_after_the_server_restarts(
        rt: Runtime, dovecot: Dovecot, inbox: int, fetcher: list[InboxFetcher]) -> None:
    f = InboxFetcher(rt, account(rt, inbox), poll_seconds=3600, backoff_max=0.5)
    fetcher.append(f)
    f.start()
    wait_for(lambda: f.rounds >= 1, what="the first round")
    dovecot.stop()  # the fetcher was idling: its connection breaks
    dovecot.start()  # the same port, the same mailbox
    dovecot.append_many(questions(1))
    wait_for(lambda: count(rt, Ticket) == 1, what="the mail after the restart")
    # The round that stored it counts itself once it returns: wait, do not race it.
    wait_for(lambda: f.rounds >= 2, what="the round after the restart")


def test_only_one_fetcher_holds_the_lock_and_finishes_pending_mail(
        rt: Runtime, dovecot: Dovecot, inbox: int) -> None:
    stored = intake.store(rt, questions(1, start=7)[0], intake.Envelope(source="pipe"))
    first, second = MailFetcher(rt, interval=0.1), MailFetcher(rt, interval=0.1)
    try:
        first.start()
        wait_for(lambda: first.lock.held(), what="the first fetcher to take the lock")
        wait_for(lambda: count(rt, Ticket) == 1, what="the stored mail to be processed")
        with rt.db.read() as s:
            assert s.get(InboundEmail, stored.inbound_id).status == "processed"  # type: ignore[union-attr]
        second.start()
        dovecot.append_many(questions(1))
        wait_for(lambda: count(rt, Ticket) == 2, what="the mail, fetched once")
        assert not second.lock.held() and not second.fetchers
        first.stop()
        wait_for(lambda: second.lock.held() and second.fetchers, what="the second to take over")
        dovecot.append_many(questions(1, start=1))
        wait_for(lambda: count(rt, Ticket) == 3, what="the second fetcher's mail")
        assert count(rt, InboundEmail) == 3
    finally:
        first.stop()
        second.stop()


def test_tend_serve_starts_the_fetcher(rt: Runtime, settings: Settings) -> None:
    from starlette.testclient import TestClient

    from tend.web.app import create_app

    def running() -> bool:
        return any(t.name == "tend-mail-fetch" for t in threading.enumerate())

    rt.settings = settings.model_copy(update={"mail_fetch": True})
    with TestClient(create_app(rt=rt)):
        assert running()
    wait_for(lambda: not running(), what="the fetcher to stop with the app")
    assert not Settings(environment="test", mail_fetch=None).fetches_mail
    assert Settings(environment="development", mail_fetch=None).fetches_mail


def _fetch_process(settings: Settings, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TEND_DATABASE_URL": settings.resolved_database_url,
           "TEND_DATA_DIR": str(settings.data_dir), "TEND_SECRET_KEY": "t" * 40,
           "TEND_MAIL_CHECK_SENDER": "false", "TEND_LOG_LEVEL": "warning",
           "TEND_MAIL_FETCH_INTERVAL_SECONDS": "1"}
    return subprocess.Popen([sys.executable, "-m", "tend", "mail", "fetch", *(args or ["--once"])],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_the_mail_fetch_command(rt: Runtime, settings: Settings, dovecot: Dovecot,
                                inbox: int) -> None:
    forever = _fetch_process(settings, "--forever")
    try:
        dovecot.append_many(questions(1))
        wait_for(lambda: count(rt, Ticket) == 1, timeout=60, what="tend mail fetch --forever")
    finally:
        forever.send_signal(signal.SIGTERM)
        _, err = forever.communicate(timeout=30)
    assert forever.returncode == 0, err.decode()
    assert dovecot.flags() == {1: {SEEN}}

    with rt.db.write() as s:
        box = s.get(Inbox, inbox)
        assert box
        box.imap_password = "wrong"
    once = _fetch_process(settings, "--once")
    out, err = once.communicate(timeout=60)
    assert once.returncode == 75, (out, err)  # EX_TEMPFAIL: try again later
    assert b"support@shop.example" in out and b"wrong" not in out + err  # no password logged


# --- crash safety ---------------------------------------------------------------------------


def test_killing_the_fetcher_loses_and_doubles_nothing(
        rt: Runtime, settings: Settings, dovecot: Dovecot, inbox: int) -> None:
    total = 1000
    dovecot.append_many(questions(total))
    rng = random.Random(20261122)
    kills = 0
    for _ in range(rng.randint(3, 5)):
        before = count(rt, InboundEmail)
        child = _fetch_process(settings)
        # Kill only once it is taking in mail (not while Python starts), at a random moment.
        wait_for(lambda c=child, b=before: c.poll() is not None or count(rt, InboundEmail) > b,
                 timeout=60, what="the fetcher to make progress")
        time.sleep(rng.uniform(0.1, 2.5))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.communicate(timeout=30)
    assert kills >= 3, "the fetch finished before it could be killed"
    assert count(rt, InboundEmail) < total
    last = _fetch_process(settings)
    out, err = last.communicate(timeout=120)
    assert last.returncode == 0, err.decode()
    assert b"support@shop.example" in out

    with rt.db.read() as s:
        rows = s.execute(select(InboundEmail.uid, InboundEmail.status)).all()
        tickets = list(s.scalars(select(Ticket.subject)))
    assert len(rows) == total and len({uid for uid, _ in rows}) == total
    assert {status for _, status in rows} == {"processed"}
    assert len(tickets) == total and len(set(tickets)) == total
    assert set(tickets) == {f"Question {i}" for i in range(total)}
    flags = dovecot.flags()
    assert len(flags) == total and all(SEEN in f for f in flags.values())
