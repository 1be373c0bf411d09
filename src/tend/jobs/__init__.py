"""Background jobs on Huey: ids in, idempotent, retried with backoff, surviving restarts.

- Embedded default: a SQLite queue in the data directory (`jobs.db`), consumed by threads in
  the `tend serve` process; what is queued survives a restart.
- With `TEND_REDIS_URL`, the queue lives in Redis and any number of processes (`tend serve`,
  `tend worker`) share it.
- Tests run jobs inline, after the same JSON round-trip a real queue applies, so a job that
  works in tests works across processes.

Jobs are named functions `fn(rt, payload)` registered with `@job("name")`. They are enqueued by
on-commit event subscribers (never from inside a transaction). docs/decisions/0003 says why
Huey.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.consumer import Consumer as HueyConsumer

if TYPE_CHECKING:
    from tend.runtime import Runtime

log = logging.getLogger("tend.jobs")

JobFn = Callable[["Runtime", dict[str, Any]], None]
FailureFn = Callable[["Runtime", dict[str, Any], str], None]


@dataclass(frozen=True)
class JobSpec:
    name: str
    fn: JobFn
    retries: int
    backoff_seconds: float
    on_failure: FailureFn | None


_REGISTRY: dict[str, JobSpec] = {}


class JobError(ValueError):
    """A job that cannot be queued (unknown name, payload that is not plain JSON)."""


def job(name: str, *, retries: int = 5, backoff_seconds: float = 30.0,
        on_failure: FailureFn | None = None) -> Callable[[JobFn], JobFn]:
    """Register `fn(rt, payload)` under `name`. It must be idempotent: it may run again."""

    def register(fn: JobFn) -> JobFn:
        if name in _REGISTRY and _REGISTRY[name].fn is not fn:
            raise JobError(f"a job named {name!r} is already registered")
        _REGISTRY[name] = JobSpec(name, fn, retries, backoff_seconds, on_failure)
        return fn

    return register


def registered() -> dict[str, JobSpec]:
    return dict(_REGISTRY)


def backoff_delay(spec: JobSpec, attempt: int) -> float:
    """Exponential backoff: backoff, 2x, 4x, ... capped at one day. Pure."""
    return float(min(spec.backoff_seconds * (2 ** attempt), 86_400.0))


class JobQueue:
    def __init__(self, huey: Huey, runtime: Runtime) -> None:
        self.huey = huey
        self.runtime = runtime
        self._task = huey.task(name="tend.run_job")(self._execute)

    def enqueue(self, name: str, payload: dict[str, Any], *, delay: float | None = None,
                attempt: int = 0) -> None:
        if name not in _REGISTRY:
            raise JobError(f"unknown job {name!r}")
        try:
            encoded = json.dumps(payload, sort_keys=True)
        except (TypeError, ValueError) as exc:
            raise JobError(f"job payloads are plain JSON (ids, not objects): {exc}") from None
        if delay and not self.huey.immediate:
            self._task.schedule((name, encoded, attempt), delay=delay)
        else:
            self._task(name, encoded, attempt)

    def _execute(self, name: str, encoded: str, attempt: int) -> None:
        spec = _REGISTRY.get(name)
        if spec is None:
            log.error("dropping job %s: no such job in this version of Tend", name)
            return
        payload = json.loads(encoded)
        try:
            spec.fn(self.runtime, payload)
        except Exception as exc:
            if attempt + 1 < spec.retries:
                delay = backoff_delay(spec, attempt)
                log.warning("job %s failed (attempt %d of %d), retrying in %.0f s: %s",
                            name, attempt + 1, spec.retries, delay, exc)
                self.enqueue(name, payload, delay=delay, attempt=attempt + 1)
            else:
                log.error("job %s failed for good after %d attempts: %s", name,
                          spec.retries, exc)
                if spec.on_failure is not None:
                    spec.on_failure(self.runtime, payload, str(exc))

    def start_consumer(self, workers: int = 2) -> HueyConsumer | None:
        """Consume in this process (threads). Nothing to do for an inline queue."""
        if self.huey.immediate:
            return None
        consumer = _EmbeddedConsumer(self.huey, workers=workers, worker_type="thread",
                                     check_worker_health=False)
        consumer.start()
        return consumer

    def pending(self) -> int:
        return int(self.huey.pending_count())

    def close(self) -> None:
        """Release the queue's connections (Redis pool, SQLite handle)."""
        storage = self.huey.storage
        pool = getattr(storage, "pool", None)
        if pool is not None:
            pool.disconnect()
        close = getattr(storage, "close", None)
        if callable(close):
            close()


class _EmbeddedConsumer(HueyConsumer):  # type: ignore[misc]
    """A consumer living inside another server: the host process (uvicorn) owns the signals."""

    def _set_signal_handlers(self) -> None:
        return None


def make_huey(*, data_dir: Any, redis_url: str | None, inline: bool) -> Huey:
    if inline:
        return MemoryHuey("tend", immediate=True)
    if redis_url:
        return RedisHuey("tend", url=redis_url)
    data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("tend", filename=str(data_dir / "jobs.db"))
