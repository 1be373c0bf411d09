from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from tend.customers.models import Customer, Organization

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Domain = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=253)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IdentityIn(Strict):
    channel: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,29}$")]
    address: Annotated[str, StringConstraints(min_length=1, max_length=320)]


class CustomerCreate(Strict):
    name: Name
    email: EmailStr | None = Field(default=None, max_length=254)
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None
    identities: list[IdentityIn] = Field(default_factory=list, max_length=20)
    organization_id: int | None = None
    tier: Annotated[str, StringConstraints(max_length=40)] | None = None
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] | None = None
    time_zone: Annotated[str, StringConstraints(max_length=64)] | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    notes: str = Field(default="", max_length=10_000)
    attributes: dict[str, Any] = Field(default_factory=dict, max_length=50)


class CustomerUpdate(Strict):
    name: Name | None = None
    organization_id: int | None = None
    tier: Annotated[str, StringConstraints(max_length=40)] | None = None
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] | None = None
    time_zone: Annotated[str, StringConstraints(max_length=64)] | None = None
    tags: list[Tag] | None = Field(default=None, max_length=50)
    notes: str | None = Field(default=None, max_length=10_000)
    attributes: dict[str, Any] | None = Field(default=None, max_length=50)
    add_identities: list[IdentityIn] | None = Field(
        default=None, max_length=20,
        description="New ways to reach the customer; each (channel, address) must be unused.")


class IdentityOut(BaseModel):
    channel: str
    address: str
    verified: bool


class OrganizationRef(BaseModel):
    id: int
    name: str


class CustomerOut(BaseModel):
    id: int
    name: str
    email: str | None
    identities: list[IdentityOut]
    organization: OrganizationRef | None
    tier: str
    locale: str | None
    time_zone: str | None
    tags: list[str]
    notes: str
    attributes: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, c: Customer) -> CustomerOut:
        return cls(
            id=c.id, name=c.name, email=c.email,
            identities=[IdentityOut(channel=i.channel, address=i.address, verified=i.verified)
                        for i in c.identities],
            organization=OrganizationRef(id=c.organization.id, name=c.organization.name)
            if c.organization else None,
            tier=c.tier, locale=c.locale, time_zone=c.time_zone, tags=list(c.tags),
            notes=c.notes, attributes=dict(c.attributes), created_at=c.created_at,
            updated_at=c.updated_at,
        )


class OrganizationCreate(Strict):
    name: Name
    domains: list[Domain] = Field(default_factory=list, max_length=50)
    notes: str = Field(default="", max_length=10_000)


class OrganizationUpdate(Strict):
    name: Name | None = None
    domains: list[Domain] | None = Field(default=None, max_length=50)
    notes: str | None = Field(default=None, max_length=10_000)


class OrganizationOut(BaseModel):
    id: int
    name: str
    domains: list[str]
    notes: str
    customer_count: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, o: Organization, customer_count: int) -> OrganizationOut:
        return cls(id=o.id, name=o.name, domains=o.domain_names, notes=o.notes,
                   customer_count=customer_count, created_at=o.created_at,
                   updated_at=o.updated_at)


class CustomerPage(BaseModel):
    items: list[CustomerOut]
    next_cursor: str | None


class OrganizationPage(BaseModel):
    items: list[OrganizationOut]
    next_cursor: str | None
