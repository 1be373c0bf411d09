"""Keyset pagination by id for simple lists (customers, organizations)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tend.ids import is_id


class HasId(Protocol):
    id: Any


T = TypeVar("T", bound=HasId)


class CursorError(ValueError):
    pass


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps(["id", last_id]).encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        kind, last_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        raise CursorError("The cursor is not valid; start again without it.") from None
    if kind != "id" or not is_id(last_id):
        raise CursorError("The cursor is not valid; start again without it.")
    return int(last_id)


def page_by_id(
    session: Session, stmt: Select[T], id_column: InstrumentedAttribute[Any],
    cursor: str | None, limit: int,
) -> tuple[list[T], str | None]:
    if not 1 <= limit <= 100:
        raise CursorError("limit must be between 1 and 100.")
    if cursor:
        stmt = stmt.where(id_column > _decode(cursor))
    rows = list(session.scalars(stmt.order_by(id_column).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_encode(rows[-1].id) if more else None)
