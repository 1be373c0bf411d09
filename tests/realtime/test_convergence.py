"""The convergence test (Zulip's idea): for every event type, the state a live screen builds from
its first fetch plus the envelopes it receives equals a fresh fetch, for every agent role.

It fails when an event type changes what agents see but sends no envelope, when an envelope
carries stale data, and when the audience rule lets a partner agent keep (or get) a ticket they
may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from tend.access import SYSTEM, AgentActor
from tend.agents import actions as agent_actions
from tend.agents.models import Agent, Team
from tend.auth.actions import start_session
from tend.channels.chat import conversations, routing
from tend.channels.chat import inboxes as chat_inboxes
from tend.channels.chat.models import ChatInbox, ChatOffer, ChatVisitor
from tend.channels.email import outbound
from tend.customers import actions as customer_actions
from tend.customers.models import Customer
from tend.events.catalog import all_event_types
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import Message, Ticket
from tests.conftest import Cast, customer_obj
from tests.realtime.livestate import LiveState, Screen, differences

ROLES = ("admin", "agent", "light", "partner")

# Event types that change nothing a workspace screen shows (settings, mail plumbing, new rows
# that appear on screens only through a ticket). A new event type must be added to the
# scenario or here, on purpose.
NOT_ON_SCREENS = {
    "agent.created", "team.created", "customer.created", "organization.created",
    "organization.updated", "inbox.created", "inbox.updated", "inbound.quarantined",
    "settings.updated", "custom_field.changed", "chat_inbox.created", "chat_inbox.updated",
    "agent.presence_changed",
}


def _cookie(rt: Runtime, agent_id: int) -> str:
    with rt.db.write() as s:
        agent = s.get(Agent, agent_id)
        return start_session(s, agent=agent, max_age_seconds=3600).token


class Scenario:
    """Every change an agent's screen must follow, each step a transaction of its own."""

    def __init__(self, rt: Runtime, cast: Cast) -> None:
        self.rt, self.cast = rt, cast
        self.seen: set[str] = set()
        rt.bus.subscribe("*", lambda evt: self.seen.add(evt.name))

    def step(self, fn: Callable[[Session], object]) -> None:
        with self.rt.db.write() as s:
            fn(s)

    def ticket(self, s: Session, number: int) -> Ticket:
        ticket = s.query(Ticket).filter_by(number=number).one()
        return ticket

    def steps(self) -> Iterator[Callable[[Session], object]]:
        c = self.cast
        carla, dan = customer_obj(self.rt, c.carla), customer_obj(self.rt, c.dan)
        agent, admin = c.agent.actor, c.admin.actor
        assert agent is not None and admin is not None

        def new(s: Session, subject: str, team: int | None, who: Customer = carla) -> None:
            actions.create_ticket(s, SYSTEM, requester=s.merge(who), subject=subject,
                                  body="Hello", team_id=team, channel="email")
        yield lambda s: new(s, "Support one", c.support_team)
        yield lambda s: new(s, "Returns one", c.returns_team, dan)
        yield lambda s: new(s, "No team", None)
        # A reply (queued for mail, then sent or failed: message.delivery_changed), a note.
        yield lambda s: actions.add_message(s, agent, self.ticket(s, 1), body="We are on it")
        yield lambda s: actions.add_message(s, agent, self.ticket(s, 2), body="Internal only",
                                            visibility="internal")
        yield lambda s: actions.add_message(s, SYSTEM, self.ticket(s, 2), body="Thanks",
                                            visibility="public")
        yield lambda s: outbound.queue(
            self.rt, s, actions.add_message(s, agent, self.ticket(s, 2), body="By mail"),
            agent.ref)
        # Status, assignment, tags; a move out of the partner's team and back.
        yield lambda s: actions.update_ticket(s, admin, self.ticket(s, 1), {
            "status": "pending", "assignee_id": c.agent.id, "add_tags": ["vip"]})
        yield lambda s: actions.update_ticket(s, admin, self.ticket(s, 2),
                                              {"team_id": c.support_team})
        yield lambda s: actions.add_message(s, agent, self.ticket(s, 2), body="Moved",
                                            visibility="internal")
        yield lambda s: actions.update_ticket(s, admin, self.ticket(s, 3),
                                              {"team_id": c.returns_team})
        yield lambda s: actions.update_ticket(s, admin, self.ticket(s, 2),
                                              {"team_id": c.returns_team})
        # Solved, then reopened by the customer.
        yield lambda s: actions.update_ticket(s, admin, self.ticket(s, 3), {"status": "solved"})
        yield lambda s: actions.add_message(
            s, SYSTEM, self.ticket(s, 3), body="Still broken",
            origin=actions.Origin(customer=s.merge(carla)))
        # Merge 1 into 3 (messages move, both tickets change, system notes appear).
        yield lambda s: actions.merge_tickets(s, admin, self.ticket(s, 1), self.ticket(s, 3))
        # Names shown on tickets and messages change.
        yield lambda s: agent_actions.update_agent(s, SYSTEM, s.get(Agent, c.agent.id),
                                                   {"name": "Alexandra Agent"})
        yield lambda s: agent_actions.update_team(s, SYSTEM, s.get(Team, c.returns_team),
                                                  {"name": "Returns & Refunds"})
        yield lambda s: customer_actions.update_customer(s, SYSTEM, s.get(Customer, c.dan.id),
                                                         {"name": "Daniel Other"})
        yield lambda s: customer_actions.update_customer(s, SYSTEM, s.get(Customer, c.carla.id),
                                                         {"name": "Carla C."})
        yield from self._chat_steps()
        # A transaction that rolls back publishes nothing.
        yield self._rolled_back

    def _chat_steps(self) -> Iterator[Callable[[Session], object]]:
        """A chat from the widget: offered, declined, accepted, transferred, read, ended."""
        c = self.cast
        agent, admin = c.agent.actor, c.admin.actor
        assert isinstance(agent, AgentActor) and isinstance(admin, AgentActor)
        ids: dict[str, int] = {}

        def setup(s: Session) -> None:
            inbox = chat_inboxes.create_inbox(s, SYSTEM, name="Site", team_id=c.support_team)
            visitor = conversations.recognise(s, "k" * 40, inbox, None, None)
            ids.update(inbox=inbox.id, visitor=visitor.id)
            routing.set_presence(s, agent, "online")
            routing.set_presence(s, admin, "online")

        def start(s: Session, client_id: str) -> None:
            ticket, _ = conversations.start(
                s, s.get(ChatInbox, ids["inbox"]), s.get(ChatVisitor, ids["visitor"]),
                body=f"Chat {client_id}", client_id=client_id)
            ids[client_id] = ticket.id

        def decline_first(s: Session) -> None:
            offer = s.scalars(select(ChatOffer).where(ChatOffer.state == "pending")).first()
            assert offer is not None
            routing.decline(s, agent if offer.agent_id == agent.id else admin, offer.id)

        def accept(s: Session) -> None:
            offer = s.scalars(select(ChatOffer).where(ChatOffer.state == "pending")).first()
            assert offer is not None
            routing.accept(s, agent if offer.agent_id == agent.id else admin, offer.ticket_id)

        yield setup
        yield lambda s: start(s, "one")
        yield lambda s: start(s, "two")  # waits behind the first
        yield decline_first
        yield accept
        yield lambda s: conversations.send(s, s.get(ChatVisitor, ids["visitor"]), ids["one"],
                                           body="Are you there?", client_id="m1")
        yield lambda s: conversations.customer_read(s, s.get(ChatVisitor, ids["visitor"]),
                                                    ids["one"], 2)
        yield lambda s: routing.agent_read(s, admin, ids["one"], 2)
        yield lambda s: routing.transfer(s, admin, ids["one"], agent_id=None,
                                         team_id=c.support_team, note="Back to the queue")
        yield accept
        yield lambda s: routing.end_by_agent(s, admin, ids["one"])

    def _rolled_back(self, s: Session) -> None:
        nested = s.begin_nested()
        actions.add_message(s, self.cast.agent.actor, self.ticket(s, 3),  # type: ignore[arg-type]
                            body="Never sent")
        nested.rollback()


@pytest.fixture
def scenario(rt: Runtime, cast: Cast) -> Scenario:
    return Scenario(rt, cast)


def _run_and_compare(rt: Runtime, cast: Cast, client: TestClient, scenario: Scenario,
                     *, check_every_step: bool) -> None:
    actors = {role: getattr(cast, role).actor for role in ROLES}
    with ExitStack() as stack:
        screens = {
            role: stack.enter_context(Screen(client, rt, _cookie(rt, getattr(cast, role).id)))
            for role in ROLES}
        states = {role: LiveState.fetch(rt, actors[role]) for role in ROLES}
        for number, step in enumerate(scenario.steps(), 1):
            scenario.step(step)
            if not check_every_step:
                continue
            for role in ROLES:
                for frame in screens[role].drain():
                    states[role].apply(frame, LiveState.loader(rt, actors[role]))
                fresh = LiveState.fetch(rt, actors[role])
                assert states[role].comparable() == fresh.comparable(), (
                    f"{role}'s screen differs from a fresh fetch after step {number}: "
                    f"{differences(states[role], fresh)}")
        if not check_every_step:
            for role in ROLES:
                for frame in screens[role].drain():
                    states[role].apply(frame, LiveState.loader(rt, actors[role]))
                assert states[role].comparable() == LiveState.fetch(rt, actors[role]).comparable()


def test_every_screen_converges_after_every_step(rt: Runtime, cast: Cast, client: TestClient,
                                                 scenario: Scenario) -> None:
    _run_and_compare(rt, cast, client, scenario, check_every_step=True)
    covered = scenario.seen | NOT_ON_SCREENS
    missing = {t.name for t in all_event_types()} - covered
    assert not missing, f"event types neither exercised nor declared off-screen: {missing}"
    # The scenario really moved a ticket away from the partner and sent mail.
    assert "message.delivery_changed" in scenario.seen and "ticket.merged" in scenario.seen


def test_partner_never_receives_other_teams_tickets(rt: Runtime, cast: Cast,
                                                    client: TestClient,
                                                    scenario: Scenario) -> None:
    with Screen(client, rt, _cookie(rt, cast.partner.id)) as screen:
        frames: list[dict[str, object]] = []
        for step in scenario.steps():
            scenario.step(step)
            frames.extend(screen.drain())
    with rt.db.read() as s:
        support_tickets = {t.id for t in s.query(Ticket).filter_by(number=1)}
        notes_before_move = {m.id for m in s.query(Message).filter_by(body_text="Moved")}
    shown = {f["ticket"]["id"] for f in frames if f["kind"] == "ticket"}  # type: ignore[index]
    assert not support_tickets & shown
    messages = {f["message"]["id"] for f in frames if f["kind"] == "message"}  # type: ignore[index]
    assert not notes_before_move & messages  # written while the ticket was Support's
    assert any(f["kind"] == "ticket.removed" for f in frames)
    persons = {(f["type"], f["id"]) for f in frames if f["kind"] == "person"}
    assert ("customer", cast.dan.id) in persons  # Dan has a Returns ticket
    assert ("customer", cast.carla.id) in persons  # so does Carla, since ticket 3 moved


def test_nothing_is_published_for_a_rolled_back_transaction(rt: Runtime, cast: Cast,
                                                           client: TestClient) -> None:
    with Screen(client, rt, _cookie(rt, cast.agent.id)) as screen:
        with pytest.raises(RuntimeError), rt.db.write() as s:
            actions.create_ticket(s, SYSTEM, requester=s.merge(customer_obj(rt, cast.carla)),
                                  subject="Gone", body="x")
            raise RuntimeError("roll back")
        assert screen.drain() == []


def test_queued_then_sent_reach_the_screen_in_order(rt: Runtime, cast: Cast,
                                                    client: TestClient) -> None:
    with Screen(client, rt, _cookie(rt, cast.agent.id)) as screen:
        with rt.db.write() as s:
            t = actions.create_ticket(s, SYSTEM, requester=s.merge(customer_obj(rt, cast.carla)),
                                      subject="Mail", body="x", channel="email")
        with rt.db.write() as s:
            reply = actions.add_message(s, cast.agent.actor, s.get(Ticket, t.id),  # type: ignore[arg-type]
                                        body="Reply")
            outbound.queue(rt, s, reply, cast.agent.actor.ref)  # type: ignore[union-attr]
        statuses = [f["message"]["delivery_status"] for f in screen.drain()
                    if f["kind"] == "message" and f["message"]["author_type"] == "agent"]
    # Without a mail server the send fails for good; the screen saw it queued first.
    assert statuses[0] == "queued" and statuses[-1] in ("sent", "failed")
