"""A customer on a shop's website chats with an agent in the workspace, in two browsers.

The shop is another origin (a small HTTP server of its own on another port of 127.0.0.1); the
widget and its socket come from the real Tend server. Typing, receipts, an upload, a transfer,
the transcript, and the agent's inbox updating without a reload.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tend.access import SYSTEM
from tend.channels.chat import inboxes
from tend.runtime import Runtime
from tests.browser.conftest import agent_signs_in, screenshot
from tests.conftest import Cast

pytestmark = pytest.mark.browser


@pytest.fixture
def chat_key(rt: Runtime, cast: Cast) -> str:
    with rt.db.write() as s:
        inbox = inboxes.create_inbox(s, SYSTEM, name="Northwind shop", team_id=cast.support_team,
                                     prechat="optional", topics=["Orders", "Returns"],
                                     greeting="Hi! Ask us anything.", brand_color="#0b7a5a")
        return inbox.key


@pytest.fixture
def contexts(browser: Browser) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    agent = browser.new_context(viewport={"width": 1280, "height": 860})
    customer = browser.new_context(viewport={"width": 420, "height": 760})  # a phone
    yield agent, customer
    agent.close()
    customer.close()


@pytest.fixture
def shop(live_server: str, chat_key: str) -> Iterator[str]:
    """The shop's website: another origin, with the widget's one tag."""
    html = (f"<!doctype html><html><head><title>Northwind shop</title></head><body>"
            f"<h1>Northwind shop</h1><p>Tents, packs and stoves.</p>"
            f'<script src="{live_server}/widget.js" data-inbox="{chat_key}" defer></script>'
            f"</body></html>").encode()

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def shop_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def widget(page: Page) -> Any:
    return page.locator("#tend-chat-widget")


def test_a_customer_and_an_agent_chat(rt: Runtime, cast: Cast, live_server: str,
                                      contexts: tuple[BrowserContext, BrowserContext],
                                      shop: str, tmp_path: Path) -> None:
    agent_ctx, customer_ctx = contexts
    agent = agent_ctx.new_page()
    agent_signs_in(agent, live_server, cast.agent.email)
    agent.goto(f"{live_server}/agent")
    agent.evaluate("window.__sameDocument = true")
    agent.get_by_label("Chat status").select_option("online")
    expect(agent.locator("body[data-live-status=live]")).to_be_attached()

    # The customer opens the widget on the shop's site and starts a chat.
    customer = shop_page(customer_ctx, shop)
    w = widget(customer)
    w.get_by_role("button", name="Chat with us").click()
    panel = w.get_by_role("dialog")
    expect(panel).to_be_visible()
    panel.get_by_role("textbox", name="Name").fill("Erin Example")
    panel.get_by_role("textbox", name="Email").fill("erin@example.com")
    panel.get_by_role("combobox", name="Topic").select_option("Orders")
    panel.locator("form:visible textarea[name=body]").fill("Hi! Where is my order NW-1001?")
    panel.get_by_role("button", name="Start chat").click()
    expect(panel.get_by_text("Hi! Where is my order NW-1001?")).to_be_visible()
    expect(panel.get_by_text(re.compile("number 1 in the queue")).first).to_be_visible()

    # The agent's inbox shows the new chat without a reload, and the offer pops up.
    expect(agent.get_by_text("Chat: Hi! Where is my order NW-1001?").first).to_be_visible()
    assert agent.evaluate("window.__sameDocument") is True
    offer = agent.get_by_role("alertdialog", name="New chat")
    expect(offer).to_contain_text("Erin Example")
    offer.get_by_role("button", name="Accept").click()
    expect(agent.get_by_role("heading", name="Chat", exact=True)).to_be_visible()
    expect(agent.locator("[data-chat]")).to_contain_text("Live with Alex Agent")
    expect(panel.get_by_text(re.compile("Alex Agent")).first).to_be_visible()

    # Typing shows on the other side, both ways.
    composer = agent.locator("[data-composer] textarea[name=body]")
    composer.press_sequentially("Let me check", delay=20)
    expect(panel.get_by_text(re.compile("Alex Agent is typing")).first).to_be_visible()
    composer.fill("Let me check that for you: https://track.example/NW-1001")
    composer.press("Enter")
    reply = panel.get_by_text(re.compile("Let me check that for you")).first
    expect(reply).to_be_visible()
    expect(panel.get_by_role("link", name="https://track.example/NW-1001")).to_have_attribute(
        "target", "_blank")
    shop_input = panel.get_by_role("textbox", name="Write a message…")
    shop_input.press_sequentially("Thanks", delay=30)
    expect(agent.get_by_text("The customer is typing…")).to_be_visible()
    shop_input.press("Enter")
    expect(agent.get_by_text("Thanks", exact=True)).to_be_visible()
    # The customer had the panel open: the agent's reply shows as seen.
    expect(agent.locator("article.reply").last.get_by_text("Seen")).to_be_visible()

    # An upload reaches the agent as an attachment.
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    w.locator("input[type=file]").set_input_files(str(receipt))
    expect(agent.get_by_role("link", name="receipt.pdf")).to_be_visible()
    screenshot(customer, "chat-widget")
    screenshot(agent, "workspace-chat")

    # A transfer to another agent keeps the conversation; the customer sees who took over.
    agent.get_by_label("Transfer to").select_option(label="Ada Admin")
    agent.get_by_label("Note for them").fill("VIP: order lost in transit")
    agent.get_by_role("button", name="Transfer").click()
    expect(agent.locator("[data-chat]")).to_contain_text("Live with Ada Admin")
    expect(panel.get_by_text(re.compile("Ada Admin")).first).to_be_visible()

    # The customer ends the chat and asks for the transcript.
    customer.once("dialog", lambda d: d.accept())
    panel.get_by_role("button", name="End chat").click()
    expect(panel.get_by_text("The chat has ended.").first).to_be_visible()
    panel.get_by_role("button", name="Email me the transcript").click()
    expect(panel.get_by_text(re.compile("on its way to erin@example.com")).first).to_be_visible()
    sent = [n for n in rt.outbox.sent if n.subject.startswith("Transcript")]  # type: ignore[attr-defined]
    assert sent and "Let me check that for you" in sent[-1].body
    expect(agent.locator("[data-chat]")).to_contain_text("Ended")
    assert customer.errors == []  # type: ignore[attr-defined]
