"""Sender authenticity from `Authentication-Results` (RFC 8601) added by a trusted relay.

Only results stamped by a relay Tend trusts (its authserv-id, e.g. `mx.example.com`) count:
anyone can write an Authentication-Results header into a mail they send. Pure, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["pass", "fail", "unknown"]
_METHOD = re.compile(r"\b(spf|dkim|dmarc|arc)\s*=\s*([a-z]+)", re.IGNORECASE)
_COMMENT = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class AuthResults:
    authserv_id: str
    spf: str | None = None
    dkim: str | None = None
    dmarc: str | None = None

    @property
    def verdict(self) -> Verdict:
        """DMARC decides when the relay evaluated it. Without DMARC, a pass of SPF or DKIM is
        a pass, else a hard fail of either is a fail; anything else is unknown."""
        if self.dmarc == "pass":
            return "pass"
        if self.dmarc == "fail":
            return "fail"
        if self.spf == "pass" or self.dkim == "pass":
            return "pass"
        if self.spf == "fail" or self.dkim == "fail":
            return "fail"
        return "unknown"


def parse(header: str) -> AuthResults | None:
    text = _COMMENT.sub(" ", header).strip()
    if not text:
        return None
    authserv_id, _, rest = text.partition(";")
    authserv_id = authserv_id.strip().split()[0].lower() if authserv_id.strip() else ""
    if not authserv_id:
        return None
    results: dict[str, str] = {}
    for method, result in _METHOD.findall(rest):
        key = method.lower()
        value = result.lower()
        # Several DKIM signatures: one pass is enough; keep the best seen.
        if key not in results or (value == "pass" and results[key] != "pass"):
            results[key] = value
    return AuthResults(authserv_id, results.get("spf"), results.get("dkim"), results.get("dmarc"))


def verdict(headers: Iterable[str], trusted_ids: Iterable[str]) -> Verdict:
    """The verdict of the topmost Authentication-Results stamped by a trusted relay."""
    trusted = {t.strip().lower() for t in trusted_ids if t.strip()}
    for header in headers:
        parsed = parse(header)
        if parsed is not None and parsed.authserv_id in trusted:
            return parsed.verdict
    return "unknown"
