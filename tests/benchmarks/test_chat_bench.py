"""Smoke test of benchmarks/chat.py at a tiny size: the floor, Tend, and two Tend processes
behind Redis when Redis is there (SQLite)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import chat as chat_bench
import chatload

REDIS_URL = "redis://127.0.0.1:6379/11"


def test_chat_benchmark_runs_and_writes_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "figures.json"
    code = chat_bench.main([
        "--quick", "--db", "sqlite", "--connections", "24", "--client-procs", "2",
        "--wave", "8", "--heartbeat", "5", "--hold", "0.5", "--rate", "10", "--seconds", "1",
        "--redis-url", REDIS_URL, "--max-minutes", "4", "--json", str(out),
    ])
    assert code == 0

    report = json.loads(out.read_text())
    redis_there = chat_bench.redis_reachable(REDIS_URL) is None
    names = [c["scenario"] for c in report["scenarios"]]
    assert names == ["floor", "tend", "tend x2"] if redis_there else ["floor", "tend"]
    assert report["db"] == "sqlite" and report["metadata"]["cpu_count"] >= 1
    tend = report["scenarios"][1]
    assert (report["connections"], report["p50_ms"], report["p99_ms"]) == \
        (tend["connections"], tend["p50_ms"], tend["p99_ms"])
    for cell in report["scenarios"]:
        assert cell["connections_target"] == 24 and cell["connect_failed"] == 0, cell
        assert 0 < cell["connections"] <= 24
        # Every message reached the agent (two client processes, 5 a second each).
        assert cell["sent"] == cell["delivered"] == cell["acked"] == 10, cell
        assert 0 < cell["p50_ms"] <= cell["p99_ms"] <= cell["max_ms"]
        assert cell["rss_after_kb"] > 0 and cell["kb_per_connection"] is not None
        if cell["scenario"] != "floor":
            assert set(cell["vs_floor"]) == {"connections", "kb_per_connection", "p50_ms",
                                              "p99_ms"}
    printed = capsys.readouterr().out
    assert "x floor" in printed and "tend (sqlite): held" in printed


def test_plan_defaults() -> None:
    quick = chat_bench.make_plan(chat_bench.parse_args(["--quick"]))
    full = chat_bench.make_plan(chat_bench.parse_args([]))
    assert (quick.connections, quick.client_procs, quick.heartbeat) == (300, 1, 5.0)
    assert (full.connections, full.client_procs, full.dbs) == (5000, 2, ("sqlite",))
    assert full.hold > 2.5 * full.heartbeat  # longer than the server waits for a silent widget
    both = chat_bench.make_plan(chat_bench.parse_args(["--db", "sqlite,postgres", "--no-peer"]))
    assert both.dbs == ("sqlite", "postgresql")
    with pytest.raises(SystemExit):
        chat_bench.make_plan(chat_bench.parse_args(["--db", "mysql"]))


def test_bench_bodies_carry_their_sending_time() -> None:
    assert chatload.bench_time("bench 0-12 t=123456789") == 123456789
    assert chatload.bench_time("Hello") is None
    assert chatload.bench_time("bench 0-1 t=soon") is None
    assert chat_bench.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert chat_bench.percentile([], 0.99) is None
