from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tend.access import Actor, Permission, require
from tend.config.models import ConfigEntry
from tend.config.queries import get_config
from tend.config.schema import HelpdeskConfig
from tend.events import emit
from tend.events.catalog import SettingsUpdated


def update_config(session: Session, actor: Actor, changes: dict[str, Any]) -> HelpdeskConfig:
    """Validate the whole new configuration, then store only what changed."""
    require(actor, Permission.SETTINGS_WRITE)
    current = get_config(session)
    merged = current.model_dump(mode="json") | changes
    new = HelpdeskConfig.model_validate(merged)
    diff: dict[str, tuple[Any, Any]] = {}
    new_json = new.model_dump(mode="json")
    old_json = current.model_dump(mode="json")
    for key, value in new_json.items():
        if value != old_json[key]:
            diff[key] = (old_json[key], value)
            row = session.get(ConfigEntry, key)
            if row is None:
                session.add(ConfigEntry(key=key, value=value))
            else:
                row.value = value
    if diff:
        session.flush()
        emit(session, SettingsUpdated(actor=actor.ref, changes=diff))
    return new
