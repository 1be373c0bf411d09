"""Smoke test of benchmarks/api.py at tiny sizes: Tend and the floor on SQLite, no peer."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import api as api_bench


def test_api_benchmark_runs_and_writes_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "figures.json"
    code = api_bench.main([
        "--quick", "--db", "sqlite", "--no-peer", "--concurrency", "1,2",
        "--requests", "20", "--warmup", "2", "--seed-tickets", "60", "--seconds", "10",
        "--max-minutes", "2", "--json", str(out),
    ])
    assert code == 0

    report = json.loads(out.read_text())
    assert report["metadata"]["cpu_count"] >= 1
    assert report["skipped"] == []
    cells = report["cells"]
    keys = {(c["workload"], c["concurrency"], c["target"]) for c in cells}
    assert keys == {(w, n, t) for w in ("create", "list") for n in (1, 2)
                    for t in ("floor", "tend")}
    for cell in cells:
        assert cell["db"] == "sqlite"
        assert cell["errors"] == 0, cell
        assert cell["requests"] == 20
        assert cell["rps"] > 0 and 0 < cell["p50_ms"] <= cell["p99_ms"]
        if cell["workload"] == "list":
            assert cell["table_size"] >= 60  # seeded before the inbox is listed
        if cell["target"] == "tend":
            assert cell["rps_vs_floor"] > 0

    printed = capsys.readouterr().out
    assert "x floor" in printed
    assert "sqlite: Tend creates tickets at" in printed


def test_traffic_is_repeatable_and_customers_come_back() -> None:
    one, two = api_bench.Traffic(seed=3), api_bench.Traffic(seed=3)
    tickets = [one.next() for _ in range(400)]
    assert tickets == [two.next() for _ in range(400)]
    emails = [t.email for t in tickets]
    assert len(set(emails)) < len(emails)  # returning customers
    assert len(set(emails)) > len(emails) // 2
    assert all(t.subject and t.body and "@" in t.email for t in tickets)


def test_plan_defaults() -> None:
    quick = api_bench.make_plan(api_bench.parse_args(["--quick", "--no-peer"]))
    full = api_bench.make_plan(api_bench.parse_args(["--no-peer"]))
    assert (quick.requests, quick.seconds, quick.peer) == (200, 5.0, False)
    assert (full.requests, full.seconds, full.concurrency) == (2000, 20.0, (1, 8, 32))
    assert full.dbs == ("sqlite", "postgres")
    with pytest.raises(SystemExit):
        api_bench.make_plan(api_bench.parse_args(["--db", "mysql"]))
