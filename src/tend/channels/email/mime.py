"""Low-level helpers for real-world mail: charset repair, RFC 2047 / 2231 decoding and
HTML to text. Pure functions, no I/O; nothing here raises on malformed input."""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import quopri
import re
from html.parser import HTMLParser
from typing import Any

try:  # better guesses for undeclared charsets; without it, windows-1252 is the fallback
    from charset_normalizer import from_bytes
    _detect: Any = from_bytes
except ImportError:  # pragma: no cover - exercised only without the dependency
    _detect = None

# Declared name → the codec that actually decodes what senders mean by it. Senders label
# windows-1252 as iso-8859-1, GBK/GB18030 as gb2312, CP932 as shift_jis, and so on; each
# right-hand codec is a superset of the label, so correctly labelled mail is unaffected.
_SUPERSETS = {
    "ascii": "ascii", "us-ascii": "ascii", "ansi_x3.4-1968": "ascii", "iso646-us": "ascii",
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "iso_8859-1": "cp1252", "windows-1252": "cp1252", "cp1252": "cp1252",
    "iso-8859-9": "cp1254", "iso-8859-11": "cp874", "tis-620": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "euc-cn": "gb18030",
    "x-gbk": "gb18030", "cp936": "gb18030",
    "big5": "big5hkscs", "x-big5": "big5hkscs",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_ext", "csiso2022jp": "iso2022_jp_ext",
    "euc-jp": "euc_jis_2004",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "korean": "cp949",
    "utf8": "utf-8", "unicode-1-1-utf-7": "utf-7", "x-unicode20utf8": "utf-8",
    "unknown-8bit": "", "x-unknown": "", "unknown": "", "default": "", "x-user-defined": "",
}
# When bytes are invalid in the declared codec, the same script's other encodings are the
# likeliest truth (a Japanese client labelling Shift_JIS as ISO-2022-JP, Big5 as GB2312...).
_SIBLINGS = {
    # JIS X 0213 variants cover the NEC specials (①, ㈱) Windows clients send as ISO-2022-JP
    "iso2022_jp_ext": ("iso2022_jp_2004", "iso2022_jp_3", "iso2022_jp_2", "cp932",
                       "euc_jis_2004"), "cp932": ("euc_jis_2004",),
    "euc_jis_2004": ("cp932",), "gb18030": ("big5hkscs",), "big5hkscs": ("gb18030",),
}
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                            rb"[\xf0-\xf4][\x80-\xbf]{3}")
_SEVEN_BIT = {"utf-7", "iso2022_jp_ext", "iso2022_jp", "iso2022_jp_2", "iso2022_jp_2004",
              "iso2022_jp_3", "iso2022_kr", "hz"}
_LATIN = re.compile(r"^(ascii|cp125\d|cp874|iso8859_\d+|latin_1|mac_roman|iso8859_15)$")
_BROKEN = "\ufffd"


def codec_for(charset: str | None) -> str | None:
    """The Python codec for a declared charset, or None when unknown or meaningless."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes to text without mojibake or exceptions.

    The declared charset is trusted when the bytes are valid in it, except that valid UTF-8
    beats a single-byte Latin label (a sender's client labelled UTF-8 as us-ascii/latin-1:
    multibyte UTF-8 sequences almost never occur in real Latin text)."""
    if not data:
        return ""
    if data.isascii():
        codec = codec_for(declared)
        if codec in _SEVEN_BIT:
            for candidate in (codec, *_SIBLINGS.get(codec, ())):
                if candidate != codec and not candidate.startswith("iso2022"):
                    continue
                text = _try(data, candidate)
                if text is not None:
                    return text
            if codec.startswith("iso2022_jp"):
                return _iso2022_jp_as_cp932(data)
            return data.decode(codec, "replace")
        return data.decode("ascii")
    codec = codec_for(declared)
    if codec is None or codec == "ascii" or _LATIN.match(codec) or codec == "utf-8":
        text = _try(data, "utf-8")
        if text is not None:
            return text
    if codec == "utf-8":
        # Invalid UTF-8. Mixed with valid multibyte sequences it is damaged UTF-8; without
        # any it is nearly always windows-1252 labelled as UTF-8.
        if _UTF8_SEQUENCE.search(data):
            return data.decode("utf-8", "tend-cp1252")
        return _try(data, "cp1252") or data.decode("latin-1")
    if codec is not None and codec != "ascii":
        text = _try(data, codec)
        if text is not None:
            return text
        for sibling in _SIBLINGS.get(codec, ()):
            text = _try(data, sibling)
            if text is not None:
                return text
    if codec in (None, "ascii", "utf-8") or not _LATIN.match(codec or ""):
        guess = _guess(data)
        if guess is not None:
            return guess
    if codec is not None and codec != "ascii":
        return data.decode(codec, "replace")
    return data.decode("cp1252", "replace").replace(_BROKEN, "")


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as windows-1252, the usual
    culprit when one paste into a UTF-8 mail came from a Windows-1252 source."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start:error.end]
    return chunk.decode("cp1252", "replace").replace(_BROKEN, ""), error.end


codecs.register_error("tend-cp1252", _cp1252_fallback)


def _iso2022_jp_as_cp932(data: bytes) -> str:
    """ISO-2022-JP as Windows writes it (CP50220: NEC specials such as ① and ㈱, IBM
    extensions), which Python's iso2022 codecs reject: re-encode each JIS X 0208 pair as
    Shift_JIS and decode with cp932, which has those rows."""
    out = bytearray()
    mode = "ascii"
    i = 0
    while i < len(data):
        if data[i] == 0x1B and i + 2 < len(data):
            seq = data[i + 1:i + 3]
            if seq in (b"$B", b"$@"):
                mode, i = "jis", i + 3
                continue
            if seq in (b"(B", b"(J"):
                mode, i = "ascii", i + 3
                continue
            if seq == b"(I":
                mode, i = "kana", i + 3
                continue
        byte = data[i]
        if mode == "jis" and 0x21 <= byte <= 0x7E and i + 1 < len(data):
            j1, j2 = byte, data[i + 1]
            s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5E else 0xB0)
            s2 = j2 + (0x1F if j1 % 2 else 0x7E)
            if j1 % 2 and s2 >= 0x7F:
                s2 += 1
            out += bytes((s1, s2 & 0xFF))
            i += 2
            continue
        out.append(byte + 0x80 if mode == "kana" and 0x21 <= byte <= 0x5F else byte)
        i += 1
    return out.decode("cp932", "replace")


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _guess(data: bytes) -> str | None:
    # A handful of 8-bit bytes is too little for any detector (it would pick Arabic or
    # Korean for "Grüße"); windows-1252 is then the likeliest, and the caller's fallback.
    if _detect is None or sum(byte > 0x7F for byte in data[:65536]) < 24:
        return None
    # Only the lines with 8-bit bytes carry a signal; a mostly-ASCII sample (base64 blocks,
    # markup) drowns it and makes the detector pick a wrong single-byte codec.
    sample = b"\n".join(line for line in data[:262144].split(b"\n") if not line.isascii())
    best = _detect(sample[:65536] if len(sample) >= 8 else data[:65536]).best()
    if best is None or best.encoding is None:
        return None
    return data.decode(best.encoding, "replace")


# ---------------------------------------------------------------------------- headers

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*?)\?=")
_WORD_GAP = re.compile(r"(\?=)\s+(=\?)")
_FOLD = re.compile(r"\r?\n(?=[ \t])")


def unfold(value: str) -> str:
    return _FOLD.sub("", value).replace("\r", "").replace("\n", "")


def raw_to_text(value: str, hints: tuple[str, ...] = ()) -> str:
    """A header value as the compat32 parser hands it over: raw 8-bit bytes (against the
    RFC, but common) are surrogate-escaped. Re-read them as UTF-8, else in a charset the
    message declares for its parts (`hints`, multibyte ones first: a Latin codec accepts any
    bytes), else windows-1252. No statistical guess: header values are too short for one."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        data = value.encode("utf-8", "surrogateescape")
        for codec in ("utf-8", *hints):
            text = _try(data, codec)
            if text is not None:
                return text
        return data.decode("cp1252", "replace")
    return value


def header_hints(charsets: list[str]) -> tuple[str, ...]:
    """Codecs worth trying on raw 8-bit header bytes, multibyte ones before Latin ones."""
    codecs_ = [c for c in dict.fromkeys(codec_for(cs) for cs in charsets) if c and c != "ascii"]
    wide = [c for c in codecs_ if not _LATIN.match(c)]
    siblings = [s for c in wide for s in _SIBLINGS.get(c, ()) if s not in wide]
    return (*wide, *siblings, *(c for c in codecs_ if _LATIN.match(c)))


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded-words anywhere in a string (also inside quoted parameters,
    where clients put them although the RFC says not to). Adjacent words are joined before
    decoding so multibyte characters split across words survive."""
    if "=?" not in value:
        return value
    value = _WORD_GAP.sub(r"\1\2", value)
    out: list[str] = []
    pos = 0
    pending = b""
    pending_charset: str | None = None
    for match in _ENCODED_WORD.finditer(value):
        charset = match.group(1).split("*", 1)[0]
        if match.start() != pos or (pending and charset.lower() != (pending_charset or "")):
            if pending:
                out.append(decode_text(pending, pending_charset))
                pending = b""
            out.append(value[pos:match.start()])
        pending += _word_bytes(match.group(2), match.group(3))
        pending_charset = charset.lower()
        pos = match.end()
    if pending:
        out.append(decode_text(pending, pending_charset))
    out.append(value[pos:])
    return "".join(out)


def _word_bytes(encoding: str, payload: str) -> bytes:
    raw = payload.encode("ascii", "replace")
    if encoding in "bB":
        raw = re.sub(rb"[^A-Za-z0-9+/]", b"", raw)
        raw += b"=" * (-len(raw) % 4)
        try:
            return base64.b64decode(raw)
        except (binascii.Error, ValueError):
            return b""
    return quopri.decodestring(raw.replace(b"_", b" "), header=True)


def decode_header(value: str | None, hints: tuple[str, ...] = ()) -> str:
    """Unfolded, 8-bit repaired, RFC 2047 decoded header text."""
    if value is None:
        return ""
    return decode_words(raw_to_text(unfold(str(value)), hints)).strip()


# ------------------------------------------------------------------------- HTML → text

_BLOCK = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}
_SKIP = {"head", "script", "style", "title", "template", "xml", "noscript"}
_SPACES = re.compile(r"[ \t\r\n\f\u200b]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.pre = 0
        self.href: str | None = None

    def _break(self, blank: bool = False) -> None:
        line = "".join(self.current).strip(" ") if not self.pre else "".join(self.current)
        self.current = []
        if line or (self.lines and self.lines[-1] != ""):
            self.lines.append(line)
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self._break()
        elif tag in ("td", "th"):
            if self.current and not self.current[-1].endswith(" "):
                self.current.append(" ")
        elif tag in _BLOCK:
            self._break(blank=tag in ("p", "blockquote", "table", "h1", "h2", "h3"))
            if tag == "pre":
                self.pre += 1
            if tag == "li":
                self.current.append("- ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._break(blank=tag in ("p", "blockquote", "table", "h1", "h2", "h3"))

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            parts = data.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._break()
                self.current.append(part)
            return
        text = _SPACES.sub(" ", data.replace("\xa0", " "))
        if text == " " and (not self.current or self.current[-1].endswith(" ")):
            return
        if self.current and self.current[-1].endswith(" ") and text.startswith(" "):
            text = text[1:]
        self.current.append(text)


def html_to_text(markup: str) -> str:
    """Readable plain text from HTML: blocks become lines, paragraphs blank lines, scripts,
    styles and the head vanish, whitespace collapses (except inside <pre>)."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # pragma: no cover - HTMLParser is lenient
        return html.unescape(re.sub(r"<[^>]+>", " ", markup)).strip()
    parser._break()
    text = "\n".join(line.rstrip() for line in parser.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
