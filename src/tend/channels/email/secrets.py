"""Mail server passwords, encrypted at rest with a key derived from the instance's secret.

An inbox's SMTP and IMAP passwords must be usable (Tend logs in with them), so they cannot be
hashed; they are sealed with Fernet (AES-128-CBC + HMAC-SHA256) instead. A database dump or
backup alone then does not reveal them: the key comes from `TEND_SECRET_KEY` (HKDF, with a
context string of its own, so it is never the key that signs tokens).

Sealed values carry a prefix. `unseal` returns a value without it unchanged, so rows written
before encryption (or directly by tests and scripts) keep working.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if TYPE_CHECKING:
    from tend.settings import Settings

PREFIX = "fernet:"
_CONTEXT = b"tend channels.email.secrets v1: inbox mail server passwords"


class SecretError(ValueError):
    """A sealed value that this instance's key cannot open (the secret key changed)."""


@lru_cache(maxsize=4)
def _fernet(signing_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_CONTEXT).derive(
        signing_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(settings: Settings, plaintext: str) -> str:
    """The value to store for `plaintext`."""
    token = _fernet(settings.signing_key()).encrypt(plaintext.encode())
    return PREFIX + token.decode("ascii")


def unseal(settings: Settings, sealed: str) -> str:
    """The plaintext of a stored value; a value that was never sealed comes back as it is."""
    if not sealed.startswith(PREFIX):
        return sealed
    try:
        plain = _fernet(settings.signing_key()).decrypt(sealed[len(PREFIX):].encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        raise SecretError("A stored mail server password cannot be decrypted (did "
                          "TEND_SECRET_KEY change?); enter it again on the inbox.") from None
    return plain.decode()


def is_sealed(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)
