"""Pure ticket rules (tend.tickets.rules): no database, no I/O."""

from __future__ import annotations

from typing import Any

import pytest

from tend.tickets import rules
from tend.tickets.rules import FieldSpec, RuleError

ALLOWED = [
    ("new", "open"), ("new", "pending"), ("new", "solved"), ("open", "on_hold"),
    ("pending", "open"), ("on_hold", "solved"), ("solved", "open"), ("solved", "closed"),
    ("open", "open"), ("closed", "closed"),
]
REFUSED = [
    ("open", "new", "back to 'new'"),
    ("solved", "new", "back to 'new'"),
    ("open", "closed", "solve it first"),
    ("new", "closed", "solve it first"),
    ("closed", "open", "Closed tickets cannot change"),
    ("closed", "solved", "Closed tickets cannot change"),
    ("open", "done", "Unknown status 'done'"),
]


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_status_changes(old: str, new: str) -> None:
    rules.check_status_change(old, new)


@pytest.mark.parametrize(("old", "new", "message"), REFUSED)
def test_refused_status_changes(old: str, new: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        rules.check_status_change(old, new)


@pytest.mark.parametrize(("status", "after", "reopened"), [
    ("new", "new", False), ("open", "open", False), ("pending", "open", False),
    ("on_hold", "open", False), ("solved", "open", True),
])
def test_status_after_customer_message(status: str, after: str, reopened: bool) -> None:
    assert rules.status_after_customer_message(status) == (after, reopened)


@pytest.mark.parametrize(("status", "after"), [
    ("new", "open"), ("open", "open"), ("pending", "pending"), ("solved", "solved"),
])
def test_status_after_agent_reply(status: str, after: str) -> None:
    assert rules.status_after_agent_reply(status) == after


def test_statuses_and_priorities() -> None:
    assert set(rules.OPEN_STATUSES) < set(rules.STATUSES)
    assert "solved" not in rules.OPEN_STATUSES and "closed" not in rules.OPEN_STATUSES
    assert [rules.PRIORITY_RANK[p] for p in ("low", "normal", "high", "urgent")] == [0, 1, 2, 3]


@pytest.mark.parametrize(("raw", "tag"), [
    ("VIP", "vip"), ("  needs review ", "needs-review"), ("a:b.c_d-e", "a:b.c_d-e"),
    ("x" * 60, "x" * 60), ("2fa", "2fa"),
])
def test_normalize_tag(raw: str, tag: str) -> None:
    assert rules.normalize_tag(raw) == tag


@pytest.mark.parametrize("raw", ["", "  ", "-lead", "x" * 61, "émoji", "a/b", "semi;colon"])
def test_bad_tags(raw: str) -> None:
    with pytest.raises(RuleError, match="not a valid tag"):
        rules.normalize_tag(raw)


def test_normalize_tags_dedupes_and_limits() -> None:
    assert rules.normalize_tags(["B", "a", "b", "A "]) == ["b", "a"]
    assert len(rules.normalize_tags([f"t{i}" for i in range(50)])) == 50
    with pytest.raises(RuleError, match="at most 50"):
        rules.normalize_tags([f"t{i}" for i in range(51)])


@pytest.mark.parametrize("key", ["order_number", "a", "x1_2"])
def test_good_field_keys(key: str) -> None:
    assert rules.check_field_key(key) == key


@pytest.mark.parametrize("key", ["", "1abc", "Order", "order-number", "a" * 61, "ü"])
def test_bad_field_keys(key: str) -> None:
    with pytest.raises(RuleError):
        rules.check_field_key(key)


TEXT = FieldSpec("ref", "Reference", "text")
NUMBER = FieldSpec("qty", "Quantity", "number")
CHECK = FieldSpec("vip", "VIP", "checkbox")
DATE = FieldSpec("due", "Due date", "date")
DROP = FieldSpec("kind", "Kind", "dropdown", ("bug", "question"))


@pytest.mark.parametrize(("spec", "value", "stored"), [
    (TEXT, " abc ", "abc"), (TEXT, None, None), (TEXT, "", None),
    (NUMBER, 3, 3), (NUMBER, 2.5, 2.5), (NUMBER, " 4 ", 4), (NUMBER, "4.5", 4.5),
    (CHECK, True, True), (CHECK, "on", True), (CHECK, "false", False), (CHECK, "0", False),
    (DATE, "2026-01-31", "2026-01-31"), (DATE, " 2026-02-01 ", "2026-02-01"),
    (DROP, "bug", "bug"),
])
def test_clean_field_value(spec: FieldSpec, value: Any, stored: Any) -> None:
    assert rules.clean_field_value(spec, value) == stored


@pytest.mark.parametrize(("spec", "value", "message"), [
    (TEXT, 5, "must be text"), (TEXT, "x" * 1001, "at most 1000"),
    (NUMBER, True, "must be a number"), (NUMBER, "lots", "must be a number"),
    (NUMBER, [1], "must be a number"),
    (CHECK, "maybe", "true or false"), (CHECK, 1.5, "true or false"),
    (DATE, "31/01/2026", "YYYY-MM-DD"), (DATE, 20260131, "YYYY-MM-DD"),
    (DROP, "other", "one of: bug, question"),
    (FieldSpec("x", "Odd", "colour"), "red", "unknown type"),
])
def test_bad_field_values(spec: FieldSpec, value: Any, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        rules.clean_field_value(spec, value)


def test_clean_custom_fields_merges_and_clears() -> None:
    specs = {s.key: s for s in (TEXT, NUMBER, DROP)}
    current = {"ref": "A1", "qty": 2}
    assert rules.clean_custom_fields(specs, current, {"qty": "3", "ref": None}) == {"qty": 3}
    assert current == {"ref": "A1", "qty": 2}  # the input is not modified
    with pytest.raises(RuleError, match="Unknown custom field"):
        rules.clean_custom_fields(specs, current, {"colour": "red"})


def test_missing_to_solve() -> None:
    required = FieldSpec("ref", "Reference", "text", required_to_solve=True)
    specs = {"ref": required, "qty": NUMBER}
    assert rules.missing_to_solve(specs, {}) == ["Reference"]
    assert rules.missing_to_solve(specs, {"ref": "A1"}) == []
