"""Pure rules for customer identities."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")


class IdentityError(ValueError):
    pass


def normalize_email(raw: str) -> str:
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise IdentityError(f"'{raw[:100]}' is not a valid email address: {exc}") from None
    return result.normalized.lower()


def normalize_phone(raw: str) -> str:
    phone = re.sub(r"[\s().\-]", "", raw.strip())
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if not _PHONE.match(phone):
        raise IdentityError(
            f"'{raw[:40]}' is not a phone number in international form (e.g. +4930123456)."
        )
    return phone


def normalize_address(channel: str, raw: str) -> str:
    if channel == "email":
        return normalize_email(raw)
    if channel in ("phone", "sms", "whatsapp"):
        return normalize_phone(raw)
    address = raw.strip()
    if not address or len(address) > 320:
        raise IdentityError("Addresses have 1 to 320 characters.")
    return address


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def normalize_domain(raw: str) -> str:
    domain = raw.strip().lower().lstrip("@")
    if not re.match(r"^(?=.{1,253}$)([a-z0-9](-?[a-z0-9])*\.)+[a-z][a-z0-9-]{0,62}$", domain):
        raise IdentityError(f"'{raw[:100]}' is not a domain name (e.g. example.com).")
    return domain
