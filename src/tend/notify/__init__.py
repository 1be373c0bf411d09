"""Messages Tend sends to people outside a ticket thread (portal sign-in links, notices).

`MailOutbox` is the default: once the email channel connects it (`tend.channels.email.outbound`)
it mails notices through the job queue whenever a mail transport is configured. Without one it
hands them to the console outbox, so that demo and development print the links and the portal
can be used.
"""

from __future__ import annotations

import logging
import sys
from collections import deque
from collections.abc import Callable
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


# Queues a notice for delivery; False when there is no way to deliver it (no mail transport).
Sender = Callable[[Notice], bool]


class MailOutbox:
    """Sends notices by mail once a channel connects a sender; otherwise uses `fallback`.

    A sender that fails (the queue is down) must not break the page that sent the notice: the
    notice then goes to the fallback, which in production logs that it was not sent.
    """

    def __init__(self, fallback: Outbox) -> None:
        self.fallback = fallback
        self._sender: Sender | None = None

    def connect(self, sender: Sender) -> None:
        self._sender = sender

    def send(self, notice: Notice) -> None:
        if self._sender is not None:
            try:
                if self._sender(notice):
                    return
            except Exception:
                log.exception("could not queue a notice by mail")
        self.fallback.send(notice)
