"""One running Tend: settings, database, event bus, file store, outbox. Built by `build()`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from tend.attachments.storage import LocalStore
from tend.audit import recorder
from tend.db import Database
from tend.events import EventBus
from tend.jobs import JobQueue, make_huey
from tend.notify import ConsoleOutbox, MailOutbox, Outbox
from tend.realtime.hub import Hub, make_hub
from tend.settings import Settings

log = logging.getLogger("tend")


@dataclass
class Runtime:
    settings: Settings
    db: Database
    bus: EventBus
    store: LocalStore
    outbox: Outbox
    hub: Hub
    jobs: JobQueue = field(init=False)
    extras: dict[str, object] = field(default_factory=dict)

    def close(self) -> None:
        for extra in self.extras.values():
            closer = getattr(extra, "close", None)
            if callable(closer):
                closer()
        self.jobs.close()
        self.hub.close()
        self.db.dispose()


def build(settings: Settings, *, migrate: bool = True, outbox: Outbox | None = None) -> Runtime:
    bus = EventBus()
    recorder.install(bus)
    db = Database(settings, bus)
    if migrate:
        from tend.migrations import upgrade

        upgrade(db.engine)
    rt = Runtime(
        settings=settings, db=db, bus=bus,
        store=LocalStore(settings.data_dir / "attachments"),
        # Mail when a transport is configured (the email channel connects it), else the console.
        outbox=outbox or MailOutbox(
            ConsoleOutbox(show_links=settings.environment != "production")),
        hub=make_hub(settings.redis_url),
    )
    rt.jobs = JobQueue(make_huey(data_dir=settings.data_dir, redis_url=settings.redis_url,
                                 inline=settings.jobs_inline), rt)
    from tend.channels import chat, email
    from tend.realtime import feed

    email.install(rt)  # its before-commit step emits events the live feed then sums up
    feed.install(rt)
    chat.install(rt)
    return rt
