from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response

from tend.attachments.models import Attachment
from tend.attachments.storage import LocalStore
from tend.web.problems import Problem

# Every download: never rendered by the browser, never sniffed, never cached by proxies.
_DOWNLOAD = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def attachment_response(store: LocalStore, attachment: Attachment) -> Response:
    """Files are never rendered by the browser: always a download, never sniffed."""
    try:
        data = store.open(attachment.sha256)
    except FileNotFoundError:
        raise Problem(404, "The file of this attachment is missing from storage.") from None
    ascii_name = attachment.filename.encode("ascii", "replace").decode().replace('"', "_")
    disposition = (f"attachment; filename=\"{ascii_name}\"; "
                   f"filename*=UTF-8''{quote(attachment.filename, safe='')}")
    return Response(data, media_type=attachment.content_type,
                    headers={**_DOWNLOAD, "Content-Disposition": disposition})


def raw_mail_response(inbound_id: int, raw: bytes) -> Response:
    """A stored mail as received, as an .eml download (never shown inline, never sniffed)."""
    return Response(raw, media_type="message/rfc822", headers={
        **_DOWNLOAD, "Content-Disposition": f'attachment; filename="mail-{inbound_id}.eml"'})
