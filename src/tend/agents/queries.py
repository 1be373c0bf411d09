from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from tend.access import Actor, AgentActor, NotFound, Permission, require
from tend.agents.models import Agent, Role, Team


def agent_by_email(session: Session, email: str) -> Agent | None:
    return session.execute(
        select(Agent).where(Agent.email == email.strip().lower()).options(selectinload(Agent.teams))
    ).scalar_one_or_none()


def actor_for(agent: Agent) -> AgentActor:
    return AgentActor(id=agent.id, role=Role(agent.role), name=agent.name, team_ids=agent.team_ids)


def access_agent(session: Session, actor: Actor, agent_id: int) -> Agent:
    require(actor, Permission.AGENTS_READ)
    agent = session.execute(
        select(Agent).where(Agent.id == agent_id).options(selectinload(Agent.teams))
    ).scalar_one_or_none()
    if agent is None:
        raise NotFound(f"Agent {agent_id} was not found.")
    return agent


def agents_query(actor: Actor, *, active: bool | None = None) -> Select[Agent]:
    require(actor, Permission.AGENTS_READ)
    stmt = select(Agent).options(selectinload(Agent.teams))
    if active is not None:
        stmt = stmt.where(Agent.is_active.is_(active))
    return stmt


def access_team(session: Session, actor: Actor, team_id: int) -> Team:
    require(actor, Permission.TEAMS_READ)
    team = session.execute(
        select(Team).where(Team.id == team_id).options(selectinload(Team.members))
    ).scalar_one_or_none()
    if team is None:
        raise NotFound(f"Team {team_id} was not found.")
    return team


def teams_query(actor: Actor) -> Select[Team]:
    require(actor, Permission.TEAMS_READ)
    return select(Team).options(selectinload(Team.members))


def all_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def assignable_agents(session: Session) -> list[Agent]:
    return list(
        session.scalars(
            select(Agent)
            .where(Agent.is_active, Agent.role != Role.LIGHT_AGENT.value)
            .options(selectinload(Agent.teams))
            .order_by(Agent.name)
        )
    )
