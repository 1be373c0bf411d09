"""Real Chromium (Debian's package) driven by Playwright against a real server on loopback.

Outside CI these tests skip when Chromium is missing; with CI=true they must run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tend.runtime import Runtime
from tests.conftest import PASSWORD
from tests.liveserver import serving

CHROMIUM = os.environ.get("TEND_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent.parent.parent / "docs" / "screenshots"
CI = os.environ.get("CI", "").lower() == "true"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def _need_chromium() -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if CI:
            pytest.fail(f"Chromium is required in CI (looked for {CHROMIUM})")
        pytest.skip(f"Chromium not installed ({CHROMIUM}); `apt-get install chromium` to run")


@pytest.fixture
def live_server(rt: Runtime) -> Iterator[str]:
    with serving(rt) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per test module: Playwright's sync API keeps an event loop running while
    it is open, which must not outlive the module (other tests use asyncio.run)."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def screenshot(page: object, name: str) -> None:
    """Keep README screenshots current: the browser tests write them."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)  # type: ignore[attr-defined]


def agent_signs_in(page: Page, base: str, email: str,
                   check: Callable[[Page], None] | None = None) -> None:
    """Sign in with the form; `check` looks at the sign-in page before it is filled in."""
    page.goto(f"{base}/login")
    if check is not None:
        check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header.topbar")).to_be_visible()


def customer_signs_in(page: Page, base: str, rt: Runtime, email: str) -> None:
    """Ask for a magic link, take it from the outbox, confirm it."""
    page.goto(f"{base}/portal/login")
    page.get_by_role("textbox", name="Email address").fill(email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("status")).to_contain_text(email)
    links = [n.link for n in rt.outbox.sent  # type: ignore[attr-defined]
             if n.to == email and n.link and "/portal/auth/" in n.link]
    assert links, "no magic link was sent"
    url = urlsplit(links[-1])
    page.goto(f"{base}{url.path}" + (f"?{url.query}" if url.query else ""))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My requests")).to_be_visible()
