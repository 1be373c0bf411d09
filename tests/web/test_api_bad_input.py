"""Bad input on every API endpoint: always a 4xx application/problem+json with a readable
`detail`, never a 5xx.

One line per case. Paths and bodies may use placeholders filled per test: {ticket} (an open
ticket of carla), {closed} (a closed ticket of carla), {dan_ticket}, {customer} (carla),
{org}, {agent}, {team}, {attachment} (on dan's ticket), {huge} (an id past 64 bits), {inbox}
(an inbox with both passwords), {mail} (a quarantined mail), {processed} (a processed mail),
{chat_inbox} (a chat inbox of Support), {chat} (a queued chat of it), {ended_chat}, {offer} (an
offer of {chat} to the agent).
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.testclient import TestClient

from tend.runtime import Runtime
from tests.conftest import Cast
from tests.web.authz import Ctx, World

PROBLEM = "application/problem+json"
LONG = "x" * 300
HUGE_ID = str(2**70)


def b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@dataclass
class Case:
    method: str
    path: str
    status: int
    json: Any = None
    content: bytes | None = None
    ctype: str | None = None
    params: dict[str, Any] | None = None
    files: Any = None
    data: dict[str, Any] | None = None
    who: str = "agent"  # agent, admin, light, partner, customer (carla's session), anonymous,
    # or a raw Authorization header
    detail: str = ""  # a substring the detail must contain
    extra_headers: dict[str, str] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        """The route template the case aims at: /api/v1/tickets/{id}/messages,
        /api/v1/chat/conversations/{id}/accept (chat routes nest one level deeper)."""
        parts = self.path.split("/")
        at = 5 if parts[3] == "chat" else 4
        if len(parts) > at and parts[at] != "bulk":
            parts[at] = "{id}"
        return f"{self.method} {'/'.join(parts)}"


def C(method: str, path: str, status: int, **kw: Any) -> Case:
    return Case(method, "/api/v1" + path, status, **kw)


T = {"subject": "Help", "body": "It broke", "customer": {"email": "new@example.net"}}
M = {"body": "hello"}


def t(**changes: Any) -> dict[str, Any]:
    """A valid ticket body with some fields changed (None deletes... use DROP)."""
    body = {**T, **changes}
    return {k: v for k, v in body.items() if v is not DROP}


DROP = object()


def ci(**changes: Any) -> dict[str, Any]:
    """A valid chat inbox body with some fields changed."""
    return {"name": "Website", **changes}


def ib(**changes: Any) -> dict[str, Any]:
    """A valid inbox body with some fields changed (DROP removes one)."""
    body = {"name": "Sales", "address": "sales@shop.example", **changes}
    return {k: v for k, v in body.items() if v is not DROP}

CASES: list[Case] = [
    # --- POST /tickets ---
    C("POST", "/tickets", 422, json={}, detail="subject: this field is required"),
    C("POST", "/tickets", 422, json=t(subject=DROP), detail="subject"),
    C("POST", "/tickets", 422, json=t(body=DROP), detail="body"),
    C("POST", "/tickets", 422, json=t(customer=DROP), detail="customer"),
    C("POST", "/tickets", 422, json=t(customer=None), detail="customer"),
    C("POST", "/tickets", 422, json=t(subject=5), detail="subject"),
    C("POST", "/tickets", 422, json=t(subject=""), detail="subject"),
    C("POST", "/tickets", 422, json=t(subject="   "), detail="subject"),
    C("POST", "/tickets", 422, json=t(subject="s" * 251), detail="subject"),
    C("POST", "/tickets", 422, json=t(body="   "), detail="empty"),
    C("POST", "/tickets", 422, json=t(body="b" * 65_537), detail="body"),
    C("POST", "/tickets", 422, json=t(body=None), detail="body"),
    C("POST", "/tickets", 422, json=t(priority="meh"), detail="priority"),
    C("POST", "/tickets", 422, json=t(priority=None), detail="priority"),
    C("POST", "/tickets", 422, json=t(channel="E-Mail!"), detail="channel"),
    C("POST", "/tickets", 422, json=t(tags="vip"), detail="tags"),
    C("POST", "/tickets", 422, json=t(tags=[1]), detail="tags"),
    C("POST", "/tickets", 422, json=t(tags=["no/slash"]), detail="not a valid tag"),
    C("POST", "/tickets", 422, json=t(tags=[f"t{i}" for i in range(51)]), detail="tags"),
    C("POST", "/tickets", 422, json=t(team_id="support"), detail="team_id"),
    C("POST", "/tickets", 404, json=t(team_id=9999), detail="Team 9999"),
    C("POST", "/tickets", 404, json=t(assignee_id=9999), detail="Agent 9999"),
    C("POST", "/tickets", 422, json=t(team_id=int(HUGE_ID)), detail="out of range"),
    C("POST", "/tickets", 422, json=t(custom_fields={"nope": 1}), detail="nope"),
    C("POST", "/tickets", 422, json=t(custom_fields=[1]), detail="custom_fields"),
    C("POST", "/tickets", 422, json=t(owner="me"), detail="owner: unknown field"),
    C("POST", "/tickets", 422, json=t(customer={"email": "not-an-email"}), detail="email"),
    C("POST", "/tickets", 422, json=t(customer={"email": "a@b"}), detail="email"),
    C("POST", "/tickets", 422, json=t(customer={"email": f"{LONG}@example.com"}),
      detail="email"),
    C("POST", "/tickets", 422, json=t(customer={"email": "n@x.com", "name": LONG}),
      detail="name"),
    C("POST", "/tickets", 422, json=t(customer={"email": "n@x.com", "role": "admin"}),
      detail="unknown field"),
    C("POST", "/tickets", 422, json=[T], detail="object"),
    C("POST", "/tickets", 422, json="hello"),
    C("POST", "/tickets", 422, content=b'{"subject": "x",', ctype="application/json",
      detail="not valid JSON"),
    C("POST", "/tickets", 422, content=b"\xff\xfe\x00garbage", ctype="application/json"),
    C("POST", "/tickets", 415, content=b"subject=x&body=y",
      ctype="application/x-www-form-urlencoded", detail="application/json"),
    C("POST", "/tickets", 415, content=json.dumps(T).encode(), ctype="text/plain",
      detail="application/json"),
    C("POST", "/tickets", 415, content=json.dumps(T).encode(), ctype="", detail="nothing"),
    C("POST", "/tickets", 413, content=b"{" + b" " * (1024 * 1024 + 10) + b"}",
      ctype="application/json", detail="over the limit"),
    C("POST", "/tickets", 403, json=t(team_id=1), who="customer", detail="team"),
    C("POST", "/tickets", 401, json=T, who="anonymous"),
    C("POST", "/tickets", 401, json=T, who="Bearer nope", detail="not valid"),
    C("POST", "/tickets", 401, json=T, who="Basic dXNlcjpwdw==", detail="Bearer"),
    C("POST", "/tickets", 401, json=T, who="Bearer ", detail="Bearer"),
    # --- GET /tickets ---
    C("GET", "/tickets", 400, params={"status": "bogus"}, detail="Unknown status"),
    C("GET", "/tickets", 400, params={"priority": "meh"}, detail="Unknown priority"),
    C("GET", "/tickets", 400, params={"sort": "subject"}, detail="Unknown sort"),
    C("GET", "/tickets", 400, params={"sort": "-"}, detail="Unknown sort"),
    C("GET", "/tickets", 400, params={"assignee": "bob"}, detail="assignee"),
    C("GET", "/tickets", 400, params={"team": "blue"}, detail="team"),
    C("GET", "/tickets", 422, params={"customer": "carla"}, detail="customer"),
    C("GET", "/tickets", 422, params={"customer": HUGE_ID}, detail="out of range"),
    C("GET", "/tickets", 422, params={"organization": "x"}, detail="organization"),
    C("GET", "/tickets", 422, params={"updated_since": "yesterday"}, detail="updated_since"),
    C("GET", "/tickets", 400, params={"updated_since": "2026-01-01T00:00:00"},
      detail="time zone"),
    C("GET", "/tickets", 422, params={"limit": 0}, detail="limit"),
    C("GET", "/tickets", 422, params={"limit": -5}, detail="limit"),
    C("GET", "/tickets", 422, params={"limit": 101}, detail="limit"),
    C("GET", "/tickets", 422, params={"limit": "ten"}, detail="limit"),
    C("GET", "/tickets", 422, params={"q": "q" * 201}, detail="q"),
    C("GET", "/tickets", 422, params={"tag": "t" * 61}, detail="tag"),
    C("GET", "/tickets", 400, params={"cursor": "garbage!"}, detail="cursor"),
    C("GET", "/tickets", 400, params={"cursor": b64({"a": 1})}, detail="cursor"),
    C("GET", "/tickets", 400, params={"cursor": b64("abc")}, detail="cursor"),
    C("GET", "/tickets", 400, params={"cursor": b64(["-updated_at", "noon", 1])},
      detail="cursor"),
    C("GET", "/tickets", 400, params={"cursor": b64(["-updated_at", None, 1])}, detail="cursor"),
    C("GET", "/tickets", 400, params={"cursor": b64(["-updated_at", "2026-01-01T00:00:00", 1])},
      detail="cursor"),
    C("GET", "/tickets", 400, params={"cursor": b64(["-updated_at", "0001-01-01T00:00+01:00",
                                                      1])}, detail="cursor"),
    C("GET", "/tickets", 400, params={"updated_since": "0001-01-01T00:00:00+01:00"},
      detail="out of range"),
    C("GET", "/tickets", 400, params={"cursor": b64(["number", 1, "x"])}, detail="cursor"),
    C("GET", "/tickets", 400, params={"sort": "number", "cursor": b64(["number", 2**70, 1])},
      detail="cursor"),
    C("GET", "/tickets", 400, params={"sort": "number", "cursor": b64(["number", 1, 2**70])},
      detail="cursor"),
    C("GET", "/tickets", 400, params={"sort": "number", "cursor": b64(["number", True, 1])},
      detail="cursor"),
    C("GET", "/tickets", 400, params={"sort": "number", "cursor": b64(["-updated_at", 1, 1])},
      detail="sort"),
    C("GET", "/tickets", 422, params={"cursor": "c" * 501}, detail="cursor"),
    C("GET", "/tickets", 401, who="anonymous"),
    # --- GET/PATCH /tickets/{id} ---
    C("GET", "/tickets/99999", 404, detail="Ticket 99999 was not found"),
    C("GET", "/tickets/abc", 422, detail="ticket_id"),
    C("GET", "/tickets/{huge}", 422),
    C("GET", "/tickets/-1", 404),
    C("GET", "/tickets/{dan_ticket}", 404, who="customer"),
    C("PATCH", "/tickets/99999", 404, json={"priority": "high"}),
    C("PATCH", "/tickets/{huge}", 422, json={"priority": "high"}),
    C("PATCH", "/tickets/{ticket}", 422, json={"status": "bogus"}, detail="status"),
    C("PATCH", "/tickets/{ticket}", 422, json={"status": "new"}, detail="back to 'new'"),
    C("PATCH", "/tickets/{ticket}", 422, json={"status": "closed"}, detail="solve it first"),
    C("PATCH", "/tickets/{ticket}", 422, json={"status": None}, detail="status"),
    C("PATCH", "/tickets/{ticket}", 422, json={"priority": None}, detail="priority"),
    C("PATCH", "/tickets/{ticket}", 422, json={"priority": "HIGH"}, detail="priority"),
    C("PATCH", "/tickets/{ticket}", 422, json={"subject": None}, detail="subject"),
    C("PATCH", "/tickets/{ticket}", 422, json={"subject": "s" * 251}, detail="subject"),
    C("PATCH", "/tickets/{ticket}", 422, json={"tags": None}, detail="tags"),
    C("PATCH", "/tickets/{ticket}", 422, json={"tags": "a,b"}, detail="tags"),
    C("PATCH", "/tickets/{ticket}", 422, json={"add_tags": ["white space/slash"]},
      detail="tag"),
    C("PATCH", "/tickets/{ticket}", 422, json={"owner": 1}, detail="unknown field"),
    C("PATCH", "/tickets/{ticket}", 422, json={"id": 5}, detail="unknown field"),
    C("PATCH", "/tickets/{ticket}", 422, json={"custom_fields": {"nope": 1}}, detail="nope"),
    C("PATCH", "/tickets/{ticket}", 404, json={"team_id": 9999}, detail="Team 9999"),
    C("PATCH", "/tickets/{ticket}", 404, json={"assignee_id": 9999}, detail="Agent 9999"),
    C("PATCH", "/tickets/{ticket}", 422, json={"assignee_id": "me"}, detail="assignee_id"),
    C("PATCH", "/tickets/{ticket}", 403, json={"assignee_id": "{light}"}, detail="Light"),
    C("PATCH", "/tickets/{ticket}", 422, json=["priority"]),
    C("PATCH", "/tickets/{ticket}", 422, content=b"{nope", ctype="application/json",
      detail="not valid JSON"),
    C("PATCH", "/tickets/{closed}", 422, json={"priority": "low"}, detail="Closed"),
    C("PATCH", "/tickets/{ticket}", 403, json={"priority": "low"}, who="customer"),
    C("PATCH", "/tickets/{dan_ticket}", 403, json={"priority": "low"}, who="customer"),
    # --- messages ---
    C("GET", "/tickets/99999/messages", 404),
    C("GET", "/tickets/{dan_ticket}/messages", 404, who="customer"),
    C("POST", "/tickets/{ticket}/messages", 422, json={}, detail="body: this field is required"),
    C("POST", "/tickets/{ticket}/messages", 422, json={"body": ""}, detail="body"),
    C("POST", "/tickets/{ticket}/messages", 422, json={"body": " \n "}, detail="empty"),
    C("POST", "/tickets/{ticket}/messages", 422, json={"body": None}, detail="body"),
    C("POST", "/tickets/{ticket}/messages", 422, json={"body": 42}, detail="body"),
    C("POST", "/tickets/{ticket}/messages", 422, json={"body": "b" * 65_537}, detail="body"),
    C("POST", "/tickets/{ticket}/messages", 422, json={**M, "visibility": "secret"},
      detail="visibility"),
    C("POST", "/tickets/{ticket}/messages", 422, json={**M, "status": "bogus"},
      detail="status"),
    C("POST", "/tickets/{ticket}/messages", 422, json={**M, "status": "new"},
      detail="back to 'new'"),
    C("POST", "/tickets/{ticket}/messages", 422, json={**M, "cc": ["x@y.z"]},
      detail="unknown field"),
    C("POST", "/tickets/{ticket}/messages", 422, json=[M]),
    C("POST", "/tickets/{ticket}/messages", 422, json=None, content=b"null",
      ctype="application/json"),
    C("POST", "/tickets/{ticket}/messages", 422, content=b"{body: hi}",
      ctype="application/json", detail="not valid JSON"),
    C("POST", "/tickets/{ticket}/messages", 422, content=b'"\xff"', ctype="application/json"),
    C("POST", "/tickets/{ticket}/messages", 415, content=b"hello", ctype="text/plain"),
    C("POST", "/tickets/{ticket}/messages", 415, content=b"body=hi",
      ctype="application/x-www-form-urlencoded"),
    C("POST", "/tickets/{ticket}/messages", 413, content=b'{"body": "' + b"x" * (1024 * 1024)
      + b'"}', ctype="application/json"),
    C("POST", "/tickets/{ticket}/messages", 422, data={"visibility": "public"},
      files=[("files", ("a.txt", b"hi", "text/plain"))], detail="body"),
    C("POST", "/tickets/{ticket}/messages", 422, data=M,
      files=[("files", ("empty.txt", b"", "text/plain"))], detail="empty"),
    C("POST", "/tickets/{ticket}/messages", 422, data=M,
      files=[("files", ("run.exe", b"MZ", "application/octet-stream"))], detail=".exe"),
    C("POST", "/tickets/{ticket}/messages", 400, data=M,
      files=[("files", (f"f{i}.txt", b"x", "text/plain")) for i in range(21)]),
    C("POST", "/tickets/99999/messages", 404, json=M),
    C("POST", "/tickets/{huge}/messages", 422, json=M),
    C("POST", "/tickets/{closed}/messages", 422, json=M, detail="closed"),
    C("POST", "/tickets/{dan_ticket}/messages", 404, json=M, who="customer"),
    C("POST", "/tickets/{ticket}/messages", 403, json={**M, "visibility": "internal"},
      who="customer"),
    C("POST", "/tickets/{ticket}/messages", 403, json={**M, "status": "solved"}, who="customer"),
    C("POST", "/tickets/{ticket}/messages", 403, json=M, who="customer-no-csrf"),
    # --- merge ---
    C("POST", "/tickets/{ticket}/merge", 422, json={}, detail="target_id"),
    C("POST", "/tickets/{ticket}/merge", 422, json={"target_id": "next"}, detail="target_id"),
    C("POST", "/tickets/{ticket}/merge", 422, json={"target_id": None}, detail="target_id"),
    C("POST", "/tickets/{ticket}/merge", 404, json={"target_id": 99999}, detail="99999"),
    C("POST", "/tickets/{ticket}/merge", 422, json={"target_id": int(HUGE_ID)},
      detail="out of range"),
    C("POST", "/tickets/{ticket}/merge", 422, json={"target_id": "{ticket}"}, detail="itself"),
    C("POST", "/tickets/{ticket}/merge", 422, json={"target_id": "{closed}"}, detail="Closed"),
    C("POST", "/tickets/{ticket}/merge", 422, json={"target_id": 1, "force": True},
      detail="unknown field"),
    C("POST", "/tickets/99999/merge", 404, json={"target_id": "{ticket}"}),
    # --- bulk ---
    C("POST", "/tickets/bulk", 422, json={}, detail="ids"),
    C("POST", "/tickets/bulk", 422, json={"ids": [], "changes": {}}, detail="ids"),
    C("POST", "/tickets/bulk", 422, json={"ids": list(range(101)), "changes": {}},
      detail="ids"),
    C("POST", "/tickets/bulk", 422, json={"ids": ["a"], "changes": {}}, detail="ids"),
    C("POST", "/tickets/bulk", 422, json={"ids": [1]}, detail="changes"),
    C("POST", "/tickets/bulk", 422, json={"ids": [1], "changes": {"status": "bogus"}},
      detail="status"),
    C("POST", "/tickets/bulk", 422, json={"ids": [1], "changes": {"subject": None}},
      detail="subject"),
    C("POST", "/tickets/bulk", 422, json={"ids": [1], "changes": {"nope": 1}},
      detail="unknown field"),
    C("POST", "/tickets/bulk", 422, json={"ids": [1], "changes": {}, "dry_run": True},
      detail="unknown field"),
    # --- attachments ---
    C("GET", "/attachments/99999", 404),
    C("GET", "/attachments/abc", 422),
    C("GET", "/attachments/{huge}", 422),
    C("GET", "/attachments/{attachment}", 404, who="customer"),
    # --- customers ---
    C("POST", "/customers", 422, json={}, detail="name"),
    C("POST", "/customers", 422, json={"name": " "}, detail="name"),
    C("POST", "/customers", 422, json={"name": "n" * 201}, detail="name"),
    C("POST", "/customers", 422, json={"name": "N", "email": "nope"}, detail="email"),
    C("POST", "/customers", 422, json={"name": "N", "phone": "call me"}, detail="phone"),
    C("POST", "/customers", 422, json={"name": "N", "identities": [{"channel": "Chat!",
                                                                   "address": "x"}]},
      detail="channel"),
    C("POST", "/customers", 422, json={"name": "N", "identities": [{"channel": "email",
                                                                   "address": "bad"}]},
      detail="email"),
    C("POST", "/customers", 422, json={"name": "N", "tier": "gold"}, detail="tier"),
    C("POST", "/customers", 422, json={"name": "N", "locale": "english"}, detail="locale"),
    C("POST", "/customers", 422, json={"name": "N", "tags": "vip"}, detail="tags"),
    C("POST", "/customers", 422, json={"name": "N", "attributes": [1]}, detail="attributes"),
    C("POST", "/customers", 422, json={"name": "N", "notes": "n" * 10_001}, detail="notes"),
    C("POST", "/customers", 422, json={"name": "N", "password": "x"}, detail="unknown field"),
    C("POST", "/customers", 404, json={"name": "N", "organization_id": 9999},
      detail="Organization 9999"),
    C("POST", "/customers", 409, json={"name": "N", "email": "carla@example.com"},
      detail="already exists"),
    C("POST", "/customers", 403, json={"name": "N"}, who="customer"),
    C("GET", "/customers", 400, params={"cursor": "!!"}, detail="cursor"),
    C("GET", "/customers", 400, params={"cursor": b64(["id", "x"])}, detail="cursor"),
    C("GET", "/customers", 400, params={"cursor": b64(["id", 2**70])}, detail="cursor"),
    C("GET", "/customers", 422, params={"limit": 0}, detail="limit"),
    C("GET", "/customers", 422, params={"organization": "acme"}, detail="organization"),
    C("GET", "/customers", 422, params={"q": "q" * 201}, detail="q"),
    C("GET", "/customers/99999", 404),
    C("GET", "/customers/{huge}", 422),
    C("PATCH", "/customers/99999", 404, json={"notes": "x"}),
    C("PATCH", "/customers/{customer}", 422, json={"name": None}, detail="name"),
    C("PATCH", "/customers/{customer}", 422, json={"tier": None}, detail="tier"),
    C("PATCH", "/customers/{customer}", 422, json={"tier": "gold"}, detail="tier"),
    C("PATCH", "/customers/{customer}", 422, json={"tags": None}, detail="tags"),
    C("PATCH", "/customers/{customer}", 422, json={"email": "x@y.z"}, detail="unknown field"),
    C("PATCH", "/customers/{customer}", 404, json={"organization_id": 9999},
      detail="Organization 9999"),
    # --- organizations ---
    C("POST", "/organizations", 422, json={}, detail="name"),
    C("POST", "/organizations", 422, json={"name": "A", "domains": "acme.example"},
      detail="domains"),
    C("POST", "/organizations", 422, json={"name": "A", "domains": ["not a domain"]},
      detail="domain"),
    C("POST", "/organizations", 422, json={"name": "A", "domains": ["d" * 254]},
      detail="domains"),
    C("POST", "/organizations", 422, json={"name": "A", "website": "x"}, detail="unknown field"),
    C("GET", "/organizations", 400, params={"cursor": "%%%"}, detail="cursor"),
    C("GET", "/organizations", 422, params={"limit": -1}, detail="limit"),
    C("GET", "/organizations/99999", 404),
    C("GET", "/organizations/{huge}", 422),
    C("PATCH", "/organizations/99999", 404, json={"notes": "x"}),
    C("PATCH", "/organizations/{org}", 422, json={"name": None}, detail="name"),
    C("PATCH", "/organizations/{org}", 422, json={"domains": ["-bad-"]}, detail="domain"),
    # --- agents (as admin) ---
    C("POST", "/agents", 422, json={"name": "N"}, who="admin", detail="email"),
    C("POST", "/agents", 422, json={"email": "bad", "name": "N"}, who="admin", detail="email"),
    C("POST", "/agents", 422, json={"email": "n@t.example", "name": "N", "role": "owner"},
      who="admin", detail="role"),
    C("POST", "/agents", 422, json={"email": "n@t.example", "name": "N", "password": "short"},
      who="admin", detail="password"),
    C("POST", "/agents", 409, json={"email": "n@t.example", "name": "N",
                                    "password": "1111111111"}, who="admin", detail="guess"),
    C("POST", "/agents", 409, json={"email": "n@t.example", "name": "N", "team_ids": [9999]},
      who="admin", detail="9999"),
    C("POST", "/agents", 409, json={"email": "alex@tend.example", "name": "N"}, who="admin",
      detail="already exists"),
    C("POST", "/agents", 422, json={"email": "n@t.example", "name": "N", "is_admin": True},
      who="admin", detail="unknown field"),
    C("GET", "/agents", 422, params={"active": "maybe"}, detail="active"),
    C("GET", "/agents/99999", 404),
    C("GET", "/agents/{huge}", 422),
    C("PATCH", "/agents/99999", 404, json={"name": "x"}, who="admin"),
    C("PATCH", "/agents/{agent}", 422, json={"name": None}, who="admin", detail="name"),
    C("PATCH", "/agents/{agent}", 422, json={"role": "boss"}, who="admin", detail="role"),
    C("PATCH", "/agents/{agent}", 422, json={"is_active": "sometimes"}, who="admin",
      detail="is_active"),
    C("PATCH", "/agents/{agent}", 422, json={"signature": "s" * 2001}, who="admin",
      detail="signature"),
    # --- teams (as admin) ---
    C("POST", "/teams", 422, json={}, who="admin", detail="name"),
    C("POST", "/teams", 422, json={"name": "t" * 101}, who="admin", detail="name"),
    C("POST", "/teams", 409, json={"name": "Support"}, who="admin", detail="already exists"),
    C("POST", "/teams", 409, json={"name": "New", "member_ids": [9999]}, who="admin",
      detail="not agents"),
    C("POST", "/teams", 422, json={"name": "New", "member_ids": "all"}, who="admin",
      detail="member_ids"),
    C("GET", "/teams/99999", 404),
    C("GET", "/teams/{huge}", 422),
    C("PATCH", "/teams/99999", 404, json={"name": "x"}, who="admin"),
    C("PATCH", "/teams/{team}", 422, json={"name": None}, who="admin", detail="name"),
    C("PATCH", "/teams/{team}", 422, json={"name": ""}, who="admin", detail="name"),
    # --- email inboxes (as admin) ---
    C("POST", "/inboxes", 422, json={}, who="admin", detail="name"),
    C("POST", "/inboxes", 422, json=ib(address=DROP), who="admin", detail="address"),
    C("POST", "/inboxes", 422, json=ib(address="not-an-email"), who="admin", detail="address"),
    C("POST", "/inboxes", 422, json=ib(address=f"{LONG}@example.com"), who="admin",
      detail="address"),
    C("POST", "/inboxes", 422, json=ib(name="n" * 101), who="admin", detail="name"),
    C("POST", "/inboxes", 422, json=ib(name="   "), who="admin", detail="name"),
    C("POST", "/inboxes", 422, json=ib(from_name=LONG), who="admin", detail="from_name"),
    C("POST", "/inboxes", 422, json=ib(smtp_port=0), who="admin", detail="smtp_port"),
    C("POST", "/inboxes", 422, json=ib(smtp_port=65536), who="admin", detail="smtp_port"),
    C("POST", "/inboxes", 422, json=ib(imap_port="imaps"), who="admin", detail="imap_port"),
    C("POST", "/inboxes", 422, json=ib(smtp_security="ssl"), who="admin",
      detail="smtp_security"),
    C("POST", "/inboxes", 422, json=ib(imap_security=None), who="admin",
      detail="imap_security"),
    C("POST", "/inboxes", 422, json=ib(team_id=9999), who="admin", detail="unknown team"),
    C("POST", "/inboxes", 422, json=ib(team_id=int(HUGE_ID)), who="admin", detail="team_id"),
    C("POST", "/inboxes", 422, json=ib(team_id="support"), who="admin", detail="team_id"),
    C("POST", "/inboxes", 422, json=ib(smtp_host="not a host!"), who="admin",
      detail="host name"),
    C("POST", "/inboxes", 422, json=ib(smtp_host="h" * 254), who="admin", detail="smtp_host"),
    C("POST", "/inboxes", 422, json=ib(smtp_password=""), who="admin", detail="smtp_password"),
    C("POST", "/inboxes", 422, json=ib(smtp_password="p" * 1001), who="admin",
      detail="smtp_password"),
    C("POST", "/inboxes", 422, json=ib(imap_password="a\r\nA1 LOGOUT"), who="admin",
      detail="line breaks"),
    C("POST", "/inboxes", 422, json=ib(imap_host="imap.shop.example"), who="admin",
      detail="IMAP user name"),
    C("POST", "/inboxes", 422, json=ib(imap_folder=""), who="admin", detail="imap_folder"),
    C("POST", "/inboxes", 422, json=ib(password="x"), who="admin", detail="unknown field"),
    C("POST", "/inboxes", 409, json=ib(address="MATRIX@shop.example"), who="admin",
      detail="already uses"),
    C("POST", "/inboxes", 403, json=ib()),
    C("GET", "/inboxes/99999", 404, who="admin"),
    C("GET", "/inboxes/{huge}", 422, who="admin"),
    C("PATCH", "/inboxes/99999", 404, json={"name": "x"}, who="admin"),
    C("PATCH", "/inboxes/{huge}", 422, json={"name": "x"}, who="admin"),
    C("PATCH", "/inboxes/{inbox}", 422, json={"name": None}, who="admin", detail="name"),
    C("PATCH", "/inboxes/{inbox}", 422, json={"address": "bad"}, who="admin",
      detail="address"),
    C("PATCH", "/inboxes/{inbox}", 422, json={"smtp_port": -1}, who="admin",
      detail="smtp_port"),
    C("PATCH", "/inboxes/{inbox}", 422, json={"imap_security": "ssl"}, who="admin",
      detail="imap_security"),
    C("PATCH", "/inboxes/{inbox}", 422, json={"team_id": 9999}, who="admin",
      detail="unknown team"),
    C("PATCH", "/inboxes/{inbox}", 422, json={"imap_username": None}, who="admin",
      detail="IMAP user name"),
    C("PATCH", "/inboxes/{inbox}", 422, json={"active": None}, who="admin", detail="active"),
    C("PATCH", "/inboxes/{inbox}", 422, json={"smtp_password": ""}, who="admin",
      detail="smtp_password"),
    C("PATCH", "/inboxes/{inbox}", 403, json={"name": "Mine now"}),
    # --- stored mail (as admin) ---
    C("GET", "/mail", 422, params={"status": "spam"}, who="admin", detail="status"),
    C("GET", "/mail", 400, params={"cursor": "!!"}, who="admin", detail="cursor"),
    C("GET", "/mail", 422, params={"limit": 101}, who="admin", detail="limit"),
    C("GET", "/mail/99999", 404, who="admin"),
    C("GET", "/mail/{huge}/raw", 422, who="admin"),
    *[case for action in ("reprocess", "release", "discard") for case in (
        C("POST", f"/mail/99999/{action}", 404, who="admin"),
        C("POST", f"/mail/{{huge}}/{action}", 422, who="admin"),
        C("POST", f"/mail/{{processed}}/{action}", 409, who="admin",
          detail="not quarantined"),
        C("POST", f"/mail/{{mail}}/{action}", 403),
        C("POST", f"/mail/{{mail}}/{action}", 415, content=b"go", ctype="text/plain",
          who="admin", detail="application/json"),
    )],
    # --- chat inboxes (as admin) ---
    C("POST", "/chat/inboxes", 422, json={}, who="admin", detail="name: this field is required"),
    C("POST", "/chat/inboxes", 422, json=ci(name="   "), who="admin", detail="name"),
    C("POST", "/chat/inboxes", 422, json=ci(name="n" * 101), who="admin", detail="name"),
    C("POST", "/chat/inboxes", 422, json=ci(greeting="g" * 501), who="admin", detail="greeting"),
    C("POST", "/chat/inboxes", 422, json=ci(brand_color="blue"), who="admin",
      detail="brand_color"),
    C("POST", "/chat/inboxes", 422, json=ci(prechat="always"), who="admin", detail="prechat"),
    C("POST", "/chat/inboxes", 422, json=ci(topics="Orders"), who="admin", detail="topics"),
    C("POST", "/chat/inboxes", 422, json=ci(topics=["t"] * 31), who="admin", detail="topics"),
    C("POST", "/chat/inboxes", 422, json=ci(topics=["t" * 61]), who="admin", detail="topics"),
    C("POST", "/chat/inboxes", 422, json=ci(business_hours="always"), who="admin",
      detail="business_hours"),
    C("POST", "/chat/inboxes", 422, json=ci(business_hours={"days": {}}), who="admin",
      detail="business_hours.tz"),
    C("POST", "/chat/inboxes", 422, json=ci(business_hours={"tz": "UTC", "days": {
        "funday": []}}), who="admin", detail="funday"),
    C("POST", "/chat/inboxes", 422, json=ci(business_hours={"tz": "UTC", "days": {
        "mon": [["9am", "5pm"]]}}), who="admin", detail="business_hours.days.mon"),
    C("POST", "/chat/inboxes", 422, json=ci(business_hours={"tz": "UTC", "days": {
        "mon": [["09:00"]]}}), who="admin", detail="business_hours.days.mon"),
    C("POST", "/chat/inboxes", 422, json=ci(business_hours={"tz": "UTC", "days": {
        "mon": [["25:00", "26:00"]]}}), who="admin", detail="not a time"),
    C("POST", "/chat/inboxes", 422, json=ci(business_hours={"tz": "UTC", "days": {
        "mon": [["17:00", "09:00"]]}}), who="admin", detail="ends before it starts"),
    C("POST", "/chat/inboxes", 422, json=ci(business_hours={"tz": "Mars/Olympus"}),
      who="admin", detail="Unknown time zone"),
    C("POST", "/chat/inboxes", 422, json=ci(allowed_origins="https://shop.example"),
      who="admin", detail="allowed_origins"),
    C("POST", "/chat/inboxes", 422, json=ci(allowed_origins=["javascript:alert(1)"]),
      who="admin", detail="Origins are like"),
    C("POST", "/chat/inboxes", 422, json=ci(offer_timeout_seconds=4), who="admin",
      detail="offer_timeout_seconds"),
    C("POST", "/chat/inboxes", 422, json=ci(offer_timeout_seconds=601), who="admin",
      detail="offer_timeout_seconds"),
    C("POST", "/chat/inboxes", 422, json=ci(offer_timeout_seconds="soon"), who="admin",
      detail="offer_timeout_seconds"),
    C("POST", "/chat/inboxes", 404, json=ci(team_id=9999), who="admin", detail="Team 9999"),
    C("POST", "/chat/inboxes", 422, json=ci(team_id=int(HUGE_ID)), who="admin",
      detail="team_id"),
    C("POST", "/chat/inboxes", 404, json=ci(offline_inbox_id=9999), who="admin",
      detail="Inbox 9999"),
    C("POST", "/chat/inboxes", 422, json=ci(key="mine"), who="admin", detail="unknown field"),
    C("POST", "/chat/inboxes", 422, json=ci(identity_secret="s"), who="admin",
      detail="unknown field"),
    C("POST", "/chat/inboxes", 403, json=ci(), detail="channels.write"),
    C("GET", "/chat/inboxes/99999", 404, who="admin", detail="Chat inbox 99999"),
    C("GET", "/chat/inboxes/{huge}", 422, who="admin"),
    C("PATCH", "/chat/inboxes/99999", 404, json={"name": "x"}, who="admin"),
    C("PATCH", "/chat/inboxes/{huge}", 422, json={"name": "x"}, who="admin"),
    *[C("PATCH", "/chat/inboxes/{chat_inbox}", 422, json={key: None}, who="admin",
        detail=f"{key}: cannot be null")
      for key in ("name", "active", "greeting", "prechat", "topics", "allowed_origins",
                  "offer_timeout_seconds")],
    C("PATCH", "/chat/inboxes/{chat_inbox}", 422, json={"brand_color": "#12345"}, who="admin",
      detail="brand_color"),
    C("PATCH", "/chat/inboxes/{chat_inbox}", 422, json={"offer_timeout_seconds": 0},
      who="admin", detail="offer_timeout_seconds"),
    C("PATCH", "/chat/inboxes/{chat_inbox}", 422, json={"key": "mine"}, who="admin",
      detail="unknown field"),
    C("PATCH", "/chat/inboxes/{chat_inbox}", 404, json={"team_id": 9999}, who="admin",
      detail="Team 9999"),
    C("PATCH", "/chat/inboxes/{chat_inbox}", 403, json={"name": "Mine now"}),
    C("POST", "/chat/inboxes/99999/identity-secret", 404, who="admin"),
    C("POST", "/chat/inboxes/{huge}/identity-secret", 422, who="admin"),
    C("POST", "/chat/inboxes/{chat_inbox}/identity-secret", 403, detail="channels.write"),
    C("POST", "/chat/inboxes/{chat_inbox}/identity-secret", 415, content=b"new",
      ctype="text/plain", who="admin", detail="application/json"),
    # --- chat presence, offers, chats (as an agent) ---
    C("PUT", "/chat/presence", 422, json={}, detail="status: this field is required"),
    C("PUT", "/chat/presence", 422, json={"status": "busy"}, detail="status"),
    C("PUT", "/chat/presence", 422, json={"status": "online", "max_chats": 0},
      detail="max_chats"),
    C("PUT", "/chat/presence", 422, json={"status": "online", "max_chats": 21},
      detail="max_chats"),
    C("PUT", "/chat/presence", 422, json={"status": "online", "ready": True},
      detail="unknown field"),
    C("PUT", "/chat/presence", 403, json={"status": "online"}, who="light",
      detail="Light agents"),
    C("PUT", "/chat/presence", 403, json={"status": "away"}, who="customer",
      detail="Only agents"),
    C("PUT", "/chat/presence", 415, content=b"online", ctype="text/plain",
      detail="application/json"),
    C("POST", "/chat/offers/99999/decline", 404, detail="Offer 99999"),
    C("POST", "/chat/offers/{huge}/decline", 422),
    C("POST", "/chat/offers/{offer}/decline", 404, who="admin", detail="Offer"),
    C("POST", "/chat/offers/{offer}/decline", 403, who="customer", detail="Only agents"),
    C("POST", "/chat/offers/{offer}/decline", 415, content=b"no", ctype="text/plain",
      detail="application/json"),
    C("GET", "/chat/conversations/99999", 404),
    C("GET", "/chat/conversations/{ticket}", 404, detail="not a chat"),
    C("GET", "/chat/conversations/{chat}", 404, who="partner"),
    *[case for action in ("accept", "end") for case in (
        C("POST", f"/chat/conversations/99999/{action}", 404),
        C("POST", f"/chat/conversations/{{huge}}/{action}", 422),
        C("POST", f"/chat/conversations/{{ticket}}/{action}", 404, detail="not a chat"),
        C("POST", f"/chat/conversations/{{chat}}/{action}", 403, who="light",
          detail="tickets.reply"),
        C("POST", f"/chat/conversations/{{chat}}/{action}", 404, who="partner"),
        C("POST", f"/chat/conversations/{{chat}}/{action}", 403, who="customer"),
        C("POST", f"/chat/conversations/{{chat}}/{action}", 401, who="anonymous"),
        C("POST", f"/chat/conversations/{{chat}}/{action}", 415, content=b"go",
          ctype="text/plain", detail="application/json"),
    )],
    C("POST", "/chat/conversations/{ended_chat}/accept", 409, detail="ended"),
    C("POST", "/chat/conversations/{chat}/transfer", 422,
      json={"agent_id": "{agent}", "team_id": "{team}"}, detail="one agent"),
    C("POST", "/chat/conversations/{chat}/transfer", 422, json={}, detail="one agent"),
    C("POST", "/chat/conversations/{chat}/transfer", 422,
      json={"team_id": "{team}", "note": "n" * 2001}, detail="note"),
    C("POST", "/chat/conversations/{chat}/transfer", 422, json={"agent_id": "alex"},
      detail="agent_id"),
    C("POST", "/chat/conversations/{chat}/transfer", 422, json={"agent_id": int(HUGE_ID)},
      detail="agent_id"),
    C("POST", "/chat/conversations/{chat}/transfer", 422,
      json={"team_id": "{team}", "queue": "front"}, detail="unknown field"),
    C("POST", "/chat/conversations/{chat}/transfer", 404, json={"agent_id": 9999},
      detail="Agent 9999"),
    C("POST", "/chat/conversations/{chat}/transfer", 404, json={"team_id": 9999},
      detail="Team 9999"),
    C("POST", "/chat/conversations/{chat}/transfer", 403, json={"agent_id": "{light}"},
      detail="Light agents cannot own"),
    C("POST", "/chat/conversations/{chat}/transfer", 403, json={"team_id": "{team}"},
      who="light", detail="tickets.update"),
    C("POST", "/chat/conversations/{chat}/transfer", 404, json={"team_id": "{team}"},
      who="partner"),
    C("POST", "/chat/conversations/{ended_chat}/transfer", 409, json={"team_id": "{team}"},
      detail="ended"),
    C("POST", "/chat/conversations/{ticket}/transfer", 404, json={"team_id": "{team}"},
      detail="not a chat"),
    # --- methods and paths that do not exist ---
    C("DELETE", "/tickets/{ticket}", 405, detail="not allowed"),
    C("PUT", "/customers/{customer}", 405, detail="not allowed"),
    C("GET", "/nothing-here", 404, detail="nothing at"),
]

GROUPS: dict[str, list[Case]] = defaultdict(list)
for _case in CASES:
    GROUPS[_case.endpoint].append(_case)


class Bench:
    """The objects the placeholders point to, and credentials."""

    def __init__(self, rt: Runtime, cast: Cast, client: TestClient) -> None:
        self.world = World(rt, cast, client)
        self.cast, self.client = cast, client
        own, other = Ctx("customer", "own"), Ctx("customer", "other")
        self.values = {
            "closed": self.world.new_ticket(own, status="closed"),
            "dan_ticket": self.world.ticket(other),
            "customer": cast.carla.id, "org": self.world.organization(own),
            "agent": cast.agent.id, "team": cast.support_team, "light": cast.light.id,
            "attachment": self.world.attachment(other), "huge": HUGE_ID,
            "inbox": self.world.inbox(), "mail": self.world.stored_mail(),
            "processed": self.world.stored_mail(status="processed"),
            **self._chats(),
        }
        self.own = own

    def _chats(self) -> dict[str, int]:
        from datetime import timedelta

        from tend.access import SYSTEM
        from tend.channels.chat import conversations
        from tend.channels.chat.models import ChatConversation, ChatOffer
        from tend.db import utcnow
        from tests.web.authz import chat_inbox, new_chat

        support = Ctx("agent", "own")
        chat, ended = new_chat(self.world, support), new_chat(self.world, support)
        with self.world.rt.db.write() as s:
            conv = s.get(ChatConversation, ended)
            assert conv is not None
            conversations.end(s, conv, "system", SYSTEM.ref)
            offer = ChatOffer(ticket_id=chat, agent_id=self.cast.agent.id, state="pending",
                              expires_at=utcnow() + timedelta(minutes=5))
            s.add(offer)
            s.flush()
            offer_id = offer.id
        return {"chat_inbox": chat_inbox(self.world, self.cast.support_team), "chat": chat,
                "ended_chat": ended, "offer": offer_id}

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            if value.startswith("{") and value.endswith("}") and value[1:-1] in self.values:
                return int(self.values[value[1:-1]])
            return value.format(**self.values)
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        return value

    def headers(self, who: str) -> dict[str, str]:
        if who in ("agent", "admin", "light", "partner"):
            return dict(getattr(self.cast, who).headers)
        if who == "anonymous":
            return {}
        if who.startswith("customer"):
            cookie, csrf = self.world.session_cookie(customer_id=self.cast.carla.id)
            headers = {"Cookie": f"tend_session={cookie}"}
            if who == "customer":
                headers["X-CSRF-Token"] = csrf
            return headers
        return {"Authorization": who}

    def send(self, case: Case) -> Any:
        # A fresh open ticket per case, so that one case's change cannot affect the next.
        self.values["ticket"] = self.world.new_ticket(self.own, status="open")
        headers = {**self.headers(case.who), **case.extra_headers}
        if case.ctype:
            headers["Content-Type"] = case.ctype
        self.client.cookies.clear()
        path = case.path.replace("{", "{{").replace("}", "}}")
        for key in self.values:
            path = path.replace("{{" + key + "}}", "{" + key + "}")
        return self.client.request(
            case.method, path.format(**self.values), headers=headers,
            json=self.fill(case.json) if case.content is None and case.json is not None
            else None,
            content=case.content, params=case.params, data=case.data, files=case.files)


@pytest.mark.parametrize("endpoint", sorted(GROUPS))
def test_bad_input(rt: Runtime, cast: Cast, client: TestClient, endpoint: str) -> None:
    bench = Bench(rt, cast, client)
    failures = []
    for case in GROUPS[endpoint]:
        r = bench.send(case)
        what = f"{case.method} {case.path} {case.who} " + (
            json.dumps(case.json)[:80] if case.json is not None else str(case.params or "")[:80])
        if r.status_code != case.status:
            failures.append(f"{what}: wanted {case.status}, got {r.status_code} {r.text[:200]}")
            continue
        if r.headers.get("content-type") != PROBLEM:
            failures.append(f"{what}: content-type {r.headers.get('content-type')}")
            continue
        problem = r.json()
        if problem.get("status") != case.status or not problem.get("detail"):
            failures.append(f"{what}: not a problem document: {problem}")
        elif case.detail and case.detail.lower() not in problem["detail"].lower():
            failures.append(f"{what}: detail {problem['detail']!r} lacks {case.detail!r}")
    assert not failures, "\n".join(failures)


def test_every_write_endpoint_has_bad_input_cases(client: TestClient) -> None:
    from tests.web.test_authorization_matrix import app_routes

    writes = {(m, p) for m, p in app_routes(client.app)
              if p.startswith("/api/v1/") and m in ("POST", "PATCH")}
    for method, path in writes:
        template = "/".join("{id}" if p.startswith("{") else p for p in path.split("/"))
        assert len(GROUPS[f"{method} {template}"]) >= 3, f"{method} {path}"


def test_validation_problem_lists_fields(client: TestClient, cast: Cast) -> None:
    r = client.post("/api/v1/tickets", headers=cast.agent.headers,
                    json={"subject": 1, "body": None, "priority": "meh", "x": 1, "y": 2})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["title"] == "Invalid input"
    fields = {e["field"] for e in problem["errors"]}
    assert {"subject", "body", "priority", "x", "y"} <= fields
    assert "and 2 more" in problem["detail"]


def test_unauthorized_says_how_to_sign_in(client: TestClient) -> None:
    r = client.get("/api/v1/tickets")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert "Bearer" in r.json()["detail"]


def test_errors_never_leak_on_html(client: TestClient) -> None:
    """A page-side 404 is an HTML page, not JSON."""
    r = client.get("/no-such-page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
