from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tend.db import Base, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    AGENT = "agent"
    LIGHT_AGENT = "light_agent"
    PARTNER_AGENT = "partner_agent"


team_members = Table(
    "team_members",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("agent_id", ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    members: Mapped[list[Agent]] = relationship(
        secondary=team_members, back_populates="teams", order_by="Agent.name"
    )


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=Role.AGENT.value)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[int | None] = mapped_column(default=None)  # codes work once
    locale: Mapped[str] = mapped_column(String(10), default="en")
    signature: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    # Chat presence: online agents get chat offers, up to `max_chats` at once, while a
    # workspace screen of theirs is connected (`last_seen_at` is kept fresh by it).
    chat_status: Mapped[str] = mapped_column(String(10), default="offline")
    max_chats: Mapped[int] = mapped_column(default=3)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)

    teams: Mapped[list[Team]] = relationship(
        secondary=team_members, back_populates="members", order_by="Team.name"
    )

    @property
    def team_ids(self) -> frozenset[int]:
        return frozenset(t.id for t in self.teams)
