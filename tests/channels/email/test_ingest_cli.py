"""`tend mail ingest`: the pipe transport an MTA calls, run as a real process."""

from __future__ import annotations

import mailbox
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tend.channels.email.models import InboundEmail, Inbox
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets.models import Ticket
from tests.channels.email.mailgen import mail
from tests.conftest import Cast


def run(settings: Settings, *args: str, stdin: bytes = b"",
        extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "TEND_DATABASE_URL": settings.resolved_database_url,
           "TEND_DATA_DIR": str(settings.data_dir), "TEND_SECRET_KEY": "t" * 40,
           "TEND_MAIL_CHECK_SENDER": "false", **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "tend", "mail", "ingest", *args], input=stdin,
                          env=env, capture_output=True, timeout=120, check=False)


@pytest.fixture
def inbox(rt: Runtime, cast: Cast) -> int:
    with rt.db.write() as s:
        box = Inbox(name="Billing", address="billing@shop.example", team_id=cast.returns_team)
        s.add(box)
        s.flush()
        return box.id


def subjects(rt: Runtime) -> list[str]:
    with rt.db.read() as s:
        return list(s.scalars(select(Ticket.subject).order_by(Ticket.id)))


def test_pipe_from_stdin(rt: Runtime, settings: Settings, inbox: int, cast: Cast) -> None:
    raw = mail(to="undisclosed-recipients:;", subject="Invoice question")
    r = run(settings, "--recipient", "billing@shop.example", "--sender", "carla@example.com",
            stdin=raw)
    assert r.returncode == 0, r.stderr
    assert b"stored as mail 1: ticket 1" in r.stdout
    with rt.db.read() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert (ticket.subject, ticket.team_id) == ("Invoice question", cast.returns_team)
        row = s.scalars(select(InboundEmail)).one()
        assert (row.source, row.envelope_from, row.envelope_to) == (
            "pipe", "carla@example.com", "billing@shop.example")
    again = run(settings, stdin=raw)
    assert again.returncode == 0 and b"(already received)" in again.stdout


def test_files_and_mbox(rt: Runtime, settings: Settings, inbox: int, tmp_path: Path) -> None:
    one = tmp_path / "one.eml"
    one.write_bytes(mail(subject="From a file", to="billing@shop.example"))
    box = mailbox.mbox(tmp_path / "archive.mbox")
    for n in range(3):
        box.add(mail(subject=f"Archived {n}", to="billing@shop.example", body=f"mail {n}"))
    box.close()
    r = run(settings, str(one))
    assert r.returncode == 0, r.stderr
    r = run(settings, "--mbox", "--inbox", "billing@shop.example", str(tmp_path / "archive.mbox"))
    assert r.returncode == 0, r.stderr
    assert subjects(rt) == ["From a file", "Archived 0", "Archived 1", "Archived 2"]


def test_exit_codes_an_mta_understands(rt: Runtime, settings: Settings, inbox: int,
                                       tmp_path: Path) -> None:
    big = run(settings, stdin=mail(body="x" * 100_000),
              extra_env={"TEND_MAIL_MAX_BYTES": str(65536)})
    assert big.returncode == 65 and b"refused" in big.stderr  # EX_DATAERR: bounce it
    missing = run(settings, str(tmp_path / "nope.eml"))
    assert missing.returncode == 66  # EX_NOINPUT
    unknown = run(settings, "--inbox", "nobody@shop.example", stdin=mail())
    assert unknown.returncode != 0 and b"no inbox" in unknown.stderr
    garbage = run(settings, stdin=b"\x00 not a mail")
    assert garbage.returncode == 0 and b"quarantined" in garbage.stdout  # kept, not bounced
    assert subjects(rt) == []
    if settings.resolved_database_url.startswith("sqlite"):
        down = run(settings, stdin=mail(), extra_env={
            "TEND_DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/x.db"})
    else:
        down = run(settings, stdin=mail(), extra_env={
            "TEND_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none"})
    assert down.returncode != 0
