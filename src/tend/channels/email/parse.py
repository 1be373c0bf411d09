"""Any real-world email → one `ParsedEmail`. Pure: bytes in, dataclasses out.

Parsing uses the standard library's compat32 policy and decodes headers here (mime.py):
it is several times faster than `email.policy.default` (whose header registry parses every
header eagerly) and never raises on broken headers, which we repair ourselves.
Malformed mail degrades, it never raises; only input that is not an email at all (or is too
big) raises `ParseError`. Every part that is not the body becomes an attachment."""

from __future__ import annotations

import binascii
import email
import email.policy
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from tend.attachments.files import clean_filename
from tend.channels.email.mime import (
    decode_header,
    decode_text,
    decode_words,
    header_hints,
    html_to_text,
    raw_to_text,
    unfold,
)
from tend.channels.email.reply import split_reply
from tend.tickets.bodies import sanitize_html

try:  # TNEF (winmail.dat) extraction is optional: without it winmail.dat stays as it is
    from tnefparse.tnef import TNEF  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover
    TNEF = None

MAX_PARTS = 500
MAX_DEPTH = 30
KEPT_HEADERS = ("Authentication-Results", "Return-Path", "List-Id", "Auto-Submitted",
                "Precedence", "X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")


class ParseError(ValueError):
    """The input is not an email at all, or is larger than allowed."""


@dataclass(frozen=True)
class Address:
    email: str
    name: str


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    size: int
    sha256: str
    inline: bool
    content_id: str | None
    data: bytes = field(repr=False)

    def to_json(self) -> dict[str, object]:
        return {"filename": self.filename, "content_type": self.content_type, "size": self.size,
                "sha256": self.sha256, "inline": self.inline, "content_id": self.content_id}


@dataclass(frozen=True)
class ParsedEmail:
    from_email: str | None
    from_name: str
    to: list[Address]
    cc: list[Address]
    reply_to: list[Address]
    subject: str
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    date: datetime | None
    text: str
    html: str | None
    visible_text: str
    quoted_text: str
    signature: str
    attachments: list[ParsedAttachment]
    auto_submitted: bool
    is_bounce: bool
    headers: dict[str, str]

    def to_json(self) -> dict[str, object]:
        def addresses(items: list[Address]) -> list[dict[str, str]]:
            return [{"email": a.email, "name": a.name} for a in items]

        return {
            "from_email": self.from_email, "from_name": self.from_name,
            "to": addresses(self.to), "cc": addresses(self.cc),
            "reply_to": addresses(self.reply_to), "subject": self.subject,
            "message_id": self.message_id, "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "date": self.date.isoformat() if self.date else None,
            "text": self.text, "html": self.html, "visible_text": self.visible_text,
            "attachments": [a.to_json() for a in self.attachments],
            "auto_submitted": self.auto_submitted, "is_bounce": self.is_bounce,
        }


def parse_email(raw: bytes, *, max_bytes: int = 40 * 1024 * 1024) -> ParsedEmail:
    if len(raw) > max_bytes:
        raise ParseError(f"the message is {len(raw)} bytes; at most {max_bytes} are accepted")
    if not raw.strip():
        raise ParseError("empty input")
    msg = email.message_from_bytes(_repair_headers(raw), policy=email.policy.compat32)
    if not msg.keys():
        raise ParseError("not an email: no header lines")
    head = _Head(msg)

    sender = _sender(head)
    body = _Body(_word_charsets(head), head.hint, "\r\n" if b"\r\n" in raw[:4096] else "\n")
    body.walk(msg, 0, top=True)
    html = "".join(body.html) if body.html else None
    clean_html = sanitize_html(html).strip() if html is not None else None
    text = "\n\n".join(t for t in (s.strip("\r\n") for s in body.text) if t.strip())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = body.extract_uuencoded(text)
    if not text.strip() and clean_html:
        text = html_to_text(clean_html)
    attachments = body.finish(clean_html or "")
    # "Name <email>" lets the splitter recognise closing-and-name signatures by full name.
    who = (f"{sender.name} <{sender.email}>" if sender.name else sender.email) if sender else None
    split = split_reply(text, sender=who)

    headers = {name: head.text(name) for name in KEPT_HEADERS if head.get(name) is not None}
    return ParsedEmail(
        from_email=sender.email if sender else None,
        from_name=sender.name if sender else "",
        to=head.addresses("To"), cc=head.addresses("Cc"), reply_to=head.addresses("Reply-To"),
        subject=head.text("Subject"),
        message_id=_first_id(head.get("Message-ID")),
        in_reply_to=_first_id(head.get("In-Reply-To")),
        references=_all_ids(head.get("References")),
        date=_date(head.text("Date")),
        text=text, html=clean_html,
        visible_text=split.visible, quoted_text=split.quoted, signature=split.signature,
        attachments=attachments,
        auto_submitted=_is_automatic(head, sender),
        is_bounce=_is_bounce(msg, head, sender, body.saw_delivery_status),
        headers=headers,
    )


_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")


def _repair_headers(raw: bytes) -> bytes:
    """Lines inside the header block that are neither a header nor a continuation (a
    continuation that lost its leading space) would end the headers early and push From,
    To and Subject into the body. Indent them, as long as real headers follow."""
    ends = [i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0]
    end = min(ends) if ends else len(raw)
    lines = raw[:end].split(b"\n")
    bad = [i for i, line in enumerate(lines)
           if i and line[:1] not in (b" ", b"\t") and not _HEADER_LINE.match(line)]
    if not bad:
        return raw
    last_header = max((i for i, line in enumerate(lines) if _HEADER_LINE.match(line)), default=0)
    for i in bad:
        if i < last_header:
            lines[i] = b" " + lines[i]
    return b"\n".join(lines) + raw[end:]


class _Head:
    """The top-level header fields, raw (compat32 would turn 8-bit ones into U+FFFD)."""

    def __init__(self, msg: Message) -> None:
        self.fields: dict[str, list[str]] = {}
        for name, value in msg.raw_items():
            self.fields.setdefault(name.lower(), []).append(str(value))
        self.hint = header_hints(_charsets(msg))

    def get(self, name: str) -> str | None:
        values = self.fields.get(name.lower())
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return self.fields.get(name.lower(), [])

    def text(self, name: str) -> str:
        return decode_header(self.get(name), self.hint)

    def addresses(self, name: str, *, bare: bool = False) -> list[Address]:
        out: list[Address] = []
        seen: set[str] = set()
        for value in self.all(name):
            for addr in _parse_addresses(raw_to_text(unfold(value), self.hint), bare=bare):
                if addr.email.lower() not in seen:
                    seen.add(addr.email.lower())
                    out.append(addr)
        return out


def _word_charsets(head: _Head) -> str | None:
    """The charset of the first RFC 2047 word in From/Subject/To: a good guess for body
    parts that declare none (the same client wrote both)."""
    for name in ("Subject", "From", "To"):
        found = re.search(r"=\?([^?*\s]+)", head.get(name) or "")
        if found and found.group(1).lower() not in ("us-ascii", "ascii"):
            return found.group(1)
    return None


def _charsets(msg: Message) -> list[str]:
    found: list[str] = []
    for count, part in enumerate(msg.walk()):
        charset = part.get_content_charset()
        if charset:
            found.append(charset)
        if count > 50:
            break
    return found


def _sender(head: _Head) -> Address | None:
    for name in ("From", "Sender", "Reply-To", "Return-Path"):
        for value in head.all(name):
            for addr in _parse_addresses(raw_to_text(unfold(value), head.hint)):
                return addr
    for value in head.all("From"):
        for addr in _parse_addresses(raw_to_text(unfold(value), head.hint), bare=True):
            return addr
    return None


# --------------------------------------------------------------------------- headers

_EMAIL_IN_TEXT = re.compile(r"[^\s<>\"',;:()\[\]]+@[^\s<>\"',;:()\[\]]+")


def _parse_addresses(value: str, *, bare: bool = False) -> list[Address]:
    """Addresses in one header value. `bare` accepts a lone local name ("MAILER-DAEMON")."""
    out: list[Address] = []
    seen: set[str] = set()
    for display, addr in getaddresses([value]):
        addr = addr.strip().strip("<>")
        if "@" in addr and ":" not in addr:
            _add(out, seen, addr, display)
    if not out and (found := _EMAIL_IN_TEXT.findall(value)):
        for addr in found:
            _add(out, seen, addr.strip("<>"), "")
    if not out and bare and value.strip() and "@" not in value:
        token = value.strip().split()[0].strip("<>\"")
        comment = re.search(r"\(([^()]*)\)", value)
        if token and "," not in token and ":" not in token:
            _add(out, seen, token, comment.group(1) if comment else "")
    return out


def _add(out: list[Address], seen: set[str], addr: str, display: str) -> None:
    local, at, domain = addr.rpartition("@")
    normalised = f"{local}@{domain.lower()}" if at else addr
    if normalised.lower() in seen:
        return
    seen.add(normalised.lower())
    name = decode_words(display).strip().strip("\"'").strip()
    if name.lower() == normalised.lower():
        name = ""
    if not display.startswith('"'):  # 'MAILER-DAEMON (Mail Delivery System)': drop the comment
        name = re.sub(r"^(\S.*?)\s*\([^()]*\)$", r"\1", name)
    out.append(Address(email=normalised, name=name))


_ID = re.compile(r"<([^<>\s]+)>")


def _first_id(value: str | None) -> str | None:
    ids = _all_ids(value)
    return ids[0] if ids else None


def _all_ids(value: str | None) -> list[str]:
    if not value:
        return []
    text = raw_to_text(str(value))
    found = _ID.findall(text)
    if not found:
        found = [t.strip("<>,;") for t in text.split() if "@" in t]
    out: list[str] = []
    for item in found:
        if item and item not in out:
            out.append(item)
    return out


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(decode_header(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


_NO_REPLY = re.compile(
    r"^(mailer-daemon|mailer_daemon|no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply[-+._].*|"
    r"bounces?([-+].*)?)$", re.IGNORECASE)


def _is_automatic(head: _Head, sender: Address | None) -> bool:
    def value(name: str) -> str:
        return head.text(name).lower()

    auto = value("Auto-Submitted")
    if auto and not auto.startswith("no"):
        return True
    if value("Precedence") in ("bulk", "junk", "list", "auto_reply"):
        return True
    if any(head.get(name) for name in ("X-Autoreply", "X-Autorespond", "X-Autogenerated")):
        return True
    suppress = {s.strip() for s in value("X-Auto-Response-Suppress").split(",")}
    if suppress & {"all", "oof", "autoreply"}:
        return True
    return_path = head.all("Return-Path")
    if return_path and all(str(v).strip() in ("<>", "") for v in return_path):
        return True
    return sender is not None and bool(_NO_REPLY.match(sender.email.split("@", 1)[0]))


def _is_bounce(msg: Message, head: _Head, sender: Address | None,
               saw_delivery_status: bool) -> bool:
    if (msg.get_content_type() == "multipart/report"
            and str(msg.get_param("report-type", "")).lower() == "delivery-status"):
        return True
    if sender is None:
        return False
    local = sender.email.split("@", 1)[0].lower()
    if local not in ("mailer-daemon", "postmaster", "mailer_daemon"):
        return False
    subject = head.text("Subject").lower()
    return saw_delivery_status or bool(re.search(
        r"undeliver|delivery (status|failure|failed|notification)|returned mail|"
        r"failure notice|mail delivery|nicht zustellbar|unzustellbar|fehlgeschlagen", subject))


# ------------------------------------------------------------------------------ body

_UU_BLOCK = re.compile(
    r"^begin [0-7]{3,4} ([^\n]+)\n(.*?)^end[ \t]*$\n?", re.MULTILINE | re.DOTALL)


@dataclass
class _Pending:
    filename: str
    content_type: str
    data: bytes
    content_id: str | None
    disposition: str


class _Body:
    """Walks the MIME tree: collects body text and HTML in order, everything else as
    attachments."""

    def __init__(self, fallback: str | None, hints: tuple[str, ...], linesep: str) -> None:
        self.fallback = fallback  # for parts that declare no charset
        self.hints = hints  # for raw 8-bit header bytes
        self.linesep = linesep
        self.text: list[str] = []
        self.html: list[str] = []
        self.parts: list[_Pending] = []
        self.count = 0
        self.saw_delivery_status = False

    def walk(self, part: Message, depth: int, *, top: bool = False) -> None:
        self.count += 1
        if depth > MAX_DEPTH or self.count > MAX_PARTS:
            self._keep_raw(part)
            return
        ctype = _content_type(part)
        if ctype.startswith("multipart/"):
            children = part.get_payload()
            if not isinstance(children, list) or not children:
                self._keep_raw(part) if not top else self._leaf(part, "text/plain", top=True)
                return
            messages = [c for c in children if isinstance(c, Message)]
            if ctype == "multipart/alternative":
                self._alternative(messages, depth)
            elif ctype == "multipart/related" and messages:
                self._related(part, messages, depth)
            else:
                for child in messages:
                    self.walk(child, depth + 1)
            return
        if ctype == "message/rfc822" or ctype == "message/global":
            self._message(part)
            return
        self._leaf(part, ctype, top=top)

    def _alternative(self, children: list[Message], depth: int) -> None:
        plain = [c for c in children if _content_type(c) == "text/plain" and not _is_file(c)]
        rich = [c for c in children
                if _content_type(c) in ("text/html", "multipart/related", "multipart/mixed")
                and not _is_file(c)]
        chosen: set[int] = set()
        if plain:
            self.count += 1
            self.text.append(self._decoded(plain[-1]))
            chosen.add(id(plain[-1]))
        if rich:
            before = len(self.text)
            self.walk(rich[-1], depth + 1)
            chosen.add(id(rich[-1]))
            if plain:  # the plain alternative already gave the text
                del self.text[before:]
        for child in children:
            if id(child) in chosen or not isinstance(child, Message):
                continue
            ctype = _content_type(child)
            if ctype in ("text/plain", "text/html", "text/enriched", "text/richtext") \
                    and not _is_file(child):
                continue  # a lesser rendition of the same body
            self.walk(child, depth + 1)

    def _related(self, part: Message, children: list[Message], depth: int) -> None:
        start = part.get_param("start")
        root = children[0]
        if isinstance(start, str):
            wanted = start.strip().strip("<>")
            for child in children:
                if (child.get("Content-ID") or "").strip().strip("<>") == wanted:
                    root = child
                    break
        self.walk(root, depth + 1)
        for child in children:
            if child is not root and isinstance(child, Message):
                self.walk(child, depth + 1)

    def _leaf(self, part: Message, ctype: str, *, top: bool = False) -> None:
        if ctype in ("text/plain", "text/html") and not _is_file(part):
            decoded = self._decoded(part)
            if ctype == "text/html":
                self.html.append(decoded)
            elif _cte(part) in ("x-uuencode", "uuencode", "x-uue", "uue"):
                self._keep(part, ctype)
            else:
                self.text.append(decoded)
            return
        if top and ctype.startswith("text/") and not _is_file(part):
            self.text.append(self._decoded(part))
            return
        if ctype in ("message/delivery-status", "message/global-delivery-status"):
            self.saw_delivery_status = True
        self._keep(part, ctype)

    def _decoded(self, part: Message) -> str:
        data = _payload(part)
        charset = part.get_content_charset()
        if charset is None and _content_type(part) == "text/html":
            sniff = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", data[:4096], re.IGNORECASE)
            charset = sniff.group(1).decode("ascii") if sniff else None
        return decode_text(data, charset or self.fallback)

    def _message(self, part: Message) -> None:
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            sub = inner[0]
            data = self._serialise(sub)
            raw_subject = next((v for k, v in sub.raw_items() if k.lower() == "subject"), None)
            subject = decode_header(raw_subject, header_hints(_charsets(sub)) + self.hints)
        else:
            data = _payload(part)
            subject = ""
        description = decode_header(part.get("Content-Description"))
        name = (_filename(part, self.hints)
                or clean_filename(subject or description or "message") + ".eml")
        if not name.lower().endswith(".eml"):
            name += ".eml"
        self.parts.append(_Pending(clean_filename(name), "message/rfc822", data,
                                   _content_id(part), _disposition(part)))

    def _serialise(self, msg: Message) -> bytes:
        # no refolding, the original line ends: as close to the original bytes as the
        # standard library gets
        policy = email.policy.compat32.clone(max_line_length=0, linesep=self.linesep)
        if not msg.keys() and not msg.get_payload():
            return b""
        try:
            return msg.as_bytes(policy=policy)
        except (LookupError, UnicodeError, ValueError):
            return b""

    def _keep(self, part: Message, ctype: str) -> None:
        inner = part.get_payload()
        if isinstance(inner, list):  # message/delivery-status: parsed into header blocks
            data = b"".join(self._serialise(m) for m in inner if isinstance(m, Message))
            if data.endswith(self.linesep.encode() * 2):
                data = data[:-len(self.linesep)]
        else:
            data = _payload(part)
        name = _filename(part, self.hints)
        if _cte(part) in ("x-uuencode", "uuencode", "x-uue", "uue"):
            encoded = part.get_payload(decode=False)
            found = re.search(r"^begin [0-7]{3,4} ([^\r\n]+)",
                              encoded if isinstance(encoded, str) else "", re.MULTILINE)
            if found and not name:
                name = raw_to_text(found.group(1).strip(), self.hints)
            guessed = mimetypes.guess_type(name or "")[0]
            if ctype.startswith("text/") and guessed:
                ctype = guessed
        if not name:
            name = _default_name(part, ctype)
        self.parts.append(_Pending(clean_filename(name), ctype, data, _content_id(part),
                                   _disposition(part)))

    def _keep_raw(self, part: Message) -> None:
        data = self._serialise(part)
        self.parts.append(_Pending("part.eml", "message/rfc822", data, None, "attachment"))

    def extract_uuencoded(self, text: str) -> str:
        """`begin 644 name` … `end` blocks pasted into a text body become attachments."""
        if "begin " not in text:
            return text

        def take(match: re.Match[str]) -> str:
            data = bytearray()
            for line in match.group(2).splitlines():
                if not line.strip() or line.strip() == "`":
                    continue
                try:
                    data += binascii.a2b_uu(line)
                except binascii.Error:
                    try:  # some encoders write a few bytes too many per line
                        nbytes = (((ord(line[0]) - 32) & 63) * 4 + 5) // 3
                        data += binascii.a2b_uu(line[:nbytes])
                    except (binascii.Error, IndexError):
                        return match.group(0)
            name = clean_filename(match.group(1).strip())
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.parts.append(_Pending(name, ctype, bytes(data), None, "attachment"))
            return ""

        return re.sub(r"\n{3,}", "\n\n", _UU_BLOCK.sub(take, text)).strip()

    def finish(self, html: str) -> list[ParsedAttachment]:
        out: list[ParsedAttachment] = []
        for item in self.parts:
            for name, ctype, data in _expand_tnef(item):
                referenced = bool(item.content_id) and f"cid:{item.content_id}" in html
                out.append(ParsedAttachment(
                    filename=name, content_type=ctype, size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    inline=referenced or (item.disposition == "inline"
                                          and item.content_id is not None),
                    content_id=item.content_id, data=data))
        return out


def _expand_tnef(item: _Pending) -> list[tuple[str, str, bytes]]:
    whole = [(item.filename, item.content_type, item.data)]
    if TNEF is None or not (item.content_type in ("application/ms-tnef", "application/vnd.ms-tnef")
                            or item.filename.lower() == "winmail.dat"):
        return whole
    try:
        tnef = TNEF(item.data, do_checksum=False)
        files = [(clean_filename(a.long_filename() or a.name or "attachment"), bytes(a.data))
                 for a in tnef.attachments if a.data]
    except Exception:  # a broken winmail.dat is kept as it is
        return whole
    if not files:
        return whole
    return [(name, mimetypes.guess_type(name)[0] or "application/octet-stream", data)
            for name, data in files]


def _content_type(part: Message) -> str:
    ctype = part.get_content_type().lower()
    if ctype == "text/plain" and part.get("Content-Type") is not None:
        raw = str(part.get("Content-Type")).split(";", 1)[0].strip().lower()
        if raw and "/" not in raw:  # "Content-Type: text" and similar garbage
            return "text/plain"
    return ctype


def _cte(part: Message) -> str:
    return str(part.get("Content-Transfer-Encoding", "")).strip().lower()


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, LookupError, binascii.Error):  # pragma: no cover - defensive
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload(decode=False)
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    return b""


def _disposition(part: Message) -> str:
    return str(part.get("Content-Disposition", "")).split(";", 1)[0].strip().lower()


def _is_file(part: Message) -> bool:
    return _disposition(part) == "attachment" or bool(_filename(part, ()))


def _content_id(part: Message) -> str | None:
    value = part.get("Content-ID")
    if value is None:
        return None
    cid = raw_to_text(str(value)).strip().strip("<>").strip()
    return cid or None


def _param(part: Message, param: str, header: str, hints: tuple[str, ...]) -> object:
    raw = next((str(v) for k, v in part.raw_items() if k.lower() == header), None)
    if raw is None:
        return None
    repaired = raw_to_text(raw, hints)
    if repaired == raw:
        return part.get_param(param, header=header)
    # raw 8-bit in the header: compat32 would hand back U+FFFD, so parse the repaired text
    holder = Message()
    holder[header] = repaired
    return holder.get_param(param, header=header)


def _filename(part: Message, hints: tuple[str, ...]) -> str:
    for param, header in (("filename", "content-disposition"), ("name", "content-type")):
        value = _param(part, param, header, hints)
        if value is None:
            continue
        if isinstance(value, tuple) and len(value) == 3:
            charset, _lang, text = value
            raw = str(text).encode("latin-1", "surrogateescape")
            name = decode_text(raw, charset or None)
        else:
            name = decode_header(str(value))
        name = name.strip().strip("\"").strip()
        if name:
            return name
    return ""


_EXTENSIONS = {"text/plain": ".txt", "image/jpeg": ".jpg", "image/jpg": ".jpg",
               "text/calendar": ".ics", "message/delivery-status": ".txt",
               "message/global-delivery-status": ".txt", "text/rfc822-headers": ".txt",
               "application/octet-stream": ".bin", "application/ms-tnef": ".dat"}


def _default_name(part: Message, ctype: str) -> str:
    ext = _EXTENSIONS.get(ctype) or mimetypes.guess_extension(ctype) or ".bin"
    description = decode_header(part.get("Content-Description"))
    if (ctype.startswith("message/") or ctype == "text/rfc822-headers") \
            and description and len(description) < 80:
        return description + ext
    stem = {"image": "image", "text": "text", "audio": "audio", "video": "video"}.get(
        ctype.split("/", 1)[0], "attachment")
    if ctype == "text/calendar":
        stem = "invite"
    return stem + ext
