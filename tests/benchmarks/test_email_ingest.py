"""Smoke test of benchmarks/email_ingest.py at a tiny size (SQLite, no peer), and its stream."""

from __future__ import annotations

import email
import email.policy
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import email_ingest as bench


def test_email_benchmark_runs_and_threads_every_reply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "figures.json"
    code = bench.main(["--n", "80", "--db", "sqlite", "--no-peer", "--max-minutes", "3",
                       "--json", str(out)])
    assert code == 0

    report = json.loads(out.read_text())
    assert report["skipped"] == []
    mix = report["metadata"]["mix"]
    assert sum(mix.values()) == 80 and mix["reply-references"] == mix["reply-subject"] == 12
    new = sum(mix[k] for k in bench.NEW_KINDS)
    [result] = report["results"]
    assert result["db"] == "sqlite" and result["peer"] is None
    floor, tend = result["floor"], result["tend"]
    assert floor["messages"] == tend["messages"] == 80
    assert floor["checks"] == {"rows": 80, "ok": True}
    checks = tend["checks"]
    assert (checks["inbound_rows"], checks["processed"], checks["filed"]) == (80, 80, 80)
    assert checks["tickets"] == checks["tickets_expected"] == new
    assert checks["new_with_own_ticket"] == [new, new]
    assert checks["threaded_references"] == [12, 12]
    assert checks["threaded_subject"] == [12, 12]
    assert checks["outcomes"] == {"new": new, "references": 12, "subject": 12}
    stored, expected = checks["attachments"]
    assert stored == expected > 0
    assert checks["ok"] is True
    for part in (floor, tend):
        assert part["msgs_per_s"] > 0 and 0 < part["p50_ms"] <= part["p99_ms"]
        assert not part["stopped_early"]
    assert result["tend_vs_floor"] > 0

    printed = capsys.readouterr().out
    assert "Tend ÷ floor" in printed
    assert "sqlite Tend: 80 stored, 80 processed" in printed and "-> ok" in printed


def test_the_stream_is_repeatable_and_replies_follow_their_parents() -> None:
    mails = bench.MailStream(seed=3).generate(400)
    assert [m.raw for m in mails] == [m.raw for m in bench.MailStream(seed=3).generate(400)]
    assert bench.mix(mails)["reply-references"] == bench.mix(mails)["reply-subject"] == 60
    numbers = {}
    for mail in mails:
        msg = email.message_from_bytes(mail.raw, policy=email.policy.default)
        assert msg["Message-ID"] == f"<{mail.msgid}>"
        if mail.kind in bench.NEW_KINDS:
            assert (mail.root, mail.wave) == (mail.index, 0)
            numbers[mail.index] = mail.number
            assert mail.number == len(numbers)  # Tend numbers tickets in arrival order
            continue
        root = mails[mail.root]
        assert root.index < mail.index and mail.wave >= 1
        first = email.message_from_bytes(root.raw, policy=email.policy.default)
        assert msg["From"] == first["From"]  # the same customer: a participant
        if mail.kind == bench.REF:
            parent = msg["In-Reply-To"].strip("<>")
            assert parent in {m.msgid for m in mails[:mail.index]}
            assert f"<{root.msgid}>" in msg["References"] or mail.wave > 10
        else:
            assert msg["Subject"] == f"Re: [#{numbers[root.index]}] {root.subject}"
    files = Counter(name.rsplit(".", 1)[1] for m in mails for name, _size in m.files)
    assert set(files) == {"pdf", "png", "jpg", "txt", "docx"}


def test_checks_catch_a_reply_filed_in_the_wrong_ticket() -> None:
    mails = bench.MailStream(seed=5).generate(40)
    right = {m.msgid: m.root + 1 for m in mails}
    stored = Counter(f for m in mails for f in m.files)
    new = sum(1 for m in mails if m.kind in bench.NEW_KINDS)
    good = bench.threading_checks(mails, right, new, stored=stored, extra={})
    assert good["ok"] is True
    reply = next(m for m in mails if m.kind == bench.TAG)
    wrong = bench.threading_checks(mails, {**right, reply.msgid: 999}, new, stored=stored,
                                   extra={})
    assert wrong["ok"] is False and wrong["threaded_subject"] == [5, 6]
    lost = bench.threading_checks(mails, right, new, stored=Counter(), extra={})
    assert lost["ok"] is False and lost["attachments"] == [0, sum(stored.values())]


def test_the_peer_gets_its_own_subject_tag() -> None:
    mail = next(m for m in bench.MailStream(seed=3).generate(100) if m.kind == bench.TAG)
    retagged = bench.retag(mail.raw, f"Re: [support-17] {mail.subject}")
    before = email.message_from_bytes(mail.raw, policy=email.policy.default)
    after = email.message_from_bytes(retagged, policy=email.policy.default)
    assert after["Subject"] == f"Re: [support-17] {mail.subject}"
    assert after["Message-ID"] == before["Message-ID"]
    assert after.get_body().get_content() == before.get_body().get_content()  # type: ignore[union-attr]


def test_defaults() -> None:
    quick = bench.parse_args(["--quick", "--no-peer"])
    full = bench.parse_args(["--no-peer"])
    assert (quick.n, quick.max_minutes, quick.peer) == (500, 10.0, False)
    assert (full.n, full.peer_n, full.dbs) == (10_000, 2000, ["sqlite", "postgres"])
    assert bench.parse_args(["--n", "100", "--no-peer"]).peer_n == 100
    with pytest.raises(SystemExit):
        bench.parse_args(["--db", "mysql"])
