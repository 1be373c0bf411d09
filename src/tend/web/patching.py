"""PATCH bodies: only the fields the client sent; null only where it means "clear"."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import BaseModel

from tend.web.problems import Problem


def patch_changes(data: BaseModel, nullable: Collection[str] = ()) -> dict[str, Any]:
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is None and key not in nullable:
            raise Problem(422, f"{key}: cannot be null",
                          errors=[{"field": key, "message": f"{key}: cannot be null"}])
    return changes
