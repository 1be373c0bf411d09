"""Custom field definitions: who may change them, validation, events."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tend.access import Forbidden
from tend.audit.models import AuditEvent
from tend.events.catalog import CustomFieldChanged, Event
from tend.runtime import Runtime
from tend.tickets import fields
from tend.tickets.models import CustomField
from tend.tickets.rules import RuleError
from tests.conftest import Cast


@pytest.fixture
def events(rt: Runtime) -> list[Event]:
    seen: list[Event] = []
    rt.bus.subscribe("custom_field.changed", seen.append)
    return seen


def _create(rt: Runtime, cast: Cast, **values: Any) -> int:
    base: dict[str, Any] = {"key": "size", "label": "Size", "type": "dropdown",
                            "options": ["small", "large"]}
    with rt.db.write() as s:
        assert cast.admin.actor is not None
        return fields.create_custom_field(s, cast.admin.actor, **(base | values)).id


def test_admin_creates_a_dropdown_and_an_event_is_published(rt: Runtime, cast: Cast,
                                                            events: list[Event]) -> None:
    field_id = _create(rt, cast, options=[" small ", "", "large"], required_to_solve=True,
                       position=3)
    with rt.db.read() as s:
        f = s.get(CustomField, field_id)
        assert f is not None
        assert (f.key, f.label, f.type, f.options) == ("size", "Size", "dropdown",
                                                       ["small", "large"])
        assert f.required_to_solve and f.active and not f.customer_visible and f.position == 3
        audit = s.scalars(select(AuditEvent).where(AuditEvent.event == "custom_field.changed"))
        assert [a.subject_id for a in audit] == [field_id]
    assert len(events) == 1
    evt = events[0]
    assert isinstance(evt, CustomFieldChanged)
    assert evt.custom_field_id == field_id and evt.actor == cast.admin.actor.ref  # type: ignore[union-attr]
    assert evt.changes["key"] == (None, "size")
    assert evt.changes["options"] == (None, ["small", "large"])


@pytest.mark.parametrize("role", ["agent", "light_agent", "partner_agent"])
def test_only_admins_change_custom_fields(rt: Runtime, cast: Cast, role: str) -> None:
    field_id = _create(rt, cast)
    actor = cast.by_role(role).actor
    assert actor is not None
    with rt.db.write() as s:
        with pytest.raises(Forbidden):
            fields.create_custom_field(s, actor, key="other", label="Other", type="text")
        f = s.get(CustomField, field_id)
        assert f is not None
        with pytest.raises(Forbidden):
            fields.update_custom_field(s, actor, f, {"label": "Hacked"})
        with pytest.raises(Forbidden):
            fields.access_custom_field(s, actor, field_id)


@pytest.mark.parametrize(("values", "message"), [
    ({"key": "Order Number"}, "Field keys start with a letter"),
    ({"key": "1size"}, "Field keys start with a letter"),
    ({"type": "colour"}, "Unknown field type 'colour'"),
    ({"options": []}, "needs at least one option"),
    ({"options": ["  ", ""]}, "needs at least one option"),
    ({"options": ["a", "b", "a"]}, "'a' appears twice"),
    ({"options": ["x" * 101]}, "at most 100 characters"),
    ({"label": "   "}, "label of 1 to 120"),
    ({"label": "L" * 121}, "label of 1 to 120"),
    ({"position": "first"}, "whole number"),
])
def test_invalid_definitions_are_refused(rt: Runtime, cast: Cast, events: list[Event],
                                         values: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleError, match=message):
        _create(rt, cast, **values)
    with rt.db.read() as s:
        assert s.scalars(select(CustomField)).all() == []
    assert events == []


def test_keys_are_unique(rt: Runtime, cast: Cast) -> None:
    _create(rt, cast)
    with pytest.raises(RuleError, match="already exists"):
        _create(rt, cast, label="Another size", type="text", options=[])


def test_options_are_dropped_for_other_types(rt: Runtime, cast: Cast) -> None:
    field_id = _create(rt, cast, key="order_number", type="text", options=["stray"])
    with rt.db.read() as s:
        assert s.get(CustomField, field_id).options == []  # type: ignore[union-attr]


def test_update_changes_only_what_differs_and_reports_it(rt: Runtime, cast: Cast,
                                                         events: list[Event]) -> None:
    field_id = _create(rt, cast)
    events.clear()
    assert cast.admin.actor is not None
    with rt.db.write() as s:
        f = fields.access_custom_field(s, cast.admin.actor, field_id)
        fields.update_custom_field(s, cast.admin.actor, f, {
            "key": "size", "label": "Size", "options": ["small", "medium", "large"],
            "active": False})
    assert len(events) == 1
    assert events[0].changes == {  # type: ignore[attr-defined]
        "options": (["small", "large"], ["small", "medium", "large"]),
        "active": (True, False)}
    with rt.db.write() as s:
        f = fields.access_custom_field(s, cast.admin.actor, field_id)
        fields.update_custom_field(s, cast.admin.actor, f, {"label": "Size"})
    assert len(events) == 1  # nothing changed, nothing published


def test_the_key_never_changes(rt: Runtime, cast: Cast) -> None:
    field_id = _create(rt, cast)
    assert cast.admin.actor is not None
    with rt.db.write() as s:
        f = fields.access_custom_field(s, cast.admin.actor, field_id)
        with pytest.raises(RuleError, match="key cannot change"):
            fields.update_custom_field(s, cast.admin.actor, f, {"key": "dimension"})
        with pytest.raises(RuleError, match="Unknown custom field setting"):
            fields.update_custom_field(s, cast.admin.actor, f, {"created_at": None})


def test_changing_the_type_revalidates_options(rt: Runtime, cast: Cast) -> None:
    field_id = _create(rt, cast, key="notes", type="text")
    assert cast.admin.actor is not None
    with rt.db.write() as s:
        f = fields.access_custom_field(s, cast.admin.actor, field_id)
        with pytest.raises(RuleError, match="at least one option"):
            fields.update_custom_field(s, cast.admin.actor, f, {"type": "dropdown"})
    with rt.db.write() as s:
        f = fields.access_custom_field(s, cast.admin.actor, field_id)
        fields.update_custom_field(s, cast.admin.actor, f, {"type": "dropdown",
                                                              "options": ["a"]})
        fields.update_custom_field(s, cast.admin.actor, f, {"type": "checkbox"})
        assert (f.type, f.options) == ("checkbox", [])


def test_missing_field_is_not_found(rt: Runtime, cast: Cast) -> None:
    from tend.access import NotFound

    assert cast.admin.actor is not None
    with rt.db.read() as s, pytest.raises(NotFound):
        fields.access_custom_field(s, cast.admin.actor, 999)
