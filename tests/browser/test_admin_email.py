"""The email admin pages and the email parts of the ticket page, in a real browser: they fit a
phone, every control is named, and the quoted history opens (no script needed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tend.access import SYSTEM
from tend.channels.email import intake
from tend.channels.email.inboxes import create_inbox
from tend.channels.email.intake import Envelope
from tend.channels.email.models import InboundEmail
from tend.runtime import Runtime
from tend.tickets.models import Ticket
from tests.browser.conftest import agent_signs_in, screenshot
from tests.browser.test_layout import DESKTOP, check_page, open_context
from tests.channels.email.mailgen import mail
from tests.conftest import Cast

pytestmark = pytest.mark.browser

QUOTED = ("Thanks, the new cable fixed it.\n\nOn Mon, 20 Nov 2026 at 10:00, Support "
          "<support@shop.example> wrote:\n> Please try another cable.\n> Regards, Alex")
# Set to a folder to look at the pages (the test never writes there otherwise).
SHOTS = os.environ.get("TEND_SHOTS_DIR")


def seed(rt: Runtime, cast: Cast) -> tuple[int, int, int]:
    """(inbox id, quarantined mail id, ticket number with a quoted reply)."""
    with rt.db.write() as s:
        inbox_id = create_inbox(s, SYSTEM, rt.settings, {
            "name": "Support", "address": "support@shop.example",
            "team_id": cast.support_team, "smtp_host": "smtp.shop.example",
            "smtp_username": "support", "smtp_password": "secret",
            "imap_host": "imap.shop.example", "imap_username": "support-with-a-rather-long-name",
            "imap_password": "secret"}).id
    pipe = Envelope(source="pipe")
    got = intake.receive(rt, mail(body=QUOTED, subject="The blender cable"), pipe)
    waiting = intake.receive(rt, b"\x00\x01 not a mail " + b"x" * 300, pipe).inbound_id
    with rt.db.read() as s:
        stored = s.get(InboundEmail, got.inbound_id)
        assert stored is not None
        ticket = s.get(Ticket, stored.ticket_id)
        assert ticket is not None
        return inbox_id, waiting, ticket.number


def test_email_pages_fit_a_phone_and_are_named(browser: Browser, live_server: str, cast: Cast,
                                               rt: Runtime) -> None:
    inbox_id, waiting, number = seed(rt, cast)
    for viewport in (None, DESKTOP):
        context, page, errors = open_context(browser, **({"viewport": viewport}
                                                         if viewport else {}))
        agent_signs_in(page, live_server, cast.admin.email)
        for path in ("/admin/inboxes", "/admin/inboxes/new", f"/admin/inboxes/{inbox_id}",
                     "/admin/mail", f"/admin/mail/{waiting}", f"/admin/mail/{waiting}/release",
                     "/admin/mail?status=processed", f"/agent/tickets/{number}"):
            page.goto(f"{live_server}{path}")
            expect(page.locator("header.topbar")).to_be_visible()
            check_page(page, path)
            if viewport and path == "/admin/mail":
                screenshot(page, "admin-mail-quarantine")
            if SHOTS:
                name = path.strip("/").replace("/", "-").replace("?", "-") or "root"
                width = "desktop" if viewport else "phone"
                page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
        quoted = page.locator("details.quoted")
        expect(quoted.locator("pre")).to_be_hidden()
        quoted.locator("summary").click()
        expect(quoted.locator("pre")).to_contain_text("Please try another cable.")
        expect(page.get_by_role("link", name="Original mail")).to_be_visible()
        if viewport:
            screenshot(page, "workspace-email-ticket")
        assert errors == []
        context.close()
