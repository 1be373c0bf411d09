"""Sending mail through a real SMTP server on 127.0.0.1 (aiosmtpd): agent replies with their
headers, threading round trips, CCs, attachments, retries, permanent refusals, TLS, the
acknowledgement of new requests and notices by mail."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from sqlalchemy import delete, select
from starlette.testclient import TestClient

from tend import runtime
from tend.access import SYSTEM, AgentActor
from tend.attachments.actions import StoredFile
from tend.channels.email import intake, outbound, smtp, threading
from tend.channels.email.intake import Envelope as MailEnvelope
from tend.channels.email.models import Inbox, TicketCc
from tend.channels.email.parse import ParsedEmail, parse_email
from tend.channels.email.secrets import seal
from tend.customers.actions import find_or_create_by_email
from tend.customers.models import Customer, CustomerIdentity
from tend.events.catalog import Event, MessageDeliveryChanged
from tend.notify import ConsoleOutbox, MailOutbox, Notice
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets import actions
from tend.tickets.models import Message, Ticket
from tests.conftest import Cast
from tests.web.authz import World

HOSTILE = "x\r\nBcc: victim@evil.example"
SUPPORT = "support@acme.example"


# --- a real SMTP server --------------------------------------------------------------------------

@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    login: bytes | None

    @property
    def parsed(self) -> ParsedEmail:
        return parse_email(self.content)

    @property
    def head(self) -> email.message.Message:
        return email.message_from_bytes(self.content, policy=email.policy.compat32)


@dataclass
class Handler:
    """Collects mail; `data_answers` are given to DATA first, `refuse` answers RCPT TO."""

    received: list[Received] = field(default_factory=list)
    data_answers: list[str] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    data_attempts: int = 0
    rcpt_attempts: int = 0

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        self.rcpt_attempts += 1
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.data_attempts += 1
        if self.data_answers:
            return self.data_answers.pop(0)
        assert isinstance(envelope.content, bytes) and envelope.mail_from is not None
        auth = session.auth_data
        login = auth.login if isinstance(auth, LoginPassword) else None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.content, _encrypted(server), login))
        return "250 2.0.0 Message accepted"


def _encrypted(server: SMTP) -> bool:
    transport = server.transport
    return transport is not None and transport.get_extra_info("ssl_object") is not None


@dataclass
class Server:
    handler: Handler
    port: int

    @property
    def received(self) -> list[Received]:
        return self.handler.received


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server() -> Iterator[Server]:
    handler = Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    yield Server(handler, port)
    controller.stop()


def _add_inbox(rt: Runtime, port: int | None, **fields: Any) -> int:
    values: dict[str, Any] = dict(name="Support", address=SUPPORT, from_name="Acme Support",
                                  smtp_host="127.0.0.1" if port else None,
                                  smtp_port=port or 587, smtp_security="none")
    values.update(fields)
    with rt.db.write() as s:
        inbox = Inbox(**values)
        s.add(inbox)
        s.flush()
        return inbox.id


def _agent(cast: Cast) -> AgentActor:
    assert isinstance(cast.agent.actor, AgentActor)
    return cast.agent.actor


def _ticket(rt: Runtime, cast: Cast, subject: str = "Printer on fire") -> int:
    with rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        return actions.create_ticket(s, SYSTEM, requester=carla, subject=subject,
                                     body="It is on fire").id


def _reply(rt: Runtime, cast: Cast, ticket_id: int, body: str = "We are on it.", **kw: Any) -> int:
    with rt.db.write() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        return actions.add_message(s, _agent(cast), ticket, body=body, **kw).id


def _message(rt: Runtime, message_id: int) -> Message:
    with rt.db.read() as s:
        m = s.get(Message, message_id)
        assert m is not None
        return m


def _number(rt: Runtime, ticket_id: int) -> int:
    with rt.db.read() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        return t.number


@pytest.fixture
def deliveries(rt: Runtime) -> Iterator[list[MessageDeliveryChanged]]:
    seen: list[MessageDeliveryChanged] = []

    def collect(evt: Event) -> None:
        assert isinstance(evt, MessageDeliveryChanged)
        seen.append(evt)

    rt.bus.subscribe(MessageDeliveryChanged.name, collect)
    yield seen
    rt.bus.unsubscribe(MessageDeliveryChanged.name, collect)


@pytest.fixture
def other_rt(settings: Settings, rt: Runtime) -> Iterator[Any]:
    """Build a second runtime on the same (emptied) database with other settings."""
    built: list[Runtime] = []

    def make(outbox: Any = None, **changes: Any) -> Runtime:
        r = runtime.build(Settings(**{**settings.model_dump(), **changes}), migrate=False,
                          outbox=outbox or ConsoleOutbox(echo=False))
        built.append(r)
        return r

    yield make
    for r in built:
        r.close()


# --- agent replies -------------------------------------------------------------------------------

def test_reply_goes_out_with_its_headers(rt: Runtime, cast: Cast, client: TestClient,
                                         server: Server,
                                         deliveries: list[MessageDeliveryChanged]) -> None:
    _add_inbox(rt, server.port)
    r = client.post("/api/v1/tickets", headers=cast.agent.headers, json={
        "subject": "Printer on fire", "body": "It is on fire",
        "customer": {"email": cast.carla.email, "name": cast.carla.name}})
    ticket = r.json()
    with rt.db.write() as s:
        s.add(TicketCc(ticket_id=ticket["id"], email="boss@example.com"))
        s.add(TicketCc(ticket_id=ticket["id"], email="support+other@acme.example"))  # ours
    url = f"/api/v1/tickets/{ticket['id']}/messages"
    r = client.post(url, headers=cast.agent.headers, json={"body": "We are on it."})
    assert r.status_code == 201, r.text
    reply_id = r.json()["id"]

    [mail] = server.received
    assert mail.mail_from == SUPPORT
    assert mail.rcpt_tos == [cast.carla.email, "boss@example.com"]
    parsed = mail.parsed
    key = rt.settings.signing_key()
    assert (parsed.from_email, parsed.from_name) == (SUPPORT, "Acme Support")
    assert [(a.email, a.name) for a in parsed.to] == [(cast.carla.email, cast.carla.name)]
    assert [a.email for a in parsed.cc] == ["boss@example.com"]
    assert [a.email for a in parsed.reply_to] == [
        threading.reply_address(key, ticket["id"], SUPPORT)]
    assert parsed.subject == f"Re: Printer on fire [#{ticket['number']}]"
    expected_id = threading.message_id_for(key, ticket["id"], reply_id, "acme.example")
    assert parsed.message_id == expected_id
    assert parsed.in_reply_to is None and parsed.references == []  # nothing came by mail yet
    assert parsed.text.strip() == "We are on it." and parsed.html is not None
    assert "Auto-Submitted" not in parsed.headers  # a person wrote it
    assert mail.head["Date"] is not None and mail.head.get_all("Bcc") is None

    shown = {m["id"]: m for m in client.get(url, headers=cast.agent.headers).json()["items"]}
    assert (shown[reply_id]["delivery_status"], shown[reply_id]["delivery_error"]) == (
        "sent", None)
    assert _message(rt, reply_id).external_id == expected_id
    assert [(e.message_id, e.status) for e in deliveries] == [
        (reply_id, "queued"), (reply_id, "sent")]

    rt.jobs.enqueue(outbound.SEND_JOB, {"message_id": reply_id})  # a duplicate job: no-op
    assert len(server.received) == 1


def test_events_come_in_order_and_sending_waits_for_the_real_commit(
        rt: Runtime, cast: Cast, server: Server) -> None:
    """Savepoints inside the reply's transaction neither start the send early nor lose it."""
    _add_inbox(rt, server.port)
    ticket_id = _ticket(rt, cast)
    seen: list[tuple[str, str | None]] = []

    def collect(evt: Event) -> None:
        seen.append((evt.name, getattr(evt, "status", None)))

    rt.bus.subscribe("*", collect)
    with rt.db.write() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        actions.add_message(s, _agent(cast), ticket, body="We are on it.")
        find_or_create_by_email(s, SYSTEM, "new@example.net", "New Person")  # a savepoint
        with pytest.raises(RuntimeError), s.begin_nested():
            raise RuntimeError("a savepoint that rolls back")
        assert server.received == []  # nothing leaves before the commit
    rt.bus.unsubscribe("*", collect)
    assert len(server.received) == 1
    order = [item for item in seen if item[0].startswith("message.")]
    assert order == [("message.created", None), ("message.delivery_changed", "queued"),
                     ("message.delivery_changed", "sent")]


def _customer_mail(to: str, subject: str, message_id: str, *, in_reply_to: str | None = None,
                   references: str | None = None, sender: str = "carla@example.com",
                   extra: str = "") -> bytes:
    head = [f"From: Carla Customer <{sender}>", f"To: {to}", f"Subject: {subject}",
            f"Message-ID: <{message_id}>", "Date: Sun, 01 Mar 2026 12:00:00 +0000"]
    if in_reply_to:
        head.append(f"In-Reply-To: <{in_reply_to}>")
    if references:
        head.append(f"References: {references}")
    return ("\r\n".join(head) + extra + "\r\n\r\nHello,\r\n\r\nthe printer is on fire.\r\n"
            "\r\nCarla\r\n").encode()


def test_threading_round_trip(rt: Runtime, cast: Cast, server: Server) -> None:
    """Mail in, reply out, the customer's answer lands on the same ticket, and the next reply
    carries the whole thread in References."""
    _add_inbox(rt, server.port)
    first = intake.receive(rt, _customer_mail(SUPPORT, "Printer on fire", "c1@mail.example.com"),
                           MailEnvelope(source="pipe"))
    assert first.status == "processed" and first.ticket_id is not None
    ticket_id = first.ticket_id
    number = _number(rt, ticket_id)
    reply_id = _reply(rt, cast, ticket_id)

    [sent] = server.received
    assert sent.parsed.in_reply_to == "c1@mail.example.com"
    assert sent.parsed.references == ["c1@mail.example.com"]
    assert sent.parsed.subject == f"Re: Printer on fire [#{number}]"
    sent_id = sent.parsed.message_id
    assert sent_id is not None
    reply_to = sent.parsed.reply_to[0].email

    answer = _customer_mail(reply_to, f"Re: {sent.parsed.subject}", "c2@mail.example.com",
                            in_reply_to=sent_id,
                            references=f"<c1@mail.example.com> <{sent_id}>")
    second = intake.receive(rt, answer, MailEnvelope(source="pipe"))
    assert (second.status, second.ticket_id) == ("processed", ticket_id)

    _reply(rt, cast, ticket_id, body="Please unplug it.")
    later = server.received[-1].parsed
    assert later.references == ["c1@mail.example.com", sent_id, "c2@mail.example.com"]
    assert later.in_reply_to == "c2@mail.example.com"
    assert later.subject == f"Re: Printer on fire [#{number}]"  # no "Re: Re:"
    assert _message(rt, reply_id).delivery_status == "sent"
    with rt.db.read() as s:
        assert s.scalar(select(Ticket.message_count).where(Ticket.id == ticket_id)) == 4


def test_attachments_and_html_alternative(rt: Runtime, cast: Cast, server: Server) -> None:
    _add_inbox(rt, server.port)
    ticket_id = _ticket(rt, cast)
    pdf, notes = b"%PDF-1.4 \x00\xff binary", "héllo".encode()
    files = [StoredFile("report.pdf", "application/pdf", len(pdf), rt.store.put(pdf)),
             StoredFile(f"notes{HOSTILE}.txt", "text/plain", len(notes), rt.store.put(notes))]
    _reply(rt, cast, ticket_id, body="", body_html="<p>See the <b>attached</b> files.</p>",
           files=files)
    [mail] = server.received
    assert mail.rcpt_tos == [cast.carla.email]  # the filename added no recipient
    assert mail.head.get_all("Bcc") is None
    parsed = mail.parsed
    assert parsed.html is not None and "<b>attached</b>" in parsed.html
    assert "See the attached files." in parsed.text
    assert [(a.filename, a.data) for a in parsed.attachments] == [
        ("report.pdf", pdf), ("notesx Bcc: victim@evil.example.txt", notes)]


def test_hostile_subject_and_names_add_no_recipient(rt: Runtime, cast: Cast,
                                                    server: Server) -> None:
    _add_inbox(rt, server.port, from_name=HOSTILE)
    ticket_id = _ticket(rt, cast, subject="Printer")
    with rt.db.write() as s:
        ticket = s.get(Ticket, ticket_id)
        carla = s.get(Customer, cast.carla.id)
        assert ticket is not None and carla is not None
        ticket.subject, carla.name = HOSTILE, HOSTILE  # as if stored by an older version
    _reply(rt, cast, ticket_id)
    [mail] = server.received
    assert mail.rcpt_tos == [cast.carla.email]
    assert mail.head.get_all("Bcc") is None
    assert mail.parsed.subject.startswith("Re: x Bcc: victim@evil.example [#")
    assert mail.parsed.from_name == "x Bcc: victim@evil.example"
    assert [(a.email, a.name) for a in mail.parsed.to] == [
        (cast.carla.email, "x Bcc: victim@evil.example")]


def test_temporary_refusal_is_retried(rt: Runtime, cast: Cast, server: Server,
                                      deliveries: list[MessageDeliveryChanged]) -> None:
    _add_inbox(rt, server.port)
    server.handler.data_answers = ["451 4.3.0 Try again later", "421 4.7.0 Busy"]
    reply_id = _reply(rt, cast, _ticket(rt, cast))
    assert server.handler.data_attempts == 3 and len(server.received) == 1
    assert (_message(rt, reply_id).delivery_status, _message(rt, reply_id).delivery_error) == (
        "sent", None)
    assert [e.status for e in deliveries] == ["queued", "sent"]


def test_permanent_refusal_fails_at_once_with_the_reason(
        rt: Runtime, cast: Cast, client: TestClient, server: Server) -> None:
    _add_inbox(rt, server.port)
    server.handler.refuse[cast.carla.email] = "550 5.1.1 No such user here"
    ticket_id = _ticket(rt, cast)
    reply_id = _reply(rt, cast, ticket_id)
    assert server.handler.rcpt_attempts == 1  # no retry
    assert server.received == []
    items = client.get(f"/api/v1/tickets/{ticket_id}/messages",
                       headers=cast.agent.headers).json()["items"]
    [shown] = [m for m in items if m["id"] == reply_id]
    assert shown["delivery_status"] == "failed"
    assert "550 5.1.1 No such user here" in shown["delivery_error"]
    assert cast.carla.email in shown["delivery_error"]
    cookie, _csrf = World(rt, cast, client).session_cookie(agent_id=cast.agent.id)
    page = client.get(f"/agent/tickets/{_number(rt, ticket_id)}",
                      headers={"Cookie": f"tend_session={cookie}"})
    assert page.status_code == 200, page.text
    assert "Not delivered: " in page.text and "550 5.1.1 No such user here" in page.text


def test_refused_data_fails(rt: Runtime, cast: Cast, server: Server) -> None:
    _add_inbox(rt, server.port)
    server.handler.data_answers = ["554 5.7.1 Message rejected as spam"]
    reply_id = _reply(rt, cast, _ticket(rt, cast))
    message = _message(rt, reply_id)
    assert message.delivery_status == "failed" and server.handler.data_attempts == 1
    assert message.delivery_error is not None and "554 5.7.1" in message.delivery_error


def test_a_refused_cc_is_noted_but_the_reply_is_sent(rt: Runtime, cast: Cast,
                                                     server: Server) -> None:
    _add_inbox(rt, server.port)
    ticket_id = _ticket(rt, cast)
    with rt.db.write() as s:
        s.add(TicketCc(ticket_id=ticket_id, email="gone@example.org"))
    server.handler.refuse["gone@example.org"] = "550 5.1.1 Gone"
    message = _message(rt, _reply(rt, cast, ticket_id))
    assert message.delivery_status == "sent" and len(server.received) == 1
    assert message.delivery_error == "Not delivered to gone@example.org: 550 5.1.1 Gone"


def test_unreachable_server_fails_after_the_retries(rt: Runtime, cast: Cast) -> None:
    _add_inbox(rt, _free_port())  # nobody listens there
    reply_id = _reply(rt, cast, _ticket(rt, cast))
    message = _message(rt, reply_id)
    assert message.delivery_status == "failed"
    assert message.delivery_error is not None and "cannot reach 127.0.0.1" in (
        message.delivery_error)


def test_notes_and_customer_messages_are_never_sent(rt: Runtime, cast: Cast, server: Server,
                                                    deliveries: list[MessageDeliveryChanged],
                                                    ) -> None:
    _add_inbox(rt, server.port)
    ticket_id = _ticket(rt, cast)
    note_id = _reply(rt, cast, ticket_id, body="Secret: the customer is difficult",
                     visibility="internal")
    with rt.db.write() as s:
        ticket = s.get(Ticket, ticket_id)
        carla = s.get(Customer, cast.carla.id)
        assert ticket is not None and carla is not None and cast.carla.actor is not None
        actions.add_message(s, cast.carla.actor, ticket, body="Any news?")
    assert server.received == [] and deliveries == []
    assert _message(rt, note_id).delivery_status == "none"
    # Even a job asked to send a note directly refuses.
    with rt.db.write() as s:
        note = s.get(Message, note_id)
        assert note is not None
        note.delivery_status = "queued"
    rt.jobs.enqueue(outbound.SEND_JOB, {"message_id": note_id})
    assert server.received == []
    assert _message(rt, note_id).delivery_error == "internal notes are never sent"


def test_without_a_transport_nothing_is_queued(rt: Runtime, cast: Cast,
                                               deliveries: list[MessageDeliveryChanged],
                                               ) -> None:
    ticket_id = _ticket(rt, cast)
    assert _message(rt, _reply(rt, cast, ticket_id)).delivery_status == "none"
    _add_inbox(rt, None)  # an inbox, but neither its own server nor TEND_SMTP_URL
    assert _message(rt, _reply(rt, cast, ticket_id)).delivery_status == "none"
    assert deliveries == []


def test_requester_without_an_address_gets_nothing(rt: Runtime, cast: Cast,
                                                   server: Server) -> None:
    _add_inbox(rt, server.port)
    ticket_id = _ticket(rt, cast)
    with rt.db.write() as s:
        s.execute(delete(CustomerIdentity).where(CustomerIdentity.customer_id == cast.carla.id))
    assert _message(rt, _reply(rt, cast, ticket_id)).delivery_status == "none"
    assert server.received == []


def test_ticket_inbox_is_used_and_a_broken_one_fails_with_the_reason(
        rt: Runtime, cast: Cast, server: Server) -> None:
    _add_inbox(rt, server.port)
    billing = _add_inbox(rt, server.port, name="Billing", address="billing@acme.example",
                         from_name="Acme Billing")
    broken = _add_inbox(rt, server.port, name="Broken", address="broken@acme.example",
                        smtp_security="pigeon")
    ticket_id, other_id = _ticket(rt, cast), _ticket(rt, cast)
    with rt.db.write() as s:
        for tid, inbox_id in ((ticket_id, billing), (other_id, broken)):
            ticket = s.get(Ticket, tid)
            assert ticket is not None
            ticket.inbox_id = inbox_id
    _reply(rt, cast, ticket_id)
    [mail] = server.received
    assert (mail.mail_from, mail.parsed.from_name) == ("billing@acme.example", "Acme Billing")
    assert mail.parsed.message_id is not None
    assert mail.parsed.message_id.endswith("@acme.example")
    failed = _message(rt, _reply(rt, cast, other_id))
    assert failed.delivery_status == "failed"
    assert failed.delivery_error is not None and "pigeon" in failed.delivery_error


# --- TLS and the default transport ---------------------------------------------------------------

@dataclass(frozen=True)
class Pki:
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A private CA and a certificate it signed for 127.0.0.1, made here (nothing fetched)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tend test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("pki")
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "cert.pem").write_bytes(leaf.public_bytes(pem))
    (folder / "key.pem").write_bytes(key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return Pki(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")


def _authenticator(server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                   auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"tend", b"p@ss word")
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


@pytest.fixture
def tls_server(pki: Pki) -> Iterator[Server]:
    """STARTTLS required, and AUTH only after it."""
    handler = Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10,
                            tls_context=pki.server_context(), require_starttls=True,
                            authenticator=_authenticator, auth_require_tls=True,
                            auth_required=True)
    controller.start()
    yield Server(handler, port)
    controller.stop()


def test_starttls_with_a_private_ca_and_login(rt: Runtime, cast: Cast, pki: Pki,
                                              tls_server: Server, other_rt: Any) -> None:
    """No inbox: TEND_SMTP_URL and TEND_MAIL_FROM send, over STARTTLS, after logging in."""
    url = f"smtp+starttls://tend:p%40ss%20word@127.0.0.1:{tls_server.port}"
    tls_rt = other_rt(smtp_url=url, mail_from="Acme Help <help@acme.example>",
                      smtp_ca_file=pki.ca_file)
    ticket_id = _ticket(tls_rt, cast)
    reply_id = _reply(tls_rt, cast, ticket_id)
    assert _message(tls_rt, reply_id).delivery_status == "sent"
    [mail] = tls_server.received
    assert mail.tls and mail.login == b"tend" and mail.mail_from == "help@acme.example"
    parsed = mail.parsed
    assert (parsed.from_email, parsed.from_name) == ("help@acme.example", "Acme Help")
    assert parsed.reply_to == []  # TEND_MAIL_FROM may be a no-reply address
    assert parsed.message_id is not None and parsed.message_id.endswith("@acme.example")

    # An inbox with its own server and a sealed password: the password is opened to log in.
    _add_inbox(tls_rt, tls_server.port, smtp_security="starttls", smtp_username="tend",
               smtp_password=seal(tls_rt.settings, "p@ss word"))
    assert _message(tls_rt, _reply(tls_rt, cast, ticket_id)).delivery_status == "sent"
    latest = tls_server.received[-1]
    assert latest.tls and latest.login == b"tend" and latest.mail_from == SUPPORT
    with tls_rt.db.write() as s:
        inbox = s.scalar(select(Inbox))
        assert inbox is not None
        inbox.smtp_password = "fernet:not-a-token"  # e.g. sealed under another secret key
    failed = _message(tls_rt, _reply(tls_rt, cast, ticket_id))
    assert failed.delivery_status == "failed" and len(tls_server.received) == 2
    assert failed.delivery_error is not None and "cannot be decrypted" in failed.delivery_error


def test_an_untrusted_certificate_is_refused(rt: Runtime, cast: Cast, tls_server: Server,
                                            other_rt: Any) -> None:
    untrusting = other_rt(smtp_url=f"smtp://tend:x@127.0.0.1:{tls_server.port}",
                          mail_from="help@acme.example")
    message = _message(untrusting, _reply(untrusting, cast, _ticket(untrusting, cast)))
    assert message.delivery_status == "failed" and tls_server.received == []
    assert message.delivery_error is not None and "not trusted" in message.delivery_error


def test_starttls_is_never_skipped(server: Server) -> None:
    """A server without STARTTLS gets nothing when the settings ask for it."""
    config = smtp.SmtpConfig("127.0.0.1", server.port, "starttls", timeout=5)
    mail = email.message.EmailMessage()
    mail["Subject"] = "x"
    with pytest.raises(smtp.PermanentFailure, match="STARTTLS"):
        smtp.send(config, mail, mail_from="a@acme.example", recipients=["b@example.com"])
    assert server.handler.rcpt_attempts == 0


def test_implicit_tls(pki: Pki) -> None:
    handler = Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10,
                            ssl_context=pki.server_context())
    controller.start()
    try:
        config = smtp.parse_url(f"smtps://127.0.0.1:{port}", timeout=5, ca_file=str(pki.ca_file))
        mail = email.message.EmailMessage()
        mail["Subject"] = "over TLS"
        mail.set_content("hi")
        smtp.send(config, mail, mail_from="a@acme.example", recipients=["b@example.com"])
    finally:
        controller.stop()
    [got] = handler.received
    assert got.tls and got.rcpt_tos == ["b@example.com"]


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp+starttls://u:p%40ss@mail.example.com:2525",
     ("mail.example.com", 2525, "starttls", "u", "p@ss")),
    ("smtp://mail.example.com", ("mail.example.com", 587, "starttls", None, None)),
    ("smtps://u:p@mail.example.com", ("mail.example.com", 465, "tls", "u", "p")),
    ("smtp+tls://mail.example.com", ("mail.example.com", 465, "tls", None, None)),
    ("smtp+none://127.0.0.1", ("127.0.0.1", 25, "none", None, None)),
])
def test_parse_url(url: str, expected: tuple[Any, ...]) -> None:
    c = smtp.parse_url(url)
    assert (c.host, c.port, c.security, c.username, c.password) == expected


@pytest.mark.parametrize("url", ["http://x", "smtp+ssl://x", "smtp://", "smtp://x:99999",
                                 "mail.example.com"])
def test_parse_url_refuses_what_cannot_work(url: str) -> None:
    with pytest.raises(smtp.SmtpConfigError):
        smtp.parse_url(url)


def test_passwords_stay_out_of_reprs_and_errors() -> None:
    config = smtp.parse_url("smtp://tend:hunter2@mail.example.com")
    assert "hunter2" not in repr(config)
    settings = Settings(smtp_url="smtp://tend:hunter2@mail.example.com")
    assert "hunter2" not in repr(settings)
    with pytest.raises(ValueError) as err:
        Settings(smtp_url="smtq://tend:hunter2@mail.example.com")
    assert "hunter2" not in str(err.value)


# --- automatic mail ------------------------------------------------------------------------------

def test_new_request_by_mail_is_acknowledged(rt: Runtime, server: Server) -> None:
    _add_inbox(rt, server.port, send_acknowledgement=True)
    got = intake.receive(rt, _customer_mail(SUPPORT, "Printer on fire", "c1@mail.example.com"),
                         MailEnvelope(source="pipe"))
    assert got.ticket_id is not None
    [ack] = server.received
    assert ack.rcpt_tos == ["carla@example.com"] and ack.mail_from == SUPPORT
    parsed = ack.parsed
    number = _number(rt, got.ticket_id)
    assert parsed.subject == f"Re: Printer on fire [#{number}]"
    assert parsed.in_reply_to == "c1@mail.example.com"
    assert parsed.references == ["c1@mail.example.com"]
    assert ack.head["Auto-Submitted"] == "auto-replied" and parsed.auto_submitted
    assert f"#{number}" in parsed.text and f"{rt.settings.public_url}/portal" in parsed.text
    assert "on fire." not in parsed.text  # the customer's words are not echoed
    key = rt.settings.signing_key()
    assert threading.token_ticket(key, [parsed.message_id or ""], []) == got.ticket_id
    assert [a.email for a in parsed.reply_to] == [
        threading.reply_address(key, got.ticket_id, SUPPORT)]

    # Automatic mail gets no acknowledgement (no ping-pong with an out-of-office reply).
    intake.receive(rt, _customer_mail(SUPPORT, "Out of office", "auto@mail.example.com",
                                      sender="dan@example.org",
                                      extra="\r\nAuto-Submitted: auto-replied"),
                   MailEnvelope(source="pipe"))
    assert len(server.received) == 1


def test_notices_go_by_mail_when_a_transport_exists(rt: Runtime, server: Server,
                                                    other_rt: Any) -> None:
    console = ConsoleOutbox(echo=False)
    mailing = other_rt(outbox=MailOutbox(console))
    notice = Notice(to="carla@example.com", subject="Your sign-in link for Acme",
                    body="Use this link:\n\nhttps://help.acme.example/portal/auth/tok\n",
                    link="https://help.acme.example/portal/auth/tok")
    mailing.outbox.send(notice)  # no transport yet: the console has it
    assert list(console.sent) == [notice] and server.received == []

    _add_inbox(rt, server.port)
    mailing.outbox.send(replace(notice, subject=HOSTILE))
    mailing.outbox.send(notice)
    assert len(console.sent) == 1
    hostile, mail = server.received
    assert hostile.rcpt_tos == ["carla@example.com"] and hostile.head.get_all("Bcc") is None
    assert mail.head["Auto-Submitted"] == "auto-generated"
    assert mail.parsed.subject == "Your sign-in link for Acme"
    assert "https://help.acme.example/portal/auth/tok" in mail.parsed.text
    assert mail.parsed.from_email == SUPPORT


def test_mail_outbox_falls_back_when_queueing_fails() -> None:
    console = ConsoleOutbox(echo=False)
    box = MailOutbox(console)

    def broken(notice: Notice) -> bool:
        raise ConnectionError("queue down")

    box.connect(broken)
    notice = Notice(to="carla@example.com", subject="s", body="b")
    box.send(notice)
    assert list(console.sent) == [notice]

