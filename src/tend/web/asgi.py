"""ASGI entry point for servers: `uvicorn --factory tend.web.asgi:from_env`."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from tend.settings import Settings
from tend.web.app import create_app

# Garbage collector thresholds for a server (CPython's defaults are 700, 10, 10). A request
# makes thousands of short-lived objects; with the defaults many of them are caught alive by
# a young collection and promoted, and the pile of promoted objects soon sets off a full
# collection, which walks every live socket's objects (about 0.6 s with 5,000 chat widgets
# held). Larger young generations let request garbage die young, and a full collection waits
# for at least 100 middle ones. Measured with benchmarks/chat.py (benchmarks/README.md).
GC_THRESHOLDS = (10_000, 10, 100)


def from_env() -> FastAPI:
    app = create_app(Settings())
    # What a server builds at start-up (modules, classes, the app, its routes and schemas)
    # lives as long as the process: keep it out of the collector's sight.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return app
