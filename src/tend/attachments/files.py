"""Checking an uploaded file before it becomes an attachment. Pure, no I/O."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from dataclasses import dataclass

_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$")
MAX_FILES_PER_MESSAGE = 20


class AttachmentError(ValueError):
    """An upload that breaks a limit; the message is shown to the user as is."""


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def clean_filename(raw: str) -> str:
    """A display-safe name: no paths, no control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        name = "file"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:9]) if dot and len(ext) < 10 else name[:200]
    return name


def check_upload(
    filename: str, content_type: str | None, data: bytes, *, max_bytes: int,
    blocked_extensions: frozenset[str],
) -> Upload:
    name = clean_filename(filename)
    if not data:
        raise AttachmentError(f"{name} is empty.")
    if len(data) > max_bytes:
        raise AttachmentError(
            f"{name} is {len(data) // 1024} KiB; files may be at most {max_bytes // 1024} KiB."
        )
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext in blocked_extensions:
        raise AttachmentError(f"Files of type {ext} are not accepted.")
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if not _TYPE.match(ctype) or ctype == "application/octet-stream":
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Upload(filename=name, content_type=ctype, data=data)
