"""Customers: the list with search, the profile with tickets, and the edit form."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.access import AgentActor, Permission, has, require
from tend.config.queries import get_config
from tend.customers import actions
from tend.customers.models import Customer
from tend.customers.queries import access_customer, customers_query
from tend.pagination import page_by_id
from tend.runtime import Runtime
from tend.tickets.queries import customer_tickets
from tend.tickets.rules import normalize_tags
from tend.web.agent.common import FORM_ERRORS, PathId, error_status, split_tags
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, PageAgent, field, redirect, render
from tend.web.problems import Problem

router = APIRouter()

PAGE_SIZE = 25
_LOCALE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")


@router.get("/agent/customers")
def customer_list(request: Request, rt: RuntimeDep, actor: PageAgent, q: str = "",
                  cursor: str | None = None) -> Response:
    q = q.strip()[:200]
    with rt.db.read() as session:
        rows, nxt = page_by_id(session, customers_query(actor, q or None), Customer.id, cursor,
                               PAGE_SIZE)
        base = "/agent/customers" + (f"?{urlencode({'q': q})}" if q else "")
        sep = "&" if q else "?"
        return render(request, "agent/customers.html", {
            "nav_active": "customers", "customers": rows, "q": q,
            "next_url": f"{base}{sep}{urlencode({'cursor': nxt})}" if nxt else None,
            "first_url": base if cursor else None,
        })


def customer_page(request: Request, rt: Runtime, actor: AgentActor, customer_id: int, *,
                  error: str | None = None, typed: dict[str, Any] | None = None,
                  saved: bool = False, status_code: int = 200) -> Response:
    with rt.db.read() as session:
        customer = access_customer(session, actor, customer_id)
        return render(request, "agent/customer.html", {
            "nav_active": "customers", "person": customer,
            "tickets": customer_tickets(session, actor, customer.id, limit=50),
            "can_edit": has(actor, Permission.CUSTOMERS_WRITE), "error": error,
            "typed": typed or {}, "saved": saved,
        }, status_code=status_code)


@router.get("/agent/customers/{customer_id}")
def profile(customer_id: PathId, request: Request, rt: RuntimeDep, actor: PageAgent,
            saved: str | None = None) -> Response:
    return customer_page(request, rt, actor, customer_id, saved=saved == "1")


def _changes(form: dict[str, Any], tiers: list[str]) -> dict[str, Any]:
    name = " ".join(field(form, "name", max_length=200, required=True, label="Name").split())
    tier = field(form, "tier", max_length=40)
    if tier not in tiers:
        raise Problem(422, f"Choose a tier from the list: {', '.join(tiers)}.")
    locale = field(form, "locale", max_length=10) or None
    if locale is not None and not _LOCALE.match(locale):
        raise Problem(422, "Write the language as a code such as en, de or pt-BR.")
    time_zone = field(form, "time_zone", max_length=64) or None
    if time_zone is not None and time_zone not in available_timezones():
        raise Problem(422, f"'{time_zone}' is not a time zone (e.g. Europe/Berlin).")
    return {"name": name, "tier": tier, "locale": locale, "time_zone": time_zone,
            "tags": normalize_tags(split_tags(field(form, "tags", max_length=3000))),
            "notes": field(form, "notes", max_length=10_000)}


@router.post("/agent/customers/{customer_id}")
def edit(customer_id: PathId, request: Request, rt: RuntimeDep, actor: PageAgent,
         form: FormData) -> Response:
    require(actor, Permission.CUSTOMERS_WRITE)
    try:
        with rt.db.write() as session:
            customer = access_customer(session, actor, customer_id)
            changes = _changes(form, get_config(session).tier_keys)
            actions.update_customer(session, actor, customer, changes)
    except FORM_ERRORS as exc:
        typed = {k: v for k, v in form.items() if isinstance(v, str)}
        return customer_page(request, rt, actor, customer_id, error=str(exc), typed=typed,
                             status_code=error_status(exc))
    return redirect(f"/agent/customers/{customer_id}?saved=1")
