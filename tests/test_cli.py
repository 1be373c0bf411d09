from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from tend.cli import main
from tend.settings import Settings
from tend.web.app import create_app


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEND_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("TEND_SECRET_KEY", "s" * 40)
    return settings.data_dir


def test_createadmin_and_token_are_non_interactive(env: Path, rt: object) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["createadmin", "--email", "Boss@Example.com", "--password",
                             "a-long-password-1", "--data-dir", str(env)])
    assert r.exit_code == 0, r.output
    assert "created admin boss@example.com" in r.output
    r = runner.invoke(main, ["token", "create", "--email", "boss@example.com",
                             "--data-dir", str(env)])
    assert r.exit_code == 0, r.output
    token = r.output.strip()
    assert token.startswith("tend_")
    with TestClient(create_app(Settings(data_dir=env)), base_url="http://127.0.0.1:8000") as c:
        me = c.get("/api/v1/agents", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert [a["role"] for a in me.json()["items"]] == ["admin"]
    # running it again resets the password instead of failing
    r = runner.invoke(main, ["createadmin", "--email", "boss@example.com", "--password",
                             "another-password-2", "--data-dir", str(env)])
    assert r.exit_code == 0 and "updated admin" in r.output


def test_createadmin_refuses_weak_password_and_missing_agent(env: Path, rt: object) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["createadmin", "--email", "a@example.com", "--password", "short",
                             "--data-dir", str(env)])
    assert r.exit_code != 0 and "at least 10 characters" in r.output
    r = runner.invoke(main, ["token", "create", "--email", "nobody@example.com",
                             "--data-dir", str(env)])
    assert r.exit_code != 0 and "no active agent" in r.output


def test_migrate_reports_head(env: Path, rt: object) -> None:
    r = CliRunner().invoke(main, ["migrate", "--data-dir", str(env)])
    assert r.exit_code == 0 and "revision" in r.output


def test_production_refuses_development_secrets(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setenv("TEND_ENVIRONMENT", "production")
    monkeypatch.delenv("TEND_SECRET_KEY", raising=False)
    r = CliRunner().invoke(main, ["migrate", "--data-dir", str(tmp_path)])
    assert r.exit_code != 0 and "TEND_SECRET_KEY" in r.output


def test_console_outbox_never_prints_links_in_production(capsys: pytest.CaptureFixture[str],
                                                          caplog: pytest.LogCaptureFixture) -> None:
    from tend.notify import ConsoleOutbox, Notice

    notice = Notice(to="c@example.com", subject="Sign in", body="...", link="http://x/secret")
    ConsoleOutbox(show_links=True).send(notice)
    assert "http://x/secret" in capsys.readouterr().out
    quiet = ConsoleOutbox(show_links=False)
    quiet.send(notice)
    assert "secret" not in capsys.readouterr().out
    assert all("secret" not in r.getMessage() for r in caplog.records)
    assert quiet.sent[-1] == notice
