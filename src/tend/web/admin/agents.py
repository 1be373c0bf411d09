"""Admin pages for agents: list, create, edit (role, teams, active, password, 2FA off)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.agents import actions
from tend.agents.actions import AgentError
from tend.agents.models import Agent, Role
from tend.agents.queries import access_agent, agents_query, all_teams
from tend.auth.actions import end_all_sessions
from tend.customers.rules import IdentityError
from tend.web.admin.common import ROLE_HELP, AgentsAdmin, checked, id_list, page
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, field, redirect
from tend.web.problems import Problem

router = APIRouter()
_FORM_ERRORS = (AgentError, IdentityError, Problem)


def _values(form: dict[str, Any]) -> dict[str, Any]:
    """What the agent form sent, as `create_agent` / `update_agent` take it."""
    role = field(form, "role", max_length=20)
    if role not in {r.value for r in Role}:
        raise AgentError("Choose one of the four roles.")
    return {
        "email": field(form, "email", max_length=254, required=True, label="Email"),
        "name": field(form, "name", max_length=200, required=True, label="Name"),
        "role": role,
        "team_ids": id_list(form, "team_ids[]"),
        "is_active": checked(form, "is_active"),
        "password": field(form, "password", max_length=256),
    }


def _raw(form: dict[str, Any]) -> dict[str, Any]:
    """The input to show again after an error (never the password)."""
    try:
        team_ids = id_list(form, "team_ids[]")
    except Problem:
        team_ids = []
    return {"email": str(form.get("email", "")), "name": str(form.get("name", "")),
            "role": str(form.get("role", "agent")), "team_ids": team_ids,
            "is_active": checked(form, "is_active")}


def _form(request: Request, values: dict[str, Any], *, agent: Agent | None = None,
          error: str | None = None, status_code: int = 200) -> Response:
    rt = request.app.state.runtime
    with rt.db.read() as session:
        teams = all_teams(session)
    return page(request, "admin/agent_form.html",
                {"agent": agent, "values": values, "teams": teams, "roles": ROLE_HELP,
                 "error": error}, status_code=status_code)


@router.get("/admin/agents")
def agent_list(request: Request, rt: RuntimeDep, actor: AgentsAdmin) -> Response:
    with rt.db.read() as session:
        agents = list(session.scalars(agents_query(actor).order_by(Agent.name)))
    return page(request, "admin/agents.html", {"agents": agents})


@router.get("/admin/agents/new")
def new_agent_page(request: Request, actor: AgentsAdmin) -> Response:
    return _form(request, {"email": "", "name": "", "role": "agent", "team_ids": [],
                           "is_active": True})


@router.post("/admin/agents/new")
def create_agent(request: Request, rt: RuntimeDep, actor: AgentsAdmin,
                 form: FormData) -> Response:
    try:
        values = _values(form)
        if not values["password"]:
            raise AgentError("Give an initial password so that the agent can sign in.")
        with rt.db.write() as session:
            actions.create_agent(session, actor, email=values["email"], name=values["name"],
                                 role=Role(values["role"]), password=values["password"],
                                 team_ids=values["team_ids"])
    except _FORM_ERRORS as exc:
        return _form(request, _raw(form), error=str(exc), status_code=422)
    return redirect("/admin/agents?saved=agent_new")


def _edit_values(agent: Agent) -> dict[str, Any]:
    return {"email": agent.email, "name": agent.name, "role": agent.role,
            "team_ids": sorted(agent.team_ids), "is_active": agent.is_active}


@router.get("/admin/agents/{agent_id}")
def edit_agent_page(request: Request, agent_id: int, rt: RuntimeDep,
                    actor: AgentsAdmin) -> Response:
    with rt.db.read() as session:
        agent = access_agent(session, actor, agent_id)
    return _form(request, _edit_values(agent), agent=agent)


@router.post("/admin/agents/{agent_id}")
def update_agent(request: Request, agent_id: int, rt: RuntimeDep, actor: AgentsAdmin,
                 form: FormData) -> Response:
    with rt.db.read() as session:
        agent = access_agent(session, actor, agent_id)
    try:
        changes = _values(form)
        with rt.db.write() as session:
            target = access_agent(session, actor, agent_id)
            actions.update_agent(session, actor, target, changes)
            if changes["password"] and target.id != actor.id:
                # A reset password usually means the old one leaked: sign them out everywhere.
                end_all_sessions(session, agent_id=target.id)
    except _FORM_ERRORS as exc:
        return _form(request, _raw(form), agent=agent, error=str(exc), status_code=422)
    return redirect(f"/admin/agents/{agent_id}?saved=agent")


@router.post("/admin/agents/{agent_id}/2fa/disable")
def turn_off_totp(agent_id: int, rt: RuntimeDep, actor: AgentsAdmin,
                  form: FormData) -> Response:
    with rt.db.write() as session:
        agent = access_agent(session, actor, agent_id)
        actions.set_totp(session, actor, agent, None)
    return redirect(f"/admin/agents/{agent_id}?saved=totp_off")
