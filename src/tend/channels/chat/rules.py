"""Pure chat rules: business hours, queue estimates, who gets the next chat. No I/O."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class HoursError(ValueError):
    """Business hours that cannot be understood."""


def check_hours(hours: dict[str, object]) -> dict[str, object]:
    """Validate `{"tz": "Europe/Berlin", "days": {"mon": [["09:00", "17:30"]], ...}}`;
    an empty dict means always open. Returns it normalized."""
    if not hours:
        return {}
    tz = hours.get("tz")
    if not isinstance(tz, str):
        raise HoursError("Business hours need a time zone (tz), e.g. Europe/Berlin.")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise HoursError(f"Unknown time zone {tz!r}.") from None
    days = hours.get("days")
    if not isinstance(days, dict) or set(days) - set(DAYS):
        raise HoursError(f"days maps {', '.join(DAYS)} to lists of [start, end] times.")
    clean: dict[str, list[list[str]]] = {}
    for day, spans in days.items():
        if not isinstance(spans, list):
            raise HoursError(f"{day}: a list of [start, end] pairs.")
        out = []
        for span in spans:
            if not (isinstance(span, list | tuple) and len(span) == 2):
                raise HoursError(f"{day}: each span is [start, end], like ['09:00', '17:00'].")
            start, end = (_hhmm(str(v), day) for v in span)
            if end <= start:
                raise HoursError(f"{day}: {span[0]} to {span[1]} ends before it starts.")
            out.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
        clean[day] = out
    return {"tz": tz, "days": clean}


def _hhmm(value: str, day: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise HoursError(f"{day}: {value!r} is not a time like 09:30.") from None


def is_open(hours: dict[str, object], now: datetime) -> bool:
    """Whether `now` (aware) falls in the business hours (always, when none are set)."""
    if not hours:
        return True
    local = now.astimezone(ZoneInfo(str(hours["tz"])))
    days = hours.get("days")
    spans = days.get(DAYS[local.weekday()], []) if isinstance(days, dict) else []
    clock = local.time().replace(tzinfo=None)
    return any(time.fromisoformat(a) <= clock < time.fromisoformat(b) for a, b in spans)


def estimated_wait_seconds(position: int, recent_waits: Sequence[float],
                           agents_available: int) -> int | None:
    """How long the chat at `position` (1 = next) will likely wait: the median recent wait,
    scaled by how many chats are ahead per agent. None when there is nothing to go by."""
    if position < 1:
        return 0
    if not recent_waits:
        return None
    ordered = sorted(recent_waits)
    median = ordered[len(ordered) // 2]
    per_agent = max(1, agents_available)
    return max(10, round(median * (1 + (position - 1) / per_agent)))


@dataclass(frozen=True)
class Candidate:
    agent_id: int
    active_chats: int
    max_chats: int
    last_offer_at: float  # epoch seconds of the last offer they got (0: never)


def pick_agent(candidates: Sequence[Candidate], exclude: frozenset[int] = frozenset()
               ) -> int | None:
    """The agent to offer the next chat: one with room, the fewest chats, then the one who
    waited longest since their last offer (spreads chats evenly)."""
    free = [c for c in candidates if c.agent_id not in exclude and c.active_chats < c.max_chats]
    if not free:
        return None
    best = min(free, key=lambda c: (c.active_chats, c.last_offer_at, c.agent_id))
    return best.agent_id


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalnum()]
    if not parts:
        return "?"
    letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
    return letters.upper()


def colour_for(name: str) -> str:
    """A stable colour for an initials avatar."""
    hue = int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue} 45% 40%)"
