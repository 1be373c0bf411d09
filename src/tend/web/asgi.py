"""ASGI entry point for servers: `uvicorn --factory tend.web.asgi:from_env`."""

from __future__ import annotations

from fastapi import FastAPI

from tend.settings import Settings
from tend.web.app import create_app


def from_env() -> FastAPI:
    return create_app(Settings())
