"""Translations of customer-facing text (portal, emails, later the widget and surveys).

Catalogs are `locales/<lang>/LC_MESSAGES/messages.po`, compiled in memory at start-up with
Babel, so no build step is needed. `make i18n` re-extracts and updates them.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("en", "es", "de")
LOCALE_NAMES = {"en": "English", "es": "Español", "de": "Deutsch"}
HERE = Path(__file__).parent / "locales"


@cache
def translations(locale: str) -> NullTranslations:
    po = HERE / locale / "LC_MESSAGES" / "messages.po"
    if locale == "en" or not po.exists():
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def negotiate(accept_language: str | None, *candidates: str | None, default: str = "en") -> str:
    """The first supported of `candidates`, else the best Accept-Language match, else default."""
    for cand in candidates:
        if cand and cand[:2].lower() in LOCALES:
            return cand[:2].lower()
    if accept_language:
        weighted = []
        for part in accept_language.split(","):
            lang, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            weighted.append((weight, lang.strip()[:2].lower()))
        for _, lang in sorted(weighted, key=lambda w: -w[0]):
            if lang in LOCALES:
                return lang
    return default
