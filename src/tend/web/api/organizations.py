from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tend.customers import actions, queries
from tend.customers.models import Organization
from tend.customers.schemas import (
    OrganizationCreate,
    OrganizationOut,
    OrganizationPage,
    OrganizationUpdate,
)
from tend.pagination import page_by_id
from tend.web.deps import ApiAgent, RuntimeDep
from tend.web.patching import patch_changes

router = APIRouter(tags=["organizations"])


@router.get("/organizations", response_model=OrganizationPage)
def list_organizations(
    rt: RuntimeDep, actor: ApiAgent,
    q: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> OrganizationPage:
    with rt.db.read() as session:
        rows, nxt = page_by_id(session, queries.organizations_query(actor, q), Organization.id,
                               cursor, limit)
        counts = queries.organization_customer_counts(session, [o.id for o in rows])
        return OrganizationPage(items=[OrganizationOut.of(o, counts.get(o.id, 0)) for o in rows],
                                next_cursor=nxt)


@router.post("/organizations", status_code=201, response_model=OrganizationOut)
def create_organization(data: OrganizationCreate, rt: RuntimeDep,
                        actor: ApiAgent) -> OrganizationOut:
    with rt.db.write() as session:
        org = actions.create_organization(session, actor, name=data.name, domains=data.domains,
                                          notes=data.notes)
        counts = queries.organization_customer_counts(session, [org.id])
        return OrganizationOut.of(org, counts.get(org.id, 0))


@router.get("/organizations/{organization_id}", response_model=OrganizationOut)
def get_organization(organization_id: int, rt: RuntimeDep, actor: ApiAgent) -> OrganizationOut:
    with rt.db.read() as session:
        org = queries.access_organization(session, actor, organization_id)
        return OrganizationOut.of(org, queries.organization_customer_counts(
            session, [org.id]).get(org.id, 0))


@router.patch("/organizations/{organization_id}", response_model=OrganizationOut)
def update_organization(organization_id: int, data: OrganizationUpdate, rt: RuntimeDep,
                        actor: ApiAgent) -> OrganizationOut:
    changes = patch_changes(data)
    with rt.db.write() as session:
        org = queries.access_organization(session, actor, organization_id)
        actions.update_organization(session, actor, org, changes)
        return OrganizationOut.of(org, queries.organization_customer_counts(
            session, [org.id]).get(org.id, 0))
