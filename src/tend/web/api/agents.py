from __future__ import annotations

from fastapi import APIRouter

from tend.agents import actions, queries
from tend.agents.models import Agent
from tend.agents.schemas import AgentCreate, AgentList, AgentOut, AgentUpdate
from tend.web.deps import ApiAgent, RuntimeDep
from tend.web.patching import patch_changes

router = APIRouter(tags=["agents"])


@router.get("/agents", response_model=AgentList)
def list_agents(rt: RuntimeDep, actor: ApiAgent, active: bool | None = None) -> AgentList:
    with rt.db.read() as session:
        rows = session.scalars(queries.agents_query(actor, active=active).order_by(Agent.name))
        return AgentList(items=[AgentOut.of(a) for a in rows])


@router.post("/agents", status_code=201, response_model=AgentOut)
def create_agent(data: AgentCreate, rt: RuntimeDep, actor: ApiAgent) -> AgentOut:
    with rt.db.write() as session:
        agent = actions.create_agent(session, actor, email=str(data.email), name=data.name,
                                     role=data.role, password=data.password,
                                     team_ids=data.team_ids)
        return AgentOut.of(agent)


@router.get("/agents/{agent_id}", response_model=AgentOut)
def get_agent(agent_id: int, rt: RuntimeDep, actor: ApiAgent) -> AgentOut:
    with rt.db.read() as session:
        return AgentOut.of(queries.access_agent(session, actor, agent_id))


@router.patch("/agents/{agent_id}", response_model=AgentOut)
def update_agent(agent_id: int, data: AgentUpdate, rt: RuntimeDep, actor: ApiAgent) -> AgentOut:
    changes = patch_changes(data)
    if "email" in changes:
        changes["email"] = str(changes["email"])
    with rt.db.write() as session:
        agent = queries.access_agent(session, actor, agent_id)
        actions.update_agent(session, actor, agent, changes)
        return AgentOut.of(agent)
