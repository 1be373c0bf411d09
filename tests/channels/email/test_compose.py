"""Building outgoing mail, without a network: headers, threading ids, MIME structure, and no
header injection from subjects, names or filenames."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from tend.channels.email import compose
from tend.channels.email.compose import ComposeError, Mailbox, Outgoing, OutgoingFile
from tend.channels.email.loops import automatic_headers
from tend.channels.email.parse import parse_email

HOSTILE = "x\r\nBcc: victim@evil.example"
WHEN = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def _mail(**changes: object) -> Outgoing:
    fields: dict[str, object] = dict(
        sender=Mailbox("support@acme.example", "Acme Support"),
        to=[Mailbox("carla@example.com", "Carla Customer")],
        subject="Re: Printer on fire [#42]", text="We are on it.\n",
        message_id="tend.7.tabc@acme.example", date=WHEN,
    )
    fields.update(changes)
    return Outgoing(**fields)  # type: ignore[arg-type]


def _headers(raw: bytes) -> email.message.Message:
    return email.message_from_bytes(raw, policy=email.policy.compat32)


@pytest.mark.parametrize(("subject", "number", "reply", "expected"), [
    ("Printer on fire", 42, True, "Re: Printer on fire [#42]"),
    ("Re: Printer on fire [#42]", 42, True, "Re: Printer on fire [#42]"),
    ("RE: Aw: re[2]: Printer [#42] on fire", 42, True, "Re: Printer on fire [#42]"),
    ("Printer on fire", 42, False, "Printer on fire [#42]"),
    ("About [#7]", 42, True, "Re: About [#7] [#42]"),  # another number stays; ours comes last
    ("", 3, True, "Re: (no subject) [#3]"),
    ("  Re:  ", 3, True, "Re: (no subject) [#3]"),
    (HOSTILE, 9, True, "Re: x Bcc: victim@evil.example [#9]"),
])
def test_reply_subject(subject: str, number: int, reply: bool, expected: str) -> None:
    assert compose.reply_subject(subject, number, reply=reply) == expected


def test_headers_of_a_reply() -> None:
    mail = compose.build(_mail(
        cc=[Mailbox("boss@example.com")],
        reply_to=Mailbox("support+tabc@acme.example", "Acme Support"),
        in_reply_to="<CAF=carla@mail.example.com>",
        references=["CAF=carla@mail.example.com", "<tend.5.tabc@acme.example>"],
    ))
    raw = mail.as_bytes()
    parsed = parse_email(raw)
    assert (parsed.from_email, parsed.from_name) == ("support@acme.example", "Acme Support")
    assert [(a.email, a.name) for a in parsed.to] == [("carla@example.com", "Carla Customer")]
    assert [a.email for a in parsed.cc] == ["boss@example.com"]
    assert [a.email for a in parsed.reply_to] == ["support+tabc@acme.example"]
    assert parsed.subject == "Re: Printer on fire [#42]"
    assert parsed.message_id == "tend.7.tabc@acme.example"
    assert parsed.in_reply_to == "CAF=carla@mail.example.com"
    assert parsed.references == ["CAF=carla@mail.example.com", "tend.5.tabc@acme.example"]
    assert parsed.date == WHEN
    assert not parsed.auto_submitted  # a human's reply is not automatic mail
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF line ends on the wire, no bare LF


def test_long_message_ids_are_never_encoded() -> None:
    """Python folds long unstructured headers into RFC 2047 words, which breaks threading in
    every mail client; the policy keeps ids literal."""
    long_ids = [f"<{'x' * 200}.{n}@mail.example.com>" for n in range(3)]
    raw = compose.build(_mail(in_reply_to=long_ids[-1], references=long_ids)).as_bytes()
    assert b"=?" not in raw.split(b"\r\n\r\n", 1)[0].replace(b"=?utf-8?", b"")
    for mid in long_ids:
        assert mid.encode() in raw
    assert parse_email(raw).references == [m.strip("<>") for m in long_ids]


def test_references_keep_the_root_and_the_latest() -> None:
    ids = [f"m{n}@example.com" for n in range(30)]
    refs = compose.references([*ids, ids[3]])
    assert len(refs) == compose.MAX_REFERENCES
    assert refs[0] == "<m0@example.com>" and refs[-1] == "<m29@example.com>"
    assert refs[1] == "<m11@example.com>"
    assert compose.references(["a@b.example", "<a@b.example>", "bad id@x", "", "<x>y@z"]) == [
        "<a@b.example>"]


def test_hostile_values_add_no_header() -> None:
    """CR/LF in any value that reaches a header stays inside that header."""
    mail = compose.build(_mail(
        sender=Mailbox("support@acme.example", HOSTILE),
        to=[Mailbox("carla@example.com", HOSTILE)],
        subject=HOSTILE,
        in_reply_to=f"<a@b.example>{HOSTILE}",
        references=["ok@b.example>\r\nBcc: victim@evil.example"],
        files=[OutgoingFile(f"report{HOSTILE}.pdf", "application/pdf", b"%PDF"),
               OutgoingFile("name\u2028Bcc: v@evil.example.txt", "text/plain\r\nBcc: x", b"hi")],
    ))
    raw = mail.as_bytes()
    for part in _headers(raw).walk():
        assert part.get_all("Bcc") is None
    assert b"\nBcc:" not in raw and b"\rBcc:" not in raw
    head = _headers(raw)
    assert head.get_all("Subject") == ["x Bcc: victim@evil.example"]
    assert head.get_all("In-Reply-To") is None and head.get_all("References") is None
    parsed = parse_email(raw)
    assert parsed.from_name == "x Bcc: victim@evil.example"
    assert [a.email for a in parsed.to] == ["carla@example.com"] and parsed.cc == []
    assert [a.filename for a in parsed.attachments] == [
        "reportx Bcc: victim@evil.example.pdf", "name Bcc: v@evil.example.txt"]
    assert parsed.attachments[1].content_type == "application/octet-stream"


@pytest.mark.parametrize("address", [
    "victim@evil.example\r\nBcc: x@evil.example", "no-at-sign", "a b@example.com",
    "a@exa mple.com", "<a@example.com>", "a@example.com, b@example.com", "a@-bad-.example",
])
def test_addresses_must_be_addresses(address: str) -> None:
    with pytest.raises(ComposeError):
        compose.build(_mail(to=[Mailbox(address)]))
    with pytest.raises(ComposeError):
        compose.build(_mail(sender=Mailbox(address)))


def test_international_domains_are_punycoded() -> None:
    mail = compose.build(_mail(to=[Mailbox("jose@bücher.example")]))
    assert mail["To"] == "jose@xn--bcher-kva.example"
    assert compose.envelope_address(Mailbox(" jose@bücher.example ")) == (
        "jose@xn--bcher-kva.example")


def test_extra_headers_cannot_replace_tends_own() -> None:
    with pytest.raises(ComposeError):
        compose.build(_mail(headers={"Bcc": "victim@evil.example"}))
    with pytest.raises(ComposeError):
        compose.build(_mail(headers={"X-Ok\r\nBcc": "v"}))
    head = _headers(compose.build(_mail(headers=automatic_headers("auto-replied"))).as_bytes())
    assert head["Auto-Submitted"] == "auto-replied"
    assert head["X-Auto-Response-Suppress"] == "All"


def test_html_alternative_inline_image_and_attachments() -> None:
    mail = compose.build(_mail(
        text="Hello there, ünïcode\n", html='<p>Hello <b>there</b> <img src="cid:logo@x"></p>',
        files=[OutgoingFile("logo.png", "image/png", b"\x89PNG\r\n", inline=True,
                            content_id="<logo@x>"),
               OutgoingFile("report.pdf", "application/pdf", b"%PDF-1.4 \x00\xff"),
               OutgoingFile("notes.txt", "text/plain", "héllo".encode())],
    ))
    assert mail.get_content_type() == "multipart/mixed"
    alternative = mail.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    assert [p.get_content_type() for p in related.get_payload()] == ["text/html", "image/png"]
    assert related.get_payload()[1]["Content-ID"] == "<logo@x>"
    raw = mail.as_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert all(b < 128 for b in raw)  # 7-bit: passes relays without 8BITMIME
    parsed = parse_email(raw)
    assert parsed.text.strip() == "Hello there, ünïcode"
    assert parsed.html is not None and "<b>there</b>" in parsed.html
    files = {a.filename: a for a in parsed.attachments}
    assert files["report.pdf"].data == b"%PDF-1.4 \x00\xff"
    assert files["notes.txt"].data == "héllo".encode()
    assert files["logo.png"].inline and files["logo.png"].content_id == "logo@x"


def test_plain_reply_without_html_or_files_is_one_part() -> None:
    mail = compose.build(_mail())
    assert mail.get_content_type() == "text/plain"
    assert parse_email(mail.as_bytes()).text == "We are on it."


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "_.._etc_passwd"),
    ("report\u202egpj.exe", "reportgpj.exe"),  # no right-to-left override tricks
    ("...", "attachment"),
    ("a" * 300 + ".pdf", "a" * 140 + ".pdf"),
])
def test_clean_filename(name: str, expected: str) -> None:
    assert compose.clean_filename(name) == expected


def test_acknowledgement_text() -> None:
    text = compose.acknowledgement_text(helpdesk="Acme Support", number=42,
                                        portal_url="https://help.acme.example/portal")
    assert "#42" in text and "https://help.acme.example/portal" in text
    assert "Acme Support" in text
