"""Hands events to subscribers, in two phases.

- `transaction` handlers run at once, inside the emitting transaction, with its session; they may
  only write to the database (the audit log). If the transaction rolls back, so do their writes.
- `commit` handlers run after the transaction commits, with the event alone (websockets, webhooks,
  jobs). A rolled-back transaction publishes nothing.

A transaction handler that has something to hand over after the commit (the real-time feed
builds its envelopes while the rows are at hand) registers it with `after_commit`, which keeps
the same order and the same savepoint rules as the events.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from tend.events.catalog import Event

log = logging.getLogger(__name__)

TransactionHandler = Callable[[Session, Event], None]
CommitHandler = Callable[[Event], None]
BeforeCommitHandler = Callable[[Session], None]
Deferred = Callable[[], None]
_PENDING = "tend_pending_events"


class EventBus:
    def __init__(self) -> None:
        self._in_tx: dict[str, list[TransactionHandler]] = defaultdict(list)
        self._on_commit: dict[str, list[CommitHandler]] = defaultdict(list)
        self._before_commit: list[BeforeCommitHandler] = []

    def subscribe_in_transaction(self, name: str, handler: TransactionHandler) -> None:
        """`name` is an event name or "*" for every event."""
        self._in_tx[name].append(handler)

    def subscribe(self, name: str, handler: CommitHandler) -> None:
        """Call `handler` after commit for each event called `name` ("*" for all)."""
        self._on_commit[name].append(handler)

    def subscribe_before_commit(self, handler: BeforeCommitHandler) -> None:
        """Call `handler(session)` just before the outermost transaction commits, once per
        transaction, when everything it changed is known (the live feed sums it up here)."""
        self._before_commit.append(handler)

    def run_before_commit(self, session: Session) -> None:
        for handler in self._before_commit:
            handler(session)

    def unsubscribe(self, name: str, handler: CommitHandler) -> None:
        self._on_commit[name].remove(handler)

    def run_in_transaction(self, session: Session, evt: Event) -> None:
        for handler in (*self._in_tx.get(evt.name, ()), *self._in_tx.get("*", ())):
            handler(session, evt)

    def publish(self, events: list[Event | Deferred]) -> None:
        for evt in events:
            if not isinstance(evt, Event):
                try:
                    evt()
                except Exception:
                    log.exception("after-commit callback failed")
                continue
            for handler in (*self._on_commit.get(evt.name, ()), *self._on_commit.get("*", ())):
                try:
                    handler(evt)
                except Exception:  # one broken subscriber must not stop the others
                    log.exception("event subscriber failed for %s", evt.name)


def emit(session: Session, evt: Event) -> None:
    """Record `evt` as part of the session's transaction; it is published on commit."""
    bus: EventBus | None = session.info.get("bus")
    if bus is not None:
        bus.run_in_transaction(session, evt)
    session.info.setdefault(_PENDING, []).append(evt)


def after_commit(session: Session, fn: Deferred) -> None:
    """Call `fn()` once the session's transaction commits (never if it rolls back)."""
    session.info.setdefault(_PENDING, []).append(fn)


# SQLAlchemy fires these for savepoints too. Releasing a savepoint is not the commit: its events
# wait for the real one. Rolling a savepoint back drops the events emitted inside it (their
# audit rows went with it) and keeps those of the enclosing transaction.
_MARKS = "tend_savepoint_marks"


@sa_event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        marks = session.info.setdefault(_MARKS, {})
        marks[transaction] = len(session.info.get(_PENDING, []))


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        session.info.get(_MARKS, {}).pop(transaction, None)


@sa_event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    bus: EventBus | None = session.info.get("bus")
    if bus is not None:
        bus.run_before_commit(session)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    events: list[Event | Deferred] = session.info.pop(_PENDING, [])
    bus: EventBus | None = session.info.get("bus")
    if events and bus is not None:
        bus.publish(events)


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    savepoint = session.get_nested_transaction()
    if savepoint is not None:
        mark = session.info.get(_MARKS, {}).get(savepoint)
        if mark is not None and _PENDING in session.info:
            del session.info[_PENDING][mark:]
        return
    session.info.pop(_PENDING, None)
