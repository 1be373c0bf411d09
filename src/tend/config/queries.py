from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tend.config.models import ConfigEntry
from tend.config.schema import HelpdeskConfig


def get_config(session: Session) -> HelpdeskConfig:
    stored: dict[str, Any] = {
        row.key: row.value
        for row in session.scalars(select(ConfigEntry))
        if row.key in HelpdeskConfig.model_fields
    }
    return HelpdeskConfig.model_validate(stored)
