from __future__ import annotations

from fastapi import APIRouter

from tend.agents import actions, queries
from tend.agents.models import Team
from tend.agents.schemas import TeamCreate, TeamList, TeamOut, TeamUpdate
from tend.web.deps import ApiAgent, RuntimeDep
from tend.web.patching import patch_changes

router = APIRouter(tags=["teams"])


@router.get("/teams", response_model=TeamList)
def list_teams(rt: RuntimeDep, actor: ApiAgent) -> TeamList:
    with rt.db.read() as session:
        return TeamList(items=[TeamOut.of(t) for t in
                               session.scalars(queries.teams_query(actor).order_by(Team.name))])


@router.post("/teams", status_code=201, response_model=TeamOut)
def create_team(data: TeamCreate, rt: RuntimeDep, actor: ApiAgent) -> TeamOut:
    with rt.db.write() as session:
        return TeamOut.of(actions.create_team(session, actor, name=data.name,
                                              description=data.description,
                                              member_ids=data.member_ids))


@router.get("/teams/{team_id}", response_model=TeamOut)
def get_team(team_id: int, rt: RuntimeDep, actor: ApiAgent) -> TeamOut:
    with rt.db.read() as session:
        return TeamOut.of(queries.access_team(session, actor, team_id))


@router.patch("/teams/{team_id}", response_model=TeamOut)
def update_team(team_id: int, data: TeamUpdate, rt: RuntimeDep, actor: ApiAgent) -> TeamOut:
    changes = patch_changes(data)
    with rt.db.write() as session:
        team = queries.access_team(session, actor, team_id)
        return TeamOut.of(actions.update_team(session, actor, team, changes))
