"""Jobs carry plain JSON, retry with backoff, survive a restart, and work across processes."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tend import jobs, runtime
from tend.runtime import Runtime
from tend.settings import Settings

CI = os.environ.get("CI", "").lower() == "true"
SEEN: list[tuple[str, Any]] = []
FAILURES: list[tuple[dict[str, Any], str]] = []
FLAKY_LEFT: dict[str, int] = {}


@jobs.job("test.record", retries=3, backoff_seconds=0.01)
def _record(rt: Runtime, payload: dict[str, Any]) -> None:
    SEEN.append(("record", payload))


@jobs.job("test.flaky", retries=4, backoff_seconds=0.01,
          on_failure=lambda rt, payload, error: FAILURES.append((payload, error)))
def _flaky(rt: Runtime, payload: dict[str, Any]) -> None:
    key = payload["key"]
    if FLAKY_LEFT.get(key, 0) > 0:
        FLAKY_LEFT[key] -= 1
        raise RuntimeError(f"not yet ({key})")
    SEEN.append(("flaky", payload))


@pytest.fixture(autouse=True)
def _reset() -> None:
    SEEN.clear()
    FAILURES.clear()
    FLAKY_LEFT.clear()


def test_inline_jobs_run_after_a_json_round_trip(rt: Runtime) -> None:
    rt.jobs.enqueue("test.record", {"message_id": 7, "tags": ["a"]})
    assert SEEN == [("record", {"message_id": 7, "tags": ["a"]})]
    with pytest.raises(jobs.JobError, match="plain JSON"):
        rt.jobs.enqueue("test.record", {"when": object()})
    with pytest.raises(jobs.JobError, match="unknown job"):
        rt.jobs.enqueue("no.such.job", {})


def test_failures_are_retried_then_reported(rt: Runtime) -> None:
    FLAKY_LEFT["a"] = 2
    rt.jobs.enqueue("test.flaky", {"key": "a"})
    assert SEEN == [("flaky", {"key": "a"})] and FAILURES == []
    FLAKY_LEFT["b"] = 10
    rt.jobs.enqueue("test.flaky", {"key": "b"})
    assert FAILURES == [({"key": "b"}, "not yet (b)")]
    assert FLAKY_LEFT["b"] == 6  # four attempts, then it gave up


def test_backoff_grows_and_is_capped() -> None:
    spec = jobs.registered()["test.flaky"]
    slow = jobs.JobSpec("x", spec.fn, 10, 30.0, None)
    assert [jobs.backoff_delay(slow, n) for n in range(4)] == [30.0, 60.0, 120.0, 240.0]
    assert jobs.backoff_delay(slow, 30) == 86_400.0


def _wait_for(predicate: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the job did not run in time")
        time.sleep(0.02)


def test_queued_jobs_survive_a_restart(tmp_path: Path, database_url: str) -> None:
    settings = Settings(environment="test", data_dir=tmp_path, database_url=database_url,
                        secret_key="t" * 40)
    first = runtime.build(settings, migrate=False)
    first.jobs.enqueue("test.record", {"n": 1})  # nobody consumes: the process "dies"
    assert first.jobs.pending() == 1 and SEEN == []
    first.close()
    second = runtime.build(settings, migrate=False)  # a restart: the queue is on disk
    consumer = second.jobs.start_consumer(1)
    try:
        _wait_for(lambda: SEEN == [("record", {"n": 1})])
    finally:
        assert consumer is not None
        consumer.stop(graceful=True)
        second.close()


def test_redis_queue_is_shared_between_processes(tmp_path: Path, database_url: str) -> None:
    redis_url = os.environ.get("TEND_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if CI:
            raise
        pytest.skip(f"Redis is not running at {redis_url}")
    finally:
        client.close()
    settings = Settings(environment="test", data_dir=tmp_path, database_url=database_url,
                        secret_key="t" * 40, redis_url=redis_url)
    producer = runtime.build(settings, migrate=False)
    producer.jobs.huey.flush()
    marker = uuid.uuid4().hex
    producer.jobs.enqueue("test.record", {"marker": marker})
    producer.close()
    worker = runtime.build(settings, migrate=False)  # another process would do the same
    consumer = worker.jobs.start_consumer(1)
    try:
        _wait_for(lambda: ("record", {"marker": marker}) in SEEN)
    finally:
        assert consumer is not None
        consumer.stop(graceful=True)
        worker.jobs.huey.flush()
        worker.close()
