"""The live workspace in a real browser (static/live.js over /agent/live): new tickets and
messages show up without a reload, agents see who else works on a ticket, notifications are
opt-in, and a dropped connection resumes without losing what happened meanwhile."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tend.access import SYSTEM
from tend.models import Customer, Ticket
from tend.runtime import Runtime
from tend.tickets.actions import Origin, add_message, create_ticket, update_ticket
from tests.browser.conftest import agent_signs_in, screenshot
from tests.conftest import Cast, Person

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}
MARK = "window.__tendMark = 'no reload'"  # a reload or a navigation would forget it
MARKED = "window.__tendMark"

# Notification and Web Audio stand-ins that record what the page does with them.
NOTIFICATION_STUB = """
window.__notes = []; window.__asked = 0; window.__beeps = 0;
class FakeNotification {
  constructor(title, options) { window.__notes.push({title, body: (options || {}).body || ""}); }
  static requestPermission() {
    window.__asked += 1; FakeNotification.permission = "granted";
    sessionStorage.setItem("granted", "yes");  // a browser remembers the answer
    return Promise.resolve("granted");
  }
}
FakeNotification.permission = sessionStorage.getItem("granted") ? "granted" : "default";
window.Notification = FakeNotification;
const param = () => ({setValueAtTime() {}, exponentialRampToValueAtTime() {}});
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.state = "running"; this.destination = {}; }
  resume() { return Promise.resolve(); }
  createGain() { return {gain: param(), connect() {}}; }
  createOscillator() {
    return {type: "", frequency: param(), connect() {}, stop() {},
            start() { window.__beeps += 1; }};
  }
};
"""


def open_agent(browser: Browser, base: str, person: Person, *, init_script: str | None = None
               ) -> tuple[BrowserContext, Page, list[str]]:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    agent_signs_in(page, base, person.email)
    return context, page, errors


def go_live(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-live-status", "live")


def new_ticket(rt: Runtime, cast: Cast, subject: str, *, assignee: int | None = None,
               customer: Person | None = None) -> tuple[int, int]:
    with rt.db.write() as s:
        requester = s.get(Customer, (customer or cast.carla).id)
        assert requester is not None
        t = create_ticket(s, SYSTEM, requester=requester, subject=subject,
                          body=f"{subject}. Thanks!", team_id=cast.support_team,
                          assignee_id=assignee)
        return t.id, t.number


def customer_writes(rt: Runtime, cast: Cast, ticket_id: int, body: str) -> None:
    with rt.db.write() as s:
        ticket = s.get(Ticket, ticket_id)
        carla = s.get(Customer, cast.carla.id)
        assert ticket is not None and carla is not None
        add_message(s, SYSTEM, ticket, body=body, origin=Origin(customer=carla))


def change(rt: Runtime, ticket_id: int, **values: Any) -> None:
    with rt.db.write() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        update_ticket(s, SYSTEM, ticket, values)


def test_new_tickets_appear_in_the_inbox_and_survive_a_dropped_connection(
        browser: Browser, live_server: str, cast: Cast, rt: Runtime) -> None:
    first_id, first_number = new_ticket(rt, cast, "Parcel left at the wrong door")
    new_ticket(rt, cast, "Gift wrapping was missing")
    context, page, errors = open_agent(browser, live_server, cast.agent)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        go_live(page, f"{live_server}/agent?view=all")
        page.evaluate(MARK)
        rows = page.locator("[data-ticket-row]")
        expect(rows).to_have_count(2)
        # The agent ticked one ticket and moved the keyboard to another: both survive a refresh.
        ticked = page.get_by_label(f"Select ticket #{first_number}")
        ticked.check()  # a click in a row makes it the current one, as in agent.js
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("k")
        current = page.locator("[data-ticket-row].is-current")
        expect(current).to_contain_text("Gift wrapping was missing")

        # (a) A ticket created elsewhere shows up without a reload.
        new_ticket(rt, cast, "Coupon applied twice")
        expect(rows).to_have_count(3)
        expect(rows.first).to_contain_text("Coupon applied twice")
        expect(ticked).to_be_checked()
        expect(current).to_contain_text("Gift wrapping was missing")
        page.keyboard.press("j")  # agent.js still walks the new rows
        expect(current).to_contain_text("Parcel left at the wrong door")
        # The inbox counts follow too.
        expect(page.get_by_role("link", name="All unsolved")).to_contain_text("3")
        assert page.evaluate(MARKED) == "no reload"

        # (e) The socket drops: the page reconnects by itself and resumes where it was.
        page.evaluate("window.tendLive.socket.close()")
        page.wait_for_function("() => window.tendLive.state === 'live'"
                               " && window.tendLive.socket.url.includes('since=')")
        new_ticket(rt, cast, "Size chart is wrong")
        expect(rows.first).to_contain_text("Size chart is wrong")
        # Stopped while tickets change: started again, it is sent what it missed (?since=).
        page.evaluate("window.tendLive.stop()")
        expect(page.locator("body")).to_have_attribute("data-live-status", "offline")
        last_seen = page.evaluate("window.tendLive.lastId")
        change(rt, first_id, priority="urgent")
        new_ticket(rt, cast, "Invoice in the wrong currency")
        page.evaluate("window.tendLive.start()")
        expect(rows.first).to_contain_text("Invoice in the wrong currency")
        expect(rows.filter(has_text="Parcel left at the wrong door")).to_contain_text("Urgent")
        assert sockets[-1].endswith(f"/agent/live?since={last_seen}")
        assert all(url.startswith(live_server.replace("http", "ws")) for url in sockets)
        assert page.evaluate(MARKED) == "no reload"
        assert errors == []
    finally:
        context.close()


def test_agents_see_who_else_views_and_types_on_a_ticket(
        browser: Browser, live_server: str, cast: Cast, rt: Runtime) -> None:
    _, number = new_ticket(rt, cast, "Blender lid does not lock")
    alex_ctx, alex, alex_errors = open_agent(browser, live_server, cast.agent)
    ada_ctx, ada, ada_errors = open_agent(browser, live_server, cast.admin)
    try:
        url = f"{live_server}/agent/tickets/{number}"
        go_live(alex, url)
        go_live(ada, url)
        here = alex.locator("[data-collision]")
        expect(here).to_have_text("Ada Admin is viewing")
        # Ada came second; she learns about Alex at once, not at his next beat.
        expect(ada.locator("[data-collision]")).to_have_text("Alex Agent is viewing")

        ada.locator("#composer").get_by_label("Message").press_sequentially("Hi Carla")
        expect(here).to_have_text("Ada Admin is typing a reply")
        ada.locator("#composer").get_by_label("Internal note").check()
        ada.locator("#composer").get_by_label("Message").press_sequentially(", checking")
        expect(here).to_have_text("Ada Admin is typing a note")
        alex.evaluate("window.scrollTo(0, 0)")
        screenshot(alex, "live-collision")

        ada.goto(f"{live_server}/agent")  # leaving the ticket clears her from Alex's screen
        expect(here).to_have_text("")
        assert alex_errors == [] and ada_errors == []
    finally:
        alex_ctx.close()
        ada_ctx.close()


def test_new_messages_appear_and_the_draft_is_kept(
        browser: Browser, live_server: str, cast: Cast, rt: Runtime) -> None:
    ticket_id, number = new_ticket(rt, cast, "Wrong colour delivered")
    context, page, errors = open_agent(browser, live_server, cast.agent)
    try:
        go_live(page, f"{live_server}/agent/tickets/{number}")
        page.evaluate(MARK)
        draft = page.locator("#composer").get_by_label("Message")
        draft.fill("Half-written answer about the colour")

        # (c) The customer writes; the message appears, the draft stays, and so does focus.
        customer_writes(rt, cast, ticket_id, "I ordered the blue one, this one is green.")
        expect(page.get_by_role("article", name="Message by Carla Customer").last
               ).to_contain_text("I ordered the blue one")
        change(rt, ticket_id, priority="urgent", assignee_id=cast.admin.id)
        details = page.get_by_role("region", name="Details")
        expect(details.get_by_label("Priority")).to_have_value("urgent")
        expect(page.locator(".ticket-head")).to_contain_text("owned by Ada Admin")
        expect(draft).to_have_value("Half-written answer about the colour")
        expect(draft).to_be_focused()
        assert page.evaluate(MARKED) == "no reload"

        # A sidebar the agent changed and did not save yet is kept as it is.
        details.get_by_label("Tags").fill("colour, mine")
        page.locator("#ticket-title").click()  # out of the field: only the edit holds it
        change(rt, ticket_id, priority="high")
        expect(page.locator(".ticket-head .badge.priority-high")).to_be_visible()
        expect(details.get_by_label("Tags")).to_have_value("colour, mine")
        expect(details.get_by_label("Priority")).to_have_value("urgent")
        assert errors == []
    finally:
        context.close()


def test_notifications_for_new_tickets_and_customer_messages_on_mine(
        browser: Browser, live_server: str, cast: Cast, rt: Runtime) -> None:
    ticket_id, number = new_ticket(rt, cast, "Scratched screen protector")
    context, page, errors = open_agent(browser, live_server, cast.agent,
                                       init_script=NOTIFICATION_STUB)
    try:
        go_live(page, f"{live_server}/agent?view=all")
        toggle = page.get_by_role("button", name="Notify me")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        assert page.evaluate("window.__asked") == 1
        assert page.evaluate("localStorage.getItem('tend.notify')") == "on"

        # Not mine yet: the customer's message is no news for Alex.
        customer_writes(rt, cast, ticket_id, "Any news?")
        change(rt, ticket_id, assignee_id=cast.agent.id)
        long = "The protector has a scratch right across the middle. " * 4
        customer_writes(rt, cast, ticket_id, long)
        page.wait_for_function("() => window.__notes.length >= 1")
        new_id, new_number = new_ticket(rt, cast, "Charger stopped working", customer=cast.dan)
        page.wait_for_function("() => window.__notes.length >= 2")
        assert page.evaluate("window.__notes") == [
            {"title": f"Carla Customer on #{number}", "body": long[:100]},
            {"title": f"New ticket #{new_number}", "body": "Charger stopped working"},
        ]
        assert page.evaluate("window.__beeps") == 2

        # Its own ticket, in front of the agent: no notification; on another page, one.
        go_live(page, f"{live_server}/agent/tickets/{number}")
        assert page.evaluate("document.hasFocus()")
        customer_writes(rt, cast, ticket_id, "Hello again?")
        expect(page.get_by_role("article", name="Message by Carla Customer").last
               ).to_contain_text("Hello again?")
        change(rt, new_id, assignee_id=cast.agent.id)
        with rt.db.write() as s:
            ticket = s.get(Ticket, new_id)
            dan = s.get(Customer, cast.dan.id)
            assert ticket is not None and dan is not None
            add_message(s, SYSTEM, ticket, body="It gets hot, too.", origin=Origin(customer=dan))
        page.wait_for_function("() => window.__notes.length >= 1")
        assert page.evaluate("window.__notes") == [
            {"title": f"Dan Other on #{new_number}", "body": "It gets hot, too."}]
        assert errors == []
    finally:
        context.close()
