"""Handing a mail to an SMTP server: one connection per mail, encrypted unless told otherwise.

Modes: `tls` (implicit TLS, usually port 465), `starttls` (plain connection upgraded before
anything else is said, usually 587; a server that does not offer STARTTLS is an error, never a
silent downgrade) and `none` (a relay on the same host or network, port 25).

Every failure is sorted for the job queue: `TemporaryFailure` (a 4xx answer, a refused or
dropped connection, a timeout) is retried with backoff; `PermanentFailure` (a 5xx answer, a
server that cannot do what the settings ask) fails the mail at once. Reasons are the server's
own words, for the agent who reads "not delivered"; passwords never appear in them.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

SECURITY_MODES = ("tls", "starttls", "none")
DEFAULT_PORTS = {"tls": 465, "starttls": 587, "none": 25}
_SCHEMES = {"smtps": "tls", "smtp+tls": "tls", "smtp+starttls": "starttls", "smtp": "starttls",
            "smtp+none": "none"}
_MAX_REASON = 500


class SmtpConfigError(ValueError):
    """An SMTP URL or server setting that cannot work."""


class DeliveryError(Exception):
    """The server did not take the mail. `reason` is safe to show to agents."""

    temporary: bool = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TemporaryFailure(DeliveryError):
    """Try again later (4xx, connection trouble)."""

    temporary = True


class PermanentFailure(DeliveryError):
    """Trying again will not help (5xx, a server that lacks what the settings require)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    # An extra CA certificate (PEM file) to trust, for relays with a private CA.
    ca_file: str | None = None

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise SmtpConfigError(f"SMTP security is one of {', '.join(SECURITY_MODES)}, "
                                  f"not {self.security!r}")
        if not self.host or any(c.isspace() or ord(c) < 32 for c in self.host):
            raise SmtpConfigError("the SMTP host is missing or malformed")
        if not 0 < self.port < 65536:
            raise SmtpConfigError(f"the SMTP port {self.port} is out of range")

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_url(url: str, *, timeout: float = 30.0, ca_file: str | None = None) -> SmtpConfig:
    """`smtp+starttls://user:pass@host:587`, `smtps://…` (or `smtp+tls://`), `smtp+none://…`.

    Plain `smtp://` means STARTTLS: encryption is the default, never an opt-in. User and
    password are percent-decoded (a `@` in a password is written `%40`).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise SmtpConfigError(f"not an SMTP URL: {exc}") from None
    security = _SCHEMES.get(parts.scheme.lower())
    if security is None:
        raise SmtpConfigError(
            f"an SMTP URL starts with one of {', '.join(sorted(_SCHEMES))}:// "
            f"(got {parts.scheme or 'nothing'!r})")
    if not parts.hostname:
        raise SmtpConfigError("the SMTP URL names no host")
    return SmtpConfig(
        host=parts.hostname, port=port or DEFAULT_PORTS[security], security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        timeout=timeout, ca_file=ca_file,
    )


@dataclass(frozen=True)
class Sent:
    """The server took the mail; `refused` lists recipients it would not take (and why)."""

    refused: dict[str, str] = field(default_factory=dict)


def send(config: SmtpConfig, message: EmailMessage, *, mail_from: str,
         recipients: Sequence[str]) -> Sent:
    """Deliver `message` to `recipients` (the envelope, which may differ from the headers).

    Raises TemporaryFailure or PermanentFailure.
    """
    if not recipients:
        raise PermanentFailure("the mail has no recipients")
    data = message.as_bytes()
    try:
        client = _connect(config)
        try:
            if config.username:
                client.login(config.username, config.password or "")
            refused = client.sendmail(mail_from, list(recipients), data)
        finally:
            _quit(client)
    except smtplib.SMTPRecipientsRefused as exc:
        answers = {rcpt: _answer(code, msg) for rcpt, (code, msg) in exc.recipients.items()}
        reason = _cap("; ".join(f"{rcpt}: {answer}" for rcpt, answer in answers.items()))
        if any(400 <= code < 500 for code, _msg in exc.recipients.values()):
            raise TemporaryFailure(reason) from None
        raise PermanentFailure(reason) from None
    except smtplib.SMTPResponseException as exc:  # sender refused, data refused, auth, greeting
        raise _by_code(exc.smtp_code, exc.smtp_error, config) from None
    except smtplib.SMTPNotSupportedError as exc:  # no STARTTLS, no AUTH: settings vs server
        raise PermanentFailure(_cap(f"{config.where}: {exc}")) from None
    except ssl.SSLCertVerificationError as exc:
        raise TemporaryFailure(_cap(
            f"{config.where}: the server's TLS certificate is not trusted "
            f"({exc.verify_message or exc})")) from None
    except (smtplib.SMTPServerDisconnected, OSError) as exc:  # refused, reset, timeout, TLS
        raise TemporaryFailure(_cap(f"cannot reach {config.where}: {_describe(exc)}")) from None
    except smtplib.SMTPException as exc:
        raise PermanentFailure(_cap(f"{config.where}: {exc}")) from None
    return Sent({rcpt: _answer(code, msg) for rcpt, (code, msg) in refused.items()})


def _tls_context(config: SmtpConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if config.ca_file:
        context.load_verify_locations(cafile=config.ca_file)  # in addition to the system's CAs
    return context


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    if config.security == "tls":
        return smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                context=_tls_context(config))
    client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    if config.security == "starttls":
        try:
            client.ehlo()
            if not client.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError(
                    "the server does not offer STARTTLS; refusing to send in the clear")
            client.starttls(context=_tls_context(config))
            client.ehlo()
        except BaseException:
            client.close()
            raise
    return client


def _quit(client: smtplib.SMTP) -> None:
    # Once the server said 250 to the data the mail is sent: trouble saying goodbye must not
    # turn it into a failure (and a duplicate on retry).
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _by_code(code: int, msg: bytes | str, config: SmtpConfig) -> DeliveryError:
    reason = _cap(f"{config.where} answered {_answer(code, msg)}")
    return PermanentFailure(reason) if code >= 500 else TemporaryFailure(reason)


def _answer(code: int, msg: bytes | str) -> str:
    text = msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg)
    return f"{code} {' '.join(text.split())}".strip()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def _cap(text: str) -> str:
    return text if len(text) <= _MAX_REASON else text[:_MAX_REASON - 1] + "…"
