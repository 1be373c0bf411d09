from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from tend.agents.models import Agent, Role, Team

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgentCreate(Strict):
    email: EmailStr = Field(max_length=254)
    name: Name
    role: Role = Role.AGENT
    password: str | None = Field(default=None, min_length=10, max_length=256)
    team_ids: list[int] = Field(default_factory=list, max_length=100)


class AgentUpdate(Strict):
    email: EmailStr | None = Field(default=None, max_length=254)
    name: Name | None = None
    role: Role | None = None
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)
    team_ids: list[int] | None = Field(default=None, max_length=100)
    signature: str | None = Field(default=None, max_length=2000)


class TeamRef(BaseModel):
    id: int
    name: str


class AgentOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    teams: list[TeamRef]
    totp_enabled: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, a: Agent) -> AgentOut:
        return cls(id=a.id, email=a.email, name=a.name, role=a.role, is_active=a.is_active,
                   teams=[TeamRef(id=t.id, name=t.name) for t in a.teams],
                   totp_enabled=a.totp_enabled, created_at=a.created_at,
                   last_login_at=a.last_login_at)


class TeamCreate(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    description: str = Field(default="", max_length=2000)
    member_ids: list[int] = Field(default_factory=list, max_length=500)


class TeamUpdate(Strict):
    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ] | None = None
    description: str | None = Field(default=None, max_length=2000)
    member_ids: list[int] | None = Field(default=None, max_length=500)


class MemberRef(BaseModel):
    id: int
    name: str


class TeamOut(BaseModel):
    id: int
    name: str
    description: str
    members: list[MemberRef]
    created_at: datetime

    @classmethod
    def of(cls, t: Team) -> TeamOut:
        return cls(id=t.id, name=t.name, description=t.description,
                   members=[MemberRef(id=a.id, name=a.name) for a in t.members],
                   created_at=t.created_at)


class AgentList(BaseModel):
    items: list[AgentOut]


class TeamList(BaseModel):
    items: list[TeamOut]
