"""What every portal page shares: the page's language, rendering with the portal frame, form
fields read leniently (errors are shown next to the field, translated), and uploads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse

from tend.attachments.files import (
    MAX_FILES_PER_MESSAGE,
    AttachmentError,
    Upload,
    check_upload,
    clean_filename,
)
from tend.i18n import LOCALE_NAMES, translations
from tend.settings import Settings
from tend.web.pagekit import page_locale, render

Gettext = Callable[[str], str]


def locale_of(request: Request) -> str:
    return page_locale(request, getattr(request.state, "tend_auth", None))


def gettext_for(request: Request) -> Gettext:
    """`_` for messages built in Python (form errors, emails), in the page's language."""
    return translations(locale_of(request)).gettext


def _here(request: Request) -> str:
    """The current page without `?lang=`, for the language switcher to come back to."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + (f"?{urlencode(query, safe='/')}" if query else "")


def page(request: Request, template: str, context: dict[str, Any] | None = None, *,
         status_code: int = 200) -> HTMLResponse:
    ctx = {"languages": LOCALE_NAMES, "here": _here(request), **(context or {})}
    return render(request, template, ctx, status_code=status_code)


def not_found(request: Request) -> HTMLResponse:
    """Missing and not-yours look the same: a customer never learns another one's tickets."""
    return page(request, "portal/not_found.html", status_code=404)


def limit_key(kind: str, value: str) -> str:
    """A rate-limit key (tend.auth.ratelimit fits long ones to its column)."""
    return f"{kind}:{value}"


def text(form: dict[str, Any], key: str) -> str:
    value = form.get(key, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


def uploads(form: dict[str, Any], settings: Settings, _: Gettext,
            key: str = "files") -> list[Upload]:
    """The files of a multipart form, checked by `check_upload`; its refusal is re-worded in the
    customer's language (AttachmentError). File inputs left empty are skipped."""
    raw = form.get(key, [])
    files = [i for i in (raw if isinstance(raw, list) else [raw]) if isinstance(i, UploadFile)]
    contents = []
    for item in files:  # read and close them all: the form does not close its temporary files
        with item.file:
            if item.filename:
                contents.append((item, item.file.read(settings.attachment_max_bytes + 1)))
    if len(contents) > MAX_FILES_PER_MESSAGE:
        raise AttachmentError(_("Attach at most %(count)d files at a time.")
                              % {"count": MAX_FILES_PER_MESSAGE})
    checked = []
    for item, data in contents:
        name = clean_filename(item.filename or "")
        try:
            checked.append(check_upload(name, item.content_type, data,
                                        max_bytes=settings.attachment_max_bytes,
                                        blocked_extensions=settings.blocked_extensions))
        except AttachmentError:
            if not data:
                message = _("%(name)s is empty.")
            elif len(data) > settings.attachment_max_bytes:
                message = _("%(name)s is too large: files may have at most %(size)s.")
            else:
                message = _("Files like %(name)s are not accepted, for safety reasons.")
            raise AttachmentError(message % {
                "name": name, "size": format_size(settings.attachment_max_bytes)}) from None
    return checked


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(1, size // 1024)} KB"
