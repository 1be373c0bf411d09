"""Changing customers, their identities and organizations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tend.access import Actor, NotFound, Permission, require
from tend.customers.models import Customer, CustomerIdentity, Organization, OrganizationDomain
from tend.customers.rules import (
    email_domain,
    normalize_address,
    normalize_domain,
    normalize_email,
)
from tend.events import emit
from tend.events.catalog import (
    CustomerCreated,
    CustomerUpdated,
    OrganizationCreated,
    OrganizationUpdated,
)


class CustomerError(ValueError):
    """A change to customers or organizations that cannot be made (HTTP 409/422)."""


CUSTOMER_FIELDS = ("name", "organization_id", "tier", "locale", "time_zone", "tags", "notes",
                   "attributes")


def _organization_for_email(session: Session, email: str) -> int | None:
    row = session.get(OrganizationDomain, email_domain(email))
    return row.organization_id if row else None


def find_customer_by_identity(session: Session, channel: str, address: str) -> Customer | None:
    return session.execute(
        select(Customer)
        .join(CustomerIdentity)
        .where(CustomerIdentity.channel == channel, CustomerIdentity.address == address)
    ).scalar_one_or_none()


def create_customer(
    session: Session,
    actor: Actor,
    *,
    name: str,
    identities: Iterable[tuple[str, str]] = (),
    tier: str = "standard",
    organization_id: int | None = None,
    **fields: Any,
) -> Customer:
    require(actor, Permission.CUSTOMERS_WRITE)
    normalized = [(ch, normalize_address(ch, addr)) for ch, addr in identities]
    for channel, address in normalized:
        if find_customer_by_identity(session, channel, address) is not None:
            raise CustomerError(f"A customer with {channel} '{address}' already exists.")
    if organization_id is None:
        emails = [a for ch, a in normalized if ch == "email"]
        organization_id = _organization_for_email(session, emails[0]) if emails else None
    elif session.get(Organization, organization_id) is None:
        raise NotFound(f"Organization {organization_id} was not found.")
    customer = Customer(name=name.strip() or (normalized[0][1] if normalized else "Customer"),
                        tier=tier, organization_id=organization_id, **fields)
    customer.identities = [CustomerIdentity(channel=c, address=a) for c, a in normalized]
    session.add(customer)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise CustomerError("A customer with one of these identities already exists.") from None
    emit(session, CustomerCreated(actor=actor.ref, customer_id=customer.id))
    return customer


def find_or_create_by_email(session: Session, actor: Actor, email: str, name: str) -> Customer:
    """The customer with this email address, created if new (repeat customers are recognised).

    Two requests creating the same new customer at once both end with the same row: the loser
    of the race rolls back its savepoint and reads the winner's.
    """
    address = normalize_email(email)
    found = find_customer_by_identity(session, "email", address)
    if found is not None:
        return found
    customer = Customer(
        name=name.strip() or address.split("@")[0],
        organization_id=_organization_for_email(session, address),
    )
    customer.identities = [CustomerIdentity(channel="email", address=address)]
    try:
        with session.begin_nested():
            session.add(customer)
            session.flush()
    except IntegrityError:
        found = find_customer_by_identity(session, "email", address)
        if found is None:
            raise
        return found
    emit(session, CustomerCreated(actor=actor.ref, customer_id=customer.id))
    return customer


def update_customer(
    session: Session, actor: Actor, customer: Customer, changes: dict[str, Any]
) -> Customer:
    require(actor, Permission.CUSTOMERS_WRITE)
    diff: dict[str, tuple[Any, Any]] = {}
    for key, value in changes.items():
        if key not in CUSTOMER_FIELDS:
            raise CustomerError(f"Unknown customer field '{key}'.")
        if key == "organization_id" and value is not None and (
            session.get(Organization, value) is None
        ):
            raise NotFound(f"Organization {value} was not found.")
        before = getattr(customer, key)
        if before != value:
            diff[key] = (before, value)
            setattr(customer, key, value)
    if diff:
        session.flush()
        emit(session, CustomerUpdated(actor=actor.ref, customer_id=customer.id, changes=diff))
    return customer


def add_identity(
    session: Session, actor: Actor, customer: Customer, channel: str, address: str
) -> CustomerIdentity:
    require(actor, Permission.CUSTOMERS_WRITE)
    address = normalize_address(channel, address)
    owner = find_customer_by_identity(session, channel, address)
    if owner is not None:
        raise CustomerError(f"{channel} '{address}' already belongs to customer {owner.id}.")
    ident = CustomerIdentity(customer_id=customer.id, channel=channel, address=address)
    customer.identities.append(ident)
    session.flush()
    emit(session, CustomerUpdated(actor=actor.ref, customer_id=customer.id,
                                  changes={"identities": (None, f"{channel}:{address}")}))
    return ident


def _set_domains(session: Session, org: Organization, domains: Iterable[str]) -> list[str]:
    wanted = sorted({normalize_domain(d) for d in domains})
    for domain in wanted:
        owner = session.get(OrganizationDomain, domain)
        if owner is not None and owner.organization_id != org.id:
            raise CustomerError(f"The domain {domain} already belongs to another organization.")
    org.domains = [
        next((d for d in org.domains if d.domain == name), None) or OrganizationDomain(domain=name)
        for name in wanted
    ]
    return wanted


def _link_domain_customers(session: Session, org: Organization, domains: list[str]) -> None:
    """Customers without an organization whose email is at one of its domains join it."""
    for domain in domains:
        ids = select(CustomerIdentity.customer_id).where(
            CustomerIdentity.channel == "email", CustomerIdentity.address.like(f"%@{domain}")
        )
        session.execute(
            update(Customer)
            .where(Customer.id.in_(ids), Customer.organization_id.is_(None))
            .values(organization_id=org.id)
        )


def create_organization(
    session: Session, actor: Actor, *, name: str, domains: Iterable[str] = (), notes: str = ""
) -> Organization:
    require(actor, Permission.ORGANIZATIONS_WRITE)
    name = name.strip()
    if session.scalar(select(Organization.id).where(Organization.name == name)) is not None:
        raise CustomerError(f"An organization named '{name}' already exists.")
    org = Organization(name=name, notes=notes)
    session.add(org)
    linked = _set_domains(session, org, domains)  # a bad domain raises IdentityError (422)
    session.flush()
    _link_domain_customers(session, org, linked)
    emit(session, OrganizationCreated(actor=actor.ref, organization_id=org.id))
    return org


def update_organization(
    session: Session, actor: Actor, org: Organization, changes: dict[str, Any]
) -> Organization:
    require(actor, Permission.ORGANIZATIONS_WRITE)
    diff: dict[str, tuple[Any, Any]] = {}
    if "name" in changes and changes["name"].strip() != org.name:
        name = changes["name"].strip()
        clash = session.scalar(select(Organization.id).where(Organization.name == name))
        if clash is not None:
            raise CustomerError(f"An organization named '{name}' already exists.")
        diff["name"] = (org.name, name)
        org.name = name
    if "notes" in changes and changes["notes"] != org.notes:
        diff["notes"] = (org.notes, changes["notes"])
        org.notes = changes["notes"]
    if "domains" in changes:
        before = org.domain_names
        after = _set_domains(session, org, changes["domains"])
        if before != after:
            diff["domains"] = (before, after)
            session.flush()
            _link_domain_customers(session, org, [d for d in after if d not in before])
    if diff:
        session.flush()
        emit(session, OrganizationUpdated(actor=actor.ref, organization_id=org.id, changes=diff))
    return org
