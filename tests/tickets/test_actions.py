"""Ticket actions against the database: state, milestones, events on commit, audit rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from tend.access import SYSTEM, AgentActor, CustomerActor, Forbidden, NotFound
from tend.audit.models import AuditEvent
from tend.audit.queries import ticket_history
from tend.events.catalog import Event
from tend.models import Agent, Customer
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import Message, Ticket
from tend.tickets.rules import RuleError
from tests.conftest import Cast


class Collector:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, evt: Event) -> None:
        self.events.append(evt)

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.events]

    def clear(self) -> None:
        self.events.clear()


@pytest.fixture
def events(rt: Runtime) -> Iterator[Collector]:
    collector = Collector()
    rt.bus.subscribe("*", collector)
    yield collector
    rt.bus.unsubscribe("*", collector)


def _actor(cast: Cast, key: str) -> AgentActor:
    actor = getattr(cast, key).actor
    assert isinstance(actor, AgentActor)
    return actor


def _new(rt: Runtime, cast: Cast, *, actor: Any = SYSTEM, team: int | None = None,
         **kwargs: Any) -> int:
    with rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        t = actions.create_ticket(s, actor, requester=carla, subject=kwargs.pop("subject", "Help"),
                                  body=kwargs.pop("body", "It broke"), team_id=team, **kwargs)
        return t.id


def _get(rt: Runtime, ticket_id: int) -> Ticket:
    with rt.db.read() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        _ = t.tags
        return t


def _audit(rt: Runtime, ticket_id: int) -> list[str]:
    with rt.db.read() as s:
        return [a.event for a in ticket_history(s, ticket_id)]


def _messages(rt: Runtime, ticket_id: int) -> list[Message]:
    with rt.db.read() as s:
        return list(s.scalars(select(Message).where(Message.ticket_id == ticket_id)
                              .order_by(Message.id)).unique())


# --- create --------------------------------------------------------------------------------------


def test_create_ticket(rt: Runtime, cast: Cast, events: Collector) -> None:
    agent = _actor(cast, "agent")
    tid = _new(rt, cast, actor=agent, subject="  Printer   on fire ", priority="high",
               tags=["Hardware", "hardware", "urgent stuff"], team=cast.support_team,
               assignee_id=cast.agent.id, channel="api")
    t = _get(rt, tid)
    assert (t.number, t.status, t.priority, t.subject) == (1, "new", "high", "Printer on fire")
    assert sorted(t.tags) == ["hardware", "urgent-stuff"]
    assert (t.team_id, t.assignee_id, t.message_count) == (cast.support_team, cast.agent.id, 1)
    assert t.assigned_at is not None and t.last_customer_message_at is not None
    assert t.first_reply_at is None and t.solved_at is None
    [first] = _messages(rt, tid)
    assert (first.author_type, first.author_customer_id) == ("customer", cast.carla.id)
    assert first.visibility == "public" and first.body_text == "It broke"
    assert events.names == ["ticket.created", "message.created"]
    assert events.events[0].actor.id == cast.agent.id  # type: ignore[attr-defined]
    assert _audit(rt, tid) == ["ticket.created", "message.created"]
    assert _new(rt, cast) != tid and _get(rt, _new(rt, cast)).number == 3


def test_create_ticket_checks(rt: Runtime, cast: Cast, events: Collector) -> None:
    light, partner = _actor(cast, "light"), _actor(cast, "partner")
    with pytest.raises(Forbidden):
        _new(rt, cast, actor=light)
    with pytest.raises(Forbidden):
        _new(rt, cast, actor=partner, team=cast.support_team)
    # A partner's ticket lands in the partner's team.
    assert _get(rt, _new(rt, cast, actor=partner)).team_id == cast.returns_team
    with pytest.raises(Forbidden):  # a customer opens tickets only for themselves
        _new(rt, cast, actor=CustomerActor(cast.dan.id))
    with pytest.raises(Forbidden):
        _new(rt, cast, actor=cast.carla.actor, team=cast.support_team)
    for bad in ({"subject": "   "}, {"body": "   "}, {"priority": "meh"},
                {"tags": ["no/slash"]}, {"custom_fields": {"nope": 1}}):
        with pytest.raises(RuleError):
            _new(rt, cast, **bad)
    with pytest.raises(NotFound):
        _new(rt, cast, team=999)
    with pytest.raises(Forbidden):  # light agents cannot own tickets
        _new(rt, cast, assignee_id=cast.light.id)
    # Only the partner's successful ticket produced events; failures published nothing.
    assert events.names == ["ticket.created", "message.created"]
    with rt.db.read() as s:
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.event == "ticket.created")
                        .offset(1)) is None


# --- messages and milestones ---------------------------------------------------------------------


def test_reply_sets_first_reply_and_opens(rt: Runtime, cast: Cast, events: Collector) -> None:
    tid = _new(rt, cast)
    events.clear()
    agent = _actor(cast, "agent")
    with rt.db.write() as s:
        t = s.get(Ticket, tid)
        assert t is not None
        actions.add_message(s, agent, t, body="On it", visibility="internal")
        assert t.first_reply_at is None and t.status == "new"  # a note is not a reply
        m = actions.add_message(s, agent, t, body="Try turning it off")
        assert (m.author_type, m.author_agent_id, m.visibility) == ("agent", agent.id, "public")
    t = _get(rt, tid)
    first = t.first_reply_at
    assert t.status == "open" and first is not None and t.last_agent_reply_at == first
    assert t.message_count == 3
    assert events.names == ["message.created", "message.created", "ticket.updated"]
    with rt.db.write() as s:
        t = s.get(Ticket, tid)
        assert t is not None
        actions.add_message(s, agent, t, body="Again", status="pending")
    t = _get(rt, tid)
    assert t.first_reply_at == first and t.status == "pending"
    assert t.last_agent_reply_at is not None and t.last_agent_reply_at >= first
    assert _audit(rt, tid).count("message.created") == 4


def test_message_permissions(rt: Runtime, cast: Cast) -> None:
    tid = _new(rt, cast, team=cast.support_team)
    cases: list[tuple[Any, str, type[Exception]]] = [
        (_actor(cast, "light"), "public", Forbidden),
        (_actor(cast, "partner"), "public", NotFound),
        (CustomerActor(cast.dan.id), "public", NotFound),
        (cast.carla.actor, "internal", Forbidden),
        (_actor(cast, "agent"), "shouting", RuleError),
    ]
    for actor, visibility, error in cases:
        with rt.db.write() as s, pytest.raises(error):
            t = s.get(Ticket, tid)
            assert t is not None
            actions.add_message(s, actor, t, body="hi", visibility=visibility)
    with rt.db.write() as s:
        t = s.get(Ticket, tid)
        assert t is not None
        actions.add_message(s, _actor(cast, "light"), t, body="note", visibility="internal")
        with pytest.raises(Forbidden):  # setting a status needs tickets.update
            actions.add_message(s, _actor(cast, "light"), t, body="n", visibility="internal",
                                status="pending")
    assert _get(rt, tid).message_count == 2


def test_solve_close_reopen_milestones(rt: Runtime, cast: Cast, events: Collector) -> None:
    tid = _new(rt, cast)
    agent = _actor(cast, "agent")

    def update(**values: Any) -> None:
        with rt.db.write() as s:
            t = s.get(Ticket, tid)
            assert t is not None
            actions.update_ticket(s, agent, t, values)

    update(status="solved")
    t = _get(rt, tid)
    assert t.solved_at is not None and t.closed_at is None
    events.clear()
    with rt.db.write() as s:  # the customer writes back: the ticket reopens
        t = s.get(Ticket, tid)
        assert t is not None
        actions.add_message(s, cast.carla.actor, t, body="Still broken")  # type: ignore[arg-type]
    t = _get(rt, tid)
    assert (t.status, t.reopen_count, t.solved_at) == ("open", 1, None)
    assert events.names == ["message.created", "ticket.reopened", "ticket.updated"]
    update(status="solved")
    update(status="closed")
    t = _get(rt, tid)
    assert t.status == "closed" and t.closed_at is not None and t.solved_at is not None
    with pytest.raises(RuleError, match="Closed"):
        update(priority="high")
    with rt.db.write() as s, pytest.raises(RuleError, match="closed"):
        t = s.get(Ticket, tid)
        assert t is not None
        actions.add_message(s, cast.carla.actor, t, body="Hello?")  # type: ignore[arg-type]
    assert [a for a in _audit(rt, tid) if a == "ticket.reopened"] == ["ticket.reopened"]


def test_update_ticket(rt: Runtime, cast: Cast, events: Collector) -> None:
    tid = _new(rt, cast, tags=["a", "b"])
    agent = _actor(cast, "agent")
    events.clear()
    with rt.db.write() as s:
        t = s.get(Ticket, tid)
        assert t is not None
        changes = actions.update_ticket(s, agent, t, {
            "subject": "New subject", "priority": "urgent", "team_id": cast.returns_team,
            "assignee_id": cast.partner.id, "add_tags": ["c"], "remove_tags": ["a"],
            "status": "pending"})
        assert set(changes) == {"subject", "priority", "team_id", "assignee_id", "tags", "status"}
        assert actions.update_ticket(s, agent, t, {"priority": "urgent"}) == {}  # no-op
    t = _get(rt, tid)
    assert (t.priority, t.team_id, t.assignee_id, t.status) == (
        "urgent", cast.returns_team, cast.partner.id, "pending")
    assert sorted(t.tags) == ["b", "c"] and t.assigned_at is not None
    assert events.names == ["ticket.updated"]  # one event per change set, none for a no-op
    with rt.db.read() as s:
        [row] = [a for a in ticket_history(s, tid) if a.event == "ticket.updated"]
        assert row.changes["priority"] == ["normal", "urgent"]
        assert (row.actor_type, row.actor_id) == ("agent", agent.id)
    # Moving the ticket out of the partner's team unassigns the partner.
    with rt.db.write() as s:
        t = s.get(Ticket, tid)
        assert t is not None
        actions.update_ticket(s, agent, t, {"team_id": cast.support_team})
    assert _get(rt, tid).assignee_id is None


@pytest.mark.parametrize(("who", "values", "error"), [
    ("light", {"priority": "high"}, Forbidden),
    ("agent", {"status": "closed"}, RuleError),
    ("agent", {"assignee_id": 999}, NotFound),
    ("agent", {"team_id": 999}, NotFound),
    ("agent", {"owner": 1}, RuleError),
    ("agent", {"subject": "  "}, RuleError),
    ("agent", {"assignee_id": "light"}, Forbidden),
    ("partner", {"priority": "high"}, NotFound),  # not the partner's team
])
def test_update_ticket_refusals(rt: Runtime, cast: Cast, events: Collector, who: str,
                                values: dict[str, Any], error: type[Exception]) -> None:
    tid = _new(rt, cast, team=cast.support_team)
    events.clear()
    if values.get("assignee_id") == "light":
        values = {"assignee_id": cast.light.id}
    with rt.db.write() as s, pytest.raises(error):
        t = s.get(Ticket, tid)
        assert t is not None
        actions.update_ticket(s, _actor(cast, who), t, values)
    assert events.names == []
    assert _audit(rt, tid) == ["ticket.created", "message.created"]


def test_partner_assigns_only_within_its_team(rt: Runtime, cast: Cast) -> None:
    partner = _actor(cast, "partner")
    tid = _new(rt, cast, actor=partner)
    with rt.db.write() as s:
        t = s.get(Ticket, tid)
        assert t is not None
        actions.update_ticket(s, partner, t, {"assignee_id": cast.partner.id})
        with pytest.raises(Forbidden):
            actions.update_ticket(s, partner, t, {"assignee_id": cast.agent.id})
        with pytest.raises(Forbidden):
            actions.update_ticket(s, partner, t, {"team_id": cast.support_team})


# --- events leave only after commit --------------------------------------------------------------


def test_events_on_commit_only(rt: Runtime, cast: Cast, events: Collector) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        actions.create_ticket(s, SYSTEM, requester=carla, subject="Lost", body="gone")
        assert events.names == []  # not before commit
        raise Boom
    assert events.names == []
    with rt.db.read() as s:
        assert s.scalar(select(Ticket.id)) is None
        # The audit rows rolled back too.
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.ticket_id.is_not(None))) is None
    with rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        actions.create_ticket(s, SYSTEM, requester=carla, subject="Kept", body="here")
        assert events.names == []
    assert events.names == ["ticket.created", "message.created"]


# --- merge ---------------------------------------------------------------------------------------


def test_merge(rt: Runtime, cast: Cast, events: Collector) -> None:
    agent = _actor(cast, "agent")
    source_id = _new(rt, cast, subject="Dup", tags=["dup"])
    target_id = _new(rt, cast, subject="Main")
    with rt.db.write() as s:
        source = s.get(Ticket, source_id)
        assert source is not None
        actions.add_message(s, agent, source, body="a note", visibility="internal")
    events.clear()
    with rt.db.write() as s:
        source, target = s.get(Ticket, source_id), s.get(Ticket, target_id)
        assert source is not None and target is not None
        assert actions.merge_tickets(s, agent, source, target) is target
    source, target = _get(rt, source_id), _get(rt, target_id)
    assert (source.status, source.merged_into_id) == ("closed", target_id)
    assert source.closed_at is not None and target.status == "new"
    assert "dup" in target.tags
    moved = _messages(rt, target_id)
    assert [m.body_text for m in moved][:3] == ["It broke", "It broke", "a note"]
    assert moved[-1].author_type == "system" and "#1" in moved[-1].body_text
    [left] = _messages(rt, source_id)
    assert left.author_type == "system" and left.visibility == "internal"
    assert target.message_count == len(moved) == 4
    assert "ticket.merged" in events.names
    assert "ticket.merged" in _audit(rt, source_id)
    with rt.db.write() as s:
        source, target = s.get(Ticket, source_id), s.get(Ticket, target_id)
        assert source is not None and target is not None
        with pytest.raises(RuleError, match="Closed"):
            actions.merge_tickets(s, agent, source, target)
        with pytest.raises(RuleError, match="itself"):
            actions.merge_tickets(s, agent, target, target)
        with pytest.raises(Forbidden):
            actions.merge_tickets(s, _actor(cast, "light"), target, target)


# --- bulk ----------------------------------------------------------------------------------------


def test_bulk_update_each_ticket_on_its_own(rt: Runtime, cast: Cast, events: Collector) -> None:
    partner = _actor(cast, "partner")
    mine = _new(rt, cast, actor=partner)
    theirs = _new(rt, cast, team=cast.support_team)
    closed = _new(rt, cast, actor=partner)
    with rt.db.write() as s:
        t = s.get(Ticket, closed)
        assert t is not None
        t.status = "closed"
    events.clear()
    with rt.db.write() as s:
        tickets = [s.get(Ticket, i) for i in (mine, theirs, closed)]
        results = actions.bulk_update(s, partner, tickets,  # type: ignore[arg-type]
                                      {"priority": "high", "add_tags": ["bulk"]})
    assert [(r.ticket_id, r.ok) for r in results] == [(mine, True), (theirs, False),
                                                      (closed, False)]
    assert "not found" in (results[1].error or "") and "Closed" in (results[2].error or "")
    assert _get(rt, mine).priority == "high" and _get(rt, mine).tags == ["bulk"]
    assert _get(rt, theirs).priority == "normal" and _get(rt, theirs).tags == []
    assert [(e.name, e.ticket_id) for e in events.events] == [  # type: ignore[attr-defined]
        ("ticket.updated", mine)]


def test_system_note(rt: Runtime, cast: Cast) -> None:
    tid = _new(rt, cast)
    with rt.db.write() as s:
        t = s.get(Ticket, tid)
        assert t is not None
        m = actions.system_note(s, SYSTEM, t, "Routed by a rule")
        assert (m.author_type, m.visibility, m.channel) == ("system", "internal", "system")
        t.status = "closed"
        with pytest.raises(RuleError):
            actions.system_note(s, SYSTEM, t, "Too late")
    with rt.db.read() as s:
        assert s.get(Agent, cast.agent.id) is not None


def test_savepoints_neither_publish_early_nor_drop_the_rest(
        rt: Runtime, cast: Cast, events: Collector) -> None:
    with rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        actions.create_ticket(s, SYSTEM, requester=carla, subject="Kept", body="one")
        with s.begin_nested():  # released: still not the commit
            actions.create_ticket(s, SYSTEM, requester=carla, subject="Also kept", body="two")
        assert events.names == []
        with pytest.raises(ValueError), s.begin_nested():  # rolled back: its events go
            actions.create_ticket(s, SYSTEM, requester=carla, subject="Gone", body="three")
            raise ValueError
        assert events.names == []
    assert events.names == ["ticket.created", "message.created"] * 2
    with rt.db.read() as s:
        assert sorted(s.scalars(select(Ticket.subject))) == ["Also kept", "Kept"]
