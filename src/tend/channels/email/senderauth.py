"""Sender authenticity checked by Tend itself: SPF (RFC 7208), DKIM (RFC 6376) and DMARC
(RFC 7489), for mail that no trusted relay stamped with `Authentication-Results`.

`check(raw, client_ip=..., mail_from=..., helo=..., resolver=...)` returns a `SenderAuth`.
pyspf and dkimpy do the protocol work; every DNS question they ask goes through the given
`Resolver`, so tests run offline on a `StaticResolver` and production uses `DnsResolver`.

Choices worth knowing:
- A DNS outage never makes a "fail": a timeout or SERVFAIL on anything that could have made
  DMARC pass gives `temperror`, and the verdict is "unknown".
- Each stage (DMARC policy, DKIM, SPF) gets its own time budget, so a sender whose own DNS is
  slow (its SPF include chain, its DKIM keys) cannot starve the lookup of the From domain's
  DMARC policy and turn a "fail" into "unknown".
- Several From addresses (or From fields): every From domain is evaluated and the worst
  outcome wins, so adding a second From cannot hide a forged one. No usable From domain at
  all (RFC 7489 6.6.1: such mail is "typically rejected") gives dmarc=permerror and the
  verdict "fail": Tend would otherwise show a Sender/Reply-To address nobody vouched for.
- A DKIM key that is missing or unusable gives `permerror` (RFC 6376 6.1.2 PERMFAIL, RFC 8601
  permerror); a signature or body hash that does not match gives `fail`. SHA-1 signatures are
  not accepted (RFC 8301), and at most `MAX_SIGNATURES` signatures are tried.
- DMARC `pct=` is ignored (DMARCbis drops it): a failing message of an enforcing domain is
  flagged, never rejected, by Tend.
"""

from __future__ import annotations

import binascii
import email.parser
import email.policy
import email.utils
import ipaddress
import re
import time
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Protocol, TypeAlias

import dkim  # type: ignore[import-untyped]
import dns.exception
import dns.name
import dns.resolver
from publicsuffixlist import PublicSuffixList

with warnings.catch_warnings():
    # pyspf 2.0.14 has an invalid escape in a string literal: compiling it (no cached .pyc)
    # warns, and the test suite turns warnings into errors.
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", SyntaxWarning)
    import spf  # type: ignore[import-untyped]

Result = Literal["pass", "fail", "softfail", "neutral", "none", "temperror", "permerror"]
Verdict = Literal["pass", "fail", "unknown"]

MAX_SIGNATURES = 10  # DKIM signatures tried per message: each costs a lookup and a hash
STAGE_BUDGET = 5.0  # seconds of DNS per stage (DMARC policy, DKIM, SPF)
_ENFORCING = ("quarantine", "reject")
_SPF_RESULTS: dict[str, Result] = {
    r: r for r in ("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror")
}


class TempDNSError(Exception):
    """A lookup that may succeed later: timeout, SERVFAIL, no resolver configured."""


class Resolver(Protocol):
    """The DNS questions SPF, DKIM and DMARC ask. Names come without the trailing dot.
    Each returns [] for NXDOMAIN or no data and raises TempDNSError when it cannot tell."""

    def txt(self, name: str) -> list[str]: ...  # one string per record, its parts joined
    def a(self, name: str) -> list[str]: ...
    def aaaa(self, name: str) -> list[str]: ...
    def mx(self, name: str) -> list[tuple[int, str]]: ...  # (preference, exchange)
    def ptr(self, name: str) -> list[str]: ...  # name: the reverse name (…in-addr.arpa)


@dataclass(frozen=True)
class SenderAuth:
    spf: Result
    spf_domain: str | None
    dkim: Result
    dkim_domains: tuple[str, ...]  # d= of the signatures that verified
    dmarc: Result
    dmarc_policy: str | None  # the policy that applies to from_domain
    from_domain: str | None
    spf_scope: Literal["mailfrom", "helo"] = "mailfrom"  # which identity SPF checked

    @property
    def verdict(self) -> Verdict:
        """"fail" when DMARC fails for a From domain that asks receivers to quarantine or
        reject (or when there is no From domain at all), "pass" when DMARC passes, else
        "unknown": no record, p=none, DNS trouble."""
        if self.dmarc == "pass":
            return "pass"
        if self.dmarc == "fail" and self.dmarc_policy in _ENFORCING:
            return "fail"
        if self.dmarc == "permerror" and self.from_domain is None:
            return "fail"
        return "unknown"

    def header_value(self, authserv_id: str) -> str:
        """An RFC 8601 Authentication-Results value, e.g. for storing with the message."""
        spf_part = f"spf={self.spf}"
        if self.spf_domain:
            spf_part += f" smtp.{self.spf_scope}={_pvalue(self.spf_domain)}"
        parts = [_pvalue(authserv_id), spf_part]
        if self.dkim_domains:
            parts += [f"dkim=pass header.d={_pvalue(d)}" for d in self.dkim_domains]
        else:
            parts.append(f"dkim={self.dkim}")
        dmarc_part = f"dmarc={self.dmarc}"
        if self.dmarc_policy:
            dmarc_part += f" (p={self.dmarc_policy})"
        if self.from_domain:
            dmarc_part += f" header.from={_pvalue(self.from_domain)}"
        parts.append(dmarc_part)
        return "; ".join(parts)


def check(raw: bytes, *, client_ip: str | None, mail_from: str | None, helo: str | None,
          resolver: Resolver, budget: float = STAGE_BUDGET,
          clock: Callable[[], float] = time.monotonic) -> SenderAuth:
    """SPF of the SMTP client and envelope sender, DKIM of every signature, and DMARC of
    every From domain. Never raises for hostile mail or DNS trouble. Each stage stops asking
    once `budget` seconds are spent; with DnsResolver's per-lookup timeout the whole check
    is bounded by about 3 x (budget + timeout)."""
    from_domains = _from_domains(raw)
    policies = _policies(from_domains, _Bounded(resolver, budget, clock))
    signatures = _dkim(raw, _Bounded(resolver, budget, clock))
    spf_result, spf_domain, scope = _spf(client_ip, mail_from, helo,
                                         _Bounded(resolver, budget, clock))

    outcomes = [_dmarc(domain, policies.get(domain) if domain else None, spf_result,
                       spf_domain, signatures) for domain in from_domains or [None]]
    domain, dmarc_result, policy = min(outcomes, key=_severity)
    passed = tuple(dict.fromkeys(d for d, r in signatures if r == "pass" and d))
    return SenderAuth(spf=spf_result, spf_domain=spf_domain, dkim=_dkim_summary(signatures),
                      dkim_domains=passed, dmarc=dmarc_result, dmarc_policy=policy,
                      from_domain=domain, spf_scope=scope)


# --------------------------------------------------------------------------- resolvers


def _norm(name: str) -> str:
    return name.strip().rstrip(".").lower()


class DnsResolver:
    """The real resolver (dnspython). Each lookup, retries included, is bounded by
    `timeout`; the system configuration is read at the first lookup, not before."""

    def __init__(self, *, timeout: float = 3.0, nameservers: Sequence[str] | None = None,
                 port: int = 53) -> None:
        self.timeout = timeout
        self._nameservers = list(nameservers) if nameservers else None
        self._port = port
        self._resolver: dns.resolver.Resolver | None = None

    def _get(self) -> dns.resolver.Resolver:
        if self._resolver is None:
            try:
                resolver = dns.resolver.Resolver(configure=self._nameservers is None)
            except dns.exception.DNSException as exc:
                raise TempDNSError(f"no DNS resolver: {exc}") from exc
            if self._nameservers:
                resolver.nameservers = self._nameservers
                resolver.port = self._port
            resolver.timeout = resolver.lifetime = self.timeout
            self._resolver = resolver
        return self._resolver

    def _query(self, name: str, rdtype: str) -> list[Any]:
        try:
            qname = dns.name.from_text(_norm(name))
        except dns.exception.DNSException:
            return []  # not a DNS name (too long, empty label, bad IDN): nothing is there
        try:
            answer = self._get().resolve(qname, rdtype, search=False, raise_on_no_answer=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.YXDOMAIN):
            return []
        except dns.exception.DNSException as exc:  # timeout, SERVFAIL from every server...
            raise TempDNSError(f"{rdtype} {name}: {exc}") from exc
        return list(answer.rrset or [])

    def txt(self, name: str) -> list[str]:
        return [b"".join(r.strings).decode("utf-8", "replace") for r in self._query(name, "TXT")]

    def a(self, name: str) -> list[str]:
        return [r.address for r in self._query(name, "A")]

    def aaaa(self, name: str) -> list[str]:
        return [r.address for r in self._query(name, "AAAA")]

    def mx(self, name: str) -> list[tuple[int, str]]:
        return [(r.preference, r.exchange.to_text(omit_final_dot=True))
                for r in self._query(name, "MX")]

    def ptr(self, name: str) -> list[str]:
        return [r.target.to_text(omit_final_dot=True) for r in self._query(name, "PTR")]


class StaticResolver:
    """Records from dicts, for tests and offline use. `ptr` is keyed by IP address; a name
    in `failing` answers every question with TempDNSError. `queries` logs what was asked."""

    def __init__(self, *, txt: Mapping[str, Sequence[str]] | None = None,
                 a: Mapping[str, Sequence[str]] | None = None,
                 aaaa: Mapping[str, Sequence[str]] | None = None,
                 mx: Mapping[str, Sequence[tuple[int, str]]] | None = None,
                 ptr: Mapping[str, Sequence[str]] | None = None,
                 failing: Collection[str] = ()) -> None:
        def table(records: Mapping[str, Sequence[Any]] | None) -> dict[str, list[Any]]:
            return {_norm(k): list(v) for k, v in (records or {}).items()}

        self._txt, self._a, self._aaaa, self._mx = table(txt), table(a), table(aaaa), table(mx)
        self._ptr = {ipaddress.ip_address(ip).reverse_pointer: list(names)
                     for ip, names in (ptr or {}).items()}
        self._failing = {_norm(n) for n in failing}
        self.queries: list[tuple[str, str]] = []

    def _get(self, rdtype: str, table: dict[str, list[Any]], name: str) -> list[Any]:
        name = _norm(name)
        self.queries.append((rdtype, name))
        if name in self._failing:
            raise TempDNSError(f"{rdtype} {name}: SERVFAIL")
        return list(table.get(name, []))

    def txt(self, name: str) -> list[str]:
        return self._get("TXT", self._txt, name)

    def a(self, name: str) -> list[str]:
        return self._get("A", self._a, name)

    def aaaa(self, name: str) -> list[str]:
        return self._get("AAAA", self._aaaa, name)

    def mx(self, name: str) -> list[tuple[int, str]]:
        return self._get("MX", self._mx, name)

    def ptr(self, name: str) -> list[str]:
        return self._get("PTR", self._ptr, name)


class _Bounded:
    """A resolver that gives up (TempDNSError) once its time budget is spent: with the
    per-lookup timeout, this bounds a stage however many lookups it wants."""

    def __init__(self, inner: Resolver, budget: float, clock: Callable[[], float]) -> None:
        self._inner, self._clock = inner, clock
        self._deadline = clock() + budget

    def _check(self) -> None:
        if self._clock() > self._deadline:
            raise TempDNSError("DNS time budget spent")

    def txt(self, name: str) -> list[str]:
        self._check()
        return self._inner.txt(name)

    def a(self, name: str) -> list[str]:
        self._check()
        return self._inner.a(name)

    def aaaa(self, name: str) -> list[str]:
        self._check()
        return self._inner.aaaa(name)

    def mx(self, name: str) -> list[tuple[int, str]]:
        self._check()
        return self._inner.mx(name)

    def ptr(self, name: str) -> list[str]:
        self._check()
        return self._inner.ptr(name)


# --------------------------------------------------------------------------- domains

_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`{|}~]+")
_LABEL = re.compile(r"[a-z0-9_-]{1,63}")
# The same fallback the parser uses for an address getaddresses cannot read, so the domain
# checked here is the one the ticket will show.
_EMAIL_IN_TEXT = re.compile(r"[^\s<>\"',;:()\[\]]+@([^\s<>\"',;:()\[\]]+)")


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled with the package: no download


def organizational_domain(domain: str) -> str:
    """The registered domain (RFC 7489 3.2): sub.example.co.uk -> example.co.uk."""
    return str(_psl().privatesuffix(domain) or domain)


def _dns_domain(text: str) -> str | None:
    """A domain as DNS knows it (lower case, IDNA), or None when it is not one."""
    text = _norm(text.strip().strip("<>").strip())
    if not text:
        return None
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = text.split(".")
    return text if len(text) <= 253 and all(_LABEL.fullmatch(x) for x in labels) else None


def _pvalue(value: str) -> str:
    """A token as is, anything else as a quoted string: no CR/LF ever reaches the header."""
    value = "".join(ch for ch in value if ch >= " " and ch != "\x7f")
    if _TOKEN.fullmatch(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _from_domains(raw: bytes) -> list[str | None]:
    """The domain of every From address, None for a From address without a usable one;
    [] when there is no From at all."""
    end = min((i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0),
              default=len(raw))
    head = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw[:end])
    domains: list[str | None] = []
    for name, value in head.raw_items():
        if name.lower() != "from":
            continue
        text = re.sub(r"\r?\n[ \t]", " ", str(value))
        found = [a.rpartition("@")[2] for _, a in email.utils.getaddresses([text]) if "@" in a]
        found = found or _EMAIL_IN_TEXT.findall(text)
        domains += [_dns_domain(d) for d in found] or [None]
    return list(dict.fromkeys(domains))


# --------------------------------------------------------------------------- SPF


class _SpfQuery(spf.query):  # type: ignore[misc]
    """pyspf's query with its DNS answered by our Resolver. pyspf still counts lookups
    (10 at most, RFC 7208 4.6.4) and follows the record; we count void lookups."""

    def __init__(self, ip: str, sender: str, helo: str, resolver: Resolver) -> None:
        self._resolver = resolver
        self._answers: dict[tuple[str, str], list[Any]] = {}
        super().__init__(ip, sender, helo, strict=True)

    def dns(self, name: str, qtype: str, cnames: object = None,
            ignore_void: bool = False) -> list[Any]:
        name = _norm(str(name))
        if not name or not all(0 < len(label) < 64 for label in name.split(".")):
            return []
        key = (name, qtype)
        if key not in self._answers:
            try:
                self._answers[key] = self._lookup(name, qtype)
            except TempDNSError as exc:
                raise spf.TempError(f"DNS {exc}") from exc
        answer = self._answers[key]
        if not answer and not ignore_void:
            self.void_lookups += 1
            if self.void_lookups > spf.MAX_VOID_LOOKUPS:
                raise spf.PermError(f"Void lookup limit of {spf.MAX_VOID_LOOKUPS} exceeded")
        return answer

    def _lookup(self, name: str, qtype: str) -> list[Any]:
        r = self._resolver
        if qtype == "TXT":  # pyspf wants each record as a list of byte strings
            return [[t.encode("utf-8")] for t in r.txt(name)]
        if qtype == "A":
            return r.a(name)
        if qtype == "AAAA":
            return r.aaaa(name)
        if qtype == "MX":
            return r.mx(name)
        if qtype == "PTR":
            return r.ptr(name)
        return []  # type SPF (99) is obsolete (RFC 7208 3.1)


def _spf(client_ip: str | None, mail_from: str | None, helo: str | None,
         resolver: Resolver) -> tuple[Result, str | None, Literal["mailfrom", "helo"]]:
    sender = (mail_from or "").strip().strip("<>").strip()
    helo_name = (helo or "").strip().rstrip(".")
    scope: Literal["mailfrom", "helo"] = "mailfrom"
    if not sender:  # null reverse-path (a bounce): RFC 7208 2.4 checks the HELO identity
        if not helo_name:
            return "none", None, scope
        sender, scope = f"postmaster@{helo_name}", "helo"
    local, _, domain_text = sender.rpartition("@")
    domain = _dns_domain(domain_text)
    if domain is None:
        return "none", None, scope
    if client_ip is None:
        return "none", domain, scope
    try:
        query = _SpfQuery(client_ip, f"{local or 'postmaster'}@{domain}", helo_name, resolver)
        result = query.check()[0]
    except spf.TempError:
        return "temperror", domain, scope
    except Exception:  # a bad IP, a broken record, or a hostile one pyspf trips over
        return "permerror", domain, scope
    return _SPF_RESULTS.get(result, "permerror"), domain, scope


# --------------------------------------------------------------------------- DKIM


def _dkim(raw: bytes, resolver: Resolver) -> list[tuple[str | None, Result]]:
    """(d=, result) for each DKIM-Signature, top first."""
    try:
        verifier = dkim.DKIM(raw, minkey=1024)
    except dkim.DKIMException:  # headers dkimpy cannot parse
        return [(None, "permerror")] if re.search(rb"(?im)^dkim-signature:", raw) else []
    count = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
    return [_verify(verifier, idx, resolver) for idx in range(min(count, MAX_SIGNATURES))]


def _verify(verifier: Any, idx: int, resolver: Resolver) -> tuple[str | None, Result]:
    key: dict[str, bool] = {"asked": False, "unusable": False}

    def dnsfunc(name: bytes, timeout: float = 0) -> bytes | None:
        key["asked"] = True
        records = resolver.txt(name.decode("ascii", "replace"))  # TempDNSError propagates
        record = records[0].encode("utf-8") if records else None
        try:
            dkim.evaluate_pk(name, record)
        except (dkim.DKIMException, binascii.Error, ValueError, KeyError, TypeError):
            key["unusable"] = True  # absent, revoked (p=), malformed, or a foreign k=/s=
        return record

    verifier.signature_fields = {}  # set afresh by verify(); stale ones would name a domain
    try:
        ok = verifier.verify(idx, dnsfunc=dnsfunc)
        result: Result = "pass" if ok else "permerror" if key["unusable"] else "fail"
    except TempDNSError:
        result = "temperror"
    except dkim.ValidationError:
        # Raised before the key lookup for a malformed signature, after it for a body hash
        # that does not match.
        result = "fail" if key["asked"] else "permerror"
    except dkim.DKIMException:  # unparsable tags, key too small, ed25519 without pynacl
        result = "permerror"
    except Exception:  # dkimpy tripping over hostile input must not stop intake
        result = "permerror"
    fields = verifier.signature_fields
    if result == "pass" and fields.get(b"a", b"").lower().endswith(b"sha1"):
        result = "permerror"  # RFC 8301 3.1: SHA-1 signatures are not valid
    domain = fields.get(b"d")
    return (_dns_domain(domain.decode("ascii", "replace")) if domain else None), result


def _dkim_summary(signatures: list[tuple[str | None, Result]]) -> Result:
    results = {r for _, r in signatures}
    order: tuple[Result, ...] = ("pass", "fail", "temperror", "permerror")
    return next((r for r in order if r in results), "none")


# --------------------------------------------------------------------------- DMARC


@dataclass(frozen=True)
class _Policy:
    found_at: str
    p: str
    sp: str | None
    adkim: str
    aspf: str

    def for_domain(self, domain: str) -> str:
        # sp= governs subdomains whose own name has no record (RFC 7489 6.3).
        return self.p if domain == self.found_at else self.sp or self.p


_DMARC_RECORD = re.compile(r"\s*v\s*=\s*DMARC1\s*(;|$)")
_PolicyLookup: TypeAlias = _Policy | Literal["temperror"] | None


def _policies(domains: list[str | None], resolver: Resolver) -> dict[str, _PolicyLookup]:
    out: dict[str, _PolicyLookup] = {}
    for domain in domains:
        if domain and domain not in out:
            try:
                out[domain] = _find_policy(domain, resolver)
            except TempDNSError:
                out[domain] = "temperror"
    return out


def _find_policy(domain: str, resolver: Resolver) -> _Policy | None:
    """RFC 7489 6.6.3: the From domain's record, else its organizational domain's. More
    than one record at a name means no policy."""
    org = organizational_domain(domain)
    for name in dict.fromkeys((domain, org)):
        records = [t for t in resolver.txt(f"_dmarc.{name}") if _DMARC_RECORD.match(t)]
        if len(records) > 1:
            return None
        if records:
            return _parse_policy(records[0], name)
    return None


def _parse_policy(record: str, found_at: str) -> _Policy | None:
    tags: dict[str, str] = {}
    for part in record.split(";"):
        tag, eq, value = part.partition("=")
        if eq:
            tags.setdefault(tag.strip().lower(), value.strip().lower())
    policies = ("none", "quarantine", "reject")
    p, sp = tags.get("p"), tags.get("sp")
    if p not in policies or (sp is not None and sp not in policies):
        # 6.6.3 step 6: a broken p=/sp= counts as p=none when reports are wanted (rua=),
        # else the record is ignored.
        if not tags.get("rua"):
            return None
        p, sp = "none", None
    return _Policy(found_at, str(p), sp, _mode(tags.get("adkim")), _mode(tags.get("aspf")))


def _mode(value: str | None) -> str:
    return "s" if value == "s" else "r"


def _aligned(domain: str | None, from_domain: str, mode: str) -> bool:
    if not domain:
        return False
    if mode == "s":
        return domain == from_domain
    return organizational_domain(domain) == organizational_domain(from_domain)


def _dmarc(from_domain: str | None, policy: _PolicyLookup, spf_result: Result,
           spf_domain: str | None, signatures: list[tuple[str | None, Result]],
           ) -> tuple[str | None, Result, str | None]:
    """(From domain, DMARC result, policy that applies) for one From domain."""
    if from_domain is None:
        return None, "permerror", None
    if policy == "temperror":
        return from_domain, "temperror", None
    if policy is None:
        return from_domain, "none", None
    applies = policy.for_domain(from_domain)
    spf_aligned = _aligned(spf_domain, from_domain, policy.aspf)
    dkim_aligned = [r for d, r in signatures if _aligned(d, from_domain, policy.adkim)]
    if (spf_aligned and spf_result == "pass") or "pass" in dkim_aligned:
        return from_domain, "pass", applies
    # Only an outage on an identifier that could have passed keeps this from failing: the
    # sender's own unaligned domains must not be able to dodge a fail with a slow DNS.
    if (spf_aligned and spf_result == "temperror") or "temperror" in dkim_aligned:
        return from_domain, "temperror", applies
    return from_domain, "fail", applies


def _severity(outcome: tuple[str | None, Result, str | None]) -> int:
    """Which From domain speaks for the message: the worst one."""
    domain, result, policy = outcome
    if result == "fail" and policy in _ENFORCING:
        return 0
    if result == "permerror" and domain is None:
        return 1
    order: tuple[Result, ...] = ("temperror", "fail", "permerror", "none", "pass")
    return 2 + order.index(result) if result in order else 2 + len(order)
