"""The mail quarantine pages (admins) and the email parts of the agent's ticket page: quoted
history, the original mail, follow-ups."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tend.access import SYSTEM
from tend.channels.email import intake
from tend.channels.email.intake import Envelope
from tend.channels.email.models import InboundEmail, Inbox
from tend.customers.models import Customer
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets.actions import create_ticket
from tend.tickets.models import Ticket
from tests.channels.email.mailgen import mail
from tests.conftest import Cast
from tests.web.test_admin_pages import sign_in

RELAY = "mx.shop.example"
PIPE = Envelope(source="pipe")
DMARC_FAIL = f"{RELAY}; spf=pass smtp.mailfrom=evil.example; dmarc=fail header.from=example.com"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The relay's Authentication-Results are trusted, so a forged reply is quarantined."""
    return Settings(environment="test", data_dir=tmp_path / "data", database_url=database_url,
                    secret_key="t" * 40, jobs_inline=True, mail_check_sender=False,
                    mail_trusted_authserv_ids=RELAY)


@pytest.fixture
def inbox(rt: Runtime, cast: Cast) -> int:
    with rt.db.write() as s:
        box = Inbox(name="Support", address="support@shop.example", team_id=cast.support_team)
        s.add(box)
        s.flush()
        return box.id


def row(rt: Runtime, inbound_id: int) -> InboundEmail:
    with rt.db.read() as s:
        found = s.get(InboundEmail, inbound_id)
        assert found is not None
        return found


def ticket_number(rt: Runtime, ticket_id: int | None) -> int:
    with rt.db.read() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        return t.number


def forged_reply(rt: Runtime) -> int:
    """A reply to Carla's ticket whose sender failed DMARC: it waits in the quarantine."""
    intake.receive(rt, mail(message_id="<carla-1@example.com>"), PIPE)
    got = intake.receive(rt, mail(
        subject="Re: My order has not arrived <script>alert(1)</script>",
        body="Please send the refund to my new account.", references=["<carla-1@example.com>"],
        headers={"Authentication-Results": DMARC_FAIL}), PIPE)
    assert got.status == "quarantined"
    return got.inbound_id


def test_the_list_shows_quarantined_mail_first_and_filters_by_status(
        client: TestClient, cast: Cast, rt: Runtime, inbox: int) -> None:
    waiting = forged_reply(rt)
    garbage = intake.receive(rt, b"\x00\x01 this is not a mail", PIPE).inbound_id
    sign_in(client, cast.admin.email)
    html = client.get("/admin/mail").text
    assert f'href="/admin/mail/{waiting}"' in html and f'value="{garbage}"' in html
    assert "the sender failed authentication (DMARC)" in html
    assert "cannot parse" in html
    assert "Support" in html  # the inbox
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert re.search(r'aria-current="page">Quarantined <span class="count">2</span>', html)
    processed = client.get("/admin/mail", params={"status": "processed"}).text
    assert f'href="/admin/mail/{waiting}"' not in processed
    assert "My order has not arrived</a>" in processed and "Discard selected" not in processed
    assert client.get("/admin/mail", params={"status": "spam"}).status_code == 422
    assert client.get("/admin/mail", params={"before": "x"}).status_code == 422


def test_the_list_pages_newest_first(client: TestClient, cast: Cast, rt: Runtime) -> None:
    ids = [intake.receive(rt, b"\x00 not a mail %d" % i, PIPE).inbound_id for i in range(52)]
    sign_in(client, cast.admin.email)
    first = client.get("/admin/mail").text
    assert f'value="{ids[-1]}"' in first and f'value="{ids[1]}"' not in first
    older = re.search(r'href="/admin/mail\?status=quarantined&amp;before=(\d+)"', first)
    assert older, "no link to older mail"
    second = client.get("/admin/mail", params={"before": older.group(1)}).text
    assert f'value="{ids[0]}"' in second and f'value="{ids[-1]}"' not in second


def test_detail_shows_escaped_headers_reason_and_the_raw_download(
        client: TestClient, cast: Cast, rt: Runtime, inbox: int) -> None:
    inbound_id = forged_reply(rt)
    sign_in(client, cast.admin.email)
    html = client.get(f"/admin/mail/{inbound_id}").text
    assert "<b>Authentication-Results:</b> " + DMARC_FAIL in html
    assert "<b>Subject:</b> Re: My order has not arrived &lt;script&gt;" in html
    assert "<script>alert" not in html
    assert "the sender failed authentication (DMARC)" in html
    assert "carla@example.com" in html and "Attempts</dt><dd>1</dd>" in html
    for action in ("reprocess", "release", "discard"):
        assert f"/admin/mail/{inbound_id}/{action}" in html or action == "discard"
    assert 'action="/admin/mail/discard"' in html

    r = client.get(f"/admin/mail/{inbound_id}/raw")
    assert r.status_code == 200 and r.content == row(rt, inbound_id).raw
    assert r.headers["content-type"] == "message/rfc822"
    assert r.headers["content-disposition"] == f'attachment; filename="mail-{inbound_id}.eml"'
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/admin/mail/99999").status_code == 404
    assert client.get("/admin/mail/99999/raw").status_code == 404


def test_reprocess_keeps_a_forged_reply_out_and_release_lets_it_in(
        client: TestClient, cast: Cast, rt: Runtime, inbox: int) -> None:
    inbound_id = forged_reply(rt)
    token = sign_in(client, cast.admin.email)
    r = client.post(f"/admin/mail/{inbound_id}/reprocess", data={"csrf_token": token},
                    follow_redirects=False)
    assert r.headers["location"] == f"/admin/mail/{inbound_id}?saved=mail_reprocessed"
    assert (row(rt, inbound_id).status, row(rt, inbound_id).attempts) == ("quarantined", 2)
    assert "the sender failed authentication" in client.get(r.headers["location"]).text

    confirm = client.get(f"/admin/mail/{inbound_id}/release").text
    assert "Release this mail?" in confirm and "forged mail looks exactly like this" in confirm
    assert row(rt, inbound_id).status == "quarantined"  # the confirmation changes nothing
    r = client.post(f"/admin/mail/{inbound_id}/release", data={"csrf_token": token},
                    follow_redirects=False)
    assert r.headers["location"] == f"/admin/mail/{inbound_id}?saved=mail_released"
    done = row(rt, inbound_id)
    assert (done.status, done.outcome) == ("processed", "references")
    page = client.get(r.headers["location"]).text
    number = ticket_number(rt, done.ticket_id)
    assert f'<a href="/agent/tickets/{number}">ticket #{number}</a> (References)' in page
    assert "The mail was released and processed" in page

    again = client.post(f"/admin/mail/{inbound_id}/reprocess", data={"csrf_token": token})
    assert again.status_code == 409 and "not quarantined" in again.text
    assert client.post("/admin/mail/99999/release",
                       data={"csrf_token": token}).status_code == 404


def test_reprocess_after_a_fix_opens_the_ticket(client: TestClient, cast: Cast, rt: Runtime,
                                               inbox: int) -> None:
    stored = intake.store(rt, mail(subject="Stuck order"), PIPE)
    with rt.db.write() as s:
        found = s.get(InboundEmail, stored.inbound_id)
        assert found is not None
        found.status, found.reason = "quarantined", "cannot process: database hiccup"
    token = sign_in(client, cast.admin.email)
    r = client.post(f"/admin/mail/{stored.inbound_id}/reprocess", data={"csrf_token": token})
    assert r.status_code == 200
    number = ticket_number(rt, row(rt, stored.inbound_id).ticket_id)
    assert f"ticket #{number}</a>." in r.text and "The mail was processed again" in r.text


def test_discard_one_or_many(client: TestClient, cast: Cast, rt: Runtime) -> None:
    ids = [intake.receive(rt, b"\x00 junk %d" % i, PIPE).inbound_id for i in range(3)]
    token = sign_in(client, cast.admin.email)
    r = client.post("/admin/mail/discard", data={"csrf_token": token, "ids[]": [str(ids[0])],
                                                 "back": "detail"}, follow_redirects=False)
    assert r.headers["location"] == f"/admin/mail/{ids[0]}?saved=mail_discarded"
    r = client.post("/admin/mail/discard", data={
        "csrf_token": token, "ids[]": [str(ids[0]), str(ids[1]), str(ids[2])]},
        follow_redirects=False)
    assert r.headers["location"] == "/admin/mail?saved=mail_discarded"
    assert [row(rt, i).status for i in ids] == ["discarded"] * 3
    r = client.post("/admin/mail/discard", data={"csrf_token": token}, follow_redirects=False)
    assert r.headers["location"] == "/admin/mail?saved=mail_none"
    assert "No quarantined mail was selected" in client.get(r.headers["location"]).text
    for bad in (["x"], [str(2**70)]):
        r = client.post("/admin/mail/discard", data={"csrf_token": token, "ids[]": bad})
        assert r.status_code == 422, bad
    # Past 200 fields the form itself is refused, before any id is read.
    r = client.post("/admin/mail/discard", data={"csrf_token": token,
                                                 "ids[]": [str(i) for i in range(1, 300)]})
    assert r.status_code == 400


def test_other_roles_cannot_touch_the_quarantine(client: TestClient, cast: Cast,
                                                 rt: Runtime, inbox: int) -> None:
    inbound_id = forged_reply(rt)
    token = sign_in(client, cast.agent.email)
    for path in (f"/admin/mail/{inbound_id}/reprocess", f"/admin/mail/{inbound_id}/release"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403
    r = client.post("/admin/mail/discard", data={"csrf_token": token,
                                                 "ids[]": [str(inbound_id)]})
    assert r.status_code == 403
    assert client.get(f"/admin/mail/{inbound_id}/raw").status_code == 403
    assert row(rt, inbound_id).status == "quarantined"


# --- the agent's ticket page --------------------------------------------------------------------

QUOTED = ("Thanks, that worked.\n\nOn Mon, 20 Nov 2026 at 10:00, Support "
          "<support@shop.example> wrote:\n> Please restart the <router>.\n> Regards")


def emailed_ticket(rt: Runtime) -> tuple[int, int, int]:
    """(ticket number, message id, stored mail id) of a ticket opened by a mail with a quote."""
    got = intake.receive(rt, mail(body=QUOTED), PIPE)
    stored = row(rt, got.inbound_id)
    assert stored.message_id is not None
    return ticket_number(rt, stored.ticket_id), stored.message_id, got.inbound_id


def test_the_ticket_shows_the_quoted_text_collapsed_and_the_original(
        client: TestClient, cast: Cast, rt: Runtime, inbox: int) -> None:
    number, message_id, inbound_id = emailed_ticket(rt)
    sign_in(client, cast.light.email)
    html = client.get(f"/agent/tickets/{number}").text
    quoted = re.search(r'<details class="quoted">\s*<summary>Quoted text</summary>\s*'
                       r"<pre>(.*?)</pre>", html, re.S)
    assert quoted and "Please restart the &lt;router&gt;." in quoted.group(1)
    assert "Thanks, that worked." in html
    assert f'href="/agent/messages/{message_id}/original"' in html
    r = client.get(f"/agent/messages/{message_id}/original")
    assert r.status_code == 200 and r.content == row(rt, inbound_id).raw
    assert r.headers["content-disposition"].startswith("attachment;")
    assert r.headers["x-content-type-options"] == "nosniff"


def test_the_original_is_only_for_those_who_see_the_ticket(
        client: TestClient, cast: Cast, rt: Runtime, inbox: int) -> None:
    number, message_id, _ = emailed_ticket(rt)  # a ticket of the Support team
    sign_in(client, cast.partner.email)  # Returns team only
    assert client.get(f"/agent/messages/{message_id}/original").status_code == 404
    client.cookies.clear()
    sign_in(client, cast.agent.email)
    with rt.db.write() as s:
        t = s.scalar(select(Ticket).where(Ticket.number == number))
        assert t is not None
        first_id = t.messages[0].id
    assert client.get(f"/agent/messages/{first_id}/original").status_code == 200
    assert client.get("/agent/messages/99999/original").status_code == 404
    with rt.db.write() as s:  # a message that did not come by email has no original
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        web = create_ticket(s, SYSTEM, requester=carla, subject="Web", body="Hi")
        web_message = web.messages[0].id
        web_number = web.number
    assert client.get(f"/agent/messages/{web_message}/original").status_code == 404
    assert "/original" not in client.get(f"/agent/tickets/{web_number}").text


def test_a_follow_up_links_to_the_ticket_it_follows(client: TestClient, cast: Cast,
                                                    rt: Runtime) -> None:
    with rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        old = create_ticket(s, SYSTEM, requester=carla, subject="Old order",
                            body="Hi", team_id=cast.support_team)
        new = create_ticket(s, SYSTEM, requester=carla, subject="Again", body="Hi",
                            team_id=cast.returns_team)
        new.follow_up_of_id = old.id
        old_number, new_number = old.number, new.number
    sign_in(client, cast.agent.email)
    html = client.get(f"/agent/tickets/{new_number}").text
    assert (f'Follow-up of <a href="/agent/tickets/{old_number}">#{old_number} Old order</a>'
            in html)
    assert "Follow-up of" not in client.get(f"/agent/tickets/{old_number}").text
    client.cookies.clear()
    sign_in(client, cast.partner.email)  # sees the Returns ticket, not the Support one
    html = client.get(f"/agent/tickets/{new_number}").text
    assert "Follow-up of an earlier ticket you cannot see." in html
    assert f"/agent/tickets/{old_number}" not in html
