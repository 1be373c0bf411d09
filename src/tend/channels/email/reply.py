"""Splits an email body into what the person wrote this time, the quoted history and the
signature. Pure functions, no I/O.

The text splitter works line by line. Each line is looked at once or a bounded number of times,
and every regular expression runs on one line (or up to three joined lines) of bounded length,
so even a megabyte of ">>>>" finishes in linear time.

What counts as quoted history:
- an attribution header ("On <date>, <name> wrote:" and its translations, wrapped over up to
  three lines) followed by a quote or by the unquoted original;
- an Outlook-style header block ("From:/Sent:/To:/Subject:" and translations), optionally
  after a "____" / "-----" separator, "-----Original Message-----" and dashed titles, and
  forwarded-message markers;
- a block of ">" lines that nothing but signatures follow.
A quote followed by more text written by the person is an inline reply and stays visible
(the attribution line too). A header at the very top (a forward or a bottom-posted reply)
is split off and the text under it is what the person wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from tend.channels.email import quote_patterns as qp


@dataclass(frozen=True)
class ReplySplit:
    visible: str  # what the person wrote this time (trailing whitespace trimmed)
    quoted: str = ""  # the quoted history / embedded original message that was split off
    signature: str = ""  # the signature block, if recognised


_MAX_HEADER_CHARS = 400  # longer lines are never attribution headers
_QUOTE_RE = re.compile(r"^[ \t]*(?:[A-Z]{1,3})?>")
_SEPARATOR_RE = re.compile(r"^[ \t]*(?:[-_=*~]{5,}|ᐧ)[ \t]*$")
_DELIMITER_RE = re.compile(r"^[ \t]*(?:[-_=*~#+]{2,}|ᐧ)[ \t]*$")
_UNDERSCORES_RE = re.compile(r"^_{2,}[ \t]*$")
_DASH_NAME_RE = re.compile(r"^-[^\W\d_][^\n]{0,40}$")
# ">:" alone ends an attribution line wrapped inside "<address\n>:", it is not a quote.
_WRAPPED_ADDRESS_END_RE = re.compile(r"^>[ \t]*:[ \t]*$")
_FENCE_RE = re.compile(r"^[ \t]*(?:```|~~~)")
_KEY_RE = re.compile("^[ \t]*([^:\uff1a\n]{1,30}?)[ \t]*[:\uff1a]")
_WS_RE = re.compile(r"\s+")
_FULLWIDTH_COLON = "\uff1a"
_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def split_reply(text: str, *, sender: str | None = None) -> ReplySplit:
    """Split a plain-text email body into the visible reply, quoted history and signature."""
    lines = _normalise(text).split("\n")
    scan = _Scanner(lines)
    head, vis_start, cut = scan.split()
    visible_lines = lines[vis_start:cut]
    quoted = "\n".join(part for part in (head, _join(lines[cut:])) if part)
    body, signature = _split_signature(visible_lines, sender)
    return ReplySplit(visible=body, quoted=quoted, signature=signature)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff")


def _join(lines: list[str]) -> str:
    """Join lines, without trailing whitespace on each line and blank lines around."""
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _is_blank(line: str) -> bool:
    return not line.strip()


def _clean(line: str) -> str:
    return _WS_RE.sub(" ", line.replace("\xa0", " ")).strip()


def _header_text_ok(joined: str) -> bool:
    """Is `joined` (whitespace-collapsed) an attribution line like "On ..., X wrote:"?"""
    stripped = joined.strip("- ").rstrip()
    if not stripped or len(stripped) > _MAX_HEADER_CHARS:
        return False
    lower = stripped.lower()
    strong = any(ch.isdigit() for ch in stripped) or "@" in stripped
    ends_colon = lower.endswith((":", _FULLWIDTH_COLON))
    if ends_colon and strong and any(verb in lower for verb in qp.HEADER_VERBS):
        return True
    if lower.endswith(("wrote", "writes")) and lower.startswith("on ") and strong:
        return True  # Zoho: "---- On Tue, 22 Dec 2015 ... <x@y> wrote ----"
    return bool(qp.DATE_LED_HEADER_RE.match(stripped)) and "@" in stripped


def _weak_header_ok(joined: str) -> bool:
    """An attribution line without a known verb, only trusted right above a quote."""
    stripped = joined.strip()
    if len(stripped) > _MAX_HEADER_CHARS or not stripped.endswith((":", _FULLWIDTH_COLON)):
        return False
    lower = stripped.lower()
    if any(verb in lower for verb in qp.HEADER_VERBS):
        return True
    has_time = qp.TIME_RE.search(stripped) is not None
    has_address = qp.ADDRESS_IN_BRACKETS_RE.search(stripped) is not None
    return has_time and has_address


def _header_key(line: str) -> str | None:
    m = _KEY_RE.match(line.replace("*", ""))
    if m is None:
        return None
    return qp.HEADER_KEYS.get(m.group(1).strip().lower())


def _is_original_title(line: str) -> bool:
    m = qp.DASHED_TITLE_RE.match(line)
    if m is not None:
        title = m.group(1).lower()
        return any(word in title for word in qp.ORIGINAL_MESSAGE_TITLES)
    return qp.FORWARD_INTRO_RE.match(line) is not None


class _Scanner:
    """Finds where the quoted history starts in a list of lines."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.n = len(lines)
        self.blank = [_is_blank(line) for line in lines]
        self.in_code = self._code_mask()
        self.quote = [
            not self.in_code[i]
            and _QUOTE_RE.match(line) is not None
            and _WRAPPED_ADDRESS_END_RE.match(line) is None
            for i, line in enumerate(lines)
        ]
        self.headers = self._find_headers()

    def _code_mask(self) -> list[bool]:
        mask = [False] * self.n
        inside = False
        for i, line in enumerate(self.lines):
            fence = _FENCE_RE.match(line) is not None
            mask[i] = inside or fence
            if fence:
                inside = not inside
        return mask

    def _plain(self, i: int) -> bool:
        return 0 <= i < self.n and not self.blank[i] and not self.quote[i] and not self.in_code[i]

    def _short_plain(self, i: int) -> bool:
        return self._plain(i) and len(self.lines[i]) <= _MAX_HEADER_CHARS

    def _find_headers(self) -> dict[int, int]:
        """Map header start line -> header end line for every attribution header."""
        found: dict[int, int] = {}
        for end in range(self.n):
            if not self._plain(end) or len(self.lines[end]) > _MAX_HEADER_CHARS:
                continue
            tail = self.lines[end].rstrip()
            if not tail.endswith((":", _FULLWIDTH_COLON, "wrote", "-", ">")):
                continue
            start = self._header_start(end)
            if start is not None:
                found[start] = end
        return found

    def _header_start(self, end: int) -> int | None:
        for start in (end - 2, end - 1):
            if start < 0 or not all(self._short_plain(k) for k in range(start, end + 1)):
                continue
            if not qp.HEADER_START_RE.match(self.lines[start]):
                continue
            joined = _clean(" ".join(self.lines[start : end + 1]))
            if _header_text_ok(joined):
                return start
        if _header_text_ok(_clean(self.lines[end])):
            return end
        return None

    def _next_nonblank(self, i: int) -> int | None:
        while i < self.n and self.blank[i]:
            i += 1
        return i if i < self.n else None

    def _quote_end(self, i: int) -> int:
        last = i
        while i < self.n and (self.quote[i] or self.blank[i]):
            if self.quote[i]:
                last = i
            i += 1
        return last

    def _block_at(self, i: int) -> int | None:
        """Start of an embedded original message (Outlook block, forward) at line i."""
        if self.in_code[i] or self.quote[i]:
            return None
        line = self.lines[i]
        if _SEPARATOR_RE.match(line):
            j = self._next_nonblank(i + 1)
            if j is not None and j - i <= 3 and self._block_core(j, after_separator=True):
                return i
            return None
        return i if self._block_core(i, after_separator=False) else None

    def _block_core(self, i: int, *, after_separator: bool) -> bool:
        line = self.lines[i]
        if _is_original_title(line):
            return True
        if i > 0 and self._plain(i - 1) and _header_key(self.lines[i - 1]) is not None:
            return False  # only the first line of a header group starts it
        roles: list[str] = []
        k, continuation = i, 0
        while k < self.n and not self.blank[k] and len(roles) < 12:
            role = _header_key(self.lines[k])
            if role is not None:
                roles.append(role)
                continuation = 0
            elif roles and continuation < 2:
                continuation += 1  # a wrapped value ("Subject: ...\nspans two lines")
            else:
                break
            k += 1
        needed = 2 if after_separator else 3
        return len(roles) >= needed and "from" in roles

    def _is_signature_start(self, i: int) -> bool:
        line = self.lines[i].rstrip()
        return (
            line in ("--", "-- ")
            or _UNDERSCORES_RE.match(line) is not None
            or _DELIMITER_RE.match(line) is not None
            or _DASH_NAME_RE.match(line) is not None
            or _is_mobile_signature(line)
        )

    def _reply_follows(self, i: int) -> bool:
        """Does text the person wrote follow at or after line i (an inline reply)?"""
        j = self._next_nonblank(i)
        if j is None:
            return False
        if j in self.headers or self._block_at(j) is not None:
            return False
        return not self._is_signature_start(j)

    def _weak_header_before(self, i: int) -> int:
        """Extend a trailing quote block at line i upwards over its attribution line."""
        end = i - 1
        skipped = 0
        while end >= 0 and self.blank[end] and skipped < 2:
            end -= 1
            skipped += 1
        if not self._plain(end):
            return i
        for start in (end - 2, end - 1, end):
            if start < 0 or not all(self._short_plain(k) for k in range(start, end + 1)):
                continue
            if start < end and not qp.HEADER_START_RE.match(self.lines[start]):
                continue
            if _weak_header_ok(_clean(" ".join(self.lines[start : end + 1]))):
                return start
        return i

    def scan(self, pos: int) -> int:
        """Index of the line where the quoted history starts (self.n when there is none)."""
        i = pos
        while i < self.n:
            if self.blank[i] or self.in_code[i]:
                i += 1
                continue
            header_end = self.headers.get(i)
            if header_end is not None:
                nxt = self._next_nonblank(header_end + 1)
                if nxt is not None and self.quote[nxt]:
                    q_end = self._quote_end(nxt)
                    if self._reply_follows(q_end + 1):
                        i = q_end + 1
                        continue
                return i
            block = self._block_at(i)
            if block is not None:
                return block
            if self.quote[i]:
                q_end = self._quote_end(i)
                if self._reply_follows(q_end + 1):
                    i = q_end + 1
                    continue
                return self._weak_header_before(i)
            i += 1
        return self.n

    def _leading_marker(self, first: int) -> int | None:
        """End line of a header or forward block at the very top of the message."""
        if first in self.headers:
            return self.headers[first]
        if self._block_at(first) is None:
            return None
        k = first
        while k + 1 < self.n and not (self.blank[k + 1] and _header_key_or_title_ahead(self, k)):
            k += 1
        return k

    def split(self) -> tuple[str, int, int]:
        """(quoted text split off above the reply, start of visible lines, cut line)."""
        first = self._next_nonblank(0)
        if first is None:
            return "", 0, self.n
        lead_end = self._leading_marker(first)
        if lead_end is None:
            cut = self.scan(first)
            return ("", 0, cut) if self._has_text(0, cut) else ("", 0, self.n)
        nxt = self._next_nonblank(lead_end + 1)
        if nxt is None:
            return "", 0, self.n
        if self.quote[nxt]:
            q_end = self._quote_end(nxt)
            rest = self._next_nonblank(q_end + 1)
            if rest is None:
                return "", 0, self.n  # nothing but a quote: keep it all visible
            cut = self.scan(rest)
            if any(self.quote[k] for k in range(rest, cut)):
                return "", 0, cut  # inline replies under the header: all of it is the reply
            return _join(self.lines[first:rest]), rest, cut  # bottom-posted reply
        cut = self.scan(nxt)
        return _join(self.lines[first:nxt]), nxt, cut

    def _has_text(self, start: int, end: int) -> bool:
        return any(not self.blank[k] for k in range(start, end))


def _header_key_or_title_ahead(scan: _Scanner, k: int) -> bool:
    """At a blank line after line k inside a leading header block: does the block end here?"""
    nxt = scan._next_nonblank(k + 1)
    if nxt is None:
        return True
    if _is_original_title(scan.lines[k]) or _SEPARATOR_RE.match(scan.lines[k]):
        return _header_key(scan.lines[nxt]) is None
    return True


def _is_mobile_signature(line: str) -> bool:
    stripped = _clean(line)
    if not stripped or len(stripped) > 120:
        return False
    return any(p.match(stripped) for p in qp.MOBILE_SIGNATURE_RES)


# --- signatures -------------------------------------------------------------------------------


def _split_signature(lines: list[str], sender: str | None) -> tuple[str, str]:
    start = _signature_start(lines, sender)
    if start is None:
        return _join(lines), ""
    body = _join(lines[:start])
    if not body:
        return _join(lines), ""
    return body, _join(lines[start:])


def _signature_start(lines: list[str], sender: str | None) -> int | None:
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return None
    after = {i: len(nonblank) - 1 - pos for pos, i in enumerate(nonblank)}  # non-blank below
    in_code = [False] * len(lines)
    inside = False
    for i, line in enumerate(lines):
        fence = _FENCE_RE.match(line) is not None
        in_code[i] = inside or fence
        if fence:
            inside = not inside
    tokens = _sender_tokens(sender) if sender else set()
    tail = nonblank[-31:]
    for pos, i in enumerate(tail):
        if in_code[i] or i == nonblank[0]:
            continue
        line = lines[i].rstrip()
        below = after[i]
        rest = [lines[k] for k in tail[pos + 1 :]]
        if line in ("--", "-- ") and below <= 30:
            return i
        if _UNDERSCORES_RE.match(line) and below <= 10:
            return i
        if _DELIMITER_RE.match(line) and all(_DELIMITER_RE.match(r) for r in rest):
            return i
        if _DASH_NAME_RE.match(line) and len(line.split()) <= 4 and below <= 8:
            return i
        if _is_mobile_signature(line) and below <= 3:
            return i
        if tokens and below <= 15 and _sender_signature_at(lines, i, rest, tokens):
            return i
    return None


def _sender_tokens(sender: str) -> set[str]:
    m = re.search(r"[\w.+-]{1,64}@[\w.-]{1,255}", sender)
    tokens: set[str] = set()
    if m:
        address = m.group(0).lower()
        tokens.add(address)
        tokens.update(w for w in re.split(r"[._+\-@]", address.split("@")[0]) if len(w) >= 2)
        sender = sender.replace(m.group(0), " ")
    tokens.update(w.lower() for w in _WORD_RE.findall(sender))
    return tokens


def _mentions(line: str, tokens: set[str]) -> bool:
    lower = line.lower()
    if any(t in lower for t in tokens if "@" in t):
        return True
    return any(w.lower() in tokens for w in _WORD_RE.findall(line))


def _name_like(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 6 or len(line) > 60:
        return False
    capitalised = 0
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if not letters or letters[0].isupper() or word[0] in "#@/\\-(":
            capitalised += 1
    return capitalised * 2 >= len(words)


def _sender_signature_at(lines: list[str], i: int, rest: list[str], tokens: set[str]) -> bool:
    """Closing + name, a separator above the sender's details, or the sender's name block."""
    line = lines[i].strip()
    if any(len(r.strip()) > 80 for r in rest):
        return False
    if _SEPARATOR_RE.match(line) or _DELIMITER_RE.match(line):
        return any(_mentions(r, tokens) for r in rest)
    if qp.CLOSING_RE.match(line):
        return 0 < len(rest) <= 6 and any(_mentions(r, tokens) for r in rest[:2])
    paragraph_start = i == 0 or not lines[i - 1].strip()
    return paragraph_start and len(rest) <= 10 and _name_like(line) and _mentions(line, tokens)


# --- HTML ---------------------------------------------------------------------------------------

_VOID = frozenset(
    (
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    )
)
_BLOCK = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    )
)
_SKIP_TEXT = frozenset(("head", "style", "script", "title", "xml"))
_QUOTE_IDS = ("divrplyfwdmsg", "olk_src_body_section", "appendonsend")
_QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote")
_BORDER_TOP_RE = re.compile(r"border-top\s*:[^;]*solid|border-top-style\s*:\s*solid", re.I)


class _Token:
    __slots__ = ("attrs", "kind", "raw", "tag")

    def __init__(self, kind: str, raw: str, tag: str = "", attrs: dict[str, str] | None = None):
        self.kind = kind  # "start", "end", "data", "other"
        self.raw = raw
        self.tag = tag
        self.attrs = attrs or {}


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[_Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        values = {k.lower(): (v or "") for k, v in attrs}
        self.tokens.append(_Token("start", raw, tag, values))
        if tag in _VOID:
            self.tokens.append(_Token("end", "", tag))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}/>"
        values = {k.lower(): (v or "") for k, v in attrs}
        self.tokens.append(_Token("start", raw, tag, values))
        self.tokens.append(_Token("end", "", tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.tokens.append(_Token("end", f"</{tag}>", tag))

    def handle_data(self, data: str) -> None:
        self.tokens.append(_Token("data", data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(_Token("other", f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(_Token("other", f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(_Token("other", f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append(_Token("other", f"<![{data}]>"))


def _is_quote_element(token: _Token) -> bool:
    attrs = token.attrs
    if token.tag == "blockquote" and attrs.get("type", "").lower() == "cite":
        return True
    if attrs.get("id", "").lower() in _QUOTE_IDS:
        return True
    classes = attrs.get("class", "").lower().split()
    if any(c in _QUOTE_CLASSES for c in classes):
        return True
    return token.tag == "div" and bool(_BORDER_TOP_RE.search(attrs.get("style", "")))


def split_html_reply(html: str) -> str:
    """The visible part of an HTML reply, as HTML, with quoted history removed."""
    parser = _Tokenizer()
    parser.feed(html)
    parser.close()
    tokens = parser.tokens
    lines, starts = _html_lines(tokens)
    cut_token = len(tokens)
    for index, token in enumerate(tokens):
        if token.kind == "start" and _is_quote_element(token):
            if token.tag == "div" and "border-top" in token.attrs.get("style", "").lower():
                text_after = [t for t in lines if t[1] >= index]
                if not text_after or not _header_follows([t[0] for t in text_after[:8]]):
                    continue
            cut_token = index
            break
    scan = _Scanner([text for text, _ in lines])
    head, _, cut_line = scan.split()
    if not head and cut_line < len(lines):
        cut_token = min(cut_token, starts[cut_line])
    if not _html_has_text(tokens[:cut_token]):
        cut_token = len(tokens)
    return _serialise(tokens, cut_token)


def _header_follows(texts: list[str]) -> bool:
    roles = [r for r in (_header_key(t) for t in texts) if r is not None]
    return len(roles) >= 2 and "from" in roles


def _html_lines(tokens: list[_Token]) -> tuple[list[tuple[str, int]], list[int]]:
    """Render tokens to text lines (blockquote content prefixed with "> ").

    Each line comes with the token index where it starts: just after the previous non-empty
    line, so a cut there also drops the empty wrappers and breaks above it.
    """
    lines: list[tuple[str, int]] = []
    current: list[str] = []
    line_start = 0
    depth = 0
    skip = 0
    pre = 0

    def pending() -> bool:
        return bool("".join(current).strip())

    def flush(next_start: int) -> None:
        nonlocal current, line_start
        text = "".join(current)
        text = text.rstrip() if pre else _WS_RE.sub(" ", text).strip()
        lines.append(("> " * depth + text, line_start))
        current = []
        line_start = next_start

    for index, token in enumerate(tokens):
        tag = token.tag
        if token.kind == "start":
            if tag in _SKIP_TEXT:
                skip += 1
            if (tag in _BLOCK or tag == "br") and pending():
                flush(index)
            elif tag in _BLOCK or tag == "br":
                current = []
            if tag == "blockquote":
                depth += 1
            elif tag == "pre":
                pre += 1
            elif tag == "hr":
                lines.append(("________________", line_start))
                line_start = index + 1
        elif token.kind == "end":
            if tag in _SKIP_TEXT and skip:
                skip -= 1
            if (tag in _BLOCK or tag == "br") and pending():
                flush(index + 1)
            if tag == "blockquote" and depth:
                depth -= 1
            elif tag == "pre" and pre:
                pre -= 1
        elif token.kind == "data" and not skip:
            text = token.raw.replace("\xa0", " ")
            if pre and "\n" in text:
                parts = text.split("\n")
                for part in parts[:-1]:
                    current.append(part)
                    flush(index)
                current.append(parts[-1])
            else:
                current.append(text)
    if pending():
        flush(len(tokens))
    return lines, [start for _, start in lines]


def _html_has_text(tokens: list[_Token]) -> bool:
    skip = 0
    for token in tokens:
        if token.kind == "start" and token.tag in _SKIP_TEXT:
            skip += 1
        elif token.kind == "end" and token.tag in _SKIP_TEXT and skip:
            skip -= 1
        elif token.kind == "data" and not skip and token.raw.replace("\xa0", " ").strip():
            return True
        elif token.kind == "start" and token.tag == "img":
            return True  # an image-only reply is still a reply
    return False


def _serialise(tokens: list[_Token], cut: int) -> str:
    out: list[str] = []
    stack: list[str] = []
    raw_text = 0
    has_html = any(t.kind == "start" and t.tag == "html" for t in tokens)
    has_head = any(t.kind == "start" and t.tag == "head" for t in tokens)
    for token in tokens[:cut]:
        if token.kind == "start":
            if has_html and not has_head and token.tag == "body":
                out.append("<head></head>")
                has_head = True
            out.append(token.raw)
            if token.tag not in _VOID and not token.raw.endswith("/>"):
                stack.append(token.tag)
            if token.tag in ("script", "style"):
                raw_text += 1
        elif token.kind == "end":
            out.append(token.raw)
            if token.tag in stack:
                while stack:
                    if stack.pop() == token.tag:
                        break
            if token.tag in ("script", "style") and raw_text:
                raw_text -= 1
        elif token.kind == "data":
            out.append(token.raw if raw_text else escape(token.raw, quote=False))
        else:
            out.append(token.raw)
    if cut < len(tokens):
        out.extend(f"</{tag}>" for tag in reversed(stack))
    return "".join(out)
