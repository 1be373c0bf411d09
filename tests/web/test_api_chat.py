"""The chat API for agents and admins: chat inboxes (admins; the identity secret only in one
inbox and a regeneration), presence, the queue and offers, accept / transfer / end. Partner
agents never see or act on other teams' chats. Bad input per field is in
test_api_bad_input.py, every role x route in the authorization matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tend.access import SYSTEM, AgentActor
from tend.agents.models import Agent
from tend.audit.models import AuditEvent
from tend.channels.chat import conversations, inboxes, routing, tokens
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatOffer
from tend.db import frozen_time, utcnow
from tend.runtime import Runtime
from tend.tickets.models import Message, Ticket
from tests.conftest import Cast, Person
from tests.web.authz import World

V1 = "/api/v1/chat"
PROBLEM = "application/problem+json"


def make_inbox(rt: Runtime, team_id: int | None, name: str = "Website", **values: Any) -> int:
    with rt.db.write() as s:
        return inboxes.create_inbox(s, SYSTEM, name=name, team_id=team_id, **values).id


def start_chat(rt: Runtime, chat_inbox_id: int, body: str = "Hi, my order is late") -> int:
    with rt.db.write() as s:
        inbox = s.get(ChatInbox, chat_inbox_id)
        assert inbox is not None
        visitor = conversations.recognise(s, rt.settings.signing_key(), inbox, None, None)
        ticket, _ = conversations.start(s, inbox, visitor, body=body, client_id="c1")
        return ticket.id


def online(rt: Runtime, *people: Person) -> None:
    with rt.db.write() as s:
        for person in people:
            assert isinstance(person.actor, AgentActor)
            routing.set_presence(s, person.actor, "online")


def chat_state(rt: Runtime, ticket_id: int) -> tuple[str, int | None, int | None]:
    """(conversation state, ticket owner, ticket team)"""
    with rt.db.read() as s:
        conv, ticket = s.get(ChatConversation, ticket_id), s.get(Ticket, ticket_id)
        assert conv is not None and ticket is not None
        return conv.state, ticket.assignee_id, ticket.team_id


def post(client: TestClient, who: Person, path: str, json: Any = None) -> Any:
    return client.post(f"{V1}{path}", headers=who.headers, json=json)


# --- chat inboxes ---------------------------------------------------------------------------


def test_admins_create_list_and_change_chat_inboxes(client: TestClient, cast: Cast,
                                                    rt: Runtime) -> None:
    hours = {"tz": "Europe/Berlin", "days": {"mon": [["09:00", "17:30"]], "sat": []}}
    r = client.post(f"{V1}/inboxes", headers=cast.admin.headers, json={
        "name": "  Shop   website ", "team_id": cast.support_team, "greeting": "Hello!",
        "brand_color": "#1F6FEB", "prechat": "optional", "topics": ["Orders", "Billing"],
        "business_hours": hours,
        "allowed_origins": ["https://www.Shop.example/", "https://shop.example"],
        "offer_timeout_seconds": 45})
    assert r.status_code == 201, r.text
    made = r.json()
    key = made["key"]
    assert made["snippet"] == (f'<script src="{rt.settings.public_url}/widget.js" '
                               f'data-inbox="{key}" defer></script>')
    assert made["name"] == "Shop website" and made["prechat"] == "optional"
    assert made["business_hours"] == {"tz": "Europe/Berlin",
                                      "days": {"mon": [["09:00", "17:30"]], "sat": []}}
    assert made["allowed_origins"] == ["https://www.shop.example", "https://shop.example"]
    assert "identity_secret" not in made
    with rt.db.read() as s:
        inbox = s.get(ChatInbox, made["id"])
        assert inbox is not None
        assert (inbox.team_id, inbox.topics, inbox.offer_timeout_seconds) == (
            cast.support_team, ["Orders", "Billing"], 45)
        secret = tokens.identity_secret(rt.settings.signing_key(), inbox.identity_salt)

    listed = client.get(f"{V1}/inboxes", headers=cast.admin.headers).json()["items"]
    assert listed == [made] and secret not in str(listed)
    one = client.get(f"{V1}/inboxes/{made['id']}", headers=cast.admin.headers).json()
    assert one == {**made, "identity_secret": secret}

    r = client.patch(f"{V1}/inboxes/{made['id']}", headers=cast.admin.headers, json={
        "business_hours": {"tz": "UTC", "days": {"sun": [["10:00", "12:00"], ["14:00", "16:00"]]}}})
    assert r.json()["business_hours"] == {"tz": "UTC", "days": {
        "sun": [["10:00", "12:00"], ["14:00", "16:00"]]}}
    r = client.patch(f"{V1}/inboxes/{made['id']}", headers=cast.admin.headers, json={
        "business_hours": None, "brand_color": None, "team_id": None, "active": False,
        "allowed_origins": []})
    assert r.status_code == 200, r.text
    assert (r.json()["business_hours"], r.json()["brand_color"], r.json()["team_id"],
            r.json()["allowed_origins"], r.json()["active"]) == (None, None, None, [], False)
    assert "identity_secret" not in r.json()
    with rt.db.read() as s:
        inbox = s.get(ChatInbox, made["id"])
        assert inbox is not None
        assert (inbox.business_hours, inbox.brand_color, inbox.allowed_origins, inbox.active,
                inbox.name) == ({}, None, "", False, "Shop website")


def test_regenerating_the_identity_secret_retires_the_old_one(client: TestClient, cast: Cast,
                                                              rt: Runtime) -> None:
    inbox_id = make_inbox(rt, cast.support_team)
    old = client.get(f"{V1}/inboxes/{inbox_id}", headers=cast.admin.headers).json()
    signed = tokens.identity_hash(old["identity_secret"], "erin@example.com")
    r = post(client, cast.admin, f"/inboxes/{inbox_id}/identity-secret")
    assert r.status_code == 200, r.text
    new = r.json()["identity_secret"]
    assert new != old["identity_secret"] and r.json()["key"] == old["key"]
    assert not tokens.identity_valid(new, "erin@example.com", signed)
    assert client.get(f"{V1}/inboxes/{inbox_id}",
                      headers=cast.admin.headers).json()["identity_secret"] == new
    with rt.db.read() as s:
        audit = s.scalars(select(AuditEvent).where(AuditEvent.event == "chat_inbox.updated")
                          ).all()
        assert [a.subject_id for a in audit] == [inbox_id]
        assert new not in str(audit[0].changes) and "identity_secret" in audit[0].changes


def test_chat_inbox_errors_are_problems(client: TestClient, cast: Cast, rt: Runtime) -> None:
    inbox_id = make_inbox(rt, cast.support_team)
    cases = [
        (client.post(f"{V1}/inboxes", headers=cast.admin.headers,
                     json={"name": "W", "allowed_origins": ["www.shop.example"]}), 422,
         "Origins are like https://www.example.com"),
        (client.post(f"{V1}/inboxes", headers=cast.admin.headers,
                     json={"name": "W", "business_hours": {"tz": "Mars/Olympus"}}), 422,
         "Unknown time zone"),
        (client.post(f"{V1}/inboxes", headers=cast.admin.headers,
                     json={"name": "W", "business_hours": {
                         "tz": "UTC", "days": {"mon": [["17:00", "09:00"]]}}}), 422,
         "ends before it starts"),
        (client.post(f"{V1}/inboxes", headers=cast.admin.headers,
                     json={"name": "W", "team_id": 9999}), 404, "Team 9999"),
        (client.patch(f"{V1}/inboxes/{inbox_id}", headers=cast.admin.headers,
                      json={"offline_inbox_id": 777}), 404, "Inbox 777"),
        (client.patch(f"{V1}/inboxes/{inbox_id}", headers=cast.admin.headers,
                      json={"name": None}), 422, "name: cannot be null"),
        (client.get(f"{V1}/inboxes/{inbox_id + 1}", headers=cast.admin.headers), 404,
         "Chat inbox"),
        (client.get(f"{V1}/inboxes/{inbox_id}", headers=cast.agent.headers), 403,
         "channels.write"),
        (post(client, cast.agent, f"/inboxes/{inbox_id}/identity-secret"), 403,
         "channels.write"),
    ]
    for r, status, detail in cases:
        assert r.status_code == status, r.text
        assert r.headers["content-type"] == PROBLEM and detail in r.json()["detail"], r.text
    with rt.db.read() as s:
        assert s.scalars(select(ChatInbox.name)).all() == ["Website"]


# --- presence --------------------------------------------------------------------------------


def test_agents_set_their_presence(client: TestClient, cast: Cast, rt: Runtime) -> None:
    r = client.get(f"{V1}/presence", headers=cast.agent.headers)
    assert r.json() == {"status": "offline", "max_chats": 3, "active_chats": 0,
                        "pending_offers": 0}
    r = client.put(f"{V1}/presence", headers=cast.agent.headers,
                   json={"status": "online", "max_chats": 5})
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "online", "max_chats": 5, "active_chats": 0,
                        "pending_offers": 0}
    with rt.db.read() as s:
        agent = s.get(Agent, cast.agent.id)
        assert agent is not None
        assert (agent.chat_status, agent.max_chats) == ("online", 5)
        assert agent.last_seen_at is not None

    # An offered chat and an accepted one count.
    inbox_id = make_inbox(rt, cast.support_team)
    offered, taken = start_chat(rt, inbox_id), start_chat(rt, inbox_id)
    assert post(client, cast.agent, f"/conversations/{taken}/accept").status_code == 200
    with rt.db.read() as s:
        pending = s.scalars(select(ChatOffer.ticket_id).where(ChatOffer.state == "pending"))
        assert list(pending) == [offered]
    r = client.get(f"{V1}/presence", headers=cast.agent.headers)
    assert (r.json()["active_chats"], r.json()["pending_offers"]) == (1, 1)


def test_light_agents_cannot_go_online_and_customers_have_no_presence(
        client: TestClient, cast: Cast, rt: Runtime) -> None:
    r = client.put(f"{V1}/presence", headers=cast.light.headers, json={"status": "online"})
    assert r.status_code == 403 and "Light agents" in r.json()["detail"]
    r = client.put(f"{V1}/presence", headers=cast.light.headers, json={"status": "away"})
    assert r.status_code == 200 and r.json()["status"] == "away"
    with rt.db.read() as s:
        agent = s.get(Agent, cast.light.id)
        assert agent is not None and agent.chat_status == "away"
    cookie, csrf = World(rt, cast, client).session_cookie(customer_id=cast.carla.id)
    client.cookies.clear()
    r = client.put(f"{V1}/presence", headers={"Cookie": f"tend_session={cookie}",
                                              "X-CSRF-Token": csrf}, json={"status": "away"})
    assert r.status_code == 403 and "Only agents" in r.json()["detail"]


def test_cookie_writes_need_the_csrf_token(client: TestClient, cast: Cast, rt: Runtime) -> None:
    cookie, csrf = World(rt, cast, client).session_cookie(agent_id=cast.agent.id)
    client.cookies.clear()
    headers = {"Cookie": f"tend_session={cookie}"}
    r = client.put(f"{V1}/presence", headers=headers, json={"status": "online"})
    assert r.status_code == 403
    with rt.db.read() as s:
        assert s.get(Agent, cast.agent.id).chat_status == "offline"  # type: ignore[union-attr]
    r = client.put(f"{V1}/presence", headers={**headers, "X-CSRF-Token": csrf},
                   json={"status": "online"})
    assert r.status_code == 200 and r.json()["status"] == "online"


# --- the queue and offers ----------------------------------------------------------------------


def test_the_queue_shows_the_chats_an_agent_may_see_oldest_first(
        client: TestClient, cast: Cast, rt: Runtime) -> None:
    support, returns = make_inbox(rt, cast.support_team), make_inbox(rt, cast.returns_team,
                                                                     name="Returns desk")
    first = start_chat(rt, support, "First")
    second = start_chat(rt, returns, "Second")
    third = start_chat(rt, support, "Third")
    ended = start_chat(rt, support, "Over")
    assert post(client, cast.agent, f"/conversations/{third}/accept").status_code == 200
    assert post(client, cast.agent, f"/conversations/{ended}/end").status_code == 200

    def queue(who: Person) -> list[Any]:
        r = client.get(f"{V1}/queue", headers=who.headers)
        assert r.status_code == 200, r.text
        return list(r.json()["items"])

    items = queue(cast.agent)
    assert [i["ticket"]["id"] for i in items] == [first, second, third]
    assert [i["conversation"]["state"] for i in items] == ["queued", "queued", "active"]
    assert [i["conversation"]["queue_position"] for i in items] == [1, 1, 0]
    assert items[2]["conversation"]["agent"]["name"] == "Alex Agent"
    assert items[2]["ticket"]["assignee"]["id"] == cast.agent.id
    assert (items[0]["chat_inbox_id"], items[1]["chat_inbox_id"]) == (support, returns)
    assert items[0]["ticket"]["channel"] == "chat" and items[0]["accepted_at"] is None
    assert [i["ticket"]["id"] for i in queue(cast.light)] == [first, second, third]
    assert [i["ticket"]["id"] for i in queue(cast.partner)] == [second]


def test_offers_are_listed_for_their_agent_and_declined(client: TestClient, cast: Cast,
                                                         rt: Runtime) -> None:
    online(rt, cast.agent)
    inbox_id = make_inbox(rt, cast.support_team)
    ticket_id = start_chat(rt, inbox_id)
    r = client.get(f"{V1}/offers", headers=cast.agent.headers)
    [offer] = r.json()["items"]
    assert (offer["state"], offer["ticket"]["id"]) == ("pending", ticket_id)
    assert client.get(f"{V1}/offers", headers=cast.admin.headers).json()["items"] == []
    assert client.get(f"{V1}/offers", headers=cast.partner.headers).json()["items"] == []
    # Someone else's offer is not theirs to decline.
    for who in (cast.admin, cast.partner):
        r = post(client, who, f"/offers/{offer['id']}/decline")
        assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    r = post(client, cast.agent, f"/offers/{offer['id']}/decline")
    assert r.status_code == 200 and r.json()["state"] == "declined"
    assert client.get(f"{V1}/offers", headers=cast.agent.headers).json()["items"] == []
    with rt.db.read() as s:
        row = s.get(ChatOffer, offer["id"])
        assert row is not None and (row.state, row.answered_at is not None) == ("declined", True)
        # Nobody else is online: the chat waits in the queue, never offered to the decliner
        # again.
        assert s.scalars(select(ChatOffer.id)).all() == [offer["id"]]
    assert chat_state(rt, ticket_id) == ("queued", None, cast.support_team)


def test_offers_past_their_time_are_not_listed(client: TestClient, cast: Cast,
                                               rt: Runtime) -> None:
    online(rt, cast.agent)
    start_chat(rt, make_inbox(rt, cast.support_team, offer_timeout_seconds=30))
    assert len(client.get(f"{V1}/offers", headers=cast.agent.headers).json()["items"]) == 1
    with frozen_time(utcnow() + timedelta(seconds=31)):
        assert client.get(f"{V1}/offers", headers=cast.agent.headers).json()["items"] == []


# --- one chat: get, accept, transfer, end ------------------------------------------------------


def test_an_agent_sees_a_chat_and_accepts_it_once(client: TestClient, cast: Cast,
                                                  rt: Runtime) -> None:
    ticket_id = start_chat(rt, make_inbox(rt, cast.support_team))
    r = client.get(f"{V1}/conversations/{ticket_id}", headers=cast.light.headers)
    assert r.status_code == 200
    assert (r.json()["conversation"]["state"], r.json()["conversation"]["last_seq"]) == (
        "queued", 1)
    r = post(client, cast.agent, f"/conversations/{ticket_id}/accept")
    assert r.status_code == 200, r.text
    chat = r.json()
    assert chat["conversation"]["state"] == "active" and chat["accepted_at"] is not None
    assert chat["conversation"]["agent"]["name"] == "Alex Agent"
    assert (chat["ticket"]["assignee"]["id"], chat["ticket"]["status"]) == (cast.agent.id,
                                                                           "open")
    assert chat_state(rt, ticket_id) == ("active", cast.agent.id, cast.support_team)
    # A double click is the same outcome; anyone else finds it taken.
    assert post(client, cast.agent, f"/conversations/{ticket_id}/accept").status_code == 200
    r = post(client, cast.admin, f"/conversations/{ticket_id}/accept")
    assert r.status_code == 409 and "already taken" in r.json()["detail"]
    assert chat_state(rt, ticket_id) == ("active", cast.agent.id, cast.support_team)


@pytest.mark.parametrize(("who", "status", "detail"), [
    ("light", 403, "tickets.reply"),
    ("partner", 404, "not found"),
])
def test_who_may_not_accept_a_chat(client: TestClient, cast: Cast, rt: Runtime, who: str,
                                   status: int, detail: str) -> None:
    ticket_id = start_chat(rt, make_inbox(rt, cast.support_team))
    r = post(client, getattr(cast, who), f"/conversations/{ticket_id}/accept")
    assert r.status_code == status and detail in r.json()["detail"]
    assert chat_state(rt, ticket_id) == ("queued", None, cast.support_team)


def test_partner_agents_work_only_their_teams_chats(client: TestClient, cast: Cast,
                                                    rt: Runtime) -> None:
    theirs = start_chat(rt, make_inbox(rt, cast.returns_team))
    other = start_chat(rt, make_inbox(rt, cast.support_team, name="Support desk"))
    for path in (f"/conversations/{other}/accept", f"/conversations/{other}/end"):
        assert post(client, cast.partner, path).status_code == 404
    r = post(client, cast.partner, f"/conversations/{other}/transfer",
             {"team_id": cast.returns_team})
    assert r.status_code == 404
    assert client.get(f"{V1}/conversations/{other}", headers=cast.partner.headers
                      ).status_code == 404
    assert chat_state(rt, other) == ("queued", None, cast.support_team)

    assert post(client, cast.partner, f"/conversations/{theirs}/accept").status_code == 200
    # ...and cannot hand their chat to a team they are not in.
    r = post(client, cast.partner, f"/conversations/{theirs}/transfer",
             {"team_id": cast.support_team})
    assert r.status_code == 403 and "own teams" in r.json()["detail"]
    assert chat_state(rt, theirs) == ("active", cast.partner.id, cast.returns_team)


def test_a_chat_is_transferred_to_an_agent_or_back_to_a_team_queue(
        client: TestClient, cast: Cast, rt: Runtime) -> None:
    ticket_id = start_chat(rt, make_inbox(rt, cast.support_team))
    post(client, cast.agent, f"/conversations/{ticket_id}/accept")
    r = post(client, cast.agent, f"/conversations/{ticket_id}/transfer",
             {"agent_id": cast.admin.id, "note": "  Billing question, over to you  "})
    assert r.status_code == 200, r.text
    assert (r.json()["conversation"]["state"], r.json()["ticket"]["assignee"]["id"]) == (
        "active", cast.admin.id)
    with rt.db.read() as s:
        note = s.scalars(select(Message).where(Message.ticket_id == ticket_id,
                                               Message.visibility == "internal")).unique().one()
        assert note.body_text == ("Chat transferred to Ada Admin by Alex Agent.\n\n"
                                  "Billing question, over to you")
    # No longer the agent's chat: they cannot move it again.
    r = post(client, cast.agent, f"/conversations/{ticket_id}/transfer",
             {"team_id": cast.returns_team})
    assert r.status_code == 403 and "owner" in r.json()["detail"]

    r = post(client, cast.admin, f"/conversations/{ticket_id}/transfer",
             {"team_id": cast.returns_team})
    assert r.status_code == 200, r.text
    assert (r.json()["conversation"]["state"], r.json()["ticket"]["assignee"],
            r.json()["ticket"]["team"]["id"]) == ("queued", None, cast.returns_team)
    assert chat_state(rt, ticket_id) == ("queued", None, cast.returns_team)
    # Now the partner's team's chat.
    assert [i["ticket"]["id"] for i in client.get(
        f"{V1}/queue", headers=cast.partner.headers).json()["items"]] == [ticket_id]


def test_transfer_refusals(client: TestClient, cast: Cast, rt: Runtime) -> None:
    ticket_id = start_chat(rt, make_inbox(rt, cast.support_team))
    cases = [
        ({"agent_id": cast.admin.id, "team_id": cast.support_team}, 422, "one agent"),
        ({"note": "Where to?"}, 422, "one agent"),
        ({"agent_id": cast.light.id}, 403, "Light agents cannot own"),
        ({"agent_id": 9999}, 404, "Agent 9999"),
        ({"team_id": 9999}, 404, "Team 9999"),
    ]
    for body, status, detail in cases:
        r = post(client, cast.agent, f"/conversations/{ticket_id}/transfer", body)
        assert r.status_code == status and detail in r.json()["detail"], r.text
    r = post(client, cast.light, f"/conversations/{ticket_id}/transfer",
             {"team_id": cast.returns_team})
    assert r.status_code == 403 and "tickets.update" in r.json()["detail"]
    assert chat_state(rt, ticket_id) == ("queued", None, cast.support_team)
    # An agent without room takes no chat.
    with rt.db.write() as s:
        s.get(Agent, cast.admin.id).max_chats = 1  # type: ignore[union-attr]
    post(client, cast.admin, f"/conversations/{start_chat(rt, make_inbox(rt, None))}/accept")
    r = post(client, cast.agent, f"/conversations/{ticket_id}/transfer",
             {"agent_id": cast.admin.id})
    assert r.status_code == 409 and "no room" in r.json()["detail"]
    assert chat_state(rt, ticket_id) == ("queued", None, cast.support_team)


def test_an_agent_ends_a_chat(client: TestClient, cast: Cast, rt: Runtime) -> None:
    ticket_id = start_chat(rt, make_inbox(rt, cast.returns_team))
    post(client, cast.partner, f"/conversations/{ticket_id}/accept")
    for who, detail in ((cast.agent, "Only the chat's owner"), (cast.light, "tickets.reply")):
        r = post(client, who, f"/conversations/{ticket_id}/end")
        assert r.status_code == 403 and detail in r.json()["detail"]
    assert chat_state(rt, ticket_id)[0] == "active"
    r = post(client, cast.partner, f"/conversations/{ticket_id}/end")
    assert r.status_code == 200 and r.json()["conversation"]["state"] == "ended"
    assert r.json()["ended_at"] is not None and r.json()["ticket"]["status"] == "open"
    with rt.db.read() as s:
        conv = s.get(ChatConversation, ticket_id)
        assert conv is not None and conv.ended_by == "agent"
    # Ending again changes nothing; an ended chat cannot be taken or moved.
    assert post(client, cast.partner, f"/conversations/{ticket_id}/end").status_code == 200
    r = post(client, cast.admin, f"/conversations/{ticket_id}/accept")
    assert r.status_code == 409 and "ended" in r.json()["detail"]
    r = post(client, cast.admin, f"/conversations/{ticket_id}/transfer",
             {"team_id": cast.support_team})
    assert r.status_code == 409 and "ended" in r.json()["detail"]
    assert chat_state(rt, ticket_id) == ("ended", cast.partner.id, cast.returns_team)


def test_a_ticket_that_is_no_chat_is_not_found(client: TestClient, cast: Cast,
                                              rt: Runtime) -> None:
    from tend.customers.models import Customer
    from tend.tickets import actions

    with rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        ticket_id = actions.create_ticket(s, SYSTEM, requester=carla, subject="Mail",
                                          body="Hello", channel="email").id
    for r in (client.get(f"{V1}/conversations/{ticket_id}", headers=cast.agent.headers),
              post(client, cast.agent, f"/conversations/{ticket_id}/accept")):
        assert r.status_code == 404 and "not a chat" in r.json()["detail"]
    with rt.db.read() as s:
        assert s.get(Ticket, ticket_id).assignee_id is None  # type: ignore[union-attr]
        assert s.scalars(select(ChatConversation)).all() == []
