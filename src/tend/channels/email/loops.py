"""Mail-loop and abuse rules: when Tend may answer a mail automatically, and how its own
automatic mail is marked. Pure, no I/O; the limits' counters live in `tend.auth.ratelimit`.

- Never auto-reply to automatic mail (RFC 3834 `Auto-Submitted`, `Precedence: bulk/junk/list`,
  `X-Autoreply`, null sender, no-reply addresses) or to bounces: `ParsedEmail.auto_submitted`
  and `is_bounce` say so.
- A per-sender limit stops ping-pong with another help desk that ignores those headers.
- A per-recipient limit stops a flood of new tickets naming a victim's address from turning Tend
  into a mail cannon: at most a few acknowledgements per hour reach one address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tend.channels.email.parse import ParsedEmail

AutoKind = Literal["auto-replied", "auto-generated"]

# Acknowledgements (and other automatic mail) one address may receive per window.
ACKS_PER_ADDRESS = 3
ACK_WINDOW_SECONDS = 3600
# Messages from one sender within a window before Tend stops answering them automatically.
SENDER_BURST = 20
SENDER_WINDOW_SECONDS = 600


@dataclass(frozen=True)
class AutoReplyDecision:
    allowed: bool
    reason: str = ""


def may_auto_reply(mail: ParsedEmail, *, sent_to_address_recently: int,
                   from_sender_recently: int) -> AutoReplyDecision:
    """May Tend send an automatic mail (an acknowledgement) in answer to `mail`?

    `sent_to_address_recently`: automatic mails Tend sent to the sender's address within
    ACK_WINDOW_SECONDS; `from_sender_recently`: mails received from that sender within
    SENDER_WINDOW_SECONDS (both from the rate-limit counters).
    """
    if mail.from_email is None:
        return AutoReplyDecision(False, "no sender address")
    if mail.is_bounce:
        return AutoReplyDecision(False, "a bounce")
    if mail.auto_submitted:
        return AutoReplyDecision(False, "automatic mail (RFC 3834 and friends)")
    if from_sender_recently >= SENDER_BURST:
        return AutoReplyDecision(False, "too many mails from this sender: a loop?")
    if sent_to_address_recently >= ACKS_PER_ADDRESS:
        return AutoReplyDecision(False, "this address got enough automatic mail this hour")
    return AutoReplyDecision(True)


def automatic_headers(kind: AutoKind) -> dict[str, str]:
    """Headers on every mail Tend sends by itself (RFC 3834), so other systems do not answer."""
    return {
        "Auto-Submitted": kind,
        "X-Auto-Response-Suppress": "All",
        "Precedence": "bulk" if kind == "auto-generated" else "auto_reply",
    }
