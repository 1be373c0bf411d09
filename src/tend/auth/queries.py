"""Reading sign-in state."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from tend.agents.models import Agent
from tend.auth.credentials import digest
from tend.auth.models import ApiToken, LoginLink, WebSession
from tend.db import utcnow


def agent_for_api_token(session: Session, token: str) -> Agent | None:
    row = session.execute(
        select(ApiToken, Agent)
        .join(Agent, Agent.id == ApiToken.agent_id)
        .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None))
        .options(selectinload(Agent.teams))
    ).first()
    if row is None:
        return None
    _, agent = row
    return agent if agent.is_active else None


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
