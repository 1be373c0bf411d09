"""Mail loops, end to end: Tend's outgoing mail goes to a real SMTP server on 127.0.0.1 and is
delivered back into intake, like an MTA would, until nobody has anything left to say. Each
conversation must stop within 3 mails from Tend."""

from __future__ import annotations

import queue
import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import func, select

from tend.channels.email import intake
from tend.channels.email.models import Inbox
from tend.runtime import Runtime
from tend.tickets.models import Ticket
from tests.channels.email.mailgen import mail
from tests.conftest import Cast

Responder = Callable[[bytes], bytes | None]


class Relay:
    """An SMTP server that queues what Tend sends, for the test to deliver."""

    def __init__(self) -> None:
        self.outbox: queue.Queue[tuple[list[str], bytes]] = queue.Queue()
        self.sent_by_tend = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.sent_by_tend += 1
        self.outbox.put((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def relay(rt: Runtime, cast: Cast) -> Iterator[Relay]:
    handler = Relay()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    with rt.db.write() as s:
        for name, address in (("A", "support@a.example"), ("B", "help@b.example")):
            s.add(Inbox(name=name, address=address, team_id=cast.support_team,
                        send_acknowledgement=True, smtp_host="127.0.0.1", smtp_port=port,
                        smtp_security="none"))
    yield handler
    controller.stop()


def converse(rt: Runtime, relay: Relay, first: bytes, responders: dict[str, Responder],
             *, cap: int = 40) -> int:
    """Deliver `first` to Tend, then deliver everything Tend sends: to Tend itself when the
    recipient is one of its inboxes, else to that address's responder, whose answer goes back
    to Tend. Returns how many mails Tend sent."""
    pending: list[bytes] = [first]
    for _ in range(cap):
        if pending:
            intake.receive(rt, pending.pop(0), intake.Envelope(source="smtp"))
            continue
        try:
            rcpts, raw = relay.outbox.get_nowait()
        except queue.Empty:
            return relay.sent_by_tend
        for rcpt in rcpts:
            if rcpt.endswith((".a.example", "@a.example", "@b.example")):
                pending.append(raw)
            elif rcpt in responders and (answer := responders[rcpt](raw)) is not None:
                pending.append(answer)
    raise AssertionError(f"still talking after {cap} deliveries: a mail loop")


def tickets(rt: Runtime) -> int:
    with rt.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Ticket)) or 0)


def test_two_tend_inboxes_mailing_each_other_stop(rt: Runtime, relay: Relay) -> None:
    # B writes to A; A acknowledges B; B must not acknowledge the acknowledgement.
    first = mail(sender="help@b.example", to="support@a.example", subject="Hello A")
    sent = converse(rt, relay, first, {})
    assert sent == 1
    assert tickets(rt) == 2  # A's request, and B's copy of the acknowledgement


def naive_responder(keep_thread: bool) -> Responder:
    """An auto-responder that ignores RFC 3834: no Auto-Submitted, a fresh Message-ID. Unless
    `keep_thread`, it also drops every threading clue, as the worst ones do: it answers the
    From address (not Reply-To), with its own subject and no In-Reply-To."""

    def answer(raw: bytes) -> bytes:
        got = message_from_bytes(raw)
        reply = EmailMessage()
        reply["From"] = "Vacation Bot <bot@c.example>"
        reply["Message-ID"] = make_msgid(domain="c.example")
        if keep_thread:
            reply["To"] = str(got["Reply-To"] or got["From"])
            reply["Subject"] = "Re: " + str(got["Subject"])
            reply["In-Reply-To"] = str(got["Message-ID"])
        else:
            reply["To"] = str(got["From"])
            reply["Subject"] = "Out of office"
        reply.set_content("I am out of the office until next month.")
        return bytes(reply)

    return answer


def test_an_auto_responder_ignoring_the_rules_gets_at_most_three(rt: Runtime,
                                                                 relay: Relay) -> None:
    first = mail(sender="Vacation Bot <bot@c.example>", to="support@a.example", subject="Hi")
    sent = converse(rt, relay, first, {"bot@c.example": naive_responder(keep_thread=False)})
    assert sent == 3  # the per-address limit: 3 acknowledgements an hour


def test_an_auto_responder_that_threads_gets_one(rt: Runtime, relay: Relay) -> None:
    first = mail(sender="Vacation Bot <bot@c.example>", to="support@a.example", subject="Hi")
    sent = converse(rt, relay, first, {"bot@c.example": naive_responder(keep_thread=True)})
    assert sent == 1  # its answer joins the ticket: nothing new to acknowledge
    assert tickets(rt) == 1


def test_a_polite_auto_responder_gets_one(rt: Runtime, relay: Relay) -> None:
    def polite(raw: bytes) -> bytes:
        answer = naive_responder(keep_thread=False)(raw)
        return b"Auto-Submitted: auto-replied\r\n" + answer

    first = mail(sender="bot@c.example", to="support@a.example", subject="Hi")
    assert converse(rt, relay, first, {"bot@c.example": polite}) == 1
