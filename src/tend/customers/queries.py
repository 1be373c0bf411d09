"""Reading customers and organizations, with the access check built in."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from tend.access import Actor, NotFound, Permission, customer_filter, require
from tend.customers.models import Customer, CustomerIdentity, Organization


def access_customer(session: Session, actor: Actor, customer_id: int) -> Customer:
    customer = session.execute(
        select(Customer)
        .where(Customer.id == customer_id, customer_filter(actor))
        .options(selectinload(Customer.identities), selectinload(Customer.organization))
    ).scalar_one_or_none()
    if customer is None:
        raise NotFound(f"Customer {customer_id} was not found.")
    return customer


def customers_query(actor: Actor, q: str | None = None,
                    organization_id: int | None = None) -> Select[Customer]:
    require(actor, Permission.CUSTOMERS_READ)
    stmt = select(Customer).where(customer_filter(actor))
    if organization_id is not None:
        stmt = stmt.where(Customer.organization_id == organization_id)
    if q:
        like = f"%{q.lower()}%"
        idents = select(CustomerIdentity.customer_id).where(
            func.lower(CustomerIdentity.address).like(like)
        )
        stmt = stmt.where(or_(func.lower(Customer.name).like(like), Customer.id.in_(idents)))
    return stmt.options(selectinload(Customer.identities), selectinload(Customer.organization))


def access_organization(session: Session, actor: Actor, organization_id: int) -> Organization:
    require(actor, Permission.ORGANIZATIONS_READ)
    org = session.execute(
        select(Organization)
        .where(Organization.id == organization_id)
        .options(selectinload(Organization.domains))
    ).scalar_one_or_none()
    if org is None:
        raise NotFound(f"Organization {organization_id} was not found.")
    return org


def organizations_query(actor: Actor, q: str | None = None) -> Select[Organization]:
    require(actor, Permission.ORGANIZATIONS_READ)
    stmt = select(Organization).options(selectinload(Organization.domains))
    if q:
        stmt = stmt.where(func.lower(Organization.name).like(f"%{q.lower()}%"))
    return stmt


def organization_customer_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(Customer.organization_id, func.count())
        .where(Customer.organization_id.in_(ids))
        .group_by(Customer.organization_id)
    )
    return {org_id: count for org_id, count in rows if org_id is not None}
