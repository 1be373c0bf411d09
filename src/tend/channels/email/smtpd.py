"""Receiving mail by SMTP or LMTP (`tend smtpd`), on aiosmtpd.

Behind an MTA (Postfix hands mail over by LMTP or SMTP) or as the MX itself. Only addresses of
active inboxes are accepted (with `+tag` subaddresses, which carry reply tokens); everything
else gets `550`, so this is never an open relay. SIZE is announced and larger mail refused with
`552`. `250` is answered only after `intake.receive` returned, i.e. after the mail was committed;
when the database fails the answer is `451`, and the sending MTA tries again later (a mail
stored before the failure is then recognised as a duplicate).

LMTP answers once per recipient after DATA (RFC 2033): each recipient is received on its own,
so a failure for one does not make the MTA resend to the others. Intake blocks (parsing, the
database), so it runs in a worker thread while the event loop keeps serving other clients.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from aiosmtpd.smtp import Envelope as SmtpEnvelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy import select

from tend.channels.email import intake
from tend.channels.email.models import Inbox
from tend.channels.email.threading import base_address

if TYPE_CHECKING:
    from tend.runtime import Runtime

log = logging.getLogger("tend.email.smtpd")

TEMPORARY = "451 4.3.0 Temporary failure, please try again later"


class Handler:
    """aiosmtpd hooks: recipients checked against the inboxes, mail handed to intake."""

    def __init__(self, rt: Runtime, *, lmtp: bool) -> None:
        self.rt = rt
        self.source = "lmtp" if lmtp else "smtp"

    def _inbox_id(self, address: str) -> int | None:
        with self.rt.db.read() as session:
            found = session.scalar(select(Inbox.id).where(
                Inbox.address == base_address(address), Inbox.active))
            return int(found) if found is not None else None

    async def handle_RCPT(self, server: SMTP, session: SmtpSession, envelope: SmtpEnvelope,
                          address: str, rcpt_options: list[str]) -> str:
        if "@" not in address:
            return f"550 5.1.1 <{address}>: no such inbox here"
        try:
            inbox_id = await asyncio.to_thread(self._inbox_id, address)
        except Exception:
            log.exception("cannot look up the recipient %s", address)
            return TEMPORARY
        if inbox_id is None:
            return f"550 5.1.1 <{address}>: no such inbox here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: SmtpSession,
                          envelope: SmtpEnvelope) -> str:
        raw = envelope.original_content or b""
        if self.source == "lmtp":
            replies = [await self._receive(raw, session, envelope, [rcpt])
                       for rcpt in envelope.rcpt_tos]
            return "\r\n".join(replies)
        return await self._receive(raw, session, envelope, envelope.rcpt_tos)

    async def _receive(self, raw: bytes, session: SmtpSession, envelope: SmtpEnvelope,
                       recipients: Sequence[str]) -> str:
        peer: Any = session.peer
        mail = intake.Envelope(
            source=self.source, mail_from=envelope.mail_from or None,
            rcpt_to=tuple(recipients),
            client_ip=peer[0] if isinstance(peer, tuple) and peer else None,
            helo=session.host_name,
        )
        try:
            got = await asyncio.to_thread(intake.receive, self.rt, raw, mail)
        except intake.MailTooLarge as exc:
            return f"552 5.3.4 {exc}"
        except Exception:  # the database is down, the disk is full: nothing was promised
            log.exception("cannot receive mail from %s for %s", mail.client_ip,
                          ",".join(recipients))
            return TEMPORARY
        return f"250 2.0.0 OK: stored as mail {got.inbound_id}"


class Listener:
    """An SMTP or LMTP server on one address, run on the current event loop."""

    def __init__(self, rt: Runtime, *, host: str = "127.0.0.1", port: int = 2525,
                 lmtp: bool = False) -> None:
        self.rt, self.host, self.port, self.lmtp = rt, host, port, lmtp
        self.handler = Handler(rt, lmtp=lmtp)
        self.server: asyncio.Server | None = None

    def _protocol(self) -> SMTP:
        kind = LMTP if self.lmtp else SMTP
        return kind(self.handler, data_size_limit=self.rt.settings.mail_max_bytes,
                    enable_SMTPUTF8=True, decode_data=False, ident="Tend",
                    hostname=urlsplit(self.rt.settings.public_url).hostname or "tend",
                    loop=asyncio.get_running_loop())

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(self._protocol, self.host, self.port)
        self.port = int(self.server.sockets[0].getsockname()[1])  # when asked for port 0
        log.info("tend smtpd: %s on %s:%d", "LMTP" if self.lmtp else "SMTP", self.host,
                 self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None


def serve(rt: Runtime, *, host: str, port: int, lmtp: bool) -> None:
    """Run until SIGINT or SIGTERM (`tend smtpd`). Mails a crash left stored but unprocessed
    are finished first."""
    intake.process_pending(rt)

    async def main() -> None:
        listener = Listener(rt, host=host, port=port, lmtp=lmtp)
        await listener.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await listener.stop()

    asyncio.run(main())
