"""Argon2id password hashing."""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 256


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_password_strength(password: str) -> str | None:
    """A readable reason why `password` is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Passwords need at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Passwords may have at most {MAX_LENGTH} characters."
    if password.isdigit() or len(set(password)) < 4:
        return "That password is too easy to guess."
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


_DUMMY: list[str] = []


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-effort check: an unknown user costs as much as a wrong password."""
    if not password_hash:
        if not _DUMMY:
            _DUMMY.append(hash_password("dummy password for timing"))
        password_hash, password = _DUMMY[0], password + "x"
        with suppress(VerificationError, InvalidHashError):
            _hasher().verify(password_hash, password)
        return False
    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
