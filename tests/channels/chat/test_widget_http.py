"""The widget's HTTP edge: script, config, uploads, signed file links, CORS."""

from __future__ import annotations

from starlette.testclient import TestClient

from tend.access import SYSTEM
from tend.channels.chat import conversations, inboxes, tokens
from tend.channels.chat.models import ChatInbox, ChatVisitor
from tend.runtime import Runtime
from tend.tickets.models import Message
from tests.channels.chat.conftest import go_online
from tests.conftest import Cast


def test_the_script_is_public(client: TestClient) -> None:
    from tend.web.widget import PARTS_DIR, WIDGET_PARTS

    r = client.get("/widget.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.headers["access-control-allow-origin"] == "*"
    # Every part, once, in order, inside one function; plain ASCII whatever the site's charset.
    assert sorted(p.name for p in PARTS_DIR.glob("*.js")) == sorted(WIDGET_PARTS)
    starts = [r.text.index((PARTS_DIR / name).read_text()) for name in WIDGET_PARTS]
    assert starts == sorted(starts) and r.text.startswith("(function () {\n// Tend chat widget")
    assert r.text.endswith("})();\n") and r.text.isascii()
    assert r.text.count('"use strict"') == 1 and "window.TendWidget = api" in r.text
    # Unchanged: not sent again.
    again = client.get("/widget.js", headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_config_needs_an_active_inbox_key(rt: Runtime, cast: Cast, client: TestClient,
                                          chat_inbox: ChatInbox) -> None:
    for bad in ("", "nope", "x" * 40):
        assert client.get("/widget/config", params={"inbox": bad}).status_code == 404
        assert client.get("/widget/demo", params={"inbox": bad}).status_code == 404
    r = client.get("/widget/config", params={"inbox": chat_inbox.key, "locale": "de"})
    assert r.status_code == 200
    config = r.json()
    assert config["greeting"] == "Hello there" and config["topics"] == ["Billing", "Orders"]
    assert config["prechat"] == "optional" and config["locale"] == "de"
    assert config["open"] is False  # nobody is online
    assert set(config["strings"]) >= {"send", "queue_position", "offline_title"}
    assert r.headers["access-control-allow-origin"] == "*"
    go_online(rt, cast.agent.actor)
    assert client.get("/widget/config", params={"inbox": chat_inbox.key}).json()["open"]
    assert client.get("/widget/demo", params={"inbox": chat_inbox.key}).status_code == 200
    # Switched off: gone. Limited to some websites: only those get CORS.
    with rt.db.write() as s:
        inboxes.update_inbox(s, SYSTEM, s.get(ChatInbox, chat_inbox.id),  # type: ignore[arg-type]
                             {"allowed_origins": "https://shop.example"})
    r = client.get("/widget/config", params={"inbox": chat_inbox.key},
                   headers={"origin": "https://shop.example"})
    assert r.headers["access-control-allow-origin"] == "https://shop.example"
    r = client.get("/widget/config", params={"inbox": chat_inbox.key},
                   headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    with rt.db.write() as s:
        inboxes.update_inbox(s, SYSTEM, s.get(ChatInbox, chat_inbox.id), {"active": False})  # type: ignore[arg-type]
    assert client.get("/widget/config", params={"inbox": chat_inbox.key}).status_code == 404


def _conversation(rt: Runtime, inbox: ChatInbox) -> tuple[str, int, int]:
    with rt.db.write() as s:
        visitor = conversations.recognise(s, rt.settings.signing_key(),
                                          s.get(ChatInbox, inbox.id), None, None)  # type: ignore[arg-type]
        ticket, _ = conversations.start(s, s.get(ChatInbox, inbox.id), visitor,  # type: ignore[arg-type]
                                        body="Hello", client_id="c1")
        return (tokens.visitor_token(rt.settings.signing_key(), inbox.key, visitor.id),
                ticket.id, visitor.id)


def test_uploads_need_the_visitors_token(rt: Runtime, cast: Cast, client: TestClient,
                                         chat_inbox: ChatInbox) -> None:
    token, ticket_id, _ = _conversation(rt, chat_inbox)
    other_token, _, _ = _conversation(rt, chat_inbox)

    def upload(tok: str, conv: int, name: str = "receipt.pdf", data: bytes = b"%PDF-1.4 x",
               client_id: str = "u1") -> object:
        return client.post("/widget/uploads", data={
            "inbox": chat_inbox.key, "token": tok, "conversation_id": str(conv),
            "client_id": client_id}, files={"file": (name, data, "application/pdf")})

    r = upload(token, ticket_id)
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    message = r.json()["message"]  # type: ignore[attr-defined]
    assert message["seq"] == 2 and message["attachments"][0]["name"] == "receipt.pdf"
    again = upload(token, ticket_id).json()["message"]  # type: ignore[attr-defined]
    assert again["id"] == message["id"]  # a retried upload is the same message
    assert upload("1.forged", ticket_id).status_code == 401  # type: ignore[attr-defined]
    assert upload(other_token, ticket_id, client_id="u2").status_code == 422  # not theirs
    assert upload(token, ticket_id, "run.exe", client_id="u3").status_code == 422  # type: ignore[attr-defined]
    big = b"x" * (rt.settings.attachment_max_bytes + 1)
    assert upload(token, ticket_id, "big.pdf", big, client_id="u4").status_code == 413  # type: ignore[attr-defined]
    r = client.post("/widget/uploads", data={"inbox": chat_inbox.key, "token": token,
                                             "conversation_id": "x", "client_id": "u5"},
                    files={"file": ("a.txt", b"a", "text/plain")})
    assert r.status_code == 422
    with rt.db.read() as s:
        assert s.query(Message).filter_by(ticket_id=ticket_id).count() == 2


def test_file_links_are_signed(rt: Runtime, cast: Cast, client: TestClient,
                               chat_inbox: ChatInbox) -> None:
    token, ticket_id, _ = _conversation(rt, chat_inbox)
    r = client.post("/widget/uploads", data={
        "inbox": chat_inbox.key, "token": token, "conversation_id": str(ticket_id),
        "client_id": "f1"}, files={"file": ("note.txt", b"hello file", "text/plain")})
    url = r.json()["message"]["attachments"][0]["url"]
    path = url.split("127.0.0.1:8000", 1)[-1]
    got = client.get(path)
    assert got.status_code == 200 and got.content == b"hello file"
    assert got.headers["content-disposition"].startswith("attachment")
    attachment_id = int(path.split("/")[3].split("?")[0])
    assert client.get(f"/widget/files/{attachment_id}?sig=1.forged").status_code == 404
    assert client.get(f"/widget/files/{attachment_id}").status_code == 404
    expired = tokens.file_signature(rt.settings.signing_key(), attachment_id, 1000)
    assert client.get(f"/widget/files/{attachment_id}?sig={expired}").status_code == 404
    other = tokens.file_signature(rt.settings.signing_key(), attachment_id + 1, 2_000_000_000)
    assert client.get(f"/widget/files/{attachment_id + 1}?sig={other}").status_code == 404
    with rt.db.read() as s:
        assert s.get(ChatVisitor, 1) is not None
