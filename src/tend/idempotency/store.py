"""Idempotency records: claim a key, then remember the response it produced."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tend.db import utcnow
from tend.idempotency.models import IdempotencyRecord

KEEP = timedelta(hours=24)
STALE_IN_PROGRESS = timedelta(minutes=5)


def scope_hash(credential: str, key: str) -> str:
    return hashlib.sha256(f"{credential}\x00{key}".encode()).hexdigest()


def request_hash(method: str, path: str, body: bytes) -> str:
    h = hashlib.sha256(f"{method} {path}\n".encode())
    h.update(body)
    return h.hexdigest()


@dataclass(frozen=True)
class Claim:
    outcome: str  # "new", "replay", "mismatch", "in_progress"
    record: IdempotencyRecord | None = None


def claim(session: Session, scope: str, req_hash: str, method: str, path: str) -> Claim:
    now = utcnow()
    existing = session.get(IdempotencyRecord, scope)
    if existing is not None and existing.created_at < now - KEEP:
        session.delete(existing)
        session.flush()
        existing = None
    if existing is not None and existing.status_code is None:
        if existing.created_at < now - STALE_IN_PROGRESS:
            session.delete(existing)  # the first attempt died; let this one run
            session.flush()
            existing = None
        else:
            return Claim("in_progress", existing)
    if existing is not None:
        if existing.request_hash != req_hash:
            return Claim("mismatch", existing)
        return Claim("replay", existing)
    try:
        with session.begin_nested():
            session.add(IdempotencyRecord(scope_hash=scope, request_hash=req_hash, method=method,
                                          path=path[:2000], created_at=now))
    except IntegrityError:
        return Claim("in_progress")
    return Claim("new")


def complete(session: Session, scope: str, status: int, content_type: str, body: bytes) -> None:
    record = session.get(IdempotencyRecord, scope)
    if record is not None:
        record.status_code, record.content_type, record.body = status, content_type, body


def release(session: Session, scope: str) -> None:
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.scope_hash == scope))


def purge_expired(session: Session) -> None:
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP))
