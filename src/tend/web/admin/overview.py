"""The admin overview: where everything is, with counts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.access import Permission, has
from tend.agents.models import Agent
from tend.agents.queries import agents_query, all_teams
from tend.channels.email.queries import inboxes_query, mail_counts
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
        if has(actor, Permission.CHANNELS_WRITE):
            counts["inboxes"] = len(session.scalars(inboxes_query(actor)).all())
            counts["quarantined"] = mail_counts(session, actor)["quarantined"]
    return page(request, "admin/overview.html", {"counts": counts})
