"""Sign-in state changes: web sessions, API tokens, magic links."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tend.agents.models import Agent
from tend.auth.credentials import digest, new_token
from tend.auth.models import ApiToken, LoginLink, WebSession
from tend.auth.passwords import hash_password, needs_rehash, verify_password
from tend.customers.models import Customer
from tend.db import utcnow
from tend.events import emit
from tend.events.catalog import ActorRef, CustomerUpdated

API_TOKEN_PREFIX = "tend_"  # noqa: S105 - a visible prefix, not a secret


@dataclass(frozen=True)
class NewSession:
    token: str  # goes into the cookie; never stored
    row: WebSession


def start_session(
    session: Session,
    *,
    agent: Agent | None = None,
    customer: Customer | None = None,
    max_age_seconds: int,
    awaiting_totp: bool = False,
    user_agent: str = "",
) -> NewSession:
    token, token_hash = new_token()
    row = WebSession(
        token_hash=token_hash,
        agent_id=agent.id if agent else None,
        customer_id=customer.id if customer else None,
        csrf_token=secrets.token_urlsafe(32),
        awaiting_totp=awaiting_totp,
        expires_at=utcnow() + timedelta(seconds=max_age_seconds),
        user_agent=user_agent[:300],
    )
    session.add(row)
    session.flush()
    return NewSession(token, row)


def end_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))


def end_all_sessions(session: Session, *, agent_id: int, keep: str | None = None) -> None:
    """Sign an agent out everywhere (except the session whose token hash is `keep`)."""
    stmt = delete(WebSession).where(WebSession.agent_id == agent_id)
    if keep is not None:
        stmt = stmt.where(WebSession.token_hash != keep)
    session.execute(stmt)


def complete_totp(session: Session, web_session: WebSession) -> None:
    web_session.awaiting_totp = False
    web_session.csrf_token = secrets.token_urlsafe(32)


def create_api_token(session: Session, agent: Agent, name: str = "") -> str:
    token, token_hash = new_token(API_TOKEN_PREFIX)
    session.add(
        ApiToken(agent_id=agent.id, name=name[:100], token_hash=token_hash, prefix=token[:12])
    )
    session.flush()
    return token


def revoke_api_token(session: Session, token_id: int, agent_id: int) -> bool:
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.agent_id == agent_id)
        .where(ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


def create_login_link(session: Session, customer: Customer, email: str, max_age: int) -> str:
    token, token_hash = new_token()
    session.add(
        LoginLink(
            token_hash=token_hash,
            customer_id=customer.id,
            email=email,
            expires_at=utcnow() + timedelta(seconds=max_age),
        )
    )
    session.flush()
    return token


def consume_login_link(session: Session, token: str) -> Customer | None:
    """The customer a valid, unused, unexpired link signs in; the link is spent."""
    link = session.execute(
        select(LoginLink).where(LoginLink.token_hash == digest(token)).with_for_update()
    ).scalar_one_or_none()
    now = utcnow()
    if link is None or link.used_at is not None or link.expires_at < now:
        return None
    link.used_at = now
    customer = session.get(Customer, link.customer_id)
    if customer is not None:
        customer.last_seen_at = now
    return customer


def web_session_row(
    session: Session, token_hash: str | None, *, token: str | None = None
) -> WebSession | None:
    return session.get(WebSession, token_hash or digest(token or ""))


def check_password(session: Session, owner: Agent | Customer | None, password: str) -> bool:
    """Verify a sign-in password (constant effort for unknown owners) and upgrade an old hash."""
    stored = owner.password_hash if owner is not None else None
    if not verify_password(stored, password) or owner is None or stored is None:
        return False
    if needs_rehash(stored):
        owner.password_hash = hash_password(password)
    return True


def set_customer_password(session: Session, customer: Customer, password: str) -> None:
    """The caller has checked the password's strength (and shows its own message)."""
    customer.password_hash = hash_password(password)
    emit(session, CustomerUpdated(actor=ActorRef("customer", customer.id),
                                  customer_id=customer.id, changes={"password": ("***", "***")}))


def verify_link_address(customer: Customer, email: str) -> None:
    """Following a sign-in link proved that the address belongs to the customer."""
    for identity in customer.identities:
        if identity.channel == "email" and identity.address == email:
            identity.verified = True
