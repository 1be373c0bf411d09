"""The chat channel: a website widget talking to agents live (see README.md in this folder)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tend.runtime import Runtime


def install(rt: Runtime) -> None:
    """Register the channel's jobs and event subscribers on a runtime."""
    from tend.channels import register_live_delivery
    from tend.channels.chat import live, routing

    live.install(rt)
    routing.install(rt)
    register_live_delivery("chat", live.in_progress)
