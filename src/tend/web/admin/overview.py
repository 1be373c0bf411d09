"""The admin overview: where everything is, with counts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.agents.models import Agent
from tend.agents.queries import agents_query, all_teams
from tend.tickets.fields import all_custom_fields
from tend.web.admin.common import AgentsAdmin, page
from tend.web.deps import RuntimeDep

router = APIRouter()


@router.get("/admin")
def overview(request: Request, rt: RuntimeDep, actor: AgentsAdmin) -> Response:
    with rt.db.read() as session:
        agents = list(session.scalars(agents_query(actor).order_by(Agent.name)))
        counts = {"agents": len(agents), "active_agents": sum(a.is_active for a in agents),
                  "teams": len(all_teams(session)),
                  "custom_fields": len(all_custom_fields(session))}
    return page(request, "admin/overview.html", {"counts": counts})
