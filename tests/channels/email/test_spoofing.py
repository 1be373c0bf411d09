"""Spoofing matrix: a forged sender x each failing check x each threading method → nothing is
appended, reopened or CC'd; the mail waits in the quarantine. The same mails passing the
checks do thread (so the matrix can fail)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tend.access import SYSTEM
from tend.channels.email import intake, senderauth, threading
from tend.channels.email.intake import Envelope
from tend.channels.email.models import InboundEmail, Inbox, TicketCc
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets import actions
from tend.tickets.models import Message, Ticket
from tests.channels.email.mailgen import mail
from tests.conftest import Cast

RELAY = "mx.shop.example"
FAILURES = {
    "spf": f"{RELAY}; spf=fail smtp.mailfrom=example.com; dkim=none; dmarc=none",
    "dkim": f"{RELAY}; spf=none; dkim=fail header.d=example.com; dmarc=none",
    "dmarc": f"{RELAY}; spf=pass smtp.mailfrom=evil.example; dkim=none; "
             "dmarc=fail header.from=example.com",
}
PASS = f"{RELAY}; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com; dmarc=pass"
METHODS = ("token_address", "token_reference", "references", "subject")


@pytest.fixture
def settings(database_url: str, tmp_path: object) -> Settings:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    return Settings(environment="test", data_dir=tmp_path / "data", database_url=database_url,
                    secret_key="t" * 40, jobs_inline=True, mail_check_sender=False,
                    mail_trusted_authserv_ids=RELAY)


@pytest.fixture
def thread(rt: Runtime, cast: Cast) -> dict[str, object]:
    """Carla's ticket, solved, with an agent reply Tend 'sent' (its signed Message-ID stored)."""
    with rt.db.write() as s:
        s.add(Inbox(name="Support", address="support@shop.example", team_id=cast.support_team))
    intake.receive(rt, mail(message_id="<carla-1@example.com>"), Envelope(source="pipe"))
    with rt.db.write() as s:
        ticket = s.scalars(select(Ticket)).one()
        reply = actions.add_message(s, cast.agent.actor, ticket,  # type: ignore[arg-type]
                                    body="Your parcel is on its way.")
        reply.external_id = threading.message_id_for(rt.settings.signing_key(), ticket.id,
                                                      reply.id, "shop.example")
        actions.update_ticket(s, SYSTEM, ticket, {"status": "solved"})
        return {"id": ticket.id, "number": ticket.number, "sent_id": reply.external_id}


def spoof(rt: Runtime, thread: dict[str, object], method: str, auth: str) -> bytes:
    secret = rt.settings.signing_key()
    kwargs: dict[str, object] = {
        "sender": "Carla Customer <carla@example.com>",  # the requester's address, forged
        "subject": "Re: My order has not arrived", "body": "Please send it to my new address.",
        "cc": "accomplice@evil.example",
        "headers": {"Authentication-Results": auth},
    }
    if method == "token_address":
        kwargs["to"] = threading.reply_address(secret, int(thread["id"]),  # type: ignore[call-overload]
                                               "support@shop.example")
    elif method == "token_reference":
        kwargs["references"] = [f"<{thread['sent_id']}>"]
    elif method == "references":
        kwargs["references"] = ["<carla-1@example.com>"]
    else:
        kwargs["subject"] = f"Re: My order [#{thread['number']}]"
    return mail(**kwargs)  # type: ignore[arg-type]


def state(rt: Runtime, ticket_id: int) -> tuple[int, str, int, int]:
    with rt.db.read() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        messages = s.scalar(select(func.count()).select_from(Message).where(
            Message.ticket_id == ticket_id)) or 0
        ccs = s.scalar(select(func.count()).select_from(TicketCc)) or 0
        return messages, ticket.status, ticket.reopen_count, ccs


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_forged_mail_is_quarantined_whatever_it_carries(
        rt: Runtime, thread: dict[str, object], failure: str, method: str) -> None:
    before = state(rt, int(thread["id"]))  # type: ignore[call-overload]
    got = intake.receive(rt, spoof(rt, thread, method, FAILURES[failure]),
                         Envelope(source="smtp"))
    assert got.status == "quarantined"
    assert state(rt, int(thread["id"])) == before  # type: ignore[call-overload]
    with rt.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1  # no follow-up either
        row = s.get(InboundEmail, got.inbound_id)
        assert row is not None and "authentication" in (row.reason or "")


@pytest.mark.parametrize("method", METHODS)
def test_the_same_mail_passing_the_checks_threads(
        rt: Runtime, thread: dict[str, object], method: str) -> None:
    messages, _, reopens, _ = state(rt, int(thread["id"]))  # type: ignore[call-overload]
    got = intake.receive(rt, spoof(rt, thread, method, PASS), Envelope(source="smtp"))
    assert got.status == "processed" and got.ticket_id == thread["id"]
    assert state(rt, int(thread["id"])) == (messages + 1, "open", reopens + 1, 1)  # type: ignore[call-overload]


def test_results_stamped_by_anyone_else_are_ignored(rt: Runtime,
                                                    thread: dict[str, object]) -> None:
    # The forger adds a glowing result in their own name on top of the relay's verdict.
    raw = spoof(rt, thread, "references", FAILURES["dmarc"])
    raw = (f"Authentication-Results: {RELAY.replace('mx', 'mx2')}; dmarc=pass\r\n"
           "Authentication-Results: evil.example; dmarc=pass\r\n").encode() + raw
    assert intake.receive(rt, raw, Envelope(source="smtp")).status == "quarantined"


def test_a_released_forgery_is_accepted_by_an_admin(rt: Runtime, cast: Cast,
                                                    thread: dict[str, object]) -> None:
    got = intake.receive(rt, spoof(rt, thread, "references", FAILURES["dmarc"]),
                         Envelope(source="smtp"))
    released = intake.release(rt, cast.admin.actor, got.inbound_id)  # type: ignore[arg-type]
    assert released.status == "processed" and released.ticket_id == thread["id"]


def test_own_dmarc_check_quarantines_a_forged_domain(rt: Runtime,
                                                     thread: dict[str, object]) -> None:
    """Without a trusted relay, Tend checks SPF and DMARC itself (here against fixed DNS)."""
    rt.extras["email.resolver"] = senderauth.StaticResolver(txt={
        "example.com": ["v=spf1 ip4:192.0.2.10 -all"],
        "_dmarc.example.com": ["v=DMARC1; p=reject"],
    })
    rt.settings = rt.settings.model_copy(
        update={"mail_trusted_authserv_ids": "", "mail_check_sender": True})
    forged = spoof(rt, thread, "references", "nobody; none")
    got = intake.receive(rt, forged, Envelope(
        source="smtp", client_ip="203.0.113.66", mail_from="carla@example.com",
        helo="evil.example"))
    assert got.status == "quarantined"
    genuine = intake.receive(rt, forged.replace(b"new address", b"new flat"), Envelope(
        source="smtp", client_ip="192.0.2.10", mail_from="carla@example.com",
        helo="mail.example.com"))
    assert genuine.status == "processed" and genuine.ticket_id == thread["id"]
