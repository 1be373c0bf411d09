from tend.runtime import Runtime
from tests.conftest import PASSWORD, Cast


def test_agent_signs_in_with_a_real_browser(browser, live_server: str, cast: Cast,  # type: ignore[no-untyped-def]
                                            rt: Runtime) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server}/agent")
    assert "/login" in page.url
    page.get_by_label("Email").fill(cast.agent.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/agent**")
    assert page.locator("header.topbar").is_visible()
    assert errors == []
    context.close()
