"""Process settings, read from `TEND_*` environment variables.

Every field here is documented in docs/settings.md (a test checks it). Help-desk preferences that
admins change at run time (customer label, tiers, brand) live in the database (`tend.config`).
"""

from __future__ import annotations

import secrets
from email.utils import parseaddr
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(ValueError):
    """The settings cannot run Tend (e.g. production with a development secret)."""


class Settings(BaseSettings):
    # Inputs stay out of error messages: TEND_SMTP_URL and TEND_SECRET_KEY carry secrets.
    model_config = SettingsConfigDict(env_prefix="TEND_", extra="ignore", frozen=True,
                                      hide_input_in_errors=True)

    environment: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("tend-data")
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    base_url: str | None = None
    secret_key: str | None = None
    session_max_age_seconds: int = Field(default=14 * 24 * 3600, ge=300)
    magic_link_max_age_seconds: int = Field(default=30 * 60, ge=60)
    login_max_attempts: int = Field(default=10, ge=1)
    login_window_seconds: int = Field(default=300, ge=10)
    request_max_bytes: int = Field(default=1024 * 1024, ge=1024)
    attachment_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    attachment_blocked_extensions: str = (
        ".exe,.bat,.cmd,.com,.scr,.pif,.msi,.vbs,.js,.jse,.wsf,.hta,.cpl,.dll,.jar,.ps1,.lnk"
    )
    default_locale: Literal["en", "es", "de"] = "en"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    workers: int = Field(default=1, ge=1, le=64)
    redis_url: str | None = None
    job_workers: int = Field(default=2, ge=0, le=64)
    jobs_inline: bool = False
    live_heartbeat_seconds: float = Field(default=25.0, gt=0, le=300)
    # A chat (waiting or active) ends by itself once its visitor has had no widget open this
    # long; the ticket stays open and replies go by email.
    chat_abandoned_seconds: int = Field(default=15 * 60, ge=60)
    demo: bool = False
    mail_max_bytes: int = Field(default=40 * 1024 * 1024, ge=64 * 1024)
    mail_parse_timeout_seconds: float = Field(default=30.0, gt=0)
    mail_isolate_bytes: int = Field(default=512 * 1024, ge=0)
    mail_trusted_authserv_ids: str = ""
    mail_check_sender: bool = True
    mail_follow_up_after_days: int = Field(default=30, ge=0)
    mail_fetch: bool | None = None  # None: on, except in the test environment
    mail_fetch_interval_seconds: int = Field(default=60, ge=1)
    # The URL carries the relay's password: keep it out of reprs and logs.
    smtp_url: str | None = Field(default=None, repr=False)
    mail_from: str | None = None
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    smtp_ca_file: Path | None = None

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url_works(cls, value: str | None) -> str | None:
        if not value:
            return None
        from tend.channels.email.smtp import parse_url

        parse_url(value)  # raises SmtpConfigError (a ValueError) with what is wrong
        return value

    @field_validator("mail_from")
    @classmethod
    def _mail_from_is_an_address(cls, value: str | None) -> str | None:
        if not value:
            return None
        address = parseaddr(value)[1]
        if "@" not in address or any(ord(c) < 32 or c == "\x7f" for c in value):
            raise ValueError("TEND_MAIL_FROM is an address: help@example.com or "
                             "Example Support <help@example.com>")
        return value

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.environment == "production":
            if not self.secret_key or len(self.secret_key) < 32:
                raise SettingsError(
                    "TEND_SECRET_KEY must be set to at least 32 random characters in production"
                )
            if not self.base_url or not self.base_url.startswith("https://"):
                raise SettingsError("TEND_BASE_URL must be an https:// URL in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tend.db').resolve()}"

    @property
    def public_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def presence_seconds(self) -> float:
        """An agent counts as present (for chats) while a screen of theirs was seen this
        recently: three heartbeats, so one late ping does not make them vanish."""
        return self.live_heartbeat_seconds * 3

    @property
    def trusted_authserv_ids(self) -> frozenset[str]:
        return frozenset(
            t.strip().lower() for t in self.mail_trusted_authserv_ids.split(",") if t.strip()
        )

    @property
    def fetches_mail(self) -> bool:
        """Whether `tend serve` fetches IMAP inboxes (tests start fetchers themselves)."""
        return self.mail_fetch if self.mail_fetch is not None else self.environment != "test"

    @property
    def blocked_extensions(self) -> frozenset[str]:
        return frozenset(
            e.strip().lower() for e in self.attachment_blocked_extensions.split(",") if e.strip()
        )

    def signing_key(self) -> str:
        """The secret used to sign tokens; in development it is created once in the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key
