"""The email channel: parsing, threading signals, receiving (IMAP, SMTP/LMTP, pipe), sending."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tend.runtime import Runtime


def install(rt: Runtime) -> None:
    """Register the channel's jobs and event subscribers on a runtime."""
    from tend.channels.email import outbound

    outbound.install(rt)
