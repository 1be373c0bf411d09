"""Small helpers shared by the workspace pages: form values, permissions, select options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Path
from sqlalchemy.orm import Session

from tend.access import AgentActor, Forbidden, NotFound, Permission, has
from tend.agents.models import Agent, Role, Team
from tend.agents.queries import all_teams, assignable_agents
from tend.attachments.files import AttachmentError
from tend.customers.actions import CustomerError
from tend.customers.rules import IdentityError
from tend.ids import MAX_ID
from tend.pagination import CursorError
from tend.tickets.queries import QueryError
from tend.tickets.rules import RuleError
from tend.web.problems import Problem

# Ids and numbers in paths: larger values cannot be rows (and overflow database integers).
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]

# Errors an HTML form shows next to what the user typed instead of an error page.
FORM_ERRORS: tuple[type[Exception], ...] = (
    RuleError, Forbidden, NotFound, AttachmentError, CustomerError, IdentityError, QueryError,
    CursorError, Problem,
)


def error_status(exc: Exception) -> int:
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, Problem):
        return exc.status
    return 422


def values(form: dict[str, Any], key: str, *, max_items: int = 100) -> list[str]:
    """Every non-empty text value of a repeated form field (checkboxes, multi-selects)."""
    raw = form.get(key, [])
    items = raw if isinstance(raw, list) else [raw]
    out = [v.strip() for v in items if isinstance(v, str) and v.strip()]
    if len(out) > max_items:
        raise Problem(422, f"At most {max_items} values for {key}.")
    return out


def parse_id(value: str, label: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise Problem(422, f"{label} is not valid.") from None
    if number < 1 or number > MAX_ID:
        raise Problem(422, f"{label} is not valid.")
    return number


def optional_ref(value: str, label: str) -> int | None:
    """A select of agents or teams: "none" clears, digits pick one."""
    return None if value == "none" else parse_id(value, label)


def split_tags(raw: str) -> list[str]:
    return [t.strip() for t in raw.replace("\n", ",").split(",") if t.strip()]


@dataclass(frozen=True)
class Can:
    """What the signed-in agent may do, for templates to show or hide controls."""

    reply: bool
    note: bool
    update: bool
    merge: bool
    customers_write: bool
    is_admin: bool

    @classmethod
    def of(cls, actor: AgentActor) -> Can:
        return cls(
            reply=has(actor, Permission.TICKETS_REPLY),
            note=has(actor, Permission.TICKETS_NOTE),
            update=has(actor, Permission.TICKETS_UPDATE),
            merge=has(actor, Permission.TICKETS_MERGE),
            customers_write=has(actor, Permission.CUSTOMERS_WRITE), is_admin=actor.is_admin,
        )


def choosable_teams(session: Session, actor: AgentActor) -> list[Team]:
    """Teams the agent may put tickets into (partner agents: only their own)."""
    teams = all_teams(session)
    if actor.role is Role.PARTNER_AGENT:
        teams = [t for t in teams if t.id in actor.team_ids]
    return teams


def choosable_agents(session: Session, actor: AgentActor) -> list[Agent]:
    """Agents who may own tickets (partner agents: only people of their own teams)."""
    agents = assignable_agents(session)
    if actor.role is Role.PARTNER_AGENT:
        agents = [a for a in agents if a.team_ids & actor.team_ids]
    return agents
