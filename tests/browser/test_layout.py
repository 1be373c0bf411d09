"""Phone width and accessibility basics, in a real browser: no sideways scrolling at 390 px, every
visible form control has an accessible name, the keyboard shortcuts and the skip link work, and
the portal speaks the browser's language."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tend.access import SYSTEM
from tend.models import Customer
from tend.runtime import Runtime
from tend.tickets.actions import add_message, create_ticket
from tests.browser.conftest import agent_signs_in, customer_signs_in, screenshot
from tests.conftest import Cast

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SUBJECT = "The blender makes a grinding noise at full speed"

# Controls a user can reach and that have no label, aria-label or aria-labelledby (by id or by
# their first characters); hidden inputs and controls inside closed <details> do not count.
UNNAMED_CONTROLS = """() => {
  const named = (el) => (el.labels && el.labels.length > 0)
    || (el.getAttribute("aria-label") || "").trim() !== ""
    || (el.getAttribute("aria-labelledby") || "").split(/\\s+/).some(
         (id) => id && document.getElementById(id));
  return Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((el) => el.type !== "hidden" && el.getClientRects().length > 0)
    .filter((el) => !named(el))
    .map((el) => el.outerHTML.slice(0, 120));
}"""
OVERFLOW = """() => {
  const root = document.documentElement;
  return {scroll: root.scrollWidth, client: root.clientWidth,
          wide: Array.from(document.querySelectorAll("body *"))
            .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
            .filter((el) => {  // the culprits, not what a scrolling box already contains
              for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                if (getComputedStyle(p).overflowX !== "visible") return false;
              }
              return true;
            })
            .slice(0, 5).map((el) => el.tagName + "." + el.className)};
}"""


def open_context(browser: Browser, **options: Any) -> tuple[BrowserContext, Page, list[str]]:
    context = browser.new_context(**{"viewport": PHONE, **options})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    return context, page, errors


def check_page(page: Page, what: str) -> None:
    """No horizontal scroll at this width; every visible control is named."""
    size = page.evaluate(OVERFLOW)
    assert size["scroll"] <= size["client"] + 1, f"{what} scrolls sideways: {size}"
    assert page.evaluate(UNNAMED_CONTROLS) == [], f"{what} has controls without a name"


def seed(rt: Runtime, cast: Cast) -> int:
    with rt.db.write() as session:
        carla = session.get(Customer, cast.carla.id)
        assert carla is not None
        ticket = create_ticket(
            session, SYSTEM, requester=carla, subject=SUBJECT, team_id=cast.support_team,
            body="Since yesterday it grinds whenever I use the highest setting. "
                 "https://example.com/a-very-long-link/" + "x" * 120)
        assert cast.agent.actor is not None
        add_message(session, cast.agent.actor, ticket, visibility="public",
                    body="Could you send a short video of the noise?")
        add_message(session, cast.agent.actor, ticket, visibility="internal",
                    body="Probably the coupling; batch 2291 had the same reports.")
        return ticket.number


def test_workspace_fits_a_phone_and_is_named(browser: Browser, live_server: str, cast: Cast,
                                             rt: Runtime) -> None:
    number = seed(rt, cast)
    context, page, errors = open_context(browser)
    agent_signs_in(page, live_server, cast.agent.email,
                   check=lambda p: check_page(p, "the sign-in page"))

    page.goto(f"{live_server}/agent?view=all")
    expect(page.get_by_role("link", name=SUBJECT)).to_be_visible()
    page.get_by_text("Filter and sort").click()  # the filters count too
    expect(page.get_by_label("Sort")).to_be_visible()
    check_page(page, "the inbox")

    page.goto(f"{live_server}/agent/tickets/{number}")
    expect(page.get_by_role("heading", name=SUBJECT)).to_be_visible()
    page.get_by_text("History (").click()
    check_page(page, "the ticket page")

    for path in ("/agent/customers", f"/agent/customers/{cast.carla.id}", "/agent/account",
                 "/agent/search?q=blender"):
        page.goto(f"{live_server}{path}")
        expect(page.locator("header.topbar")).to_be_visible()
        check_page(page, path)
    assert errors == []
    context.close()


def test_admin_pages_fit_a_phone_and_are_named(browser: Browser, live_server: str,
                                               cast: Cast) -> None:
    context, page, errors = open_context(browser)
    agent_signs_in(page, live_server, cast.admin.email,
                   check=lambda p: check_page(p, "the sign-in page"))
    for path in ("/admin", "/admin/agents", f"/admin/agents/{cast.agent.id}", "/admin/agents/new",
                 "/admin/teams", f"/admin/teams/{cast.support_team}", "/admin/fields",
                 "/admin/fields/new", "/admin/roles", "/admin/settings"):
        page.goto(f"{live_server}{path}")
        expect(page.locator("header.topbar")).to_be_visible()
        check_page(page, path)
    assert errors == []
    context.close()


def test_workspace_keyboard(browser: Browser, live_server: str, cast: Cast, rt: Runtime) -> None:
    seed(rt, cast)
    context, page, errors = open_context(browser, viewport=DESKTOP)
    agent_signs_in(page, live_server, cast.agent.email,
                   check=lambda p: check_page(p, "the sign-in page"))
    page.goto(f"{live_server}/agent?view=all")
    expect(page.get_by_role("link", name=SUBJECT)).to_be_visible()

    # Tab from the top of the page reaches the skip link first; it leads to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # `/` focuses the search box; typing there does not trigger shortcuts.
    page.keyboard.press("/")
    search = page.get_by_role("searchbox", name="Search tickets")
    expect(search).to_be_focused()
    page.keyboard.type("?j")
    expect(search).to_have_value("?j")
    expect(page.get_by_role("dialog")).to_be_hidden()

    # `?` opens the list of shortcuts, Escape closes it.
    search.blur()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # `j` then `o` opens the first ticket of the list.
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.get_by_role("heading", name=SUBJECT)).to_be_visible()
    assert errors == []
    context.close()


def test_portal_fits_a_phone_and_is_named(browser: Browser, live_server: str, cast: Cast,
                                          rt: Runtime) -> None:
    seed(rt, cast)
    context, page, errors = open_context(browser)

    for path, heading in (("/portal", "How can we help?"), ("/portal/login", "Sign in"),
                          ("/portal/requests/new", None)):
        page.goto(f"{live_server}{path}")
        if heading:
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        check_page(page, path)

    page.goto(f"{live_server}/portal")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    customer_signs_in(page, live_server, rt, cast.carla.email)
    check_page(page, "the portal's request list")
    page.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_text("Could you send a short video of the noise?")).to_be_visible()
    assert "batch 2291" not in page.content()
    check_page(page, "a portal request")
    for path in ("/portal/requests/new", "/portal/password"):
        page.goto(f"{live_server}{path}")
        check_page(page, path)
    assert errors == []
    context.close()


def test_portal_speaks_spanish(browser: Browser, live_server: str) -> None:
    context, page, errors = open_context(browser, viewport=DESKTOP, locale="es-ES")
    page.goto(f"{live_server}/portal")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="¿En qué podemos ayudarle?")).to_be_visible()
    expect(page.get_by_role("link", name="Enviar una solicitud").first).to_be_visible()
    screenshot(page, "portal-home-es")
    page.goto(f"{live_server}/portal/login")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    check_page(page, "the Spanish sign-in page")
    assert errors == []
    context.close()
