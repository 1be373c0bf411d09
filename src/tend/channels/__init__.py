"""Channels are adapters at the edge: provider payload in, one inbound message out; and
`send(message) -> provider id` out. Threading, reopening and routing live in the core."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tend.tickets.models import Ticket

LiveCheck = Callable[["Session", "Ticket"], bool]
_LIVE: dict[str, LiveCheck] = {}


def register_live_delivery(channel: str, check: LiveCheck) -> None:
    """A channel that carries agents' replies to the customer itself while `check` says so
    (a chat in progress); other channels (email) then leave those replies alone."""
    _LIVE[channel] = check


def delivered_live(session: Session, ticket: Ticket) -> bool:
    return any(check(session, ticket) for check in _LIVE.values())
