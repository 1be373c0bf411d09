"""Changing agents and teams (admins only, except an agent's own password and 2FA)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tend.access import Actor, AgentActor, Forbidden, Permission, require
from tend.agents.models import Agent, Role, Team
from tend.auth.passwords import check_password_strength, hash_password
from tend.customers.rules import normalize_email
from tend.events import emit
from tend.events.catalog import AgentCreated, AgentUpdated, TeamCreated, TeamUpdated


class AgentError(ValueError):
    """A change to agents or teams that cannot be made."""


def _teams(session: Session, team_ids: Iterable[int]) -> list[Team]:
    ids = sorted(set(team_ids))
    teams = list(session.scalars(select(Team).where(Team.id.in_(ids)))) if ids else []
    missing = set(ids) - {t.id for t in teams}
    if missing:
        raise AgentError(f"Unknown team id(s): {', '.join(map(str, sorted(missing)))}.")
    return teams


def _check_password(password: str) -> str:
    problem = check_password_strength(password)
    if problem:
        raise AgentError(problem)
    return hash_password(password)


def create_agent(
    session: Session,
    actor: Actor,
    *,
    email: str,
    name: str,
    role: Role = Role.AGENT,
    password: str | None = None,
    team_ids: Iterable[int] = (),
) -> Agent:
    require(actor, Permission.AGENTS_WRITE)
    address = normalize_email(email)
    if session.scalar(select(Agent.id).where(Agent.email == address)) is not None:
        raise AgentError(f"An agent with the email {address} already exists.")
    agent = Agent(
        email=address,
        name=name.strip() or address,
        role=Role(role).value,
        password_hash=_check_password(password) if password else None,
    )
    agent.teams = _teams(session, team_ids)
    session.add(agent)
    session.flush()
    emit(session, AgentCreated(actor=actor.ref, agent_id=agent.id, role=agent.role))
    return agent


def _active_admins(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(Agent).where(Agent.role == "admin", Agent.is_active)
    ) or 0


def update_agent(session: Session, actor: Actor, agent: Agent, changes: dict[str, Any]) -> Agent:
    require(actor, Permission.AGENTS_WRITE)
    diff: dict[str, tuple[Any, Any]] = {}
    demoting = ("role" in changes and changes["role"] != "admin") or (
        changes.get("is_active") is False
    )
    if demoting and agent.role == "admin" and agent.is_active and _active_admins(session) <= 1:
        raise AgentError("Tend needs at least one active admin; promote someone else first.")
    for key in ("name", "role", "is_active", "locale", "signature"):
        if key in changes and changes[key] != getattr(agent, key):
            value = Role(changes[key]).value if key == "role" else changes[key]
            diff[key] = (getattr(agent, key), value)
            setattr(agent, key, value)
    if "email" in changes:
        address = normalize_email(changes["email"])
        if address != agent.email:
            if session.scalar(select(Agent.id).where(Agent.email == address)) is not None:
                raise AgentError(f"An agent with the email {address} already exists.")
            diff["email"] = (agent.email, address)
            agent.email = address
    if "team_ids" in changes:
        before = sorted(agent.team_ids)
        agent.teams = _teams(session, changes["team_ids"])
        after = sorted(agent.team_ids)
        if before != after:
            diff["team_ids"] = (before, after)
    if changes.get("password"):
        agent.password_hash = _check_password(changes["password"])
        diff["password"] = ("***", "***")
    if diff:
        session.flush()
        emit(session, AgentUpdated(actor=actor.ref, agent_id=agent.id, changes=diff))
    return agent


def change_own_password(
    session: Session, actor: AgentActor, agent: Agent, new_password: str
) -> None:
    if actor.id != agent.id:
        raise Forbidden("You can only change your own password here.")
    agent.password_hash = _check_password(new_password)
    emit(session, AgentUpdated(actor=actor.ref, agent_id=agent.id,
                               changes={"password": ("***", "***")}))


def set_totp(session: Session, actor: AgentActor, agent: Agent, secret: str | None,
             used_step: int | None = None) -> None:
    """Turn two-factor sign-in on (with the step of the code that confirmed it) or off."""
    if actor.id != agent.id and not actor.is_admin:
        raise Forbidden("Only the agent (or an admin, to turn it off) may change two-factor.")
    if secret is not None and actor.id != agent.id:
        raise Forbidden("Only the agent can turn on their own two-factor sign-in.")
    before = agent.totp_enabled
    agent.totp_secret = secret
    agent.totp_enabled = secret is not None
    agent.totp_last_step = used_step if secret is not None else None
    emit(session, AgentUpdated(actor=actor.ref, agent_id=agent.id,
                               changes={"totp_enabled": (before, agent.totp_enabled)}))


def create_team(
    session: Session, actor: Actor, *, name: str, description: str = "",
    member_ids: Iterable[int] = (),
) -> Team:
    require(actor, Permission.TEAMS_WRITE)
    name = name.strip()
    if session.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise AgentError(f"A team named '{name}' already exists.")
    team = Team(name=name, description=description)
    ids = sorted(set(member_ids))
    team.members = list(session.scalars(select(Agent).where(Agent.id.in_(ids)))) if ids else []
    if len(team.members) != len(ids):
        raise AgentError("Some of the member ids are not agents.")
    session.add(team)
    session.flush()
    emit(session, TeamCreated(actor=actor.ref, team_id=team.id))
    return team


def update_team(session: Session, actor: Actor, team: Team, changes: dict[str, Any]) -> Team:
    require(actor, Permission.TEAMS_WRITE)
    diff: dict[str, tuple[Any, Any]] = {}
    if "name" in changes and changes["name"].strip() != team.name:
        name = changes["name"].strip()
        if session.scalar(select(Team.id).where(Team.name == name)) is not None:
            raise AgentError(f"A team named '{name}' already exists.")
        diff["name"] = (team.name, name)
        team.name = name
    if "description" in changes and changes["description"] != team.description:
        diff["description"] = (team.description, changes["description"])
        team.description = changes["description"]
    if "member_ids" in changes:
        ids = sorted(set(changes["member_ids"]))
        members = list(session.scalars(select(Agent).where(Agent.id.in_(ids)))) if ids else []
        if len(members) != len(ids):
            raise AgentError("Some of the member ids are not agents.")
        before = sorted(a.id for a in team.members)
        team.members = members
        if before != ids:
            diff["member_ids"] = (before, ids)
    if diff:
        session.flush()
        emit(session, TeamUpdated(actor=actor.ref, team_id=team.id, changes=diff))
    return team
