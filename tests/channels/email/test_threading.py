"""Threading rules: signed tokens, references, subject numbers, strangers, spoofing."""

from __future__ import annotations

import itertools

import pytest

from tend.channels.email import threading as th

SECRET = "s" * 40


def test_tokens_round_trip_and_resist_forgery() -> None:
    for ticket_id in (1, 42, 99_999, 2**31 - 1):
        token = th.make_token(SECRET, ticket_id)
        assert th.read_token(SECRET, token) == ticket_id
        assert th.read_token(SECRET, token.upper()) == ticket_id  # mail clients change case
        assert th.read_token("another instance's secret!" * 2, token) is None
    genuine = th.make_token(SECRET, 42)
    other = th.make_token(SECRET, 43)
    # Same MAC, different ticket id; flipped characters; garbage; unsigned ids.
    forged = genuine[:3] + other[3:]
    assert th.read_token(SECRET, forged) in (None, 42, 43) and forged not in (genuine, other)
    assert th.read_token(SECRET, forged) is None
    for bad in ("", "t", "tabc", "x" + genuine[1:], genuine[:-1], genuine + "a", "t42",
                "t" + "a" * 60, "t!!!!!!!!", "t" + "8" * 20):
        assert th.read_token(SECRET, bad) is None, bad
    with pytest.raises(ValueError):
        th.make_token(SECRET, 0)


def test_no_single_character_change_yields_another_valid_token() -> None:
    token = th.make_token(SECRET, 7)
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    for i, ch in itertools.product(range(1, len(token)), alphabet):
        mutated = token[:i] + ch + token[i + 1:]
        if mutated != token:
            assert th.read_token(SECRET, mutated) is None


def test_tokens_are_found_in_message_ids_and_reply_addresses() -> None:
    mid = th.message_id_for(SECRET, 12, 345, "help.example.com")
    assert mid.startswith("tend.345.t") and mid.endswith("@help.example.com")
    assert th.token_ticket(SECRET, ["<unrelated@mail.example>", f"<{mid}>"], []) == 12
    # The nearest ancestor (last reference) wins over an older one.
    older = th.message_id_for(SECRET, 11, 300, "help.example.com")
    assert th.token_ticket(SECRET, [older, mid], []) == 12
    # A forged token in a later reference cannot shadow the genuine one.
    forged = mid.replace(mid.split(".")[2].split("@")[0], "t" + "a" * 24)
    assert th.token_ticket(SECRET, [mid, forged], []) == 12
    address = th.reply_address(SECRET, 12, "support@help.example.com")
    assert address.startswith("support+t") and address.endswith("@help.example.com")
    assert th.token_ticket(SECRET, [], ["someone@else.example", address]) == 12
    assert th.token_ticket(SECRET, ["<tend.1.tzzzz@x>"], ["support+tzzzz@x"]) is None
    assert th.reply_address(SECRET, 12, "support+old@x.example").startswith("support+t")


@pytest.mark.parametrize(("subject", "number"), [
    ("Re: [#1234] Printer on fire", 1234),
    ("AW: WG: [#7] Rückfrage [#8]", 8),
    ("Order #1234 (no brackets)", None),
    ("[#] nothing", None),
    ("", None),
])
def test_subject_numbers(subject: str, number: int | None) -> None:
    assert th.subject_number(subject) == number


def decide(**kw: object) -> th.ThreadDecision:
    facts: dict[str, object] = {"authenticated": True, "token_ticket_id": None,
                                "reference_ticket_id": None, "subject_ticket_id": None,
                                "sender_is_participant": True}
    facts.update(kw)
    return th.decide(**facts)  # type: ignore[arg-type]


def test_signals_apply_strongest_first() -> None:
    assert decide(token_ticket_id=1, reference_ticket_id=2, subject_ticket_id=3) == \
        th.ThreadDecision("token", 1)
    assert decide(reference_ticket_id=2, subject_ticket_id=3) == th.ThreadDecision(
        "references", 2)
    assert decide(subject_ticket_id=3) == th.ThreadDecision("subject", 3)
    assert decide() == th.ThreadDecision("new")


@pytest.mark.parametrize("signal", ["token_ticket_id", "reference_ticket_id",
                                    "subject_ticket_id"])
def test_strangers_never_join_a_ticket(signal: str) -> None:
    d = decide(sender_is_participant=False, **{signal: 9})
    assert d.ticket_id is None
    assert d.method in ("follow_up", "new")
    if signal != "subject_ticket_id":
        assert d.related_ticket_id == 9


@pytest.mark.parametrize("signal", [None, "token_ticket_id", "reference_ticket_id",
                                    "subject_ticket_id"])
def test_spoofed_mail_is_quarantined_whatever_it_carries(signal: str | None) -> None:
    kw = {signal: 5} if signal else {}
    d = decide(authenticated=False, **kw)
    assert d.method == "quarantine" and d.ticket_id is None and d.related_ticket_id is None
