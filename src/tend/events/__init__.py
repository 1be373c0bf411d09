"""The event catalog and the bus that hands events over when a transaction commits."""

from tend.events.bus import EventBus, emit
from tend.events.catalog import ActorRef, Event

__all__ = ["ActorRef", "Event", "EventBus", "emit"]
