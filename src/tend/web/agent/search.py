"""Search: a ticket number jumps to the ticket; anything else lists tickets and customers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.access import NotFound
from tend.customers.models import Customer
from tend.customers.queries import customers_query
from tend.pagination import page_by_id
from tend.tickets.queries import TicketFilters, access_ticket_by_number, list_tickets
from tend.web.deps import RuntimeDep
from tend.web.pagekit import PageAgent, redirect, render

router = APIRouter()

LIMIT = 25


def _as_number(q: str) -> int | None:
    text = q.strip().lstrip("#").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


@router.get("/agent/search")
def search(request: Request, rt: RuntimeDep, actor: PageAgent, q: str = "") -> Response:
    q = q.strip()[:200]
    with rt.db.read() as session:
        number = _as_number(q) if q else None
        if number is not None:
            try:
                access_ticket_by_number(session, actor, number)
            except NotFound:
                pass
            else:
                return redirect(f"/agent/tickets/{number}")
        tickets, customers = [], []
        more_tickets = more_customers = False
        if q:
            page = list_tickets(session, actor, TicketFilters(q=q), limit=LIMIT)
            tickets, more_tickets = page.items, page.next_cursor is not None
            rows, nxt = page_by_id(session, customers_query(actor, q), Customer.id, None, LIMIT)
            customers, more_customers = rows, nxt is not None
        return render(request, "agent/search.html", {
            "nav_active": "search", "search_q": q, "tickets": tickets, "customers": customers,
            "more_tickets": more_tickets, "more_customers": more_customers,
        })
