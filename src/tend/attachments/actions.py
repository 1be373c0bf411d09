from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tend.attachments.files import MAX_FILES_PER_MESSAGE, AttachmentError, Upload
from tend.attachments.storage import LocalStore


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    inline: bool = False
    content_id: str | None = None


def store_uploads(store: LocalStore, uploads: Sequence[Upload]) -> list[StoredFile]:
    """Write checked uploads to the store before the database transaction that uses them.

    Content addressing makes this safe to repeat: a rolled-back transaction leaves at most an
    unreferenced file, never a row without its file.
    """
    if len(uploads) > MAX_FILES_PER_MESSAGE:
        raise AttachmentError(f"At most {MAX_FILES_PER_MESSAGE} files per message.")
    return [
        StoredFile(u.filename, u.content_type, len(u.data), store.put(u.data)) for u in uploads
    ]
