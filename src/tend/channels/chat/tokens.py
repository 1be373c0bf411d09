"""Signed tokens of the chat channel: visitor tokens, website-signed identities, file links.

Every secret is derived from the instance secret (`Settings.signing_key`) with a purpose label,
so one leaked purpose does not forge another, and nothing secret is stored in the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

_VISITOR = b"tend.chat.visitor"
_IDENTITY = b"tend.chat.identity"
_FILE = b"tend.chat.file"


def _key(secret: str, purpose: bytes, *extra: str) -> bytes:
    return hmac.new(secret.encode(), b"|".join([purpose, *(e.encode() for e in extra)]),
                    hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()



def visitor_token(secret: str, inbox_key: str, visitor_id: int) -> str:
    """`<visitor id>.<mac>`: proves the holder is that visitor of that chat inbox."""
    mac = hmac.new(_key(secret, _VISITOR, inbox_key), str(visitor_id).encode(),
                   hashlib.sha256).digest()[:18]
    return f"{visitor_id}.{_b64(mac)}"


def read_visitor_token(secret: str, inbox_key: str, token: str) -> int | None:
    head, _, _mac = token.partition(".")
    if not head.isdigit() or len(token) > 80:
        return None
    expected = visitor_token(secret, inbox_key, int(head))
    return int(head) if hmac.compare_digest(expected, token) else None


def identity_secret(secret: str, salt: str) -> str:
    """The secret a website signs its visitors' identities with (Admin → Chat shows it)."""
    return _key(secret, _IDENTITY, salt).hex()


def identity_hash(identity_key: str, email: str) -> str:
    """What the website computes: hex(HMAC-SHA256(identity secret, email))."""
    return hmac.new(identity_key.encode(), email.strip().lower().encode(),
                    hashlib.sha256).hexdigest()


def identity_valid(identity_key: str, email: str, given: str) -> bool:
    return hmac.compare_digest(identity_hash(identity_key, email), given.strip().lower())


def file_signature(secret: str, attachment_id: int, expires: int) -> str:
    mac = hmac.new(_key(secret, _FILE), f"{attachment_id}:{expires}".encode(),
                   hashlib.sha256).digest()[:18]
    return f"{expires}.{_b64(mac)}"


def file_signature_valid(secret: str, attachment_id: int, sig: str,
                         now: float | None = None) -> bool:
    head, _, _ = sig.partition(".")
    if not head.isdigit() or int(head) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(file_signature(secret, attachment_id, int(head)), sig)


