"""Custom fields: the admin-defined ticket fields (definitions only; values live on tickets).

Only admins (Permission.SETTINGS_WRITE) create or change them. A field's `key` is what tickets
store their value under, so it never changes after creation; retire a field with `active=False`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tend.access import Actor, NotFound, Permission, require
from tend.events import emit
from tend.events.catalog import CustomFieldChanged
from tend.tickets.models import CustomField
from tend.tickets.rules import FIELD_TYPES, RuleError, check_field_key

LABEL_MAX = 120
OPTION_MAX = 100
OPTIONS_MAX = 200
_EDITABLE = ("label", "type", "options", "required_to_solve", "customer_visible", "active",
             "position")


def all_custom_fields(session: Session) -> list[CustomField]:
    """Every custom field, active or not, in display order."""
    return list(session.scalars(
        select(CustomField).order_by(CustomField.position, CustomField.id)))


def access_custom_field(session: Session, actor: Actor, field_id: int) -> CustomField:
    require(actor, Permission.SETTINGS_WRITE)
    field = session.get(CustomField, field_id)
    if field is None:
        raise NotFound(f"Custom field {field_id} was not found.")
    return field


def _label(value: Any) -> str:
    label = str(value or "").strip()
    if not 1 <= len(label) <= LABEL_MAX:
        raise RuleError(f"A custom field needs a label of 1 to {LABEL_MAX} characters.")
    return label


def _type(value: Any) -> str:
    if value not in FIELD_TYPES:
        raise RuleError(f"Unknown field type '{value}'. Use one of: {', '.join(FIELD_TYPES)}.")
    return str(value)


def _options(field_type: str, raw: Iterable[Any]) -> list[str]:
    if isinstance(raw, str):
        raise RuleError("Options are a list of texts.")
    options = [str(o).strip() for o in raw if str(o).strip()]
    if field_type != "dropdown":
        return []  # only dropdowns have options; keep stale ones from lingering after a change
    if not options:
        raise RuleError("A dropdown field needs at least one option.")
    if len(options) > OPTIONS_MAX:
        raise RuleError(f"A dropdown field may have at most {OPTIONS_MAX} options.")
    too_long = [o for o in options if len(o) > OPTION_MAX]
    if too_long:
        raise RuleError(f"Options may have at most {OPTION_MAX} characters: '{too_long[0][:40]}…'.")
    seen: set[str] = set()
    for option in options:
        if option in seen:
            raise RuleError(f"The option '{option}' appears twice; options must be unique.")
        seen.add(option)
    return options


def _position(value: Any) -> int:
    if isinstance(value, bool):
        raise RuleError("The position is a whole number.")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RuleError("The position is a whole number.") from None


def _clean(values: Mapping[str, Any], field_type: str) -> dict[str, Any]:
    """The validated form of the editable values present in `values`."""
    out: dict[str, Any] = {}
    if "label" in values:
        out["label"] = _label(values["label"])
    if "options" in values:
        out["options"] = _options(field_type, values["options"] or ())
    for flag in ("required_to_solve", "customer_visible", "active"):
        if flag in values:
            out[flag] = bool(values[flag])
    if "position" in values:
        out["position"] = _position(values["position"])
    return out


def create_custom_field(
    session: Session,
    actor: Actor,
    *,
    key: str,
    label: str,
    type: str,
    options: Iterable[str] = (),
    required_to_solve: bool = False,
    customer_visible: bool = False,
    active: bool = True,
    position: int = 0,
) -> CustomField:
    require(actor, Permission.SETTINGS_WRITE)
    key = check_field_key(key.strip())
    if session.scalar(select(CustomField.id).where(CustomField.key == key)) is not None:
        raise RuleError(f"A custom field with the key '{key}' already exists.")
    field_type = _type(type)
    values = _clean({"label": label, "options": options, "required_to_solve": required_to_solve,
                     "customer_visible": customer_visible, "active": active,
                     "position": position}, field_type)
    field = CustomField(key=key, type=field_type, **values)
    session.add(field)
    session.flush()
    created = {"key": key, "type": field_type, **values}
    emit(session, CustomFieldChanged(actor=actor.ref, custom_field_id=field.id,
                                     changes={k: (None, v) for k, v in created.items()}))
    return field


def update_custom_field(
    session: Session, actor: Actor, field: CustomField, changes: Mapping[str, Any]
) -> CustomField:
    require(actor, Permission.SETTINGS_WRITE)
    if "key" in changes and changes["key"] != field.key:
        raise RuleError("A custom field's key cannot change: tickets store values under it.")
    unknown = sorted(set(changes) - {"key", *_EDITABLE})
    if unknown:
        raise RuleError(f"Unknown custom field setting(s): {', '.join(unknown)}.")
    field_type = _type(changes["type"]) if "type" in changes else field.type
    values = _clean(changes, field_type)
    if "type" in changes:
        values["type"] = field_type
        if "options" not in values:
            values["options"] = _options(field_type, field.options)
    diff: dict[str, tuple[Any, Any]] = {}
    for name, value in values.items():
        before = getattr(field, name)
        if value != before:
            diff[name] = (list(before) if name == "options" else before, value)
            setattr(field, name, value)
    if diff:
        session.flush()
        emit(session, CustomFieldChanged(actor=actor.ref, custom_field_id=field.id, changes=diff))
    return field
