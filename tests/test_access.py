"""tend.access decides all authorization: tested here directly, without HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tend import access
from tend.access import (
    SYSTEM,
    AgentActor,
    CustomerActor,
    Forbidden,
    Permission,
    can_see_customer_directly,
    can_see_message,
    can_see_ticket,
    can_write_message,
    check_assignable,
    check_team_allowed,
    has,
    require,
    sees_notes,
)
from tend.agents.models import Role
from tend.customers.models import Customer
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import Message, Ticket

P = Permission
CARLA, DAN = 10, 11
SUPPORT, RETURNS = 1, 2

ADMIN = AgentActor(1, Role.ADMIN, team_ids=frozenset({SUPPORT}))
AGENT = AgentActor(2, Role.AGENT, team_ids=frozenset({SUPPORT}))
LIGHT = AgentActor(3, Role.LIGHT_AGENT, team_ids=frozenset({SUPPORT}))
PARTNER = AgentActor(4, Role.PARTNER_AGENT, team_ids=frozenset({RETURNS}))
LONELY_PARTNER = AgentActor(5, Role.PARTNER_AGENT)
CUSTOMER = CustomerActor(CARLA)
ACTORS = {"admin": ADMIN, "agent": AGENT, "light_agent": LIGHT, "partner_agent": PARTNER,
          "customer": CUSTOMER, "system": SYSTEM}

# Who holds which permission: one row per permission, one column per actor.
#                                     admin agent light partner customer system
PERMISSION_TABLE: dict[Permission, tuple[bool, bool, bool, bool, bool, bool]] = {
    P.TICKETS_READ:        (True, True, True, True, False, True),
    P.TICKETS_CREATE:      (True, True, False, True, False, True),
    P.TICKETS_UPDATE:      (True, True, False, True, False, True),
    P.TICKETS_REPLY:       (True, True, False, True, False, True),
    P.TICKETS_NOTE:        (True, True, True, True, False, True),
    P.TICKETS_MERGE:       (True, True, False, False, False, True),
    P.CUSTOMERS_READ:      (True, True, True, True, False, True),
    P.CUSTOMERS_WRITE:     (True, True, False, False, False, True),
    P.ORGANIZATIONS_READ:  (True, True, True, False, False, True),
    P.ORGANIZATIONS_WRITE: (True, True, False, False, False, True),
    P.AGENTS_READ:         (True, True, True, True, False, True),
    P.AGENTS_WRITE:        (True, False, False, False, False, True),
    P.TEAMS_READ:          (True, True, True, True, False, True),
    P.TEAMS_WRITE:         (True, False, False, False, False, True),
    P.SETTINGS_WRITE:      (True, False, False, False, False, True),
    P.CHANNELS_WRITE:      (True, False, False, False, False, True),
}  # fmt: skip


def test_permission_table_covers_every_permission() -> None:
    assert set(PERMISSION_TABLE) == set(Permission)


@pytest.mark.parametrize("permission", list(Permission), ids=str)
def test_permissions_per_role(permission: Permission) -> None:
    for (name, actor), allowed in zip(ACTORS.items(), PERMISSION_TABLE[permission], strict=True):
        assert has(actor, permission) is allowed, (name, permission)
        if allowed:
            require(actor, permission)
        else:
            with pytest.raises(Forbidden, match=permission.value):
                require(actor, permission)


def _ticket(requester: int = CARLA, team: int | None = SUPPORT, status: str = "open") -> Ticket:
    return Ticket(id=1, requester_id=requester, team_id=team, status=status)


@pytest.mark.parametrize(("actor", "ticket", "visible"), [
    (SYSTEM, _ticket(), True),
    (ADMIN, _ticket(team=RETURNS), True),
    (AGENT, _ticket(team=None), True),
    (LIGHT, _ticket(team=RETURNS), True),
    (PARTNER, _ticket(team=RETURNS), True),
    (PARTNER, _ticket(team=SUPPORT), False),
    (PARTNER, _ticket(team=None), False),
    (LONELY_PARTNER, _ticket(team=RETURNS), False),
    (CUSTOMER, _ticket(requester=CARLA), True),
    (CUSTOMER, _ticket(requester=DAN), False),
])
def test_can_see_ticket(actor: access.Actor, ticket: Ticket, visible: bool) -> None:
    assert can_see_ticket(actor, ticket) is visible


@pytest.mark.parametrize(("actor", "ticket", "visibility", "allowed"), [
    (AGENT, _ticket(), "public", True),
    (AGENT, _ticket(), "internal", True),
    (AGENT, _ticket(status="closed"), "internal", False),
    (LIGHT, _ticket(), "public", False),
    (LIGHT, _ticket(), "internal", True),
    (PARTNER, _ticket(team=RETURNS), "public", True),
    (PARTNER, _ticket(team=SUPPORT), "internal", False),
    (CUSTOMER, _ticket(), "public", True),
    (CUSTOMER, _ticket(), "internal", False),
    (CUSTOMER, _ticket(status="closed"), "public", False),
    (CUSTOMER, _ticket(requester=DAN), "public", False),
    (CUSTOMER, _ticket(status="solved"), "public", True),
])
def test_can_write_message(actor: access.Actor, ticket: Ticket, visibility: str,
                           allowed: bool) -> None:
    assert can_write_message(actor, ticket, visibility) is allowed


def test_notes_never_reach_customers() -> None:
    assert sees_notes(AGENT) and sees_notes(LIGHT) and sees_notes(PARTNER) and sees_notes(SYSTEM)
    assert not sees_notes(CUSTOMER)
    ticket = _ticket()
    note = Message(ticket_id=1, visibility="internal")
    reply = Message(ticket_id=1, visibility="public")
    assert can_see_message(AGENT, note, ticket)
    assert not can_see_message(CUSTOMER, note, ticket)
    assert can_see_message(CUSTOMER, reply, ticket)
    assert not can_see_message(CUSTOMER, Message(ticket_id=2, visibility="public"), ticket)
    assert not can_see_message(CustomerActor(DAN), reply, ticket)


def test_partner_team_rules() -> None:
    check_team_allowed(AGENT, None)
    check_team_allowed(AGENT, RETURNS)
    check_team_allowed(PARTNER, RETURNS)
    for team in (SUPPORT, None):
        with pytest.raises(Forbidden):
            check_team_allowed(PARTNER, team)


@pytest.mark.parametrize(("actor", "role", "teams", "team", "allowed"), [
    (AGENT, Role.AGENT, frozenset(), None, True),
    (AGENT, Role.LIGHT_AGENT, frozenset({SUPPORT}), SUPPORT, False),  # light agents own nothing
    (AGENT, Role.PARTNER_AGENT, frozenset({RETURNS}), RETURNS, True),
    (AGENT, Role.PARTNER_AGENT, frozenset({RETURNS}), SUPPORT, False),
    (AGENT, Role.PARTNER_AGENT, frozenset({RETURNS}), None, False),
    (PARTNER, Role.AGENT, frozenset({RETURNS}), RETURNS, True),
    (PARTNER, Role.AGENT, frozenset({SUPPORT}), RETURNS, False),
    (PARTNER, Role.AGENT, frozenset({RETURNS}), None, False),
])
def test_check_assignable(actor: AgentActor, role: Role, teams: frozenset[int],
                          team: int | None, allowed: bool) -> None:
    if allowed:
        check_assignable(actor, role, teams, team)
    else:
        with pytest.raises(Forbidden):
            check_assignable(actor, role, teams, team)


def test_can_see_customer_directly() -> None:
    carla = Customer(id=CARLA, name="Carla")
    assert can_see_customer_directly(AGENT, carla)
    assert can_see_customer_directly(LIGHT, carla)
    assert can_see_customer_directly(SYSTEM, carla)
    assert can_see_customer_directly(CUSTOMER, carla)
    assert not can_see_customer_directly(CustomerActor(DAN), carla)
    # Partners see customers only through their tickets: a query, never a direct yes.
    assert not can_see_customer_directly(PARTNER, carla)


# --- the SQL twins agree with the Python rules ---------------------------------------------------


def test_filters_agree_with_python_rules(rt: Runtime) -> None:
    from tend.agents.actions import create_team
    from tend.customers.actions import find_or_create_by_email

    with rt.db.write() as s:
        support = create_team(s, SYSTEM, name="Support")
        returns = create_team(s, SYSTEM, name="Returns")
        carla = find_or_create_by_email(s, SYSTEM, "carla@example.com", "Carla")
        dan = find_or_create_by_email(s, SYSTEM, "dan@example.org", "Dan")
        eve = find_or_create_by_email(s, SYSTEM, "eve@example.org", "Eve")  # no tickets
        for requester, team in ((carla, support.id), (dan, returns.id), (carla, None)):
            actions.create_ticket(s, SYSTEM, requester=requester, subject="Hi", body="Hello",
                                  team_id=team)
        t = actions.create_ticket(s, SYSTEM, requester=dan, subject="Hi", body="Hello")
        actions.add_message(s, SYSTEM, t, body="secret", visibility="internal")
        ids = {"carla": carla.id, "dan": dan.id, "eve": eve.id}
        partner = AgentActor(99, Role.PARTNER_AGENT, team_ids=frozenset({returns.id}))
        actors: list[access.Actor] = [SYSTEM, AgentActor(98, Role.AGENT), partner,
                                      AgentActor(97, Role.LIGHT_AGENT),
                                      AgentActor(96, Role.PARTNER_AGENT),
                                      CustomerActor(carla.id), CustomerActor(dan.id)]
    with rt.db.read() as s:
        tickets = list(s.scalars(select(Ticket)).unique())
        messages = list(s.scalars(select(Message)).unique())
        for actor in actors:
            listed = set(s.scalars(select(Ticket.id).where(access.ticket_filter(actor))))
            assert listed == {t.id for t in tickets if can_see_ticket(actor, t)}, actor
            listed = set(s.scalars(select(Message.id).where(access.message_filter(actor))))
            assert listed == {m.id for m in messages
                              if sees_notes(actor) or m.visibility == "public"}, actor
        customers = {
            actor: set(s.scalars(select(Customer.id).where(access.customer_filter(actor))))
            for actor in actors
        }
    assert customers[SYSTEM] == set(ids.values())
    assert customers[actors[1]] == set(ids.values())
    assert customers[partner] == {ids["dan"]}  # requester of a Returns ticket only
    assert customers[actors[4]] == set()  # a partner with no team sees nobody
    assert customers[CustomerActor(ids["carla"])] == {ids["carla"]}
