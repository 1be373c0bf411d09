"""Random credentials that are stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets as _secrets


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str = "", nbytes: int = 32) -> tuple[str, str]:
    """A fresh (token, digest) pair; the token is shown once, the digest is stored."""
    token = prefix + _secrets.token_urlsafe(nbytes)
    return token, digest(token)
