"""The agent workspace (server-rendered pages): inbox, ticket page, search, customers."""

from fastapi import APIRouter

from tend.web.agent import customers, inbox, search, ticket

router = APIRouter(include_in_schema=False)
# The inbox first: its /agent/tickets/bulk must win over /agent/tickets/{number}.
for _module in (inbox, ticket, search, customers):
    router.include_router(_module.router)
