"""Message bodies: every message has plain text and sanitized HTML."""

from __future__ import annotations

import html
import re

import nh3

_URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitize_html(raw: str) -> str:
    """Only harmless markup survives; links open safely and never send a referrer."""
    return nh3.clean(
        raw,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _linkify(escaped: str) -> str:
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)


def text_to_html(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.strip())
    parts = []
    for para in paragraphs:
        lines = [_linkify(html.escape(line, quote=True)) for line in para.split("\n")]
        parts.append("<p>" + "<br>".join(lines) + "</p>")
    return sanitize_html("".join(parts))


def html_to_text(raw: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>", "\n", raw)
    text = re.sub(r"(?i)</(p|div|li|tr|h[1-6]|blockquote)>", "\n\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def from_text(text: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").strip()
    return text, text_to_html(text)


def from_html(raw: str) -> tuple[str, str]:
    clean = sanitize_html(raw)
    return html_to_text(clean), clean
