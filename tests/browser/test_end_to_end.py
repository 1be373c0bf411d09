"""The issue's "done when", in a real browser: an agent logs in, finds a ticket in the inbox,
replies, adds a note and marks it solved; the customer, in the portal, sees the reply and not the
note, and answers; the ticket reopens and shows up again in the agent's inbox.

The test also writes the README screenshots (docs/screenshots/*.png)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from tend.access import SYSTEM
from tend.models import Customer, Ticket
from tend.runtime import Runtime
from tend.tickets.actions import create_ticket
from tests.browser.conftest import agent_signs_in, customer_signs_in, screenshot
from tests.conftest import Cast

pytestmark = pytest.mark.browser

SUBJECT = "My order #1042 arrived damaged"
REPLY = "Sorry about that, Carla! A replacement is on its way; you do not need to send it back."
NOTE = "Courier claim filed under ref CLM-7781, do not tell the customer the claim number."
ANSWER = "Thank you, but the replacement has the same crack in the lid."
VIEWPORT = {"width": 1280, "height": 800}


def watch(page: Page) -> list[str]:
    """Uncaught script errors and console errors (a CSP violation is one) end up in the list."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    return errors


def open_context(browser: Browser, **options: Any) -> tuple[BrowserContext, Page, list[str]]:
    context = browser.new_context(**{"viewport": VIEWPORT, **options})
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page, watch(page)


def seed(rt: Runtime, cast: Cast) -> int:
    """Carla's ticket, plus a few others so the inbox looks like an inbox in the screenshot."""
    others = [
        (cast.dan.id, "Invoice shows the wrong VAT number", "high", ["billing"]),
        (cast.dan.id, "How do I change my delivery address?", "low", []),
        (cast.carla.id, "Discount code SPRING24 is not accepted", "normal", ["promo"]),
    ]
    with rt.db.write() as session:
        for customer_id, subject, priority, tags in others:
            requester = session.get(Customer, customer_id)
            assert requester is not None
            create_ticket(session, SYSTEM, requester=requester, subject=subject,
                          body=f"{subject}\n\nThanks.", priority=priority, tags=tags,
                          team_id=cast.support_team)
        carla = session.get(Customer, cast.carla.id)
        assert carla is not None
        ticket = create_ticket(
            session, SYSTEM, requester=carla, subject=SUBJECT, priority="high",
            body="The parcel came today and the lid of the teapot is cracked. "
                 "Can you send a new one?", team_id=cast.support_team)
        return ticket.number


def send(page: Page, kind: str, body: str, status: str | None = None) -> None:
    composer = page.locator("#composer")
    composer.get_by_label(kind).check()
    composer.get_by_label("Message").fill(body)
    if status:
        composer.get_by_label("Submit as").select_option(label=status)
    composer.get_by_role("button", name="Send").click()
    expect(page.locator(".timeline")).to_contain_text(body)


def test_agent_solves_customer_answers_ticket_reopens(browser: Browser, live_server: str,
                                                      cast: Cast, rt: Runtime) -> None:
    base = live_server
    number = seed(rt, cast)
    agent_ctx, agent, agent_errors = open_context(browser)
    customer_ctx, portal, portal_errors = open_context(browser)

    # The agent finds the new ticket among the unassigned ones.
    agent_signs_in(agent, base, cast.agent.email)
    views = agent.get_by_role("navigation", name="Inbox views")
    views.get_by_role("link", name=re.compile(r"^Unassigned")).click()
    expect(agent.get_by_role("heading", name="Unassigned", exact=True)).to_be_visible()
    row = agent.locator("[data-ticket-row]", has_text=SUBJECT)
    expect(row).to_contain_text("Carla Customer")
    expect(row).to_contain_text("New")
    screenshot(agent, "workspace-inbox")
    row.get_by_role("link", name=SUBJECT).click()
    expect(agent.get_by_role("heading", name=f"#{number} {SUBJECT}")).to_be_visible()

    # Takes it, replies, writes a note and solves it with the note.
    details = agent.get_by_role("region", name="Details")
    details.get_by_label("Assignee").select_option(label="Alex Agent (me)")
    details.get_by_role("button", name="Save changes").click()
    expect(agent.locator(".ticket-head")).to_contain_text("owned by Alex Agent")
    send(agent, "Reply to customer", REPLY)
    send(agent, "Internal note", NOTE, status="Solved")
    expect(agent.locator(".ticket-head .badge").first).to_have_text("Solved")
    expect(agent.get_by_role("article", name="Internal note by Alex Agent")).to_contain_text(NOTE)
    agent.evaluate("window.scrollTo(0, 0)")
    screenshot(agent, "workspace-ticket")

    # The customer sees the reply, never the note, and answers.
    customer_signs_in(portal, base, rt, cast.carla.email)
    request_link = portal.get_by_role("link", name=SUBJECT)
    expect(request_link).to_be_visible()
    screenshot(portal, "portal-home")
    request_link.click()
    expect(portal.get_by_role("heading", name=SUBJECT)).to_be_visible()
    expect(portal.locator(".portal-timeline")).to_contain_text(REPLY)
    assert NOTE not in portal.content()
    assert "CLM-7781" not in portal.content()
    portal.get_by_label("Your reply").fill(ANSWER)
    portal.get_by_role("button", name="Send reply").click()
    expect(portal.get_by_role("status")).to_have_text("Your reply was sent.")
    expect(portal.locator(".portal-timeline")).to_contain_text(ANSWER)
    assert NOTE not in portal.content()
    portal.evaluate("window.scrollTo(0, 0)")
    screenshot(portal, "portal-request")

    # The ticket is open again and back in the agent's own view.
    agent.goto(f"{base}/agent?view=mine")
    expect(agent.get_by_role("heading", name="Mine", exact=True)).to_be_visible()
    row = agent.locator("[data-ticket-row]", has_text=SUBJECT)
    expect(row).to_contain_text("Open")
    row.get_by_role("link", name=SUBJECT).click()
    expect(agent.get_by_role("article", name="Message by Carla Customer").last
           ).to_contain_text(ANSWER)
    expect(agent.locator(".ticket-head .badge").first).to_have_text("Open")
    with rt.db.read() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == number))
        assert ticket is not None
        assert (ticket.status, ticket.reopen_count, ticket.assignee_id) == (
            "open", 1, cast.agent.id)

    assert agent_errors == []
    assert portal_errors == []
    agent_ctx.close()
    customer_ctx.close()
