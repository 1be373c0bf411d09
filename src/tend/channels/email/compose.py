"""Building the mails Tend sends as `EmailMessage` objects. Pure: no database, no network.

Everything that reaches a header (names, subjects, filenames, message ids) is cleaned first:
line breaks and other control characters become spaces, so a subject such as
`"x\\r\\nBcc: victim@evil.example"` stays one harmless header and never adds a recipient.
Addresses must be plain, valid addresses; anything else is a `ComposeError`.
"""

from __future__ import annotations

import email.policy
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

# Lines may be up to 998 characters (RFC 5322). The usual 78 would make Python encode a long
# message id in References as RFC 2047 words, which no mail client matches: threading breaks.
# 7-bit bodies (quoted-printable or base64) pass every relay, with or without 8BITMIME.
POLICY = email.policy.SMTP.clone(max_line_length=998, cte_type="7bit")
MAX_REFERENCES = 20

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                     r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
# RFC 5322 atext, dots, "@" and domain-literal brackets: nothing a header parser could misread.
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@\[\]-]{1,250}$")
_HEADER_NAME = re.compile(r"^[!-9;-~]{1,76}$")
_MIME_TOKEN = re.compile(r"^[a-z0-9!#$&^_.+-]{1,63}/[a-z0-9!#$&^_.+-]{1,63}$")
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # "gpj.exe" spoofing
_REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:)+\s*", re.IGNORECASE)


class ComposeError(ValueError):
    """The mail cannot be written (an address that is not one, a malformed id)."""


@dataclass(frozen=True)
class Mailbox:
    address: str
    name: str = ""


@dataclass(frozen=True)
class OutgoingFile:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    inline: bool = False
    content_id: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """One mail, before it becomes MIME. `message_id`, `in_reply_to`, `references` are ids
    with or without angle brackets; `headers` are extra ones (RFC 3834 automatic headers)."""

    sender: Mailbox
    to: Sequence[Mailbox]
    subject: str
    text: str
    message_id: str
    date: datetime
    cc: Sequence[Mailbox] = ()
    reply_to: Mailbox | None = None
    html: str | None = None
    in_reply_to: str | None = None
    references: Sequence[str] = ()
    files: Sequence[OutgoingFile] = ()
    headers: Mapping[str, str] = field(default_factory=dict)


def clean_text(value: str, limit: int = 900) -> str:
    """One line of header text: control characters (CR, LF, NUL, U+2028 ...) become spaces."""
    out = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value)
    out = " ".join(out.split())
    return out if len(out) <= limit else out[:limit - 1].rstrip() + "…"


def clean_filename(name: str) -> str:
    """A filename safe for a MIME parameter and for the customer's disk."""
    cleaned = clean_text(_BIDI.sub("", name).replace("/", "_").replace("\\", "_"),
                         limit=1000).strip(" .")
    if len(cleaned) > 150:  # keep the extension: it decides how the file opens
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (stem[:140] + dot + ext[:9]) if dot and len(ext) <= 9 else cleaned[:150]
    return cleaned or "attachment"


def reply_subject(subject: str, number: int, *, reply: bool = True) -> str:
    """`Re: <subject> [#<number>]`: one `Re:`, one ticket number (threading reads the last)."""
    base = clean_text(subject, limit=400)
    base = " ".join(re.sub(rf"\[#{number}\]", " ", base).split())
    base = _REPLY_PREFIX.sub("", base).strip() or "(no subject)"
    return f"{'Re: ' if reply else ''}{base} [#{number}]"


def message_id(value: str | None) -> str | None:
    """`<id>` for a well-formed id; None for anything that could break the header."""
    if value is None:
        return None
    bare = value.strip().removeprefix("<").removesuffix(">")
    return f"<{bare}>" if _MESSAGE_ID.match(bare) else None


def references(ids: Sequence[str], limit: int = MAX_REFERENCES) -> list[str]:
    """The thread's ids, oldest first, each once. Long threads keep the first (the thread's
    root, as RFC 5322 asks) and the most recent ones."""
    seen: dict[str, None] = {}
    for raw in ids:
        found = message_id(raw)
        if found is not None:
            seen.setdefault(found, None)
    kept = list(seen)
    return kept if len(kept) <= limit else [kept[0], *kept[-(limit - 1):]]


def address(box: Mailbox) -> Address:
    """A header address; the display name is cleaned, the address must be a real one."""
    raw = box.address.strip()
    local, at, domain = raw.rpartition("@")
    if not at or not _LOCAL.match(local) or ".." in local:
        raise ComposeError(f"not a deliverable address: {clean_text(raw, 100)!r}")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ComposeError(f"not a deliverable domain: {clean_text(domain, 100)!r}") from None
    if not _DOMAIN.match(ascii_domain):
        raise ComposeError(f"not a deliverable domain: {clean_text(domain, 100)!r}")
    return Address(display_name=clean_text(box.name, 200), username=local, domain=ascii_domain)


def envelope_address(box: Mailbox) -> str:
    """The plain address for SMTP's MAIL FROM / RCPT TO (validated like a header one)."""
    return address(box).addr_spec


def build(out: Outgoing) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    msg["From"] = address(out.sender)
    if not out.to:
        raise ComposeError("a mail needs a recipient")
    msg["To"] = tuple(address(m) for m in out.to)
    if out.cc:
        msg["Cc"] = tuple(address(m) for m in out.cc)
    if out.reply_to is not None:
        msg["Reply-To"] = address(out.reply_to)
    msg["Subject"] = clean_text(out.subject) or "(no subject)"
    msg["Date"] = format_datetime(out.date)
    own_id = message_id(out.message_id)
    if own_id is None:
        raise ComposeError("the mail's Message-ID is malformed")
    msg["Message-ID"] = own_id
    parent = message_id(out.in_reply_to)
    if parent is not None:
        msg["In-Reply-To"] = parent
    refs = references(out.references)
    if refs:
        msg["References"] = " ".join(refs)
    for name, value in out.headers.items():
        if not _HEADER_NAME.match(name) or name.lower() in _OWN_HEADERS:
            raise ComposeError(f"not an extra header Tend may set: {clean_text(name, 80)!r}")
        msg[name] = clean_text(value)

    msg.set_content(_lines(out.text) or " ")
    files = list(out.files)
    if out.html is not None:
        msg.add_alternative(html_document(out.html), subtype="html")
        html_part = msg.get_body(("html",))
        assert html_part is not None and isinstance(html_part, EmailMessage)
        for f in [f for f in files if f.inline and message_id(f.content_id)]:
            maintype, subtype = _mime_type(f.content_type)
            html_part.add_related(f.data, maintype, subtype, cid=message_id(f.content_id),
                                  disposition="inline", filename=clean_filename(f.filename))
            files.remove(f)
    for f in files:
        maintype, subtype = _mime_type(f.content_type)
        msg.add_attachment(f.data, maintype, subtype, filename=clean_filename(f.filename))
    return msg


_OWN_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id",
                          "in-reply-to", "references", "sender", "mime-version",
                          "content-type", "content-transfer-encoding", "return-path"})


def html_document(fragment: str) -> str:
    """Stored bodies are sanitized fragments; mail clients want a whole document."""
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
            f"{fragment}\n</body></html>\n")


def _lines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") or not text else text + "\n"


def _mime_type(content_type: str) -> tuple[str, str]:
    value = content_type.split(";", 1)[0].strip().lower()
    if not _MIME_TOKEN.match(value) or value.startswith(("multipart/", "message/")):
        value = "application/octet-stream"
    maintype, _, subtype = value.partition("/")
    return maintype, subtype


# --- the words of Tend's automatic mails ------------------------------------------------------

def acknowledgement_text(*, helpdesk: str, number: int, portal_url: str) -> str:
    """The body of the automatic answer to a new request by email. It repeats nothing the
    sender wrote (not even their name): a forged sender must not make Tend relay their text."""
    return (
        "Hello,\n\n"
        f"Thank you for writing to {helpdesk}. We received your request and gave it the "
        f"number #{number}. We will answer you by email; reply to this mail if you want to "
        f"add something.\n\n"
        f"You can also follow your requests online:\n{portal_url}\n\n"
        "This is an automatic message.\n"
    )
