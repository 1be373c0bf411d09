"""`tend smtpd`: mail delivered by SMTP or LMTP to a real listener on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import smtplib
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tend.channels.email import intake
from tend.channels.email.models import InboundEmail, Inbox
from tend.channels.email.smtpd import Handler, Listener
from tend.channels.email.threading import base_address
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets.models import Ticket
from tests.channels.email.dovecot import free_port, wait_for
from tests.channels.email.mailgen import mail as lf_mail
from tests.conftest import Cast

SENDER = "carla@example.com"


def mail(**kwargs: Any) -> bytes:
    """A test mail with CRLF line ends, as it travels over SMTP."""
    return lf_mail(**kwargs).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


class Running:
    """A listener on its own event loop in a thread, as `tend smtpd` runs it."""

    def __init__(self, rt: Runtime, *, lmtp: bool) -> None:
        self.loop = asyncio.new_event_loop()
        self.listener = Listener(rt, host="127.0.0.1", port=0, lmtp=lmtp)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.listener.start(), self.loop).result(10)
        self.port = self.listener.port

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()
        self.loop.run_until_complete(self.loop.shutdown_default_executor())
        self.loop.close()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.listener.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def start(rt: Runtime, cast: Cast) -> Iterator[Callable[..., Running]]:
    with rt.db.write() as s:
        s.add_all([Inbox(name="Support", address="support@shop.example",
                         team_id=cast.support_team),
                   Inbox(name="Billing", address="billing@shop.example",
                         team_id=cast.returns_team),
                   Inbox(name="Old", address="old@shop.example", active=False)])
    running: list[Running] = []

    def make(*, lmtp: bool = False) -> Running:
        running.append(Running(rt, lmtp=lmtp))
        return running[-1]

    yield make
    for r in running:
        r.stop()


def count(rt: Runtime, model: Any) -> int:
    with rt.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def smtp(port: int) -> smtplib.SMTP:
    return smtplib.SMTP("127.0.0.1", port, local_hostname="client.example", timeout=30)


def test_base_address() -> None:
    assert base_address("<Support+tABC@Shop.Example>") == "support@shop.example"
    assert base_address("a+b+c@x.example") == "a@x.example"


def test_accepted_mail_becomes_a_ticket(rt: Runtime, start: Callable[..., Running],
                                        cast: Cast) -> None:
    server = start()
    with smtp(server.port) as client:
        assert client.ehlo()[0] == 250 and client.has_extn("size")
        assert int(client.esmtp_features["size"]) == rt.settings.mail_max_bytes
        refused = client.sendmail(SENDER, ["support+t123@shop.example"], mail(to="x@y.example"))
    assert refused == {}
    with rt.db.read() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.team_id == cast.support_team
        row = s.scalars(select(InboundEmail)).one()
        assert (row.source, row.status, row.envelope_from, row.envelope_to, row.client_ip,
                row.helo) == ("smtp", "processed", SENDER, "support+t123@shop.example",
                              "127.0.0.1", "client.example")


def test_unknown_and_inactive_recipients_are_refused(rt: Runtime,
                                                     start: Callable[..., Running]) -> None:
    server = start()
    with smtp(server.port) as client:
        client.ehlo()
        assert client.mail(SENDER)[0] == 250
        for nobody in ("nobody@shop.example", "old@shop.example", "support@elsewhere.example",
                       "postmaster"):
            assert client.rcpt(nobody)[0] == 550
        client.rset()
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail(SENDER, ["someone@relay.example"], mail())
    assert count(rt, InboundEmail) == 0


def test_mail_larger_than_the_limit_is_refused(rt: Runtime, start: Callable[..., Running],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rt, "settings", rt.settings.model_copy(update={"mail_max_bytes": 65536}))
    server = start()
    big = mail(body="A line of text.\n" * 6000)
    with smtp(server.port) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as announced:  # SIZE=... in MAIL FROM
            client.sendmail(SENDER, ["support@shop.example"], big)
        assert announced.value.smtp_code == 552
        client.rset()
        assert client.mail(SENDER)[0] == 250  # a client that does not say SIZE
        assert client.rcpt("support@shop.example")[0] == 250
        assert client.data(big)[0] == 552
    assert count(rt, InboundEmail) == 0


def test_a_database_failure_answers_451_and_loses_nothing(
        rt: Runtime, start: Callable[..., Running], monkeypatch: pytest.MonkeyPatch) -> None:
    server = start()
    raw = mail(message_id="<retry@mail.example.com>")

    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT", {}, Exception("could not connect to server"))

    monkeypatch.setattr(intake, "store", down)
    with smtp(server.port) as client, pytest.raises(smtplib.SMTPDataError) as failed:
        client.sendmail(SENDER, ["support@shop.example"], raw)
    assert failed.value.smtp_code == 451 and count(rt, InboundEmail) == 0
    monkeypatch.undo()

    # Stored, then the database fails: still 451, and the retry finishes the stored mail.
    monkeypatch.setattr(intake, "process", down)
    with smtp(server.port) as client, pytest.raises(smtplib.SMTPDataError) as failed:
        client.sendmail(SENDER, ["support@shop.example"], raw)
    assert failed.value.smtp_code == 451
    assert count(rt, InboundEmail) == 1 and count(rt, Ticket) == 0
    monkeypatch.undo()
    with smtp(server.port) as client:  # the sending MTA tries again later
        assert client.sendmail(SENDER, ["support@shop.example"], raw) == {}
    assert count(rt, InboundEmail) == 1 and count(rt, Ticket) == 1

    monkeypatch.setattr(Handler, "_inbox_id", down)
    with smtp(server.port) as client:
        client.ehlo()
        client.mail(SENDER)
        assert client.rcpt("support@shop.example")[0] == 451


def _lmtp_deliver(port: int, recipients: list[str], raw: bytes) -> list[tuple[int, bytes]]:
    with smtplib.LMTP("127.0.0.1", port, local_hostname="mx.example", timeout=30) as client:
        assert client.ehlo()[0] == 250  # smtplib's LMTP says LHLO
        assert client.mail(SENDER)[0] == 250
        for rcpt in recipients:
            assert client.rcpt(rcpt)[0] == 250, rcpt
        client.putcmd("data")
        assert client.getreply()[0] == 354
        client.send(raw.replace(b"\r\n.", b"\r\n..") + b"\r\n.\r\n")
        return [client.getreply() for _ in recipients]  # one reply per recipient


def test_lmtp_answers_per_recipient(rt: Runtime, start: Callable[..., Running],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    server = start(lmtp=True)
    with smtplib.SMTP("127.0.0.1", server.port, timeout=30) as client:
        assert client.ehlo()[0] == 500  # LMTP has no EHLO
    raw = mail(to="support@shop.example, billing@shop.example")
    replies = _lmtp_deliver(server.port, ["support@shop.example", "billing@shop.example"], raw)
    assert [code for code, _ in replies] == [250, 250]
    assert count(rt, InboundEmail) == 1 and count(rt, Ticket) == 1  # one mail, one ticket
    with rt.db.read() as s:
        row = s.scalars(select(InboundEmail)).one()
        assert (row.source, row.envelope_to, row.helo) == ("lmtp", "support@shop.example",
                                                           "mx.example")

    real_store, calls = intake.store, 0

    def second_fails(*args: Any, **kwargs: Any) -> intake.Received:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OperationalError("INSERT", {}, Exception("the database restarts"))
        return real_store(*args, **kwargs)

    monkeypatch.setattr(intake, "store", second_fails)
    other = mail(subject="Invoice copy", to="billing@shop.example, support@shop.example")
    replies = _lmtp_deliver(server.port, ["billing@shop.example", "support@shop.example"], other)
    assert [code for code, _ in replies] == [250, 451]
    retried = _lmtp_deliver(server.port, ["support@shop.example"], other)  # only the 451 one
    assert [code for code, _ in retried] == [250]
    assert count(rt, InboundEmail) == 2 and count(rt, Ticket) == 2


def test_the_tend_smtpd_command(rt: Runtime, settings: Settings, start: Callable[..., Running],
                                cast: Cast) -> None:
    port = free_port()
    env = {**os.environ, "TEND_DATABASE_URL": settings.resolved_database_url,
           "TEND_DATA_DIR": str(settings.data_dir), "TEND_SECRET_KEY": "t" * 40,
           "TEND_MAIL_CHECK_SENDER": "false"}
    proc = subprocess.Popen([sys.executable, "-m", "tend", "smtpd", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        def listening() -> bool:
            assert proc.poll() is None, proc.communicate()[1].decode()
            try:
                smtp(port).quit()
            except OSError:
                return False
            return True

        wait_for(listening, timeout=60, what="tend smtpd to listen")
        with smtp(port) as client:
            assert client.sendmail(SENDER, ["billing@shop.example"], mail()) == {}
        with rt.db.read() as s:
            assert s.scalars(select(Ticket.team_id)).one() == cast.returns_team
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
