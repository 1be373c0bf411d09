"""The workspace socket, /agent/live: who may open it, heartbeats, resume, who works where."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tend.access import SYSTEM
from tend.agents.models import Agent
from tend.auth.actions import end_session, start_session
from tend.customers.models import Customer
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets import actions
from tests.conftest import Cast, customer_obj
from tests.realtime.livestate import Screen


def cookie_for(rt: Runtime, *, agent_id: int | None = None, customer_id: int | None = None,
               awaiting_totp: bool = False) -> str:
    with rt.db.write() as s:
        new = start_session(s, agent=s.get(Agent, agent_id) if agent_id else None,
                            customer=s.get(Customer, customer_id) if customer_id else None,
                            max_age_seconds=3600, awaiting_totp=awaiting_totp)
        return new.token


def refused(client: TestClient, headers: dict[str, str]) -> int:
    with pytest.raises(WebSocketDisconnect) as info, \
            client.websocket_connect("/agent/live", headers=headers) as ws:
        ws.receive_json()
    return info.value.code


def new_ticket(rt: Runtime, cast: Cast, team: int | None, subject: str = "Help") -> int:
    with rt.db.write() as s:
        t = actions.create_ticket(s, SYSTEM, requester=s.merge(customer_obj(rt, cast.carla)),
                                  subject=subject, body="Hello", team_id=team)
        return t.id


def test_who_may_open_the_workspace_socket(rt: Runtime, cast: Cast, client: TestClient) -> None:
    # Anonymous, a customer, a session still waiting for its second factor: refused.
    assert refused(client, {}) == 4401
    assert refused(client, {"cookie": f"tend_session={cookie_for(rt, customer_id=cast.carla.id)}"}
                   ) == 4401
    half = cookie_for(rt, agent_id=cast.agent.id, awaiting_totp=True)
    assert refused(client, {"cookie": f"tend_session={half}"}) == 4401
    # Another site cannot open it with an agent's cookie.
    good = f"tend_session={cookie_for(rt, agent_id=cast.agent.id)}"
    assert refused(client, {"cookie": good, "origin": "https://evil.example"}) == 4403
    # Every agent role may, from our own pages; each sees what its role may see.
    support = new_ticket(rt, cast, cast.support_team)
    returns = new_ticket(rt, cast, cast.returns_team)
    for role in ("admin", "agent", "light", "partner"):
        person = getattr(cast, role)
        with Screen(client, rt, cookie_for(rt, agent_id=person.id)) as screen:
            assert screen.hello["agent_id"] == person.id
            with rt.db.write() as s:
                for ticket_id in (support, returns):
                    actions.add_message(s, SYSTEM, s.get(actions.Ticket, ticket_id),
                                        body=f"note for {role}", visibility="internal")
            seen = {f["message"]["ticket_id"] for f in screen.drain() if f["kind"] == "message"}
        assert seen == ({returns} if role == "partner" else {support, returns}), role


def test_origin_of_our_own_pages_is_accepted(rt: Runtime, cast: Cast, client: TestClient) -> None:
    cookie = cookie_for(rt, agent_id=cast.agent.id)
    with client.websocket_connect("/agent/live", headers={
            "cookie": f"tend_session={cookie}", "origin": "http://127.0.0.1:8000"}) as ws:
        assert ws.receive_json()["kind"] == "hello"


@pytest.fixture
def quick_client(settings: Settings, rt: Runtime) -> Iterator[TestClient]:
    """An app whose heartbeat is a fraction of a second."""
    from tend.web.app import create_app

    fast = settings.model_copy(update={"live_heartbeat_seconds": 0.2})
    rt.settings = fast
    with TestClient(create_app(rt=rt), base_url="http://127.0.0.1:8000") as c:
        yield c


def test_heartbeat_pings_and_closes_silent_screens(rt: Runtime, cast: Cast,
                                                   quick_client: TestClient) -> None:
    cookie = cookie_for(rt, agent_id=cast.agent.id)
    with quick_client.websocket_connect("/agent/live",
                                        headers={"cookie": f"tend_session={cookie}"}) as ws:
        hello = ws.receive_json()
        assert hello["heartbeat"] == 0.2
        assert ws.receive_json() == {"kind": "ping"}
        ws.send_json({"op": "pong"})
        assert ws.receive_json() == {"kind": "ping"}
        # Now stay silent: the server gives up after 2.5 heartbeats.
        with pytest.raises(WebSocketDisconnect) as info:
            while True:
                ws.receive_json()
        assert info.value.code == 4408


def test_a_busy_screen_is_still_pinged_and_kept(rt: Runtime, cast: Cast,
                                               quick_client: TestClient) -> None:
    """Envelopes every 50 ms for 1.5 s (7 heartbeats): the screen, which only answers pings,
    is pinged all along and never closed as silent."""
    import threading

    from tend.realtime.envelopes import AGENTS, Envelope

    stop = threading.Event()

    def chatter() -> None:
        while not stop.wait(0.05):
            rt.hub.publish([Envelope("test.marker", (AGENTS,), {"mark": "busy"})])

    cookie = cookie_for(rt, agent_id=cast.agent.id)
    pings = markers = 0
    with quick_client.websocket_connect("/agent/live",
                                        headers={"cookie": f"tend_session={cookie}"}) as ws:
        ws.receive_json()
        thread = threading.Thread(target=chatter, daemon=True)
        thread.start()
        try:
            while markers < 30 or pings < 5:
                frame = ws.receive_json()
                if frame["kind"] == "ping":
                    pings += 1
                    ws.send_json({"op": "pong"})
                elif frame["kind"] == "test.marker":
                    markers += 1
        finally:
            stop.set()
            thread.join()
    assert pings >= 5 and markers >= 30


def test_signing_out_closes_the_screen(rt: Runtime, cast: Cast, quick_client: TestClient) -> None:
    cookie = cookie_for(rt, agent_id=cast.agent.id)
    with quick_client.websocket_connect("/agent/live",
                                        headers={"cookie": f"tend_session={cookie}"}) as ws:
        ws.receive_json()
        with rt.db.write() as s:
            end_session(s, cookie)
        with pytest.raises(WebSocketDisconnect) as info:
            while True:
                frame = ws.receive_json()
                if frame["kind"] == "ping":
                    ws.send_json({"op": "pong"})
        assert info.value.code == 4401


def test_a_screen_resumes_where_it_left(rt: Runtime, cast: Cast, client: TestClient) -> None:
    cookie = cookie_for(rt, agent_id=cast.agent.id)
    with Screen(client, rt, cookie) as screen:
        first = new_ticket(rt, cast, cast.support_team, "Before")
        frames = screen.drain()
        last = frames[-1]["id"]
    # Disconnected: two tickets arrive meanwhile.
    missed = {new_ticket(rt, cast, cast.support_team, "While away 1"),
              new_ticket(rt, cast, None, "While away 2")}
    with Screen(client, rt, cookie, since=last) as screen:
        frames = screen.drain()
    got = {f["ticket"]["id"] for f in frames if f["kind"] == "ticket"}
    assert got == missed and first not in got
    ids = [f["id"] for f in frames]
    assert ids == sorted(ids, key=rt.hub.key) and len(ids) == len(set(ids))


def test_a_screen_that_cannot_resume_is_told_to_fetch_afresh(rt: Runtime, cast: Cast,
                                                             client: TestClient) -> None:
    cookie = cookie_for(rt, agent_id=cast.agent.id)
    for since in ("someoneelse-3", "garbage", "0-0"):
        with Screen(client, rt, cookie, since=since) as screen:
            assert screen.ws.receive_json()["kind"] == "resync", since


def test_who_views_and_types_where(rt: Runtime, cast: Cast, client: TestClient) -> None:
    support = new_ticket(rt, cast, cast.support_team)
    returns = new_ticket(rt, cast, cast.returns_team)
    with Screen(client, rt, cookie_for(rt, agent_id=cast.agent.id)) as alex, \
            Screen(client, rt, cookie_for(rt, agent_id=cast.admin.id)) as ada, \
            Screen(client, rt, cookie_for(rt, agent_id=cast.partner.id)) as pat:
        alex.ws.send_json({"op": "activity", "ticket_id": support, "state": "viewing"})
        alex.ws.send_json({"op": "activity", "ticket_id": support, "state": "typing_reply"})
        alex.ws.send_json({"op": "activity", "ticket_id": returns, "state": "viewing"})
        alex.ws.send_json({"op": "ping"})
        assert alex.receive() == {"kind": "pong"}  # the ops above were handled
        time.sleep(0.05)
        seen = [(f["ticket_id"], f["state"], f["agent"]["name"])
                for f in ada.drain() if f["kind"] == "activity"]
        assert seen == [(support, "viewing", "Alex Agent"), (support, "typing_reply", "Alex Agent"),
                        (support, "left", "Alex Agent"), (returns, "viewing", "Alex Agent")]
        partner_seen = [(f["ticket_id"], f["state"]) for f in pat.drain()
                        if f["kind"] == "activity"]
        assert partner_seen == [(returns, "viewing")]  # never a Support ticket
        assert [f for f in alex.drain() if f["kind"] == "activity"] == []  # not my own
        # Bad ops get a readable error; a ticket the agent may not see is "not found".
        pat.ws.send_json({"op": "activity", "ticket_id": support, "state": "viewing"})
        assert pat.receive()["detail"] == f"Ticket {support} was not found."
        pat.ws.send_text("not json")
        assert "JSON" in pat.receive()["detail"]
        pat.ws.send_json({"op": "activity", "ticket_id": returns, "state": "dancing"})
        assert "state" in pat.receive()["detail"]
        pat.ws.send_json({"op": "fly"})
        assert pat.receive()["detail"] == "Unknown op 'fly'."
    # Closing the screen says the agent left the ticket.
    with Screen(client, rt, cookie_for(rt, agent_id=cast.admin.id)) as ada:
        with Screen(client, rt, cookie_for(rt, agent_id=cast.agent.id)) as alex:
            alex.ws.send_json({"op": "activity", "ticket_id": support, "state": "viewing"})
            alex.ws.send_json({"op": "ping"})
            alex.receive()
        time.sleep(0.1)
        states = [f["state"] for f in ada.drain() if f["kind"] == "activity"]
        assert states == ["viewing", "left"]


def test_live_sockets_skip_the_http_layers(rt: Runtime, client: TestClient) -> None:
    """Both live sockets are called directly (app.TendApp); any other WebSocket path still
    goes through the router, which refuses it."""
    from tend.web.live import agent_live
    from tend.web.widget.socket import widget_live

    assert client.app.direct_sockets() == {  # type: ignore[attr-defined]
        "/agent/live": agent_live, "/widget/live": widget_live}
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/agent/nowhere"):
        pass
