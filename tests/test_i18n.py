"""Translations: every customer-facing portal string has a Spanish and a German translation with
the same placeholders, the template (.pot) is current, and pages render in the chosen language."""

from __future__ import annotations

import configparser
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from starlette.testclient import TestClient

import tend
from tend.i18n import LOCALES, negotiate, translations
from tend.settings import Settings
from tend.web.portal import mail
from tend.web.templating import make_environment

SRC = Path(tend.__file__).parent
PORTAL_TEMPLATES = SRC / "web" / "templates" / "portal"
PORTAL_CODE = SRC / "web" / "portal"
LOCALE_DIR = SRC / "i18n" / "locales"
POT = SRC / "i18n" / "messages.pot"
BABEL_CFG = SRC.parent.parent / "babel.cfg"
TRANSLATED = [loc for loc in LOCALES if loc != "en"]


def _jinja_options() -> dict[str, str]:
    """The jinja2 extraction options of babel.cfg (what `make i18n` uses)."""
    cfg = configparser.ConfigParser()
    cfg.read(BABEL_CFG)
    return dict(cfg["jinja2: **/templates/**.html"])


Found = Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]


def _ids(found: Found) -> set[str]:
    return {m if isinstance(m, str) else m[0] for _f, _l, m, _c, _ctx in found}


def portal_msgids() -> set[str]:
    templates = _ids(extract_from_dir(
        str(PORTAL_TEMPLATES), [("**.html", "jinja2.ext:babel_extract")],
        {"**.html": _jinja_options()}))
    code = _ids(extract_from_dir(str(PORTAL_CODE), [("**.py", "python")]))
    return templates | code


def catalog(locale: str) -> Catalog:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def test_extraction_finds_the_portal_strings() -> None:
    ids = portal_msgids()
    # A few from templates, trans blocks, macros and the emails: the extractor really ran.
    for expected in ("Submit a request", "Awaiting your reply", "Signed in as %(name)s",
                     "Your sign-in link for %(helpdesk)s"):
        assert expected in ids
    assert len(ids) > 80


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_portal_string_is_translated(locale: str) -> None:
    cat = catalog(locale)
    missing = sorted(i for i in portal_msgids()
                     if cat.get(i) is None or not cat[i].string or cat[i].fuzzy)
    assert not missing, f"untranslated in {locale}: {missing}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_header_and_placeholders(locale: str) -> None:
    cat = catalog(locale)
    header = dict(cat.mime_headers)
    assert "charset=utf-8" in header["Content-Type"].lower()
    assert header["Plural-Forms"].startswith("nplurals=2")
    problems = [(m.id, [str(e) for e in errors]) for m, errors in cat.check()]
    assert not problems, problems


def test_template_is_current() -> None:
    """`make i18n` has been run since the last portal string changed."""
    with POT.open("rb") as fh:
        pot_ids = {m.id for m in read_po(fh) if m.id}
    assert not portal_msgids() - pot_ids
    for locale in TRANSLATED:
        stale = {m.id for m in catalog(locale) if m.id and not m.string}
        assert not stale & portal_msgids()


def test_extraction_uses_the_renderers_whitespace_rules() -> None:
    """`{% trans %}` msgids depend on trim_blocks/lstrip_blocks: extract as we render."""
    env = make_environment()
    opts = _jinja_options()
    assert (opts.get("trim_blocks") == "True") is env.trim_blocks
    assert (opts.get("lstrip_blocks") == "True") is env.lstrip_blocks


def test_translations_are_used_at_runtime() -> None:
    assert translations("es").gettext("Submit a request") == "Enviar una solicitud"
    assert translations("de").gettext("Submit a request") == "Anfrage stellen"
    assert translations("en").gettext("Submit a request") == "Submit a request"


def test_language_negotiation_order() -> None:
    assert negotiate("es", "de", None, None) == "de"  # ?lang= first
    assert negotiate("es", None, "de", None) == "de"  # then the cookie
    assert negotiate("es", None, None, "de") == "de"  # then the customer's locale
    assert negotiate("fr, es;q=0.8, de;q=0.9") == "de"  # then Accept-Language weights
    assert negotiate("fr") == "en"


def test_portal_renders_in_spanish(client: TestClient) -> None:
    r = client.get("/portal", headers={"Accept-Language": "es-ES,es;q=0.9"})
    assert r.status_code == 200
    assert '<html lang="es">' in r.text
    for spanish in ("¿En qué podemos ayudarle?", "Enviar una solicitud", "Iniciar sesión",
                    "Ir al contenido"):
        assert spanish in r.text
    for english in ("How can we help?", "Submit a request", "Skip to content"):
        assert english not in r.text
    r = client.get("/portal/requests/new", headers={"Accept-Language": "es"})
    assert "Su correo electrónico" in r.text and "Adjuntar archivos (opcional)" in r.text


def test_query_lang_beats_accept_language(client: TestClient) -> None:
    r = client.get("/portal/login?lang=de", headers={"Accept-Language": "es"})
    assert '<html lang="de">' in r.text and "Anmelden" in r.text


def test_sign_in_email_in_german() -> None:
    settings = Settings(environment="test", magic_link_max_age_seconds=1800)
    notice = mail.sign_in_link(settings, "de", "Hilfe GmbH", to="kim@example.de", name="Kim",
                               url="https://help.example/portal/auth/t")
    assert notice.subject == "Ihr Anmeldelink für Hilfe GmbH"
    assert notice.body.startswith("Hallo Kim,")
    assert "https://help.example/portal/auth/t" in notice.body
    assert "läuft in 30 Minuten ab" in notice.body


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_chat_widget_string_is_translated(locale: str) -> None:
    """The widget's texts (sent in its config) have each language, with the same placeholders."""
    import re

    from tend.channels.chat.strings import STRINGS, widget_strings

    cat = catalog(locale)
    texts = widget_strings(locale)
    for key, english in STRINGS.items():
        entry = cat.get(english)
        assert entry is not None and entry.string and not entry.fuzzy, (locale, english)
        assert set(re.findall(r"\{\w+\}", texts[key])) == set(re.findall(r"\{\w+\}", english))
    assert texts["send"] != STRINGS["send"]  # really translated, not the English fallback
