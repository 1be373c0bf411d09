"""Saved views: named inbox filters, personal (an agent's own) or shared (agent_id None).

Reading and changing them lives together here because the concept is small; access is built in
(an agent sees their own views and the shared ones; only admins share; owners or admins delete).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tend.access import AgentActor, Forbidden, NotFound
from tend.tickets.models import SavedView
from tend.tickets.queries import SORTS, QueryError, TicketFilters, tickets_query
from tend.tickets.rules import RuleError

MAX_VIEWS_PER_AGENT = 50


def visible_views(session: Session, actor: AgentActor) -> list[SavedView]:
    """The agent's personal views, then the shared ones, each in position then name order."""
    rows = session.scalars(
        select(SavedView)
        .where(or_(SavedView.agent_id == actor.id, SavedView.agent_id.is_(None)))
        .order_by(SavedView.agent_id.is_(None), SavedView.position, SavedView.name,
                  SavedView.id)
    )
    return list(rows)


def access_view(session: Session, actor: AgentActor, view_id: int) -> SavedView:
    view = session.get(SavedView, view_id)
    if view is None or (view.agent_id is not None and view.agent_id != actor.id):
        raise NotFound(f"Saved view {view_id} was not found.")
    return view


def create_view(
    session: Session, actor: AgentActor, *, name: str, filters: TicketFilters,
    sort: str = "-updated_at", shared: bool = False,
) -> SavedView:
    name = " ".join(name.split())
    if not name:
        raise RuleError("Give the view a name.")
    if len(name) > 100:
        raise RuleError("View names may have at most 100 characters.")
    if sort not in SORTS:
        raise RuleError(f"Unknown sort '{sort}'. Use one of: {', '.join(SORTS)}.")
    if shared and not actor.is_admin:
        raise Forbidden("Only admins may share views with every agent.")
    try:
        tickets_query(actor, filters)  # validates statuses, priorities and ids
    except QueryError as exc:
        raise RuleError(str(exc)) from None
    owner = None if shared else actor.id
    if owner is not None:
        count = len(list(session.scalars(select(SavedView.id).where(SavedView.agent_id == owner))))
        if count >= MAX_VIEWS_PER_AGENT:
            raise RuleError(f"You can keep at most {MAX_VIEWS_PER_AGENT} personal views.")
    view = SavedView(name=name, agent_id=owner, filters=filters.to_dict(), sort=sort)
    session.add(view)
    session.flush()
    return view


def delete_view(session: Session, actor: AgentActor, view: SavedView) -> None:
    if view.agent_id != actor.id and not actor.is_admin:
        raise Forbidden("Only its owner or an admin may delete this view.")
    session.delete(view)
    session.flush()
