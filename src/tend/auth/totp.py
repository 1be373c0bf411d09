"""Time-based one-time passwords (RFC 6238) for agent two-factor sign-in."""

from __future__ import annotations

import pyotp
import segno


def new_secret() -> str:
    return pyotp.random_base32()


def verify(secret: str, code: str) -> bool:
    code = code.replace(" ", "").strip()
    if not code.isdigit() or len(code) != 6:
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=1)


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """An inline SVG QR code for the authenticator app (no network, no image files)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff"))
