"""The email parser on small hand-written fixtures, one per real-world shape."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tend.channels.email.mime import decode_text
from tend.channels.email.parse import Address, ParsedEmail, ParseError, parse_email
from tend.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def parse(name: str) -> ParsedEmail:
    return parse_email((FIXTURES / name).read_bytes())


def names(parsed: ParsedEmail) -> list[str]:
    return [a.filename for a in parsed.attachments]


def test_plain_message_headers_and_body() -> None:
    p = parse("plain.eml")
    assert p.from_email == "carla@example.com"  # domain lowercased
    assert p.from_name == "Carla Mendes"
    assert p.to == [Address("support@tend.example", "Support"),
                    Address("billing@tend.example", "")]
    assert p.cc == [Address("dan@example.org", "Dan, the Other")]
    assert p.reply_to == [Address("carla.private@example.net", "")]
    assert p.subject == "Order 4411 never arrived"
    assert p.message_id == "CAF=abc123@mail.example.com"
    assert p.in_reply_to == "reply-1@tend.example"
    assert p.references == ["first@tend.example", "reply-1@tend.example"]
    assert p.date == datetime(2025, 6, 3, 7, 15, tzinfo=UTC)
    assert p.text.startswith("Hello,\n\nmy order 4411") and "\r" not in p.text
    assert p.html is None
    assert p.visible_text  # filled by the reply splitter
    assert not p.auto_submitted and not p.is_bounce
    assert p.attachments == []
    assert p.headers["Return-Path"] == "<carla@example.com>"


def test_html_only_is_sanitized_and_gives_text() -> None:
    p = parse("html-only.eml")
    assert p.html is not None
    assert "<script" not in p.html and "alert" not in p.html and "onclick" not in p.html
    assert "color: red" not in p.html
    assert 'rel="noopener noreferrer nofollow"' in p.html
    assert p.text == ("Hi team,\n\nthe export button fails.\nDetails below.\n\n"
                      "- Browser: Firefox\n\n- Page: export")


def test_alternative_prefers_plain_for_text_and_keeps_html_not_as_attachment() -> None:
    p = parse("alternative.eml")
    assert p.text == "Grüße aus München"
    assert p.html == "<p>Grüße aus <b>München</b></p>"
    assert p.attachments == []


def test_mixed_joins_inline_text_and_keeps_every_other_part() -> None:
    p = parse("mixed.eml")
    assert p.text == "First part of the text.\n\nSecond part, after the PDF."
    assert names(p) == ["invoice.pdf", "invite.ics", "attachment.bin"]
    pdf = p.attachments[0]
    assert pdf.content_type == "application/pdf"
    assert pdf.size == len(pdf.data) and pdf.data.startswith(b"%PDF")
    assert pdf.sha256 == hashlib.sha256(pdf.data).hexdigest()
    assert not pdf.inline and pdf.content_id is None
    assert p.attachments[1].content_type == "text/calendar"


def test_nested_related_inline_cid_image_and_encoded_filenames() -> None:
    p = parse("related-cid.eml")
    assert p.text == "See the logo."
    assert p.html is not None and 'src="cid:logo@tend"' in p.html
    logo = p.attachments[0]
    assert (logo.filename, logo.inline, logo.content_id) == ("logo.png", True, "logo@tend")
    assert logo.data.startswith(b"\x89PNG")
    # RFC 2231 (filename*=UTF-8''...), RFC 2047 in a quoted parameter, path parts stripped
    assert names(p)[1:] == ["Rechnung März €.pdf", "Übersicht 2025.pdf", "notes.txt"]
    assert not any(a.inline for a in p.attachments[1:])


def test_wrongly_declared_charsets_do_not_turn_into_mojibake() -> None:
    p = parse("wrong-charset.eml")
    assert p.subject == "Café ordering"  # raw 8-bit UTF-8 in a header
    assert p.from_name == "Jose"
    assert p.text == "El café llegó frío.\n\n“Quoted” \u2013 price 5€\n\nnaïve"


@pytest.mark.parametrize(("data", "declared", "expected"), [
    ("Grüße".encode(), "us-ascii", "Grüße"),
    ("Grüße".encode("cp1252"), None, "Grüße"),
    ("“x”".encode("cp1252"), "iso-8859-1", "“x”"),
    ("中文邮件".encode("gbk"), "gb2312", "中文邮件"),
    ("碁".encode("gb18030"), "gbk", "碁"),
    (b"ok", "no-such-charset", "ok"),
    (b"caf\xe9", "utf-8", "café"),
    ("テスト".encode("cp932"), "shift_jis", "テスト"),
    (b"", "utf-8", ""),
])
def test_decode_text_repairs_charsets(data: bytes, declared: str | None, expected: str) -> None:
    assert decode_text(data, declared) == expected


def test_iso_2022_jp_subject_name_and_body_with_nec_specials() -> None:
    p = parse("iso-2022-jp.eml")
    assert p.subject == "お問い合わせ"
    assert p.from_name == "山田太郎"
    assert p.text == "ご確認をお願いします。①"


def test_uuencoded_block_becomes_an_attachment() -> None:
    p = parse("uuencode.eml")
    assert p.text == "Please see the attached file.\n\nRegards"
    assert names(p) == ["hello.txt"]
    assert p.attachments[0].data == b"hello uuencoded world\n"


def test_forwarded_message_is_kept_as_eml() -> None:
    p = parse("forward-rfc822.eml")
    assert p.text == "Forwarding this."
    (fwd,) = p.attachments
    assert (fwd.filename, fwd.content_type) == ("The original question.eml", "message/rfc822")
    inner = parse_email(fwd.data)
    assert inner.subject == "The original question" and inner.text == "Original text."


def test_dsn_bounce() -> None:
    p = parse("bounce.eml")
    assert p.is_bounce and p.auto_submitted
    assert p.from_email == "MAILER-DAEMON@mx.example.net"
    assert p.text.startswith("I'm sorry to have to inform you")
    report = p.attachments[0]
    assert report.filename == "Delivery report.txt"
    assert b"Status: 5.1.1" in report.data
    assert names(p)[1] == "Undelivered Message Headers.txt"


@pytest.mark.parametrize(("name", "automatic"), [
    ("auto-submitted.eml", True), ("x-autoreply.eml", True), ("precedence-bulk.eml", True),
    ("null-sender.eml", True), ("human.eml", False), ("plain.eml", False),
])
def test_automatic_mail_is_recognised(name: str, automatic: bool) -> None:
    p = parse(name)
    assert p.auto_submitted is automatic
    assert not p.is_bounce


def test_no_reply_sender_is_automatic() -> None:
    raw = b"From: Shop <no-reply@shop.example>\nTo: a@b.example\nSubject: Receipt\n\nThanks\n"
    assert parse_email(raw).auto_submitted


def test_broken_header_lines_degrade_instead_of_failing() -> None:
    p = parse("broken-header.eml")
    assert p.from_email == "carla@example.com"
    assert p.to == [Address("support@tend.example", "")]
    assert p.subject == "Still parsed"
    assert p.date is None
    assert p.message_id == "no-brackets@example.com"
    assert p.text == "Body survives."


def test_empty_body() -> None:
    p = parse("empty-body.eml")
    assert p.subject == "(no body)"
    assert p.text == "" and p.html is None and p.attachments == []


def test_over_max_bytes_and_non_email_raise_parse_error() -> None:
    raw = (FIXTURES / "plain.eml").read_bytes()
    with pytest.raises(ParseError):
        parse_email(raw, max_bytes=len(raw) - 1)
    with pytest.raises(ParseError):
        parse_email(b"")
    with pytest.raises(ParseError):
        parse_email(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary junk")


def test_deep_nesting_is_capped_and_kept_raw() -> None:
    depth = 40
    raw = b"From: a@b.example\nSubject: deep\nMIME-Version: 1.0\n"
    body = b"innermost text\n"
    part = b"Content-Type: text/plain\n\n" + body
    for level in range(depth):
        boundary = f"b{level}".encode()
        part = (b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\n\n--' + boundary
                + b"\n" + part + b"\n--" + boundary + b"--\n")
    p = parse_email(raw + part)
    assert p.text == ""
    assert [a.filename for a in p.attachments] == ["part.eml"]
    assert b"innermost text" in p.attachments[0].data


def test_to_json_has_the_issue_keys() -> None:
    data = parse("related-cid.eml").to_json()
    assert list(data) == ["from_email", "from_name", "to", "cc", "reply_to", "subject",
                          "message_id", "in_reply_to", "references", "date", "text", "html",
                          "visible_text", "attachments", "auto_submitted", "is_bounce"]
    assert list(data["attachments"][0]) == [  # type: ignore[index]
        "filename", "content_type", "size", "sha256", "inline", "content_id"]
    json.dumps(data)


def test_cli_mail_parse_prints_json_from_file_and_stdin() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["mail", "parse", str(FIXTURES / "plain.eml")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["from_email"] == "carla@example.com"
    assert data["date"] == "2025-06-03T07:15:00+00:00"
    assert set(data) >= {"to", "cc", "reply_to", "attachments", "auto_submitted", "is_bounce"}

    piped = runner.invoke(main, ["mail", "parse", "-"],
                          input=(FIXTURES / "iso-2022-jp.eml").read_bytes())
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.output)["subject"] == "お問い合わせ"

    bad = runner.invoke(main, ["mail", "parse", "-"], input=b"")
    assert bad.exit_code != 0 and "empty input" in bad.output


def _tnef(filename: bytes, data: bytes) -> bytes:
    """A minimal winmail.dat with one attached file (TNEF attributes: level, id, length,
    data, checksum)."""
    def attr(level: int, name: int, kind: int, value: bytes) -> bytes:
        return (struct.pack("<BII", level, (kind << 16) | name, len(value)) + value
                + struct.pack("<H", sum(value) & 0xFFFF))

    return (struct.pack("<IH", 0x223E9F78, 1)
            + attr(2, 0x9002, 0x0006, bytes(14))  # attAttachRendData: an attachment starts
            + attr(2, 0x8010, 0x0001, filename + b"\x00")  # attAttachTitle
            + attr(2, 0x800F, 0x0006, data))  # attAttachData


def test_winmail_dat_is_unpacked() -> None:
    pytest.importorskip("tnefparse")
    tnef = base64.encodebytes(_tnef(b"report.txt", b"hello from outlook")).decode()
    raw = ("From: outlook@example.com\nSubject: TNEF\nMIME-Version: 1.0\n"
           'Content-Type: multipart/mixed; boundary="t"\n\n--t\nContent-Type: text/plain\n\n'
           "See attached.\n--t\nContent-Type: application/ms-tnef; name=winmail.dat\n"
           f"Content-Transfer-Encoding: base64\n\n{tnef}\n--t--\n").encode()
    p = parse_email(raw)
    assert [(a.filename, a.content_type, a.data) for a in p.attachments] == [
        ("report.txt", "text/plain", b"hello from outlook")]


def test_broken_winmail_dat_is_kept() -> None:
    raw = (b"From: outlook@example.com\nSubject: TNEF\nMIME-Version: 1.0\n"
           b'Content-Type: multipart/mixed; boundary="t"\n\n--t\nContent-Type: text/plain\n\n'
           b"See attached.\n--t\nContent-Type: application/ms-tnef; name=winmail.dat\n\n"
           b"not really tnef\n--t--\n")
    assert [a.filename for a in parse_email(raw).attachments] == ["winmail.dat"]
