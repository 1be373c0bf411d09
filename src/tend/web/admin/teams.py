"""Admin pages for teams: list, create, edit (name, description, members)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from tend.access import AgentActor
from tend.agents import actions
from tend.agents.actions import AgentError
from tend.agents.models import Agent, Team
from tend.agents.queries import access_team, agents_query, teams_query
from tend.web.admin.common import TeamsAdmin, id_list, page
from tend.web.deps import RuntimeDep
from tend.web.pagekit import FormData, field, redirect
from tend.web.problems import Problem

router = APIRouter()


def _values(form: dict[str, Any]) -> dict[str, Any]:
    return {"name": field(form, "name", max_length=100, required=True, label="Name"),
            "description": field(form, "description", max_length=2000, label="Description"),
            "member_ids": id_list(form, "member_ids[]")}


def _raw(form: dict[str, Any]) -> dict[str, Any]:
    try:
        member_ids = id_list(form, "member_ids[]")
    except Problem:
        member_ids = []
    return {"name": str(form.get("name", "")), "description": str(form.get("description", "")),
            "member_ids": member_ids}


def _form(request: Request, actor: AgentActor, values: dict[str, Any], *, team: Team | None = None,
          error: str | None = None, status_code: int = 200) -> Response:
    rt = request.app.state.runtime
    with rt.db.read() as session:
        agents = list(session.scalars(agents_query(actor).order_by(Agent.name)))
    return page(request, "admin/team_form.html",
                {"team": team, "values": values, "agents": agents, "error": error},
                status_code=status_code)


@router.get("/admin/teams")
def team_list(request: Request, rt: RuntimeDep, actor: TeamsAdmin) -> Response:
    with rt.db.read() as session:
        teams = list(session.scalars(teams_query(actor).order_by(Team.name)))
    return page(request, "admin/teams.html", {"teams": teams})


@router.get("/admin/teams/new")
def new_team_page(request: Request, actor: TeamsAdmin) -> Response:
    return _form(request, actor, {"name": "", "description": "", "member_ids": []})


@router.post("/admin/teams/new")
def create_team(request: Request, rt: RuntimeDep, actor: TeamsAdmin, form: FormData) -> Response:
    try:
        values = _values(form)
        with rt.db.write() as session:
            actions.create_team(session, actor, **values)
    except (AgentError, Problem) as exc:
        return _form(request, actor, _raw(form), error=str(exc), status_code=422)
    return redirect("/admin/teams?saved=team")


@router.get("/admin/teams/{team_id}")
def edit_team_page(request: Request, team_id: int, rt: RuntimeDep,
                   actor: TeamsAdmin) -> Response:
    with rt.db.read() as session:
        team = access_team(session, actor, team_id)
    values = {"name": team.name, "description": team.description,
              "member_ids": sorted(a.id for a in team.members)}
    return _form(request, actor, values, team=team)


@router.post("/admin/teams/{team_id}")
def update_team(request: Request, team_id: int, rt: RuntimeDep, actor: TeamsAdmin,
                form: FormData) -> Response:
    with rt.db.read() as session:
        team = access_team(session, actor, team_id)
    try:
        values = _values(form)
        with rt.db.write() as session:
            actions.update_team(session, actor, access_team(session, actor, team_id), values)
    except (AgentError, Problem) as exc:
        return _form(request, actor, _raw(form), team=team, error=str(exc), status_code=422)
    return redirect(f"/admin/teams/{team_id}?saved=team")
