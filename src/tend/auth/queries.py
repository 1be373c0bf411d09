"""Reading sign-in state."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tend.access import AgentActor
from tend.agents.models import Agent, Role, team_members
from tend.auth.credentials import digest
from tend.auth.models import ApiToken, LoginLink, WebSession
from tend.db import utcnow


def actor_for_api_token(session: Session, token: str) -> AgentActor | None:
    """The agent a valid, unrevoked token acts as (two light queries: every API call runs it)."""
    row = session.execute(
        select(Agent.id, Agent.role, Agent.name)
        .join(ApiToken, ApiToken.agent_id == Agent.id)
        .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None),
               Agent.is_active)
    ).first()
    if row is None:
        return None
    team_ids = session.scalars(
        select(team_members.c.team_id).where(team_members.c.agent_id == row.id)
    )
    return AgentActor(id=row.id, role=Role(row.role), name=row.name,
                      team_ids=frozenset(team_ids))


def touch_api_token(session: Session, token: str) -> None:
    session.execute(
        update(ApiToken).where(ApiToken.token_hash == digest(token)).values(last_used_at=utcnow())
    )


def web_session(session: Session, token: str) -> WebSession | None:
    row = session.get(WebSession, digest(token))
    if row is None or row.expires_at < utcnow():
        return None
    return row


def login_link(session: Session, token: str) -> LoginLink | None:
    """The magic link for `token` if it is unused and unexpired (read only: not spent)."""
    link = session.get(LoginLink, digest(token))
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        return None
    return link


def api_tokens_of(session: Session, agent_id: int) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.agent_id == agent_id).order_by(ApiToken.id.desc())
        )
    )
