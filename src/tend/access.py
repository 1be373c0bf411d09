"""Who may see and do what: decided here, and only here.

Two layers:
- *permissions*: what a role may do at all (`ROLE_PERMISSIONS`), checked with `require`;
- *object rules*: which tickets, messages, customers an actor may see (`ticket_filter`,
  `can_see_ticket`, ...). Queries build their WHERE clauses from these functions, so a list can
  never show what a direct fetch would refuse.

Views call `require(...)` and the `access_*` queries; nothing else decides. tests/test_access.py
and tests/web/test_authorization_matrix.py test this module directly and through every route.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sqlalchemy import ColumnElement, exists, false, select, true

from tend.agents.models import Role
from tend.events.catalog import ActorRef
from tend.realtime.envelopes import Scope

if TYPE_CHECKING:
    from tend.attachments.models import Attachment
    from tend.customers.models import Customer
    from tend.tickets.models import Message, Ticket


class Forbidden(Exception):
    """The actor may not do this (HTTP 403)."""


class NotFound(Exception):
    """The object does not exist, or the actor may not know that it does (HTTP 404)."""


class Permission(enum.StrEnum):
    TICKETS_READ = "tickets.read"
    TICKETS_CREATE = "tickets.create"
    TICKETS_UPDATE = "tickets.update"
    TICKETS_REPLY = "tickets.reply"
    TICKETS_NOTE = "tickets.note"
    TICKETS_MERGE = "tickets.merge"
    CUSTOMERS_READ = "customers.read"
    CUSTOMERS_WRITE = "customers.write"
    ORGANIZATIONS_READ = "organizations.read"
    ORGANIZATIONS_WRITE = "organizations.write"
    AGENTS_READ = "agents.read"
    AGENTS_WRITE = "agents.write"
    TEAMS_READ = "teams.read"
    TEAMS_WRITE = "teams.write"
    SETTINGS_WRITE = "settings.write"
    CHANNELS_WRITE = "channels.write"  # inboxes, their credentials, the mail quarantine


P = Permission
_EVERY_AGENT = {P.TICKETS_READ, P.TICKETS_NOTE, P.AGENTS_READ, P.TEAMS_READ, P.CUSTOMERS_READ}
_WORKER = _EVERY_AGENT | {P.TICKETS_CREATE, P.TICKETS_UPDATE, P.TICKETS_REPLY}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.AGENT: frozenset(
        _WORKER
        | {P.TICKETS_MERGE, P.CUSTOMERS_WRITE, P.ORGANIZATIONS_READ, P.ORGANIZATIONS_WRITE}
    ),
    Role.LIGHT_AGENT: frozenset(_EVERY_AGENT | {P.ORGANIZATIONS_READ}),
    # Partners see customers only through their teams' tickets (customer_filter).
    Role.PARTNER_AGENT: frozenset(_WORKER),
}


@dataclass(frozen=True)
class AgentActor:
    id: int
    role: Role
    name: str = ""
    team_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def ref(self) -> ActorRef:
        return ActorRef("agent", self.id)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True)
class CustomerActor:
    id: int
    name: str = ""

    @property
    def ref(self) -> ActorRef:
        return ActorRef("customer", self.id)


@dataclass(frozen=True)
class SystemActor:
    """Tend itself (CLI, demo seeding, background jobs): may do anything."""

    @property
    def ref(self) -> ActorRef:
        return ActorRef.system()


Actor = AgentActor | CustomerActor | SystemActor
SYSTEM = SystemActor()


def has(actor: Actor, permission: Permission) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if isinstance(actor, AgentActor):
        return permission in ROLE_PERMISSIONS[actor.role]
    return False


def require(actor: Actor, permission: Permission) -> None:
    if not has(actor, permission):
        raise Forbidden(f"Your role may not do this ({permission.value}).")


# --- tickets ---------------------------------------------------------------------------------


def ticket_filter(actor: Actor) -> ColumnElement[bool]:
    """The tickets `actor` may see, as a WHERE clause on `Ticket`."""
    from tend.tickets.models import Ticket

    if isinstance(actor, SystemActor):
        return true()
    if isinstance(actor, CustomerActor):
        return Ticket.requester_id == actor.id
    if actor.role is Role.PARTNER_AGENT:
        if not actor.team_ids:
            return false()
        return Ticket.team_id.in_(sorted(actor.team_ids))
    return true()


def can_see_ticket(actor: Actor, ticket: Ticket) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if isinstance(actor, CustomerActor):
        return ticket.requester_id == actor.id
    if actor.role is Role.PARTNER_AGENT:
        return ticket.team_id is not None and ticket.team_id in actor.team_ids
    return True


def check_team_allowed(actor: Actor, team_id: int | None) -> None:
    """A partner agent may only put tickets into (or leave them in) their own teams."""
    if (isinstance(actor, AgentActor) and actor.role is Role.PARTNER_AGENT
            and (team_id is None or team_id not in actor.team_ids)):
        raise Forbidden("Partner agents may only use their own teams.")


def check_assignable(
    actor: Actor, assignee_role: Role, assignee_team_ids: frozenset[int], team_id: int | None
) -> None:
    if assignee_role is Role.LIGHT_AGENT:
        raise Forbidden("Light agents cannot own tickets.")
    outside = team_id is None or team_id not in assignee_team_ids
    if assignee_role is Role.PARTNER_AGENT and outside:
        raise Forbidden("A partner agent can only own tickets of their own teams.")
    if (isinstance(actor, AgentActor) and actor.role is Role.PARTNER_AGENT
            and (team_id is None or not (assignee_team_ids & actor.team_ids))):
        raise Forbidden("Partner agents may only assign within their own teams.")


def can_write_message(actor: Actor, ticket: Ticket, visibility: str) -> bool:
    """May `actor` add a reply ("public") or a note ("internal") to `ticket`?"""
    if not can_see_ticket(actor, ticket):
        return False
    if isinstance(actor, CustomerActor):
        return visibility == "public" and ticket.status != "closed"
    if ticket.status == "closed":
        return False
    return has(actor, P.TICKETS_REPLY if visibility == "public" else P.TICKETS_NOTE)


# --- messages and attachments -----------------------------------------------------------------


def sees_notes(actor: Actor) -> bool:
    """Internal notes reach agents only: never a customer, a portal page or a channel."""
    return not isinstance(actor, CustomerActor)


def sees_internal_fields(actor: Actor) -> bool:
    """Team, tags, the owner's address and custom fields not marked customer-visible are for
    agents; a customer sees their ticket's subject, status, priority, replies and owner's name."""
    return sees_notes(actor)


def message_filter(actor: Actor) -> ColumnElement[bool]:
    from tend.tickets.models import Message

    return true() if sees_notes(actor) else Message.visibility == "public"


def can_see_message(actor: Actor, message: Message, ticket: Ticket) -> bool:
    if message.ticket_id != ticket.id or not can_see_ticket(actor, ticket):
        return False
    return sees_notes(actor) or message.visibility == "public"


def can_see_attachment(actor: Actor, attachment: Attachment, ticket: Ticket) -> bool:
    return can_see_message(actor, attachment.message, ticket)


def can_see_raw_mail(actor: Actor, ticket: Ticket | None) -> bool:
    """A mail as it was received (every header and part): admins always (the quarantine holds
    mail of no ticket), other agents for the tickets they see. Never customers: the raw mail
    carries relays, addresses and copies a reply on the portal does not show."""
    if isinstance(actor, SystemActor):
        return True
    if not isinstance(actor, AgentActor):
        return False
    if has(actor, P.CHANNELS_WRITE):
        return True
    return ticket is not None and can_see_ticket(actor, ticket)


# --- customers and organizations ---------------------------------------------------------------


def customer_filter(actor: Actor) -> ColumnElement[bool]:
    from tend.customers.models import Customer
    from tend.tickets.models import Ticket

    if isinstance(actor, SystemActor):
        return true()
    if isinstance(actor, CustomerActor):
        return Customer.id == actor.id
    if not has(actor, P.CUSTOMERS_READ):
        return false()
    if actor.role is Role.PARTNER_AGENT:
        return exists(
            select(Ticket.id).where(Ticket.requester_id == Customer.id, ticket_filter(actor))
        )
    return true()


def can_see_customer_directly(actor: Actor, customer: Customer) -> bool:
    """Python-side twin of `customer_filter` for actors that need no query."""
    if isinstance(actor, SystemActor):
        return True
    if isinstance(actor, CustomerActor):
        return customer.id == actor.id
    return has(actor, P.CUSTOMERS_READ) and actor.role is not Role.PARTNER_AGENT


# --- live screens (real-time envelopes) --------------------------------------------------------

LiveDecision = Literal["show", "appear", "remove", "skip"]


def live_delivery(actor: Actor, scope: Scope) -> LiveDecision:
    """Whether an envelope about `scope` reaches `actor`'s live screen, checked for every
    envelope: "show" it; "appear" when a ticket just became visible to the actor (it moved into
    their team: the screen loads its messages); tell the screen to "remove" a ticket the actor
    no longer sees (it moved to another team); or "skip" it. The same rules as
    `can_see_ticket` and `sees_notes`."""
    if isinstance(actor, SystemActor):
        return "show"
    if scope.agent_id is not None:
        return "show" if isinstance(actor, AgentActor) and actor.id == scope.agent_id else "skip"
    if isinstance(actor, CustomerActor):
        if scope.internal or scope.requester_id is None or scope.requester_id != actor.id:
            return "skip"
        return "show"
    if actor.role is not Role.PARTNER_AGENT:
        return "show"
    if scope.customer_teams is not None:  # a customer: partners see them through their teams
        return "show" if actor.team_ids.intersection(scope.customer_teams) else "skip"
    if scope.ticket_id is None:
        return "show"
    if scope.team_id is not None and scope.team_id in actor.team_ids:
        if scope.team_moved and scope.previous_team_id not in actor.team_ids:
            return "appear"
        return "show"
    if scope.team_moved and scope.previous_team_id in actor.team_ids:
        return "remove"
    return "skip"
