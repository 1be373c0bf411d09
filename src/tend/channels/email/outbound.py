"""Sending mail (placeholder until the outbound slice lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tend.runtime import Runtime


def install(rt: Runtime) -> None:
    return None
