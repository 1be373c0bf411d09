"""Messages Tend sends to people outside a ticket thread (portal sign-in links for now).

The email channel replaces the console outbox with real mail; until then demo and development
print the links so that the portal can be used.
"""

from __future__ import annotations

import logging
import sys
from collections import deque
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger("tend.notify")


@dataclass(frozen=True)
class Notice:
    to: str
    subject: str
    body: str
    link: str | None = None


class Outbox(Protocol):
    def send(self, notice: Notice) -> None: ...


class ConsoleOutbox:
    """Prints notices to standard output and keeps the last ones (for tests and demo).

    Sign-in links are credentials: they are printed only outside production (`show_links`);
    in production the console says that no mail transport is configured instead.
    """

    def __init__(self, keep: int = 100, echo: bool = True, show_links: bool = True) -> None:
        self.sent: deque[Notice] = deque(maxlen=keep)
        self.echo = echo
        self.show_links = show_links

    def send(self, notice: Notice) -> None:
        self.sent.append(notice)
        if not self.echo:
            return
        if self.show_links:
            print(f"[tend outbox] to {notice.to}: {notice.subject}"
                  + (f"\n  {notice.link}" if notice.link else ""), file=sys.stdout, flush=True)
        else:
            log.warning("no mail transport is configured: a notice to a customer was not sent")
