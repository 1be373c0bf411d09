"""The agent workspace pages: views, ticket page forms, search, customers, access rules."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tend.access import SYSTEM
from tend.attachments.models import Attachment
from tend.models import Customer, SavedView
from tend.runtime import Runtime
from tend.tickets import actions
from tend.tickets.models import CustomField, Message, Ticket
from tests.conftest import PASSWORD, Cast, Person
from tests.web.authz import fast_passwords

__all__ = ["fast_passwords"]
pytestmark = pytest.mark.usefixtures("fast_passwords")
BASE = "http://127.0.0.1:8000"


# --- helpers -----------------------------------------------------------------------------------


def sign_in(client: TestClient, person: Person) -> TestClient:
    """A client of its own for `person` (cookies are per client), signed in through /login."""
    c = TestClient(client.app, base_url=BASE)
    page = c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    r = c.post("/login", data={"email": person.email, "password": PASSWORD,
                               "csrf_token": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return c


def csrf(c: TestClient, path: str = "/agent") -> str:
    m = re.search(r'<meta name="csrf-token" content="([^"]+)"', c.get(path).text)
    assert m
    return m.group(1)


def post(c: TestClient, path: str, data: dict[str, Any], **kw: Any) -> Any:
    return c.post(path, data={"csrf_token": csrf(c), **data}, follow_redirects=False, **kw)


def make_ticket(rt: Runtime, requester: Person, subject: str, *, team: int | None = None,
                assignee: int | None = None, status: str | None = None,
                priority: str = "normal") -> int:
    with rt.db.write() as s:
        customer = s.get(Customer, requester.id)
        assert customer is not None
        t = actions.create_ticket(s, SYSTEM, requester=customer, subject=subject,
                                  body=f"Body of {subject}", team_id=team, assignee_id=assignee,
                                  priority=priority)
        if status in ("solved", "closed"):
            actions.update_ticket(s, SYSTEM, t, {"status": "solved"})
        if status and status != "solved":
            actions.update_ticket(s, SYSTEM, t, {"status": status})
        return t.number


def ticket(rt: Runtime, number: int) -> Ticket:
    with rt.db.read() as s:
        t = s.scalars(select(Ticket).where(Ticket.number == number)).unique().one()
        _ = t.tags, t.messages
        for m in t.messages:
            _ = m.attachments
        return t


def listed(html: str) -> set[int]:
    """Ticket numbers in the inbox table."""
    return {int(n) for n in re.findall(r'data-href="/agent/tickets/(\d+)"', html)}


def counts(html: str) -> dict[str, int]:
    return {label: int(n) for label, n in re.findall(
        r'<span>([^<]+)</span>\s*<span class="count"[^>]*>(\d+)</span>', html)}


# --- sign-in -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/agent", "/agent/tickets/1", "/agent/customers",
                                  "/agent/customers/1", "/agent/search?q=x",
                                  "/agent/attachments/1"])
def test_signed_out_agents_are_sent_to_sign_in(client: TestClient, path: str) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=/agent")


def test_customers_are_not_agents(client: TestClient, cast: Cast) -> None:
    r = client.get("/agent", follow_redirects=False)
    assert r.status_code == 303


# --- inbox ---------------------------------------------------------------------------------------


def test_inbox_views_list_the_right_tickets_with_counts(client: TestClient, rt: Runtime,
                                                        cast: Cast) -> None:
    mine = make_ticket(rt, cast.carla, "Mine", team=cast.support_team, assignee=cast.agent.id)
    loose = make_ticket(rt, cast.carla, "Nobody's")
    returns = make_ticket(rt, cast.dan, "Returns queue", team=cast.returns_team)
    solved = make_ticket(rt, cast.carla, "Done", assignee=cast.agent.id, status="solved")
    admins = make_ticket(rt, cast.dan, "Admin has it", team=cast.support_team,
                         assignee=cast.admin.id, priority="high")
    c = sign_in(client, cast.agent)

    default = c.get("/agent")
    assert default.status_code == 200
    assert "<h1 id=\"inbox-title\">Mine</h1>" in default.text
    assert listed(default.text) == {mine}
    assert counts(default.text) == {"Mine": 1, "Unassigned": 2, "My teams": 2,
                                    "All unsolved": 4, "Solved/closed": 1}
    expected = {"mine": {mine}, "unassigned": {loose, returns}, "teams": {mine, admins},
                "all": {mine, loose, returns, admins}, "solved": {solved}}
    for view, numbers in expected.items():
        r = c.get(f"/agent?view={view}")
        assert r.status_code == 200
        assert listed(r.text) == numbers, view
    # Ad-hoc filters refine a view; the subject links point at the ticket page.
    r = c.get("/agent?view=all&status=unsolved&priority=high&assignee=&team=&tag=&q=")
    assert listed(r.text) == {admins}
    assert f'href="/agent/tickets/{admins}">Admin has it</a>' in r.text
    assert c.get("/agent?view=nope").status_code == 404
    assert c.get("/agent?view=all&sort=bogus").status_code == 400


def test_default_view_is_all_unsolved_without_own_tickets(client: TestClient, rt: Runtime,
                                                          cast: Cast) -> None:
    other = make_ticket(rt, cast.carla, "Someone else's", assignee=cast.admin.id)
    r = sign_in(client, cast.agent).get("/agent")
    assert '<h1 id="inbox-title">All unsolved</h1>' in r.text
    assert listed(r.text) == {other}
    r = sign_in(client, cast.agent).get("/agent?view=mine")
    assert listed(r.text) == set()
    assert "Nothing assigned to you is waiting" in r.text


def test_inbox_pages_with_a_cursor(client: TestClient, rt: Runtime, cast: Cast) -> None:
    numbers = {make_ticket(rt, cast.carla, f"Ticket {i}") for i in range(27)}
    c = sign_in(client, cast.agent)
    first = c.get("/agent?view=all")
    assert len(listed(first.text)) == 25
    nxt = re.search(r'<a class="button" href="([^"]+)" rel="next">Next page</a>', first.text)
    assert nxt
    second = c.get(nxt.group(1).replace("&amp;", "&"))
    assert len(listed(second.text)) == 2
    assert listed(first.text) | listed(second.text) == numbers
    assert 'rel="next"' not in second.text


def test_partner_sees_only_their_teams_everywhere(client: TestClient, rt: Runtime,
                                                  cast: Cast) -> None:
    hidden = make_ticket(rt, cast.carla, "Support secret", team=cast.support_team)
    hidden_loose = make_ticket(rt, cast.carla, "Support loose")
    theirs = make_ticket(rt, cast.dan, "Returns parcel", team=cast.returns_team,
                         assignee=cast.partner.id)
    c = sign_in(client, cast.partner)
    for view in ("mine", "unassigned", "teams", "all", "solved"):
        html = c.get(f"/agent?view={view}").text
        assert not listed(html) & {hidden, hidden_loose}, view
    assert listed(c.get("/agent?view=all").text) == {theirs}
    assert counts(c.get("/agent").text)["All unsolved"] == 1
    # Search: by words, by number, by customer name.
    r = c.get("/agent/search?q=Support")
    assert r.status_code == 200 and "Support secret" not in r.text
    r = c.get(f"/agent/search?q=%23{hidden}", follow_redirects=False)
    assert r.status_code == 200 and f"/agent/tickets/{hidden}" not in r.text
    r = c.get("/agent/search?q=Carla")
    assert "Carla Customer" not in r.text
    r = c.get("/agent/search?q=Dan")
    assert f'href="/agent/customers/{cast.dan.id}"' in r.text
    # Direct pages.
    assert c.get(f"/agent/tickets/{hidden}").status_code == 404
    assert c.get(f"/agent/tickets/{theirs}").status_code == 200
    assert c.get(f"/agent/customers/{cast.carla.id}").status_code == 404
    assert "Carla Customer" not in c.get("/agent/customers").text
    assert "Dan Other" in c.get("/agent/customers").text


# --- ticket page ---------------------------------------------------------------------------------


def test_ticket_page_shows_notes_history_and_customer(client: TestClient, rt: Runtime,
                                                      cast: Cast) -> None:
    earlier = make_ticket(rt, cast.carla, "Her earlier ticket")
    number = make_ticket(rt, cast.carla, "Broken kettle", team=cast.support_team)
    with rt.db.write() as s:
        t = s.scalars(select(Ticket).where(Ticket.number == number)).unique().one()
        actions.add_message(s, cast.admin.actor, t, body="Check the <warranty> first",
                            visibility="internal")
        actions.update_ticket(s, cast.admin.actor, t, {"priority": "urgent"})
        customer = s.get(Customer, cast.carla.id)
        assert customer is not None
        customer.notes = "Prefers phone calls"
    r = sign_in(client, cast.light).get(f"/agent/tickets/{number}")
    assert r.status_code == 200
    assert "Internal note" in r.text
    assert "Check the &lt;warranty&gt; first" in r.text  # sanitized body, escaped markup
    assert '<article class="message note"' in r.text
    assert "<summary>History (" in r.text
    assert "Priority: <del>normal</del> → <ins>urgent</ins>" in r.text
    assert "Carla Customer" in r.text and "carla@example.com" in r.text
    assert "Prefers phone calls" in r.text
    assert f'href="/agent/tickets/{earlier}"' in r.text
    assert sign_in(client, cast.agent).get("/agent/tickets/999").status_code == 404


def test_reply_note_and_side_panel_change_the_ticket(client: TestClient, rt: Runtime,
                                                     cast: Cast) -> None:
    number = make_ticket(rt, cast.carla, "Where is my order?")
    c = sign_in(client, cast.agent)
    path = f"/agent/tickets/{number}"
    r = post(c, f"{path}/messages", {"body": "It ships today.", "visibility": "public",
                                     "status": "pending"})
    assert r.status_code == 303 and r.headers["location"].startswith(path)
    r = post(c, f"{path}/messages", {"body": "Carrier is slow this week.",
                                     "visibility": "internal", "status": ""})
    assert r.status_code == 303
    t = ticket(rt, number)
    assert t.status == "pending"
    assert [(m.visibility, m.body_text) for m in t.messages[1:]] == [
        ("public", "It ships today."), ("internal", "Carrier is slow this week.")]
    assert t.messages[1].author_agent_id == cast.agent.id
    r = post(c, path, {"status": "open", "priority": "high", "assignee": str(cast.agent.id),
                       "team": str(cast.support_team), "tags": "vip, Billing"})
    assert r.status_code == 303
    t = ticket(rt, number)
    assert (t.status, t.priority, t.assignee_id, t.team_id) == (
        "open", "high", cast.agent.id, cast.support_team)
    assert t.tags == ["billing", "vip"]
    page = c.get(path).text
    assert "Carrier is slow this week." in page
    assert "Assignee: <del>Unassigned</del> → <ins>Alex Agent</ins>" in page
    # Through the API the same state shows.
    api = client.get(f"/api/v1/tickets/{t.id}", headers=cast.agent.headers).json()
    assert api["status"] == "open" and api["priority"] == "high"


def test_form_errors_keep_the_typed_text(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = make_ticket(rt, cast.carla, "Needs a field")
    with rt.db.write() as s:
        s.add(CustomField(key="order_no", label="Order number", type="text",
                          required_to_solve=True))
    c = sign_in(client, cast.agent)
    r = post(c, f"/agent/tickets/{number}/messages",
             {"body": "Solved, I think.", "visibility": "public", "status": "solved"})
    assert r.status_code == 422
    assert "Fill in Order number" in r.text
    assert ">Solved, I think.</textarea>" in r.text
    assert len(ticket(rt, number).messages) == 1  # nothing half-saved
    r = post(c, f"/agent/tickets/{number}", {"status": "open", "priority": "normal",
                                             "assignee": "none", "team": "none", "tags": "",
                                             "cf_order_no": "A-17"})
    assert r.status_code == 303
    assert ticket(rt, number).custom_fields == {"order_no": "A-17"}
    r = post(c, f"/agent/tickets/{number}", {"status": "open", "priority": "normal",
                                             "assignee": "none", "team": "none",
                                             "tags": "not a valid tag!"})
    assert r.status_code == 422 and "not a valid tag" in r.text


def test_light_agent_writes_notes_only(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = make_ticket(rt, cast.carla, "Question")
    c = sign_in(client, cast.light)
    page = c.get(f"/agent/tickets/{number}").text
    assert 'value="public"' not in page and 'name="visibility" value="internal"' in page
    r = post(c, f"/agent/tickets/{number}/messages",
             {"body": "Sneaky public reply", "visibility": "public"})
    assert r.status_code == 403
    assert "Sneaky public reply</textarea>" in r.text
    assert len(ticket(rt, number).messages) == 1
    r = post(c, f"/agent/tickets/{number}/messages",
             {"body": "Just a note", "visibility": "internal"})
    assert r.status_code == 303
    assert [m.visibility for m in ticket(rt, number).messages] == ["public", "internal"]
    r = post(c, f"/agent/tickets/{number}", {"priority": "urgent"})
    assert r.status_code == 403
    assert ticket(rt, number).priority == "normal"


def test_merge_closes_the_source_and_shows_a_banner(client: TestClient, rt: Runtime,
                                                    cast: Cast) -> None:
    source = make_ticket(rt, cast.carla, "Duplicate")
    target = make_ticket(rt, cast.carla, "Original")
    c = sign_in(client, cast.agent)
    r = post(c, f"/agent/tickets/{source}/merge", {"target": f"#{target}"})
    assert r.status_code == 303 and r.headers["location"] == f"/agent/tickets/{target}"
    s, t = ticket(rt, source), ticket(rt, target)
    assert s.status == "closed" and s.merged_into_id == t.id
    assert "Body of Duplicate" in [m.body_text for m in t.messages]
    page = c.get(f"/agent/tickets/{source}").text
    assert f'merged into <a href="/agent/tickets/{target}">' in page
    assert 'id="composer"' not in page
    r = post(c, f"/agent/tickets/{target}/merge", {"target": str(target)})
    assert r.status_code == 422 and "cannot be merged into itself" in r.text


# --- bulk, saved views ---------------------------------------------------------------------------


def test_bulk_update_reports_each_failure(client: TestClient, rt: Runtime, cast: Cast) -> None:
    a = make_ticket(rt, cast.carla, "A")
    b = make_ticket(rt, cast.carla, "B")
    closed = make_ticket(rt, cast.carla, "Old", status="closed")
    ids = [ticket(rt, n).id for n in (a, b, closed)]
    c = sign_in(client, cast.agent)
    r = post(c, "/agent/tickets/bulk", {"ids": [str(i) for i in ids[:2]], "priority": "urgent",
                                        "add_tag": "batch", "back": "/agent?view=all"})
    assert r.status_code == 303
    assert r.headers["location"] == "/agent?view=all&bulk=ok:2"
    assert "Updated 2 tickets." in c.get(r.headers["location"]).text
    assert [(ticket(rt, n).priority, ticket(rt, n).tags) for n in (a, b)] == [
        ("urgent", ["batch"]), ("urgent", ["batch"])]
    r = post(c, "/agent/tickets/bulk", {"ids": [str(i) for i in ids], "status": "pending",
                                        "back": "/agent?view=all"})
    assert r.status_code == 200
    assert "Updated 2 tickets; 1 could not be updated" in r.text
    link = f'<a href="/agent/tickets/{closed}">#{closed}</a>'
    assert f"{link}: Closed tickets cannot change" in r.text
    assert [ticket(rt, n).status for n in (a, b, closed)] == ["pending", "pending", "closed"]
    r = post(c, "/agent/tickets/bulk", {"ids": str(ids[0]), "back": "https://evil.example/"})
    assert r.status_code == 422 and "Choose what to change" in r.text
    light = sign_in(client, cast.light)
    assert 'id="bulk-form"' not in light.get("/agent?view=all").text
    r = post(light, "/agent/tickets/bulk", {"ids": str(ids[0]), "priority": "low"})
    assert r.status_code == 403 and ticket(rt, a).priority == "urgent"


def test_saved_views_create_use_delete(client: TestClient, rt: Runtime, cast: Cast) -> None:
    high = make_ticket(rt, cast.carla, "Hot", priority="high")
    make_ticket(rt, cast.carla, "Cold", priority="low")
    c = sign_in(client, cast.agent)
    r = post(c, "/agent/views", {"name": "Hot stuff", "status": "unsolved", "priority": "high",
                                 "assignee": "", "team": "", "tag": "", "q": "",
                                 "sort": "-created_at", "back": "/agent?view=all"})
    assert r.status_code == 303
    with rt.db.read() as s:
        view = s.scalars(select(SavedView)).one()
    assert (view.agent_id, view.filters, view.sort) == (
        cast.agent.id, {"status": ["unsolved"], "priority": ["high"]}, "-created_at")
    assert r.headers["location"] == f"/agent?view=saved:{view.id}"
    page = c.get(r.headers["location"]).text
    assert listed(page) == {high}
    assert counts(page)["Hot stuff"] == 1
    # Personal: another agent neither sees nor deletes it; only admins share.
    other = sign_in(client, cast.admin)
    assert "Hot stuff" not in other.get("/agent").text
    assert other.get(f"/agent?view=saved:{view.id}").status_code == 404
    assert post(other, f"/agent/views/{view.id}/delete", {}).status_code == 404
    r = post(c, "/agent/views", {"name": "Everyone", "shared": "1", "back": "/agent"})
    assert r.status_code == 403 and "Only admins" in r.text
    r = post(other, "/agent/views", {"name": "Team-wide", "shared": "1", "status": "unsolved"})
    assert r.status_code == 303
    assert "Team-wide" in c.get("/agent").text
    assert post(c, f"/agent/views/{view.id}/delete", {}).status_code == 303
    with rt.db.read() as s:
        assert [v.name for v in s.scalars(select(SavedView))] == ["Team-wide"]


# --- attachments, search, customers, CSRF ---------------------------------------------------------


def test_attachment_upload_then_download(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = make_ticket(rt, cast.carla, "Screenshot", team=cast.support_team)
    c = sign_in(client, cast.agent)
    r = c.post(f"/agent/tickets/{number}/messages",
               data={"csrf_token": csrf(c), "body": "See attached", "visibility": "internal"},
               files=[("files", ("report.html", b"<script>alert(1)</script>", "text/html")),
                      ("files", ("notes.txt", b"plain", "text/plain"))],
               follow_redirects=False)
    assert r.status_code == 303, r.text
    with rt.db.read() as s:
        rows = list(s.scalars(select(Attachment).order_by(Attachment.id)))
    assert [a.filename for a in rows] == ["report.html", "notes.txt"]
    page = c.get(f"/agent/tickets/{number}").text
    assert f'href="/agent/attachments/{rows[0].id}"' in page
    d = c.get(f"/agent/attachments/{rows[0].id}")
    assert d.status_code == 200
    assert d.content == b"<script>alert(1)</script>"
    assert d.headers["content-disposition"].startswith("attachment;")
    assert d.headers["x-content-type-options"] == "nosniff"
    # A note's file stays hidden from agents who cannot see the ticket.
    assert sign_in(client, cast.partner).get(f"/agent/attachments/{rows[0].id}").status_code == 404
    # A refused file re-renders the form with the message and the typed text.
    r = c.post(f"/agent/tickets/{number}/messages",
               data={"csrf_token": csrf(c), "body": "Run this", "visibility": "internal"},
               files=[("files", ("setup.exe", b"MZ", "application/octet-stream"))],
               follow_redirects=False)
    assert r.status_code == 422
    assert "Files of type .exe are not accepted." in r.text and ">Run this</textarea>" in r.text
    assert len(ticket(rt, number).messages) == 2


def test_search_by_number_redirects(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = make_ticket(rt, cast.carla, "Lost parcel")
    c = sign_in(client, cast.agent)
    for q in (f"%23{number}", str(number), f"+%23{number}+"):
        r = c.get(f"/agent/search?q={q}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/agent/tickets/{number}"
    r = c.get("/agent/search?q=parcel")
    assert r.status_code == 200 and f'href="/agent/tickets/{number}"' in r.text
    r = c.get("/agent/search?q=carla")
    assert f'href="/agent/customers/{cast.carla.id}"' in r.text
    r = c.get("/agent/search?q=4242")
    assert r.status_code == 200 and "No tickets match" in r.text


def test_customer_profile_edit(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = make_ticket(rt, cast.carla, "Her ticket")
    c = sign_in(client, cast.agent)
    path = f"/agent/customers/{cast.carla.id}"
    page = c.get(path).text
    assert "carla@example.com" in page and f'href="/agent/tickets/{number}"' in page
    form = {"name": "Carla C. Customer", "tier": "premium", "locale": "de",
            "time_zone": "Europe/Berlin", "tags": "VIP, early-adopter", "notes": "Call after 5"}
    r = post(c, path, form)
    assert r.status_code == 303 and r.headers["location"] == f"{path}?saved=1"
    with rt.db.read() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        assert (carla.name, carla.tier, carla.locale, carla.time_zone, carla.tags,
                carla.notes) == ("Carla C. Customer", "premium", "de", "Europe/Berlin",
                                 ["vip", "early-adopter"], "Call after 5")
    r = post(c, path, {**form, "time_zone": "Mars/Olympus", "notes": "Kept text"})
    assert r.status_code == 422
    assert "not a time zone" in r.text and "Kept text</textarea>" in r.text
    r = post(c, path, {**form, "tier": "platinum"})
    assert r.status_code == 422
    assert "customers" in c.get("/agent/customers?q=carla").text.lower()
    light = sign_in(client, cast.light)
    assert 'action="' + path + '"' not in light.get(path).text
    assert post(light, path, {**form, "name": "Hacked"}).status_code == 403
    with rt.db.read() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None and carla.name == "Carla C. Customer"


def test_customer_list_pages(client: TestClient, rt: Runtime, cast: Cast) -> None:
    c = sign_in(client, cast.agent)
    page = c.get("/agent/customers").text
    assert "Carla Customer" in page and "Dan Other" in page
    page = c.get("/agent/customers?q=dan").text
    assert "Dan Other" in page and "Carla Customer" not in page


def test_posts_without_csrf_are_refused(client: TestClient, rt: Runtime, cast: Cast) -> None:
    number = make_ticket(rt, cast.carla, "Forged")
    c = sign_in(client, cast.agent)
    for path, data in [(f"/agent/tickets/{number}/messages", {"body": "forged"}),
                       (f"/agent/tickets/{number}", {"priority": "urgent"}),
                       ("/agent/views", {"name": "forged"}),
                       (f"/agent/customers/{cast.carla.id}", {"name": "forged"})]:
        r = c.post(path, data=data, follow_redirects=False)
        assert r.status_code == 403, path
        r = c.post(path, data={**data, "csrf_token": "wrong"}, follow_redirects=False)
        assert r.status_code == 403, path
    t = ticket(rt, number)
    assert len(t.messages) == 1 and t.priority == "normal"


def test_pages_carry_the_shortcuts_script_and_dialog(client: TestClient, cast: Cast) -> None:
    html = sign_in(client, cast.agent).get("/agent").text
    assert '<script src="/static/agent.js" defer></script>' in html
    assert '<dialog id="shortcuts"' in html
    assert " onclick=" not in html and " style=" not in html
    assert client.get("/static/agent.js").status_code == 200


def test_message_not_deleted_is_kept_after_error_for_notes(client: TestClient, rt: Runtime,
                                                          cast: Cast) -> None:
    number = make_ticket(rt, cast.carla, "Closed one", status="closed")
    c = sign_in(client, cast.agent)
    page = c.get(f"/agent/tickets/{number}").text
    assert 'id="composer"' not in page and "This ticket is closed" in page
    r = post(c, f"/agent/tickets/{number}/messages", {"body": "Late", "visibility": "internal"})
    assert r.status_code in (403, 422)
    with rt.db.read() as s:
        assert s.scalars(select(Message).where(Message.body_text == "Late")).first() is None


def test_out_of_range_ids_are_refused_not_crashing(client: TestClient, cast: Cast) -> None:
    c = sign_in(client, cast.agent)
    huge = 2**70
    for path in (f"/agent/tickets/{huge}", f"/agent/customers/{huge}",
                 f"/agent/attachments/{huge}", "/agent/tickets/0", f"/agent?view=saved:{huge}"):
        assert c.get(path).status_code in (404, 422), path
