"""The read-only roles page: what each role may do, straight from tend.access."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.access import ROLE_PERMISSIONS, Permission
from tend.agents.models import Role
from tend.web.admin.common import ROLE_HELP, AgentsAdmin, page

router = APIRouter()

PERMISSION_HELP: dict[Permission, str] = {
    Permission.TICKETS_READ: "See tickets",
    Permission.TICKETS_CREATE: "Open tickets",
    Permission.TICKETS_UPDATE: "Change tickets (status, priority, assignee, team, tags, fields)",
    Permission.TICKETS_REPLY: "Write replies the customer sees",
    Permission.TICKETS_NOTE: "Write internal notes",
    Permission.TICKETS_MERGE: "Merge tickets",
    Permission.CUSTOMERS_READ: "See customers",
    Permission.CUSTOMERS_WRITE: "Create and edit customers",
    Permission.ORGANIZATIONS_READ: "See organizations",
    Permission.ORGANIZATIONS_WRITE: "Create and edit organizations",
    Permission.AGENTS_READ: "See agents",
    Permission.AGENTS_WRITE: "Create and edit agents",
    Permission.TEAMS_READ: "See teams",
    Permission.TEAMS_WRITE: "Create and edit teams",
    Permission.SETTINGS_WRITE: "Change settings and custom fields",
    Permission.CHANNELS_WRITE: "Manage email inboxes and the mail quarantine",
}


@router.get("/admin/roles")
def roles_page(request: Request, actor: AgentsAdmin) -> Response:
    roles = list(Role)
    matrix = [(p, PERMISSION_HELP.get(p, p.value), [p in ROLE_PERMISSIONS[r] for r in roles])
              for p in Permission]
    return page(request, "admin/roles.html",
                {"roles": roles, "role_help": ROLE_HELP, "matrix": matrix})
