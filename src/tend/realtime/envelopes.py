"""What travels to live screens: envelopes, each on one or more topics, with its audience facts.

An envelope is built from a committed event (or from a screen's ephemeral signal such as
"typing") and carries what a screen needs to update itself without another request: the ticket
summary or the message in the same shape the API returns. Its `scope` holds the facts the
audience rule (`access.live_delivery`) decides on, so that every delivery is checked against the
connection's actor, not only the subscription.

Envelopes cross processes (Redis) as JSON; nothing here touches the database.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

# Topics. Agents' screens listen to AGENTS; a chat conversation's customer screen listens to
# `conversation_topic(ticket_id)`.
AGENTS = "agents"


def conversation_topic(ticket_id: int) -> str:
    return f"conversation:{ticket_id}"


@dataclass(frozen=True)
class Scope:
    """Who an envelope is about, for the audience rule.

    - `team_id`; `team_moved` and `previous_team_id` when the team just changed (a partner agent
      who could see the ticket before is told to drop it, one who can see it now to load it);
    - `requester_id`: the customer whose ticket it is;
    - `internal`: an internal note, or anything else only agents may see;
    - `agent_id`: an envelope for one agent only (a chat offer);
    - `customer_teams`: for news about a customer, the teams of their tickets (partner agents
      see a customer only through their own teams' tickets).
    """

    ticket_id: int | None = None
    team_id: int | None = None
    team_moved: bool = False
    previous_team_id: int | None = None
    requester_id: int | None = None
    internal: bool = False
    agent_id: int | None = None
    customer_teams: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Envelope:
    kind: str
    topics: tuple[str, ...]
    data: dict[str, Any]
    scope: Scope = field(default_factory=Scope)
    ephemeral: bool = False  # typing, viewing: shown live, never replayed after a reconnect
    id: str = ""  # the position in the feed, given by the hub

    def with_id(self, id: str) -> Envelope:
        return replace(self, id=id)

    def to_json(self) -> str:
        body = {"kind": self.kind, "topics": list(self.topics), "data": self.data,
                "scope": asdict(self.scope), "ephemeral": self.ephemeral}
        return json.dumps(body, separators=(",", ":"), default=str)

    @classmethod
    def from_json(cls, text: str | bytes, id: str = "") -> Envelope:
        body = json.loads(text)
        return cls(kind=body["kind"], topics=tuple(body["topics"]), data=body["data"],
                   scope=_scope(body["scope"]), ephemeral=bool(body.get("ephemeral")), id=id)

    def frame(self, **extra: Any) -> dict[str, Any]:
        """What a screen receives: the id, the kind and the data (never the scope)."""
        return {"id": self.id, "kind": self.kind, **self.data, **extra}


def _scope(raw: dict[str, Any]) -> Scope:
    teams = raw.pop("customer_teams", None)
    return Scope(**raw, customer_teams=tuple(teams) if teams is not None else None)
