"""Fixed-window rate limits stored in the database, so every process shares them."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tend.auth.models import RateLimitHit
from tend.db import utcnow

_KEY_MAX = 200  # the key column's width


def _fit(key: str) -> str:
    """Keys naming long values (email addresses may have 254+ characters) are hashed to fit."""
    if len(key) <= _KEY_MAX:
        return key
    kind = key.split(":", 1)[0][:50]
    return f"{kind}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def hits(session: Session, key: str, window_seconds: int) -> int:
    row = session.get(RateLimitHit, _fit(key))
    if row is None or row.window_start < utcnow() - timedelta(seconds=window_seconds):
        return 0
    return row.count


def is_limited(session: Session, key: str, limit: int, window_seconds: int) -> bool:
    return hits(session, key, window_seconds) >= limit


def hit(session: Session, key: str, window_seconds: int) -> int:
    """Count one attempt against `key`; returns the count in the current window."""
    now = utcnow()
    key = _fit(key)
    row = session.execute(
        select(RateLimitHit).where(RateLimitHit.key == key).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        row = RateLimitHit(key=key, window_start=now, count=0)
        session.add(row)
    elif row.window_start < now - timedelta(seconds=window_seconds):
        row.window_start, row.count = now, 0
    row.count += 1
    session.flush()
    return row.count


def reset(session: Session, key: str) -> None:
    session.execute(delete(RateLimitHit).where(RateLimitHit.key == _fit(key)))
