"""The chat widget's public edge: the script, its config, uploads, file links, a demo page.

Everything here is reached from customers' websites, so it is cross-origin by design: answers
carry CORS headers for the chat inbox's allowed origins (any origin when none are set), and
nothing relies on cookies. The live conversation is `socket.py` (`/widget/live`).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response

from tend.attachments.actions import store_uploads
from tend.attachments.files import AttachmentError, check_upload
from tend.attachments.models import Attachment
from tend.channels.chat import conversations, routing, strings, tokens, views
from tend.channels.chat.models import ChatConversation, ChatInbox
from tend.config.queries import get_config
from tend.config.schema import ink_for
from tend.i18n import negotiate
from tend.runtime import Runtime
from tend.tickets.models import Message
from tend.web.deps import RuntimeDep
from tend.web.downloads import attachment_response
from tend.web.pagekit import render
from tend.web.problems import Problem
from tend.web.widget import socket

router = APIRouter(include_in_schema=False)
router.include_router(socket.router)
PARTS_DIR = Path(__file__).parent.parent / "static" / "widget"
# /widget.js is these files inside one function (a website loads one script, no build step).
WIDGET_PARTS = ("base.js", "look.js", "messages.js", "socket.js", "visitor.js")


@lru_cache(maxsize=1)
def widget_source() -> tuple[bytes, str]:
    """The script and its ETag."""
    body = "".join((PARTS_DIR / name).read_text(encoding="ascii") for name in WIDGET_PARTS)
    script = f"(function () {{\n{body}}})();\n".encode("ascii")
    return script, '"' + hashlib.sha256(script).hexdigest()[:32] + '"'


def origin_allowed(inbox: ChatInbox, origin: str | None) -> bool:
    allowed = {o.strip().rstrip("/").lower()
               for o in inbox.allowed_origins.replace(",", "\n").splitlines() if o.strip()}
    return not allowed or (origin is not None and origin.rstrip("/").lower() in allowed)


def _cors(inbox: ChatInbox | None, request: Request, response: Response) -> Response:
    origin = request.headers.get("origin")
    if inbox is not None and origin and origin_allowed(inbox, origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    elif inbox is not None and not inbox.allowed_origins.strip():
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _inbox(rt: Runtime, key: str | None) -> ChatInbox:
    if not key or len(key) > 32:
        raise Problem(404, "This chat is not available.")
    with rt.db.read() as session:
        inbox = conversations.find_inbox(session, key)
    if inbox is None:
        raise Problem(404, "This chat is not available.")
    return inbox


@router.get("/widget.js")
def widget_script(request: Request) -> Response:
    script, etag = widget_source()
    headers = {"Cache-Control": "public, max-age=300", "ETag": etag,
               "Access-Control-Allow-Origin": "*"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(script, media_type="text/javascript", headers=headers)


def widget_config(rt: Runtime, inbox: ChatInbox, locale: str) -> dict[str, Any]:
    with rt.db.read() as session:
        config = get_config(session)
        online = routing.online_agents(session, inbox.team_id, rt.settings.presence_seconds)
    texts = strings.widget_strings(locale)
    return {
        "inbox": inbox.key, "name": inbox.name, "helpdesk_name": config.helpdesk_name,
        "greeting": inbox.greeting or texts["greeting_default"],
        "brand_color": inbox.brand_color or config.brand_color,
        "brand_ink": ink_for(inbox.brand_color or config.brand_color),
        "prechat": inbox.prechat, "topics": list(inbox.topics),
        "open": conversations.is_open(inbox, online), "locale": locale, "strings": texts,
        "portal_url": f"{rt.settings.public_url}/portal",
    }


@router.get("/widget/config")
def config(request: Request, rt: RuntimeDep, inbox: str | None = None,
           locale: str | None = None) -> Response:
    chat = _inbox(rt, inbox)
    lang = negotiate(request.headers.get("accept-language"), locale,
                     default=rt.settings.default_locale)
    return _cors(chat, request, JSONResponse(widget_config(rt, chat, lang),
                                             headers={"Cache-Control": "no-cache"}))


@router.post("/widget/uploads")
async def upload(request: Request, rt: RuntimeDep) -> Response:
    async with request.form(max_files=1, max_fields=10) as form:
        return await _upload(request, rt, form)


async def _upload(request: Request, rt: Runtime, form: Any) -> Response:
    key = str(form.get("inbox") or "")
    chat = _inbox(rt, key)
    if not origin_allowed(chat, request.headers.get("origin")):
        raise Problem(403, "This website may not use this chat.")
    file = form.get("file")
    if not isinstance(file, UploadFile):
        raise Problem(422, "Choose a file to send.")
    token, client_id = str(form.get("token") or ""), str(form.get("client_id") or "")
    body = str(form.get("body") or "").strip()
    try:
        conversation_id = int(str(form.get("conversation_id") or ""))
    except ValueError:
        raise Problem(422, "conversation_id is the number of the chat.") from None
    secret = rt.settings.signing_key()
    visitor_id = tokens.read_visitor_token(secret, chat.key, token)
    if visitor_id is None:
        raise Problem(401, "This chat session expired; reload the page.")
    data = await file.read(rt.settings.attachment_max_bytes + 1)
    try:
        checked = check_upload(file.filename or "file", file.content_type, data,
                               max_bytes=rt.settings.attachment_max_bytes,
                               blocked_extensions=rt.settings.blocked_extensions)
    except AttachmentError as exc:
        status = 413 if len(data) > rt.settings.attachment_max_bytes else 422
        raise Problem(status, str(exc)) from None
    stored = store_uploads(rt.store, [checked])
    with rt.db.write() as session:
        from tend.channels.chat.models import ChatVisitor

        visitor = session.get(ChatVisitor, visitor_id)
        if visitor is None:
            raise Problem(401, "This chat session expired; reload the page.")
        try:
            message = conversations.send(session, visitor, conversation_id,
                                         body=body or checked.filename,
                                         client_id=client_id or None, files=stored)
        except conversations.ChatError as exc:
            raise Problem(422, str(exc)) from None
        view = views.chat_message(message, secret, rt.settings.public_url)
    return _cors(chat, request, JSONResponse({"message": view}))


@router.get("/widget/files/{attachment_id}")
def file(attachment_id: int, rt: RuntimeDep, sig: str = "") -> Response:
    if not tokens.file_signature_valid(rt.settings.signing_key(), attachment_id, sig):
        raise Problem(404, "This file link is not valid (or has expired).")
    with rt.db.read() as session:
        attachment = session.get(Attachment, attachment_id)
        message = session.get(Message, attachment.message_id) if attachment else None
        conv = session.get(ChatConversation, attachment.ticket_id) if attachment else None
        if attachment is None or message is None or message.visibility != "public" \
                or conv is None:
            raise Problem(404, "This file link is not valid (or has expired).")
    return attachment_response(rt.store, attachment)


@router.get("/widget/demo")
def demo(request: Request, rt: RuntimeDep, inbox: str | None = None) -> Response:
    """A sample website with the widget on it (for trying the chat, and for the demo)."""
    chat = _inbox(rt, inbox)
    return render(request, "widget/demo.html",
                  {"inbox_key": chat.key, "base": ""})  # same origin as this page
