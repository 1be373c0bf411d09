from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tend.db import Base, utcnow


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    domains: Mapped[list[OrganizationDomain]] = relationship(
        back_populates="organization",
        cascade="all, delete-orphan",
        order_by="OrganizationDomain.domain",
    )

    @property
    def domain_names(self) -> list[str]:
        return [d.domain for d in self.domains]


class OrganizationDomain(Base):
    """An email domain whose customers are linked to the organization automatically."""

    __tablename__ = "organization_domains"

    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    organization: Mapped[Organization] = relationship(back_populates="domains")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True, default=None
    )
    tier: Mapped[str] = mapped_column(String(40), default="standard")
    locale: Mapped[str | None] = mapped_column(String(10), default=None)
    time_zone: Mapped[str | None] = mapped_column(String(64), default=None)
    tags: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)

    organization: Mapped[Organization | None] = relationship()
    identities: Mapped[list[CustomerIdentity]] = relationship(
        back_populates="customer",
        cascade="all, delete-orphan",
        order_by="CustomerIdentity.id",
    )

    @property
    def email(self) -> str | None:
        """The first email identity: where portal links and replies go."""
        for ident in self.identities:
            if ident.channel == "email":
                return ident.address
        return None


class CustomerIdentity(Base):
    """One way to reach a customer: (channel, address), unique across customers."""

    __tablename__ = "customer_identities"
    __table_args__ = (UniqueConstraint("channel", "address", name="uq_identity_channel_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(320))
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="identities")
