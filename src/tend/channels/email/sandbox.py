"""Parse a mail under a hard time limit.

Small mails are parsed in-process: the parser is linear-time with part and depth limits, so
their time is bounded by their size. Larger ones go to a child process that is killed when the
limit passes, so that one pathological mail costs at most the limit and never wedges intake.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from tend.channels.email.parse import ParsedEmail, ParseError, parse_email


class ParseTimeout(ParseError):
    """The mail took longer than the limit to parse."""


def _parse_in_child(raw: bytes, max_bytes: int) -> ParsedEmail:
    return parse_email(raw, max_bytes=max_bytes)


class ParseSandbox:
    def __init__(self, *, timeout: float, isolate_bytes: int, max_bytes: int) -> None:
        self.timeout = timeout
        self.isolate_bytes = isolate_bytes
        self.max_bytes = max_bytes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def parse(self, raw: bytes) -> ParsedEmail:
        if len(raw) <= self.isolate_bytes:
            return parse_email(raw, max_bytes=self.max_bytes)
        with self._lock:  # one child; mails this large are rare
            pool = self._pool or self._new_pool()
            future = pool.submit(_parse_in_child, raw, self.max_bytes)
            try:
                return future.result(timeout=self.timeout)
            except FutureTimeout:
                self._kill()
                raise ParseTimeout(
                    f"parsing took longer than {self.timeout:g} s (the mail is {len(raw)} bytes)"
                ) from None
            except BrokenProcessPool:
                self._kill()
                raise ParseError("the parser process died on this mail") from None

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver: forking a threaded server (uvicorn, job threads) is unsafe.
        ctx = multiprocessing.get_context("forkserver")
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
        return self._pool

    def _kill(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()
        pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
