"""Which ticket an incoming email belongs to: the pure rules, strongest signal first.

1. Tend's own signed token, found in the Message-ID of mail Tend sent (and so in the reply's
   In-Reply-To / References) or in a `reply+<token>@` address. A forged or unsigned token is
   ignored.
2. In-Reply-To / References matching a message id Tend stored.
3. The ticket number in the subject (`[#1234]`), only when the sender is a participant.
4. Otherwise a new ticket.

A sender who is not a participant never joins an existing ticket silently: their mail opens a
new ticket that points to the one it answered. Mail that failed sender authentication (DMARC)
is quarantined, whatever it carries. No I/O here: the caller looks tickets up and passes facts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

_TOKEN_BYTES = 10  # 80-bit MAC: forging one is out of reach, and ids stay short
_TOKEN = re.compile(r"^t([a-z2-7]+)$")
_OUR_MESSAGE_ID = re.compile(r"^tend\.(\d{1,12})\.(t[a-z2-7]{4,64})@", re.IGNORECASE)
_REPLY_ADDRESS = re.compile(r"^[^@+\s]+\+(t[a-z2-7]{4,64})@", re.IGNORECASE)
_SUBJECT_NUMBER = re.compile(r"\[#(\d{1,10})\]")


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=").lower()


def _unb32(text: str) -> bytes:
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


def _mac(secret: str, ticket_id: int) -> bytes:
    key = hashlib.sha256(f"tend.email.thread:{secret}".encode()).digest()
    return hmac.new(key, str(ticket_id).encode(), hashlib.sha256).digest()[:_TOKEN_BYTES]


def make_token(secret: str, ticket_id: int) -> str:
    """A token naming `ticket_id`, signed with the instance's secret (`t` + base32)."""
    if ticket_id < 1:
        raise ValueError("ticket ids are positive")
    return "t" + _b32(ticket_id.to_bytes(8, "big").lstrip(b"\0") + _mac(secret, ticket_id))


def read_token(secret: str, token: str) -> int | None:
    """The ticket id a genuine token names; None for anything forged, unsigned or malformed."""
    m = _TOKEN.match(token.strip().lower())
    if m is None:
        return None
    try:
        raw = _unb32(m.group(1))
    except ValueError:
        return None
    if len(raw) <= _TOKEN_BYTES or len(raw) > _TOKEN_BYTES + 8 or _b32(raw) != m.group(1):
        return None  # wrong length, or a non-canonical spelling of the same bytes
    ticket_id = int.from_bytes(raw[:-_TOKEN_BYTES], "big")
    if ticket_id < 1 or not hmac.compare_digest(raw[-_TOKEN_BYTES:], _mac(secret, ticket_id)):
        return None
    return ticket_id


def message_id_for(secret: str, ticket_id: int, message_id: int, domain: str) -> str:
    """The Message-ID of a mail Tend sends for a message (without angle brackets)."""
    return f"tend.{message_id}.{make_token(secret, ticket_id)}@{domain}"


def base_address(address: str) -> str:
    """`support+t123@Shop.example` → `support@shop.example`: the inbox a subaddress names."""
    local, _, domain = address.strip().strip("<>").rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}".lower()


def reply_address(secret: str, ticket_id: int, inbox_address: str) -> str:
    """`support+<token>@example.com`: replies find their ticket even when ids are dropped."""
    local, _, domain = inbox_address.partition("@")
    return f"{local.split('+', 1)[0]}+{make_token(secret, ticket_id)}@{domain}"


def token_ticket(secret: str, message_ids: Iterable[str],
                 addresses: Iterable[str]) -> int | None:
    """The ticket named by a genuine token in referenced message ids or recipient addresses.

    The last reference is the nearest ancestor, so it wins; tokens that fail the check are
    skipped (a forged one cannot shadow a genuine one).
    """
    for mid in reversed(list(message_ids)):
        m = _OUR_MESSAGE_ID.match(mid.strip().strip("<>"))
        if m and (found := read_token(secret, m.group(2))) is not None:
            return found
    for address in addresses:
        m = _REPLY_ADDRESS.match(address.strip())
        if m and (found := read_token(secret, m.group(1))) is not None:
            return found
    return None


def subject_number(subject: str) -> int | None:
    """The ticket number written as `[#1234]` in a subject (the last one, if several)."""
    found = _SUBJECT_NUMBER.findall(subject)
    return int(found[-1]) if found else None


Method = Literal["token", "references", "subject", "new", "follow_up", "quarantine"]


@dataclass(frozen=True)
class ThreadDecision:
    method: Method
    ticket_id: int | None = None  # the ticket to append to (token/references/subject)
    related_ticket_id: int | None = None  # what a new follow-up ticket points to
    reason: str = ""


def decide(
    *,
    authenticated: bool,
    token_ticket_id: int | None,
    reference_ticket_id: int | None,
    subject_ticket_id: int | None,
    sender_is_participant: bool,
) -> ThreadDecision:
    """Apply the rules in order. Each `*_ticket_id` is what that signal points to (or None);
    `sender_is_participant` is about the ticket the strongest signal points to."""
    if not authenticated:
        return ThreadDecision("quarantine", reason="the sender failed authentication (DMARC)")
    for method, ticket_id in (("token", token_ticket_id), ("references", reference_ticket_id)):
        if ticket_id is None:
            continue
        if sender_is_participant:
            return ThreadDecision(method, ticket_id)  # type: ignore[arg-type]
        return ThreadDecision("follow_up", related_ticket_id=ticket_id,
                              reason=f"matched by {method}, but the sender is not a participant")
    if subject_ticket_id is not None and sender_is_participant:
        return ThreadDecision("subject", subject_ticket_id)
    return ThreadDecision("new")
