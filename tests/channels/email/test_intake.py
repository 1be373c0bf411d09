"""Receiving mail end to end: stored first, threaded, quarantined when it cannot be trusted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tend.access import SYSTEM
from tend.channels.email import intake, threading
from tend.channels.email.intake import Envelope, content_hash
from tend.channels.email.models import InboundEmail, Inbox, TicketCc
from tend.db import utcnow
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import Message, Ticket
from tests.channels.email.mailgen import mail
from tests.conftest import Cast

PIPE = Envelope(source="pipe")


@pytest.fixture
def inbox(rt: Runtime, cast: Cast) -> int:
    with rt.db.write() as s:
        box = Inbox(name="Support", address="support@shop.example", team_id=cast.support_team)
        s.add(box)
        s.flush()
        return box.id


def tickets(rt: Runtime) -> list[Ticket]:
    with rt.db.read() as s:
        found = list(s.scalars(select(Ticket).order_by(Ticket.id)))
        for t in found:
            _ = t.requester.identities
            for m in t.messages:
                _ = m.attachments, m.author_customer and m.author_customer.identities
        return found


def row(rt: Runtime, inbound_id: int) -> InboundEmail:
    with rt.db.read() as s:
        found = s.get(InboundEmail, inbound_id)
        assert found is not None
        return found


def count(rt: Runtime, model: Any) -> int:
    with rt.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_new_mail_opens_a_ticket_in_the_inbox_team(rt: Runtime, cast: Cast, inbox: int) -> None:
    got = intake.receive(rt, mail(message_id="<first@mail.example.com>"), PIPE)
    assert got.status == "processed" and not got.duplicate
    [t] = tickets(rt)
    assert (t.channel, t.inbox_id, t.team_id, t.status) == ("email", inbox, cast.support_team,
                                                            "new")
    assert t.requester_id == cast.carla.id  # the existing customer, recognised by address
    assert t.subject == "My order has not arrived"
    [m] = t.messages
    assert m.external_id == "first@mail.example.com" and m.channel == "email"
    assert m.author_customer_id == cast.carla.id and "order #5521" in m.body_text
    stored = row(rt, got.inbound_id)
    assert (stored.outcome, stored.ticket_id, stored.message_id) == ("new", t.id, m.id)
    assert stored.raw.startswith(b"From: Carla")


def test_a_stranger_becomes_a_customer(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(sender="Émile Zola <emile@lettres.example>"), PIPE)
    [t] = tickets(rt)
    assert t.requester.name == "Émile Zola" and t.requester.email == "emile@lettres.example"


def test_the_same_mail_twice_is_stored_once(rt: Runtime, inbox: int) -> None:
    raw = mail(message_id="<dup@mail.example.com>")
    first = intake.receive(rt, raw, PIPE)
    # Delivered again by another route: new trace headers, same mail.
    again = intake.receive(rt, b"Received: from relay2.example by mx\r\n" + raw, PIPE)
    assert again.duplicate and again.inbound_id == first.inbound_id
    assert len(tickets(rt)) == 1 and count(rt, InboundEmail) == 1


def test_a_reused_message_id_is_not_a_duplicate(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(message_id="<reused@x.example>", body="First question"), PIPE)
    intake.receive(rt, mail(message_id="<reused@x.example>", body="Another question",
                            subject="Another"), PIPE)
    assert len(tickets(rt)) == 2


def test_the_same_mailbox_uid_is_a_duplicate(rt: Runtime, inbox: int) -> None:
    env = Envelope(source="imap", inbox_id=inbox, mailbox="INBOX", uid="7:42")
    first = intake.receive(rt, mail(body="one"), env)
    again = intake.receive(rt, mail(body="one, fetched again with other bytes"), env)
    assert again.duplicate and again.inbound_id == first.inbound_id


def test_content_hash_ignores_trace_headers_only() -> None:
    raw = mail(message_id="<h@x.example>")
    assert content_hash(raw) == content_hash(
        b"Received: from a\r\n\tby b\r\nDelivered-To: x@y.example\r\n" + raw)
    assert content_hash(raw) == content_hash(raw.replace(b"\r\n", b"\n"))
    assert content_hash(raw) != content_hash(raw.replace(b"Hello", b"Hullo"))
    assert content_hash(raw) != content_hash(raw.replace(b"My order", b"Our order"))


def _first_message_id(rt: Runtime) -> str:
    [t] = tickets(rt)
    ext = t.messages[0].external_id
    assert ext
    return ext


def test_a_reply_by_references_joins_the_ticket(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(message_id="<q1@mail.example.com>"), PIPE)
    got = intake.receive(rt, mail(subject="Re: something else", body="More details.",
                                  references=["<q1@mail.example.com>"]), PIPE)
    assert row(rt, got.inbound_id).outcome == "references"
    [t] = tickets(rt)
    assert [m.body_text for m in t.messages][-1] == "More details."


def test_a_participant_threads_by_subject_number(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(), PIPE)
    [t] = tickets(rt)
    got = intake.receive(rt, mail(subject=f"Update [#{t.number}]", body="It came!"), PIPE)
    assert row(rt, got.inbound_id).outcome == "subject"
    assert len(tickets(rt)) == 1


def test_a_stranger_naming_a_ticket_opens_a_follow_up(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(message_id="<q2@mail.example.com>"), PIPE)
    [t] = tickets(rt)
    for raw in (mail(sender="mallory@evil.example", subject=f"Re: [#{t.number}]"),
                mail(sender="mallory@evil.example", subject="Re: hi", body="let me in",
                     references=["<q2@mail.example.com>"])):
        intake.receive(rt, raw, PIPE)
    original, *others = tickets(rt)
    assert len(original.messages) == 1  # nothing joined silently
    assert [o.requester.email for o in others] == ["mallory@evil.example"] * 2
    assert others[0].follow_up_of_id is None  # a subject number alone says nothing
    assert others[1].follow_up_of_id == original.id  # the references did


def test_a_signed_token_threads_and_a_forged_one_does_not(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(), PIPE)
    [t] = tickets(rt)
    secret = rt.settings.signing_key()
    reply_to = threading.reply_address(secret, t.id, "support@shop.example")
    got = intake.receive(rt, mail(to=reply_to, subject="no number", body="via token"), PIPE)
    assert row(rt, got.inbound_id).outcome == "token"
    forged = threading.reply_address("another secret", t.id, "support@shop.example")
    intake.receive(rt, mail(to=forged, subject="no number", body="forged"), PIPE)
    assert [len(x.messages) for x in tickets(rt)] == [2, 1]


def test_replies_reopen_solved_tickets_and_old_ones_get_a_follow_up(
        rt: Runtime, cast: Cast, inbox: int) -> None:
    intake.receive(rt, mail(message_id="<q3@mail.example.com>"), PIPE)
    [t] = tickets(rt)
    with rt.db.write() as s:
        ticket = s.get(Ticket, t.id)
        assert ticket
        actions.update_ticket(s, SYSTEM, ticket, {"status": "solved"})
    intake.receive(rt, mail(body="Still broken", references=["<q3@mail.example.com>"]), PIPE)
    [t] = tickets(rt)
    assert (t.status, t.reopen_count) == ("open", 1)
    with rt.db.write() as s:
        ticket = s.get(Ticket, t.id)
        assert ticket
        actions.update_ticket(s, SYSTEM, ticket, {"status": "solved"})
        ticket.solved_at = utcnow() - timedelta(days=31)
    got = intake.receive(rt, mail(body="Again, months later",
                                  references=["<q3@mail.example.com>"]), PIPE)
    old, new = tickets(rt)
    assert old.status == "solved" and new.follow_up_of_id == old.id
    assert row(rt, got.inbound_id).outcome == "follow_up"
    assert any(f"Follow-up of #{old.number}" in m.body_text for m in new.messages)


def test_an_auto_reply_joins_but_does_not_reopen(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(message_id="<q4@mail.example.com>"), PIPE)
    [t] = tickets(rt)
    with rt.db.write() as s:
        ticket = s.get(Ticket, t.id)
        assert ticket
        actions.update_ticket(s, SYSTEM, ticket, {"status": "solved"})
    intake.receive(rt, mail(subject="Out of office", body="I am away until Monday.",
                            references=["<q4@mail.example.com>"],
                            headers={"Auto-Submitted": "auto-replied"}), PIPE)
    [t] = tickets(rt)
    assert t.status == "solved" and len(t.messages) == 2


def test_ccs_become_participants(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(cc="Bob <bob@example.com>, support@shop.example",
                            message_id="<q5@mail.example.com>"), PIPE)
    [t] = tickets(rt)
    with rt.db.read() as s:
        assert list(s.scalars(select(TicketCc.email))) == ["bob@example.com"]
    intake.receive(rt, mail(sender="bob@example.com", subject=f"Re: [#{t.number}]",
                            body="Bob here, adding detail."), PIPE)
    [t] = tickets(rt)
    assert t.messages[-1].author_customer.email == "bob@example.com"  # type: ignore[union-attr]


def test_quoted_history_is_split_off_and_kept(rt: Runtime, inbox: int) -> None:
    body = ("Thanks, that worked.\n\nOn Mon, 20 Nov 2026 at 10:00, Support "
            "<support@shop.example> wrote:\n> Please restart the router.\n> Regards")
    intake.receive(rt, mail(body=body), PIPE)
    [t] = tickets(rt)
    [m] = t.messages
    assert m.body_text == "Thanks, that worked."
    assert m.quoted_text and "restart the router" in m.quoted_text


def test_attachments_are_stored(rt: Runtime, inbox: int) -> None:
    intake.receive(rt, mail(attachments=[("invoice.pdf", "application/pdf", b"%PDF-1.4 x")]),
                   PIPE)
    [t] = tickets(rt)
    [a] = t.messages[0].attachments
    assert (a.filename, a.content_type, a.size) == ("invoice.pdf", "application/pdf", 10)
    assert rt.store.open(a.sha256) == b"%PDF-1.4 x"


def test_the_inbox_is_found_from_the_recipients(rt: Runtime, cast: Cast, inbox: int) -> None:
    with rt.db.write() as s:
        s.add(Inbox(name="Billing", address="billing@shop.example", team_id=cast.returns_team))
    intake.receive(rt, mail(to="Billing <billing@shop.example>"), PIPE)
    intake.receive(rt, mail(to="someone@else.example", body="x"),
                   Envelope(source="smtp", rcpt_to=["billing+t123@shop.example"]))
    assert [t.team_id for t in tickets(rt)] == [cast.returns_team] * 2


def test_unparseable_mail_is_quarantined_and_can_be_discarded(
        rt: Runtime, cast: Cast, inbox: int) -> None:
    heard: list[Any] = []
    rt.bus.subscribe("inbound.quarantined", heard.append)
    got = intake.receive(rt, b"\x00\x01 this is not a mail", PIPE)
    assert got.status == "quarantined"
    assert [(e.inbound_id, e.reason[:12]) for e in heard] == [(got.inbound_id, "cannot parse")]
    stored = row(rt, got.inbound_id)
    assert "cannot parse" in (stored.reason or "") and stored.raw == b"\x00\x01 this is not a mail"
    ok = intake.receive(rt, mail(), PIPE)  # the next mail is not blocked
    assert ok.status == "processed"
    assert cast.admin.actor is not None
    assert intake.discard(rt, cast.admin.actor, [got.inbound_id]) == 1  # type: ignore[arg-type]
    assert row(rt, got.inbound_id).status == "discarded"


def test_a_processing_failure_quarantines_and_reprocess_succeeds(
        rt: Runtime, cast: Cast, inbox: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from tend.channels.email import route

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(route, "find_or_create_by_email", boom)
    got = intake.receive(rt, mail(), PIPE)
    assert got.status == "quarantined" and "database hiccup" in (row(rt, got.inbound_id).reason
                                                                  or "")
    assert tickets(rt) == []  # the failed transaction wrote nothing
    monkeypatch.undo()
    again = intake.reprocess(rt, cast.admin.actor, got.inbound_id)  # type: ignore[arg-type]
    assert again.status == "processed" and len(tickets(rt)) == 1
    assert row(rt, got.inbound_id).attempts == 2


def test_only_admins_handle_the_quarantine(rt: Runtime, cast: Cast) -> None:
    from tend.access import Forbidden

    with pytest.raises(Forbidden):
        intake.reprocess(rt, cast.agent.actor, 1)  # type: ignore[arg-type]


def test_a_slow_mail_is_quarantined(rt: Runtime, inbox: int) -> None:
    from tend.channels.email.sandbox import ParseSandbox

    rt.extras["email.sandbox"] = ParseSandbox(timeout=0.001, isolate_bytes=0,
                                              max_bytes=rt.settings.mail_max_bytes)
    big = mail(body="Lorem ipsum dolor sit amet. " * 200_000)
    got = intake.receive(rt, big, PIPE)
    assert got.status == "quarantined"
    assert "longer than" in (row(rt, got.inbound_id).reason or "")
    rt.extras["email.sandbox"] = ParseSandbox(timeout=60, isolate_bytes=0,
                                              max_bytes=rt.settings.mail_max_bytes)
    ok = intake.receive(rt, mail(body="small and isolated"), PIPE)
    assert ok.status == "processed"


def test_too_large_mail_is_refused_before_storing(rt: Runtime) -> None:
    raw = mail(body="x" * (rt.settings.mail_max_bytes + 10))
    with pytest.raises(intake.MailTooLarge):
        intake.store(rt, raw, PIPE)
    assert count(rt, InboundEmail) == 0


def test_stored_but_unprocessed_mail_is_finished_later(rt: Runtime, inbox: int) -> None:
    stored = intake.store(rt, mail(), PIPE)  # a crash right after this line
    assert tickets(rt) == []
    assert intake.process_pending(rt) == 1
    assert len(tickets(rt)) == 1 and row(rt, stored.inbound_id).status == "processed"
    assert intake.process_pending(rt) == 0
    again = intake.process(rt, stored.inbound_id)  # a second worker racing: no double
    assert again.duplicate and len(tickets(rt)) == 1


def test_a_bounce_marks_the_outgoing_message_failed(rt: Runtime, cast: Cast, inbox: int) -> None:
    intake.receive(rt, mail(), PIPE)
    [t] = tickets(rt)
    with rt.db.write() as s:
        ticket = s.get(Ticket, t.id)
        assert ticket
        m = actions.add_message(s, cast.agent.actor, ticket, body="We are on it")  # type: ignore[arg-type]
        m.external_id = threading.message_id_for(rt.settings.signing_key(), t.id, m.id,
                                                 "shop.example")
        sent_id, ext = m.id, m.external_id
    dsn = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        "To: support@shop.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn1@mx.example.com>\r\nAuto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com"
        "\r\n\r\nFinal-Recipient: rfc822; carla@example.com\r\nAction: failed\r\n"
        "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unknown\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{ext}>\r\n"
        "Subject: Re: My order\r\n--B--\r\n"
    ).encode()
    got = intake.receive(rt, dsn, PIPE)
    assert row(rt, got.inbound_id).outcome == "bounce"
    with rt.db.read() as s:
        sent = s.get(Message, sent_id)
        assert sent and sent.delivery_status == "failed"
        assert "550 5.1.1 mailbox unknown" in (sent.delivery_error or "")
    [t] = tickets(rt)
    assert len(t.messages) == 3  # the bounce is a note, not a customer message
    assert t.messages[-1].visibility == "internal" and t.status != "new"


def test_a_forged_bounce_token_changes_nothing(rt: Runtime, cast: Cast, inbox: int) -> None:
    intake.receive(rt, mail(), PIPE)
    [t] = tickets(rt)
    forged = threading.message_id_for("not our secret", t.id, t.messages[0].id, "shop.example")
    dsn = mail(sender="MAILER-DAEMON@mx.example.com", subject="Undelivered Mail",
               body=f"Status: 5.1.1\nMessage-ID: <{forged}>", headers={
                   "Auto-Submitted": "auto-replied"})
    intake.receive(rt, dsn.replace(b"Content-Type: text/plain",
                                   b"Content-Type: multipart/report; report-type=delivery-status;"
                                   b' boundary="Q"\r\nX-Ignore: text/plain'), PIPE)
    with rt.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Message).where(
            Message.delivery_status == "failed")) == 0


def test_a_mail_left_on_the_server_cannot_be_reprocessed_from_its_headers(
        rt: Runtime, cast: Cast, inbox: int) -> None:
    with rt.db.write() as s:
        big = InboundEmail(inbox_id=inbox, source="imap", mailbox="INBOX", uid="7:9:big",
                           content_hash="0" * 64, size=90_000_000, raw=b"Subject: huge\r\n\r\n",
                           status="quarantined", reason="too large")
        s.add(big)
        s.flush()
        big_id = big.id
    with pytest.raises(ValueError, match="left on the IMAP server"):
        intake.reprocess(rt, cast.admin.actor, big_id)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="left on the IMAP server"):
        intake.release(rt, cast.admin.actor, big_id)  # type: ignore[arg-type]
    assert row(rt, big_id).status == "quarantined" and tickets(rt) == []


def test_process_pending_walks_every_batch(rt: Runtime, inbox: int) -> None:
    for n in range(5):
        intake.store(rt, mail(body=f"stored before a crash, number {n}"), PIPE)
    assert intake.process_pending(rt, batch=2) == 5
    assert len(tickets(rt)) == 5 and intake.process_pending(rt) == 0
