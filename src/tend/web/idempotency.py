"""`Idempotency-Key` on every POST under /api/: a retry returns the first response.

The key is private to the credential (token or session cookie) that sent it. A key reused with a
different body is refused (422); a retry while the first attempt still runs gets 409. 5xx
responses are not remembered, so a retry after a crash runs again.
"""

from __future__ import annotations

import random
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tend.idempotency import store
from tend.web.deps import SESSION_COOKIE
from tend.web.middleware import send_problem


def _credential(headers: dict[bytes, bytes]) -> str:
    """Who sent the key: the bearer token, else the session cookie (other cookies don't count)."""
    auth = headers.get(b"authorization")
    if auth:
        return auth.decode("latin-1")
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE:
            return f"session:{value}"
    return ""


class Idempotency:
    def __init__(self, app: ASGIApp, runtime: Any) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(
            "/api/"
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw_key = headers.get(b"idempotency-key")
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not 1 <= len(key) <= 255 or not key.isprintable():
            await send_problem(send, 400, "Bad request",
                               "Idempotency-Key must be 1 to 255 printable characters.")
            return
        credential = _credential(headers)
        # Read the whole body (BodyLimit, outside us, bounds it) so it can be hashed and replayed.
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        scope_hash = store.scope_hash(credential, key)
        req_hash = store.request_hash(scope["method"], scope["path"], body)
        db = self.runtime.db

        def do_claim() -> tuple[str, int | None, str | None, bytes | None]:
            with db.write() as session:
                if random.random() < 0.01:
                    store.purge_expired(session)
                c = store.claim(session, scope_hash, req_hash, scope["method"], scope["path"])
                r = c.record
                return (c.outcome, r.status_code if r else None, r.content_type if r else None,
                        r.body if r else None)

        outcome, status, ctype, stored = await run_in_threadpool(do_claim)
        if outcome == "mismatch":
            await send_problem(send, 422, "Invalid input",
                               "This Idempotency-Key was already used with a different request.")
            return
        if outcome == "in_progress":
            await send_problem(send, 409, "Conflict",
                               "A request with this Idempotency-Key is still being processed.")
            return
        if outcome == "replay":
            payload = stored or b""
            await send({"type": "http.response.start", "status": status or 200,
                        "headers": [(b"content-type", (ctype or "application/json").encode()),
                                    (b"content-length", str(len(payload)).encode()),
                                    (b"idempotent-replayed", b"true")]})
            await send({"type": "http.response.body", "body": payload})
            return

        sent_body = False

        async def replay_receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        captured: dict[str, Any] = {"status": 500, "ctype": "application/json", "body": []}

        async def capture_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                for k, v in message.get("headers", []):
                    if k.lower() == b"content-type":
                        captured["ctype"] = v.decode("latin-1")
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capture_send)
        finally:
            status_code = int(captured["status"])
            payload = b"".join(captured["body"])

            def finish() -> None:
                with db.write() as session:
                    if status_code >= 500:
                        store.release(session, scope_hash)
                    else:
                        store.complete(session, scope_hash, status_code, captured["ctype"],
                                       payload)

            await run_in_threadpool(finish)
