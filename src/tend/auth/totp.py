"""Time-based one-time passwords (RFC 6238) for agent two-factor sign-in."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

import pyotp
import segno


def new_secret() -> str:
    return pyotp.random_base32()


def matching_step(secret: str, code: str, *, after: int | None = None) -> int | None:
    """The 30-second time step `code` belongs to (one step of clock drift either way), or None.

    A step at or before `after` (the last one used) does not count: a code works once.
    """
    code = code.replace(" ", "").strip()
    if not code.isdigit() or len(code) != 6:
        return None
    otp = pyotp.TOTP(secret)
    now = otp.timecode(datetime.now(UTC))
    for step in (now, now - 1, now + 1):
        if (after is None or step > after) and hmac.compare_digest(
                otp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """An inline SVG QR code for the authenticator app (no network, no image files)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff"))
