"""The portal surface (server-rendered pages): customers sign in, submit requests, follow and
answer them. One module per concept; this package's `router` is mounted by web/pages.py."""

from fastapi import APIRouter

from tend.web.portal import account, signin, tickets

router = APIRouter(include_in_schema=False)
for _module in (signin, account, tickets):
    router.include_router(_module.router)
