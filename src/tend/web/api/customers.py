from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tend.config.queries import get_config
from tend.customers import actions, queries
from tend.customers.models import Customer
from tend.customers.schemas import CustomerCreate, CustomerOut, CustomerPage, CustomerUpdate
from tend.pagination import page_by_id
from tend.web.deps import ApiAgent, RuntimeDep
from tend.web.patching import patch_changes
from tend.web.problems import Problem

router = APIRouter(tags=["customers"])


def _check_tier(tier: str | None, allowed: list[str]) -> None:
    if tier is not None and tier not in allowed:
        raise Problem(422, f"tier: unknown tier '{tier}'; use one of: {', '.join(allowed)}")


@router.get("/customers", response_model=CustomerPage)
def list_customers(
    rt: RuntimeDep, actor: ApiAgent,
    q: Annotated[str | None, Query(max_length=200)] = None,
    organization: int | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> CustomerPage:
    with rt.db.read() as session:
        stmt = queries.customers_query(actor, q, organization)
        rows, nxt = page_by_id(session, stmt, Customer.id, cursor, limit)
        return CustomerPage(items=[CustomerOut.of(c) for c in rows], next_cursor=nxt)


@router.post("/customers", status_code=201, response_model=CustomerOut)
def create_customer(data: CustomerCreate, rt: RuntimeDep, actor: ApiAgent) -> CustomerOut:
    identities = [(i.channel, i.address) for i in data.identities]
    if data.email:
        identities.insert(0, ("email", str(data.email)))
    if data.phone:
        identities.append(("phone", data.phone))
    with rt.db.write() as session:
        config = get_config(session)
        _check_tier(data.tier, config.tier_keys)
        customer = actions.create_customer(
            session, actor, name=data.name, identities=identities,
            tier=data.tier or config.default_tier, organization_id=data.organization_id,
            locale=data.locale, time_zone=data.time_zone, tags=data.tags, notes=data.notes,
            attributes=data.attributes,
        )
        session.refresh(customer, ["organization"])
        return CustomerOut.of(customer)


@router.get("/customers/{customer_id}", response_model=CustomerOut)
def get_customer(customer_id: int, rt: RuntimeDep, actor: ApiAgent) -> CustomerOut:
    with rt.db.read() as session:
        return CustomerOut.of(queries.access_customer(session, actor, customer_id))


@router.patch("/customers/{customer_id}", response_model=CustomerOut)
def update_customer(customer_id: int, data: CustomerUpdate, rt: RuntimeDep,
                    actor: ApiAgent) -> CustomerOut:
    changes = patch_changes(data, nullable=("organization_id", "locale", "time_zone"))
    new_identities = changes.pop("add_identities", [])
    with rt.db.write() as session:
        customer = queries.access_customer(session, actor, customer_id)
        _check_tier(changes.get("tier"), get_config(session).tier_keys)
        actions.update_customer(session, actor, customer, changes)
        for identity in new_identities:
            actions.add_identity(session, actor, customer, identity["channel"],
                                 identity["address"])
        session.refresh(customer, ["organization"])
        return CustomerOut.of(customer)
