"""Pure chat rules and signed tokens."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tend.channels.chat import rules, tokens
from tend.channels.chat.rules import Candidate, HoursError

HOURS = {"tz": "Europe/Berlin", "days": {"mon": [["09:00", "12:00"], ["13:00", "17:30"]]}}


def test_business_hours_in_the_inbox_time_zone() -> None:
    clean = rules.check_hours(HOURS)
    # Monday 2026-11-23: Berlin is UTC+1 in winter.
    assert rules.is_open(clean, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # 09:00 local
    assert not rules.is_open(clean, datetime(2026, 11, 23, 7, 59, tzinfo=UTC))
    assert not rules.is_open(clean, datetime(2026, 11, 23, 11, 30, tzinfo=UTC))  # lunch
    assert not rules.is_open(clean, datetime(2026, 11, 23, 16, 30, tzinfo=UTC))  # 17:30 closes
    assert not rules.is_open(clean, datetime(2026, 11, 24, 10, 0, tzinfo=UTC))  # Tuesday
    assert rules.is_open({}, datetime(2026, 11, 24, 3, 0, tzinfo=UTC))  # no hours: open


@pytest.mark.parametrize("bad", [
    {"days": {}}, {"tz": "Mars/Base", "days": {}}, {"tz": "UTC", "days": {"moon": []}},
    {"tz": "UTC", "days": {"mon": [["17:00", "09:00"]]}},
    {"tz": "UTC", "days": {"mon": [["9am", "5pm"]]}}, {"tz": "UTC", "days": {"mon": "9-5"}},
])
def test_bad_business_hours_say_what_is_wrong(bad: dict[str, object]) -> None:
    with pytest.raises(HoursError):
        rules.check_hours(bad)


def test_estimated_wait() -> None:
    assert rules.estimated_wait_seconds(1, [], 2) is None
    assert rules.estimated_wait_seconds(1, [60, 120, 30], 1) == 60
    assert rules.estimated_wait_seconds(3, [60], 2) == 120  # two ahead, two agents
    assert rules.estimated_wait_seconds(0, [60], 1) == 0


def test_pick_agent_spreads_chats_and_respects_capacity() -> None:
    c = [Candidate(1, 2, 3, 100.0), Candidate(2, 1, 3, 200.0), Candidate(3, 1, 3, 50.0),
         Candidate(4, 0, 0, 0.0)]
    assert rules.pick_agent(c) == 3  # fewest chats, then waited longest
    assert rules.pick_agent(c, frozenset({3})) == 2
    assert rules.pick_agent(c, frozenset({2, 3})) == 1
    assert rules.pick_agent(c, frozenset({1, 2, 3})) is None  # 4 has no room


def test_initials() -> None:
    assert rules.initials("Ada Lovelace") == "AL"
    assert rules.initials("  bob ") == "B"
    assert rules.initials("") == "?"
    assert rules.colour_for("Ada") == rules.colour_for("Ada")


def test_visitor_tokens_are_bound_to_their_inbox() -> None:
    token = tokens.visitor_token("s" * 40, "inboxA", 42)
    assert tokens.read_visitor_token("s" * 40, "inboxA", token) == 42
    assert tokens.read_visitor_token("s" * 40, "inboxB", token) is None
    assert tokens.read_visitor_token("x" * 40, "inboxA", token) is None
    forged = "43." + token.split(".")[1]
    assert tokens.read_visitor_token("s" * 40, "inboxA", forged) is None
    assert tokens.read_visitor_token("s" * 40, "inboxA", "garbage") is None


def test_identity_and_file_signatures() -> None:
    key = tokens.identity_secret("s" * 40, "salt1")
    assert key != tokens.identity_secret("s" * 40, "salt2")
    sig = tokens.identity_hash(key, "Carla@Example.com")
    assert tokens.identity_valid(key, "carla@example.com", sig)
    assert not tokens.identity_valid(key, "dan@example.org", sig)
    link = tokens.file_signature("s" * 40, 7, 2_000_000_000)
    assert tokens.file_signature_valid("s" * 40, 7, link, now=1_000)
    assert not tokens.file_signature_valid("s" * 40, 8, link, now=1_000)
    assert not tokens.file_signature_valid("s" * 40, 7, link, now=2_000_000_001)  # expired
