from pathlib import Path

import pytest

from tend.channels.email.loops import (
    ACKS_PER_ADDRESS,
    SENDER_BURST,
    automatic_headers,
    may_auto_reply,
)
from tend.channels.email.parse import parse_email

FIXTURES = Path(__file__).parent / "fixtures"


def _mail(name: str):  # type: ignore[no-untyped-def]
    return parse_email((FIXTURES / name).read_bytes())


def test_a_person_gets_an_acknowledgement() -> None:
    d = may_auto_reply(_mail("plain.eml"), sent_to_address_recently=0, from_sender_recently=0)
    assert d.allowed


@pytest.mark.parametrize("fixture", ["auto-submitted.eml", "x-autoreply.eml",
                                     "precedence-bulk.eml", "null-sender.eml", "bounce.eml"])
def test_automatic_mail_and_bounces_never_get_one(fixture: str) -> None:
    d = may_auto_reply(_mail(fixture), sent_to_address_recently=0, from_sender_recently=0)
    assert not d.allowed and d.reason


def test_limits_stop_loops_and_floods() -> None:
    mail = _mail("plain.eml")
    assert not may_auto_reply(mail, sent_to_address_recently=ACKS_PER_ADDRESS,
                              from_sender_recently=0).allowed
    assert may_auto_reply(mail, sent_to_address_recently=ACKS_PER_ADDRESS - 1,
                          from_sender_recently=0).allowed
    assert not may_auto_reply(mail, sent_to_address_recently=0,
                              from_sender_recently=SENDER_BURST).allowed


def test_tends_own_automatic_mail_is_marked() -> None:
    for kind in ("auto-replied", "auto-generated"):
        headers = automatic_headers(kind)  # type: ignore[arg-type]
        assert headers["Auto-Submitted"] == kind
        assert headers["X-Auto-Response-Suppress"] == "All"
