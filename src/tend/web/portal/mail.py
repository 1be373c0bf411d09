"""The emails the portal sends (through `rt.outbox`, after the transaction has committed),
written in the customer's page language."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from babel.dates import format_timedelta

from tend.i18n import translations
from tend.notify import Notice
from tend.settings import Settings


def link_expiry(settings: Settings, locale: str) -> str:
    """When a magic link expires, in words ("in 30 minutes", "dentro de 30 minutos")."""
    return format_timedelta(timedelta(seconds=settings.magic_link_max_age_seconds),
                            add_direction=True, locale=locale)


def sign_in_url(settings: Settings, token: str, next_path: str = "/portal") -> str:
    url = f"{settings.public_url}/portal/auth/{token}"
    return url if next_path == "/portal" else f"{url}?next={quote(next_path, safe='/')}"


def sign_in_link(settings: Settings, locale: str, helpdesk: str, *, to: str, name: str,
                 url: str) -> Notice:
    _ = translations(locale).gettext
    values = {"helpdesk": helpdesk, "name": name, "link": url,
              "expiry": link_expiry(settings, locale)}
    return Notice(
        to=to,
        subject=_("Your sign-in link for %(helpdesk)s") % values,
        body=_("Hello %(name)s,\n\n"
               "Use this link to sign in to %(helpdesk)s:\n\n"
               "%(link)s\n\n"
               "The link works once and expires %(expiry)s. If you did not ask for it, you can "
               "ignore this email.") % values,
        link=url,
    )


def request_received(settings: Settings, locale: str, helpdesk: str, *, to: str, name: str,
                     number: int, subject: str, url: str) -> Notice:
    _ = translations(locale).gettext
    values = {"helpdesk": helpdesk, "name": name, "link": url, "number": number,
              "subject": subject, "expiry": link_expiry(settings, locale)}
    return Notice(
        to=to,
        subject=_("We received your request #%(number)s") % values,
        body=_("Hello %(name)s,\n\n"
               "Thank you for contacting %(helpdesk)s. We received your request #%(number)s "
               "(\"%(subject)s\").\n\n"
               "Follow it and reply online with this link:\n\n"
               "%(link)s\n\n"
               "The link works once and expires %(expiry)s. You can ask for a new link on the "
               "sign-in page at any time.") % values,
        link=url,
    )


def password_changed(settings: Settings, locale: str, helpdesk: str, *, to: str,
                     name: str) -> Notice:
    _ = translations(locale).gettext
    values = {"helpdesk": helpdesk, "name": name,
              "link": f"{settings.public_url}/portal/login"}
    return Notice(
        to=to,
        subject=_("Your password for %(helpdesk)s was changed") % values,
        body=_("Hello %(name)s,\n\n"
               "The password of your %(helpdesk)s account was just set or changed.\n\n"
               "If this was not you, sign in with an email link and set a new password:\n\n"
               "%(link)s") % values,
    )
