"""Pure ticket rules: statuses, transitions, tags, custom field values. No I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Status = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
STATUSES: tuple[Status, ...] = ("new", "open", "pending", "on_hold", "solved", "closed")
OPEN_STATUSES: tuple[Status, ...] = ("new", "open", "pending", "on_hold")
Priority = Literal["low", "normal", "high", "urgent"]
PRIORITIES: tuple[Priority, ...] = ("low", "normal", "high", "urgent")
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}
FIELD_TYPES = ("text", "number", "checkbox", "date", "dropdown")
_TAG = re.compile(r"^[a-z0-9][a-z0-9_\-:.]{0,59}$")
_FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class RuleError(ValueError):
    """A change that breaks a ticket rule; the message is shown to the user as is."""


def check_status_change(old: str, new: str) -> None:
    if new not in STATUSES:
        raise RuleError(f"Unknown status '{new}'. Use one of: {', '.join(STATUSES)}.")
    if old == new:
        return
    if old == "closed":
        raise RuleError("Closed tickets cannot change. Open a follow-up ticket instead.")
    if new == "new":
        raise RuleError("A ticket cannot go back to 'new'.")
    if new == "closed" and old != "solved":
        raise RuleError("Only solved tickets can be closed; solve it first.")


def status_after_customer_message(status: str) -> tuple[str, bool]:
    """(new status, whether this is a reopen) when the customer writes on the ticket."""
    if status == "solved":
        return "open", True
    if status in ("pending", "on_hold"):
        return "open", False
    return status, False


def status_after_agent_reply(status: str) -> str:
    """An agent's public reply takes a new ticket into work."""
    return "open" if status == "new" else status


def normalize_tag(raw: str) -> str:
    tag = re.sub(r"\s+", "-", raw.strip().lower())
    if not _TAG.match(tag):
        raise RuleError(
            f"'{raw[:60]}' is not a valid tag: use up to 60 letters, digits, '-', '_', ':' or '.'."
        )
    return tag


def normalize_tags(raw: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in raw:
        seen[normalize_tag(item)] = None
    if len(seen) > 50:
        raise RuleError("A ticket can have at most 50 tags.")
    return list(seen)


def check_field_key(key: str) -> str:
    if not _FIELD_KEY.match(key):
        raise RuleError("Field keys start with a letter and use a-z, 0-9 and _ (like order_no).")
    return key


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str
    options: tuple[str, ...] = ()
    required_to_solve: bool = False


def clean_field_value(spec: FieldSpec, value: Any) -> Any:
    """The stored form of `value` for a field, or RuleError. None clears the field."""
    if value is None or value == "":
        return None
    label = spec.label
    if spec.type == "text":
        if not isinstance(value, str):
            raise RuleError(f"{label} must be text.")
        if len(value) > 1000:
            raise RuleError(f"{label} may have at most 1000 characters.")
        return value.strip()
    if spec.type == "number":
        if isinstance(value, bool):
            raise RuleError(f"{label} must be a number.")
        if isinstance(value, int | float):
            return value
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                raise RuleError(f"{label} must be a number.") from None
            return int(number) if number.is_integer() else number
        raise RuleError(f"{label} must be a number.")
    if spec.type == "checkbox":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "on", "1", "yes", "false", "0"):
            return value.lower() in ("true", "on", "1", "yes")
        raise RuleError(f"{label} must be true or false.")
    if spec.type == "date":
        if not isinstance(value, str):
            raise RuleError(f"{label} must be a date written YYYY-MM-DD.")
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise RuleError(f"{label} must be a date written YYYY-MM-DD.") from None
    if spec.type == "dropdown":
        if value not in spec.options:
            raise RuleError(f"{label} must be one of: {', '.join(spec.options)}.")
        return value
    raise RuleError(f"{label} has an unknown type.")


def clean_custom_fields(
    specs: Mapping[str, FieldSpec], current: Mapping[str, Any], changes: Mapping[str, Any]
) -> dict[str, Any]:
    """Apply `changes` to `current`; unknown keys and bad values raise RuleError."""
    unknown = sorted(set(changes) - set(specs))
    if unknown:
        raise RuleError(f"Unknown custom field(s): {', '.join(unknown)}.")
    result = dict(current)
    for key, value in changes.items():
        cleaned = clean_field_value(specs[key], value)
        if cleaned is None:
            result.pop(key, None)
        else:
            result[key] = cleaned
    return result


def missing_to_solve(specs: Mapping[str, FieldSpec], values: Mapping[str, Any]) -> list[str]:
    return [s.label for s in specs.values() if s.required_to_solve and values.get(s.key) is None]
