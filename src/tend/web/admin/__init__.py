"""The admin surface (server-rendered pages)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
