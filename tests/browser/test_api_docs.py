from typing import Any


def test_interactive_api_docs_render_offline_under_the_csp(browser: Any, live_server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server)
            and not r.url.startswith("data:") else None)
    page.goto(f"{live_server}/api/docs")
    page.get_by_text("/api/v1/tickets/{ticket_id}/messages").first.wait_for()
    assert page.get_by_text("Tend API").first.is_visible()
    assert problems == [] and outside == []
    context.close()
