"""REST API v1 (JSON). The contract scripts and integrations rely on; see docs/api.md."""

from fastapi import APIRouter

from tend.web.api import agents, attachments, customers, organizations, teams, tickets

router = APIRouter(prefix="/api/v1")
for module in (tickets, customers, organizations, agents, teams, attachments):
    router.include_router(module.router)
