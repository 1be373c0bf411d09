"""The `tend` command. Every command takes --host, --port and --data-dir; settings otherwise
come from `TEND_*` environment variables (docs/settings.md)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from tend.settings import Settings, SettingsError


def _common(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--data-dir", type=click.Path(path_type=Path), default=None,
                      help="Where the SQLite database and files live [TEND_DATA_DIR].")(fn)
    fn = click.option("--port", type=int, default=None, help="Port [TEND_PORT].")(fn)
    fn = click.option("--host", default=None, help="Interface to listen on [TEND_HOST].")(fn)
    return fn


def _settings(host: str | None, port: int | None, data_dir: Path | None,
              **extra: Any) -> Settings:
    overrides: dict[str, Any] = {k: v for k, v in
                                 {"host": host, "port": port, "data_dir": data_dir, **extra}.items()
                                 if v is not None}
    try:
        return Settings(**overrides)
    except (SettingsError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


def _export(settings: Settings) -> None:
    """Hand the effective settings to worker processes through the environment."""
    os.environ["TEND_HOST"] = settings.host
    os.environ["TEND_PORT"] = str(settings.port)
    os.environ["TEND_DATA_DIR"] = str(settings.data_dir.resolve())
    if settings.demo:
        os.environ["TEND_DEMO"] = "true"


@click.group()
@click.version_option(package_name="tend")
def main() -> None:
    """Tend: the open-source help desk."""


@main.command()
@_common
@click.option("--workers", type=int, default=None, help="Worker processes [TEND_WORKERS].")
def serve(host: str | None, port: int | None, data_dir: Path | None, workers: int | None) -> None:
    """Run Tend (applies database migrations first)."""
    settings = _settings(host, port, data_dir, workers=workers)
    _serve(settings)


def _serve(settings: Settings) -> None:
    import uvicorn

    from tend import runtime

    if settings.workers > 1 and not settings.redis_url:
        raise click.UsageError(
            "Several worker processes keep live screens in step through Redis: set "
            "TEND_REDIS_URL, or run one worker.")
    rt = runtime.build(settings)  # migrate once, before any worker starts
    try:
        from tend.channels.email.intake import process_pending

        process_pending(rt)  # mail a crash left stored but unprocessed
    finally:
        rt.close()
    _export(settings)
    uvicorn.run("tend.web.asgi:from_env", factory=True, host=settings.host, port=settings.port,
                workers=settings.workers, log_level=settings.log_level, proxy_headers=True,
                access_log=settings.log_level == "debug")


@main.command()
@_common
@click.option("--threads", type=int, default=4, help="Worker threads.")
def worker(host: str | None, port: int | None, data_dir: Path | None, threads: int) -> None:
    """Run background jobs only (with TEND_JOB_WORKERS=0 on `tend serve`, or elsewhere)."""
    from tend import runtime

    rt = runtime.build(_settings(host, port, data_dir))
    consumer = rt.jobs.huey.create_consumer(workers=threads, worker_type="thread")
    click.echo(f"tend worker: {threads} threads on the {type(rt.jobs.huey).__name__} queue")
    try:
        consumer.run()
    finally:
        rt.close()


@main.command()
@_common
def migrate(host: str | None, port: int | None, data_dir: Path | None) -> None:
    """Apply database migrations."""
    from tend import runtime
    from tend.migrations import current_revision

    rt = runtime.build(_settings(host, port, data_dir))
    click.echo(f"database at revision {current_revision(rt.db.engine)}")
    rt.close()


@main.command()
@_common
@click.option("--email", required=True)
@click.option("--password", default=None, help="Prompted for when not given.")
@click.option("--name", default="Administrator")
def createadmin(host: str | None, port: int | None, data_dir: Path | None, email: str,
                password: str | None, name: str) -> None:
    """Create an admin agent (or reset that admin's password)."""
    from tend import runtime
    from tend.access import SYSTEM
    from tend.agents import actions
    from tend.agents.models import Role
    from tend.agents.queries import agent_by_email

    if password is None:
        if not sys.stdin.isatty():
            raise click.ClickException("--password is required when not run interactively")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    rt = runtime.build(_settings(host, port, data_dir))
    try:
        with rt.db.write() as session:
            existing = agent_by_email(session, email)
            if existing is None:
                agent = actions.create_agent(session, SYSTEM, email=email, name=name,
                                             role=Role.ADMIN, password=password)
                click.echo(f"created admin {agent.email}")
            else:
                actions.update_agent(session, SYSTEM, existing,
                                     {"password": password, "role": "admin", "is_active": True})
                click.echo(f"updated admin {existing.email}")
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        rt.close()


@main.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@_common
@click.option("--email", required=True, help="The agent the token acts as.")
@click.option("--name", default="cli", help="A label to recognise the token by.")
def token_create(host: str | None, port: int | None, data_dir: Path | None, email: str,
                 name: str) -> None:
    """Print a new API token for an agent (shown once)."""
    from tend import runtime
    from tend.agents.queries import agent_by_email
    from tend.auth.actions import create_api_token

    rt = runtime.build(_settings(host, port, data_dir))
    try:
        with rt.db.write() as session:
            agent = agent_by_email(session, email)
            if agent is None or not agent.is_active:
                raise click.ClickException(f"no active agent with the email {email}")
            click.echo(create_api_token(session, agent, name))
    finally:
        rt.close()


@main.command()
@_common
@click.option("--reset", is_flag=True, help="Delete the data directory's database first.")
@click.option("--no-serve", is_flag=True, help="Only seed the data; do not start the server.")
@click.option("--seed", "seed_value", type=int, default=7, help="Random seed for the data.")
def demo(host: str | None, port: int | None, data_dir: Path | None, reset: bool,
         no_serve: bool, seed_value: int) -> None:
    """Seed realistic demo data (once) and run Tend."""
    from tend import runtime
    from tend.demo.seed import DEMO_PASSWORD, seed

    settings = _settings(host, port, data_dir or Path("tend-demo-data"), demo=True)
    if reset and settings.database_url is None:
        for suffix in ("", "-wal", "-shm"):
            (settings.data_dir / f"tend.db{suffix}").unlink(missing_ok=True)
    rt = runtime.build(settings)
    try:
        summary = seed(rt, seed=seed_value)
    finally:
        rt.close()
    click.echo(summary.describe())
    url = settings.public_url
    click.echo("")
    click.echo(f"  Tend is running at {url}")
    click.echo(f"  Agent workspace: {url}/login")
    for email, role in summary.logins:
        click.echo(f"    {role:<14} {email:<32} password: {DEMO_PASSWORD}")
    click.echo(f"  Customer portal: {url}/portal  (sign-in links are printed here)")
    click.echo(f"  API docs:        {url}/api/docs")
    if summary.chat_key:
        click.echo(f"  Chat widget:     {url}/widget/demo?inbox={summary.chat_key}  (go online "
                   "for chats in the workspace's top bar)")
    click.echo("")
    if not no_serve:
        _serve(settings)


@main.group()
def mail() -> None:
    """Email channel tools."""


@mail.command("parse")
@click.argument("source", type=click.File("rb"))
def mail_parse(source: Any) -> None:
    """Print the parse of one raw email (FILE.eml, or - for standard input) as JSON."""
    import json

    from tend.channels.email.parse import ParseError, parse_email

    try:
        parsed = parse_email(source.read())
    except ParseError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(parsed.to_json(), ensure_ascii=False, indent=2))


EX_DATAERR, EX_NOINPUT, EX_TEMPFAIL = 65, 66, 75  # sysexits.h: what an MTA pipe understands


@mail.command("ingest")
@_common
@click.argument("sources", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--inbox", "inbox_address", default=None,
              help="The inbox the mail was sent to (default: found from the recipients).")
@click.option("--sender", default=None, help="Envelope sender (the MTA's ${sender}).")
@click.option("--recipient", "recipients", multiple=True,
              help="Envelope recipient (the MTA's ${recipient}); may repeat.")
@click.option("--mbox", is_flag=True, help="Each SOURCE is an mbox file holding many mails.")
def mail_ingest(host: str | None, port: int | None, data_dir: Path | None,
                sources: tuple[str, ...], inbox_address: str | None, sender: str | None,
                recipients: tuple[str, ...], mbox: bool) -> None:
    """Receive mail from files or standard input (an MTA's pipe transport).

    Each mail is stored before anything else, then becomes a ticket or a message; a mail that
    cannot be processed is kept in the quarantine. Exits 0 once every mail is stored, 65 if a
    mail is too large (the MTA bounces it) and 75 if the database cannot be reached (the MTA
    tries again later).
    """
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError

    from tend import runtime
    from tend.channels.email import intake
    from tend.channels.email.models import Inbox

    rt = runtime.build(_settings(host, port, data_dir))
    code = 0
    try:
        inbox_id = None
        if inbox_address:
            with rt.db.read() as session:
                inbox_id = session.scalar(
                    select(Inbox.id).where(Inbox.address == inbox_address.strip().lower()))
            if inbox_id is None:
                raise click.ClickException(f"no inbox with the address {inbox_address}")
        envelope = intake.Envelope(source="pipe", inbox_id=inbox_id, mail_from=sender,
                                   rcpt_to=recipients)
        for name, raw in _mails(sources or ("-",), mbox):
            try:
                got = intake.receive(rt, raw, envelope)
            except intake.MailTooLarge as exc:
                click.echo(f"{name}: refused: {exc}", err=True)
                code = code or EX_DATAERR
                continue
            except OperationalError as exc:
                click.echo(f"{name}: the database cannot be reached: {exc.orig}", err=True)
                sys.exit(EX_TEMPFAIL)
            what = f"ticket {got.ticket_id}" if got.ticket_id else got.status
            dup = " (already received)" if got.duplicate else ""
            click.echo(f"{name}: stored as mail {got.inbound_id}: {what}{dup}")
    finally:
        rt.close()
    sys.exit(code)


def _mails(sources: tuple[str, ...], mbox: bool) -> Any:
    import mailbox

    for source in sources:
        if source == "-":
            if mbox:
                raise click.ClickException("--mbox reads files, not standard input")
            yield "<stdin>", sys.stdin.buffer.read()
            continue
        path = Path(source)
        if not path.is_file():
            click.echo(f"{source}: no such file", err=True)
            sys.exit(EX_NOINPUT)
        if mbox:
            box = mailbox.mbox(path, create=False)
            try:
                for i, key in enumerate(box.keys()):
                    yield f"{source}[{i}]", box.get_bytes(key)
            finally:
                box.close()
        else:
            yield source, path.read_bytes()


def _log_to_stderr(settings: Settings) -> None:
    """Long-running mail commands report what they do (uvicorn configures `tend serve`)."""
    import logging

    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@mail.command("fetch")
@_common
@click.option("--once/--forever", default=True,
              help="One round over every IMAP inbox (default), or keep fetching (IDLE or "
                   "polling) until stopped.")
def mail_fetch(host: str | None, port: int | None, data_dir: Path | None, once: bool) -> None:
    """Fetch mail from the inboxes that have an IMAP server.

    Each mail is stored, then flagged seen (or moved to the inbox's archive folder) on the
    server. --forever takes the fetch lock first, as `tend serve` does, so that only one process
    fetches; run it when `tend serve` has TEND_MAIL_FETCH=false. Exits 75 if an inbox could not
    be fetched with --once.
    """
    import signal

    from tend import runtime
    from tend.channels.email import imap

    settings = _settings(host, port, data_dir)
    rt = runtime.build(settings)
    _log_to_stderr(settings)  # after the migrations, which log each step
    try:
        if once:
            results = imap.fetch_once(rt)
            for account, result in results:
                click.echo(f"{account.address} ({account}): {result}")
            if any(isinstance(result, Exception) for _, result in results):
                sys.exit(EX_TEMPFAIL)
            return
        fetcher = imap.MailFetcher(rt)
        signal.signal(signal.SIGTERM, lambda *_: fetcher.stop(timeout=0))
        try:
            fetcher.run()
        except KeyboardInterrupt:
            fetcher.stop(timeout=0)
    finally:
        rt.close()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=2525, show_default=True, help="Port to listen on.")
@click.option("--lmtp", is_flag=True, help="Speak LMTP (an MTA's local delivery) instead of SMTP.")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None,
              help="Where the SQLite database and files live [TEND_DATA_DIR].")
def smtpd(host: str, port: int, lmtp: bool, data_dir: Path | None) -> None:
    """Receive mail by SMTP or LMTP for the addresses of active inboxes.

    Mail is acknowledged (250) only once it is stored; other recipients get 550, mail larger
    than TEND_MAIL_MAX_BYTES 552, and a database failure 451 (the sender tries again).
    """
    from tend import runtime
    from tend.channels.email import smtpd as listener

    settings = _settings(None, None, data_dir)
    rt = runtime.build(settings)
    _log_to_stderr(settings)
    try:
        listener.serve(rt, host=host, port=port, lmtp=lmtp)
    finally:
        rt.close()
