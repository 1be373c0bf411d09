"""The admin surface (server-rendered pages). Every route needs an admin permission."""

from fastapi import APIRouter

from tend.web.admin import agents, chat, fields, inboxes, mail, overview, roles, settings, teams

router = APIRouter(include_in_schema=False)
for _module in (overview, agents, teams, fields, settings, roles, inboxes, chat, mail):
    router.include_router(_module.router)
