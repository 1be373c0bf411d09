"""SPF, DKIM and DMARC checked by Tend itself, offline: every DNS answer comes from a
StaticResolver, and messages are signed here with keys generated here."""

from __future__ import annotations

import base64
import random
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import dkim  # type: ignore[import-untyped]
import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.rrset
import nacl.signing
import pytest

from tend.channels.email import authresults
from tend.channels.email.senderauth import (
    MAX_SIGNATURES,
    DnsResolver,
    SenderAuth,
    StaticResolver,
    TempDNSError,
    check,
    organizational_domain,
)

# --------------------------------------------------------------------------- keys

_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]


def _probably_prime(n: int, rng: random.Random) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(24):  # Miller-Rabin
        x = pow(rng.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random) -> int:
    while True:
        # The two top bits set make p*q exactly 2*bits long.
        n = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if (n - 1) % 65537 and _probably_prime(n, rng):
            return n


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def _int(n: int) -> bytes:
    return _der(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))


@cache
def rsa_key(bits: int = 1024, seed: int = 1) -> tuple[bytes, str]:
    """(PKCS#1 PEM private key, base64 SubjectPublicKeyInfo for the p= tag)."""
    rng = random.Random(seed)
    p, q = _prime(bits // 2, rng), _prime(bits // 2, rng)
    n, e = p * q, 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    fields = (0, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))
    private = _der(0x30, b"".join(_int(x) for x in fields))
    pem = (b"-----BEGIN RSA PRIVATE KEY-----\n" + base64.encodebytes(private)
           + b"-----END RSA PRIVATE KEY-----\n")
    rsa_encryption = bytes.fromhex("06092a864886f70d0101010500")
    public = _der(0x30, _int(n) + _int(e))
    spki = _der(0x30, _der(0x30, rsa_encryption) + _der(0x03, b"\x00" + public))
    return pem, base64.b64encode(spki).decode()


@cache
def ed25519_key() -> tuple[bytes, str]:
    key = nacl.signing.SigningKey(bytes(range(32)))
    return base64.b64encode(bytes(key)), base64.b64encode(bytes(key.verify_key)).decode()


def rsa_record(bits: int = 1024, seed: int = 1) -> str:
    return f"v=DKIM1; k=rsa; p={rsa_key(bits, seed)[1]}"


# --------------------------------------------------------------------------- mail and DNS

GOOD_IP, FORWARDER_IP, ATTACKER_IP = "192.0.2.10", "198.51.100.7", "203.0.113.66"


def mail(from_: str = "Alice <alice@shop.example>", subject: str = "Order 1042",
         body: str = "Where is my parcel?\r\n") -> bytes:
    return (f"From: {from_}\r\nTo: help@tend.example\r\nSubject: {subject}\r\n"
            "Date: Mon, 02 Jun 2025 10:00:00 +0000\r\nMessage-ID: <1042@shop.example>\r\n"
            f"\r\n{body}").encode()


def sign(raw: bytes, domain: str, *, selector: str = "s1", key: bytes | None = None,
         algorithm: bytes = b"rsa-sha256") -> bytes:
    if key is None:
        key = ed25519_key()[0] if algorithm == b"ed25519-sha256" else rsa_key()[0]
    header: bytes = dkim.sign(raw, selector.encode(), domain.encode(), key,
                              signature_algorithm=algorithm)
    return header + raw


TXT: dict[str, list[str]] = {
    "shop.example": ["v=spf1 ip4:192.0.2.0/24 -all", "google-site-verification=abc"],
    "mail.shop.example": ["v=spf1 ip4:192.0.2.0/24 -all"],
    "_dmarc.shop.example": ["v=DMARC1; p=reject; rua=mailto:dmarc@shop.example"],
    "s1._domainkey.shop.example": [rsa_record()],
    "s1._domainkey.mail.shop.example": [rsa_record()],
    "ed._domainkey.shop.example": [f"v=DKIM1; k=ed25519; p={ed25519_key()[1]}"],
    "small._domainkey.shop.example": [rsa_record(512, 2)],
    "gone._domainkey.shop.example": ["v=DKIM1; k=rsa; p="],
    "bank.example": ["v=spf1 ip4:192.0.2.0/24 -all"],
    "_dmarc.bank.example": ["v=DMARC1; p=reject"],
    "forwarder.example": ["v=spf1 ip4:198.51.100.0/24 -all"],
    "attacker.example": ["v=spf1 ip4:203.0.113.0/24 -all"],
    "s1._domainkey.attacker.example": [rsa_record()],
    "lax.example": ["v=spf1 -all"],
    "_dmarc.lax.example": ["v=DMARC1; p=none; rua=mailto:r@lax.example"],
    "nodmarc.example": ["v=spf1 -all"],
    "_dmarc.strict.example": ["v=DMARC1; p=reject; adkim=s; aspf=s"],
    "mail.strict.example": ["v=spf1 ip4:192.0.2.0/24 -all"],
    "strict.example": ["v=spf1 ip4:192.0.2.0/24 -all"],
    "s1._domainkey.strict.example": [rsa_record()],
    "s1._domainkey.mail.strict.example": [rsa_record()],
    "_dmarc.example.co.uk": ["v=DMARC1; p=reject; sp=none"],
    "example.co.uk": ["v=spf1 -all"],
    "news.example.co.uk": ["v=spf1 -all"],
    "_dmarc.split.example": ["v=DMARC1; p=reject; sp=quarantine"],
    "deep.split.example": ["v=spf1 -all"],
    "_dmarc.twice.example": ["v=DMARC1; p=reject", "v=DMARC1; p=none"],
    "twice.example": ["v=spf1 -all"],
    "_dmarc.broken.example": ["v=DMARC1; p=bogus"],
    "broken.example": ["v=spf1 -all"],
}


def world(*, failing: tuple[str, ...] = ()) -> StaticResolver:
    return StaticResolver(txt=TXT, failing=failing)


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyspf's and dkimpy's own lookups end in these: any call means a lookup escaped."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"real DNS lookup: {args}")
    monkeypatch.setattr(dns.resolver, "resolve", refuse)
    monkeypatch.setattr(dns.resolver, "query", refuse)
    monkeypatch.setattr("spf.DNSLookup", refuse)  # imported (warnings tamed) by senderauth


# --------------------------------------------------------------------------- DMARC matrix


@dataclass(frozen=True)
class Case:
    name: str
    from_: str
    mail_from: str | None
    client_ip: str | None
    signers: tuple[str, ...]
    spf: str
    dmarc: str
    policy: str | None
    verdict: str
    failing: tuple[str, ...] = ()


CASES = [
    Case("aligned SPF only", "alice@shop.example", "bounce@shop.example", GOOD_IP, (),
         "pass", "pass", "reject", "pass"),
    Case("aligned DKIM only", "alice@shop.example", "fwd@forwarder.example", FORWARDER_IP,
         ("shop.example",), "pass", "pass", "reject", "pass"),
    Case("aligned DKIM, no client IP", "alice@shop.example", None, None, ("shop.example",),
         "none", "pass", "reject", "pass"),
    Case("unaligned SPF pass, no DKIM", "alice@shop.example", "x@attacker.example",
         ATTACKER_IP, (), "pass", "fail", "reject", "fail"),
    Case("unaligned DKIM pass", "alice@shop.example", "x@attacker.example", ATTACKER_IP,
         ("attacker.example",), "pass", "fail", "reject", "fail"),
    Case("forged From, unauthorised IP", "ceo@bank.example", "ceo@bank.example", ATTACKER_IP,
         (), "fail", "fail", "reject", "fail"),
    Case("p=none", "a@lax.example", "a@lax.example", ATTACKER_IP, (),
         "fail", "fail", "none", "unknown"),
    Case("no DMARC record", "a@nodmarc.example", "a@nodmarc.example", ATTACKER_IP, (),
         "fail", "none", None, "unknown"),
    Case("relaxed: SPF of a subdomain", "alice@shop.example", "b@mail.shop.example", GOOD_IP,
         (), "pass", "pass", "reject", "pass"),
    Case("relaxed: DKIM of a subdomain", "alice@shop.example", None, None,
         ("mail.shop.example",), "none", "pass", "reject", "pass"),
    Case("strict: SPF of a subdomain", "a@strict.example", "b@mail.strict.example", GOOD_IP,
         (), "pass", "fail", "reject", "fail"),
    Case("strict: DKIM of a subdomain", "a@strict.example", None, None,
         ("mail.strict.example",), "none", "fail", "reject", "fail"),
    Case("strict: exact DKIM domain", "a@strict.example", None, None, ("strict.example",),
         "none", "pass", "reject", "pass"),
    Case("strict: exact SPF domain", "a@strict.example", "b@strict.example", GOOD_IP, (),
         "pass", "pass", "reject", "pass"),
    Case("organizational domain: sp=none", "a@news.example.co.uk", "a@news.example.co.uk",
         ATTACKER_IP, (), "fail", "fail", "none", "unknown"),
    Case("organizational domain itself: p=reject", "a@example.co.uk", "a@example.co.uk",
         ATTACKER_IP, (), "fail", "fail", "reject", "fail"),
    Case("sp=quarantine for a deep subdomain", "a@deep.split.example",
         "a@deep.split.example", ATTACKER_IP, (), "fail", "fail", "quarantine", "fail"),
    Case("two DMARC records: no policy", "a@twice.example", "a@twice.example", ATTACKER_IP,
         (), "fail", "none", None, "unknown"),
    Case("invalid p= without rua: no policy", "a@broken.example", "a@broken.example",
         ATTACKER_IP, (), "fail", "none", None, "unknown"),
    Case("DMARC lookup times out", "ceo@bank.example", "ceo@bank.example", ATTACKER_IP, (),
         "fail", "temperror", None, "unknown", failing=("_dmarc.bank.example",)),
    Case("aligned SPF lookup times out", "alice@shop.example", "b@shop.example", GOOD_IP, (),
         "temperror", "temperror", "reject", "unknown", failing=("shop.example",)),
    Case("aligned DKIM key lookup times out", "alice@shop.example", None, None,
         ("shop.example",), "none", "temperror", "reject", "unknown",
         failing=("s1._domainkey.shop.example",)),
    Case("a slow unaligned SPF domain cannot dodge a fail", "ceo@bank.example",
         "x@attacker.example", ATTACKER_IP, (), "temperror", "fail", "reject", "fail",
         failing=("attacker.example",)),
    Case("a slow unaligned DKIM domain cannot dodge a fail", "ceo@bank.example", None, None,
         ("attacker.example",), "none", "fail", "reject", "fail",
         failing=("s1._domainkey.attacker.example",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_dmarc_matrix(case: Case) -> None:
    raw = mail(case.from_)
    for domain in case.signers:
        raw = sign(raw, domain)
    result = check(raw, client_ip=case.client_ip, mail_from=case.mail_from, helo="mx.out.example",
                   resolver=world(failing=case.failing))
    assert (result.spf, result.dmarc, result.dmarc_policy, result.verdict) == (
        case.spf, case.dmarc, case.policy, case.verdict)
    assert result.from_domain == case.from_.rpartition("@")[2]


# --------------------------------------------------------------------------- DKIM


def dkim_only(raw: bytes, resolver: StaticResolver | None = None) -> SenderAuth:
    return check(raw, client_ip=None, mail_from=None, helo=None, resolver=resolver or world())


def test_valid_signature_passes() -> None:
    result = dkim_only(sign(mail(), "shop.example"))
    assert (result.dkim, result.dkim_domains, result.verdict) == ("pass", ("shop.example",), "pass")


def test_ed25519_signature_passes() -> None:
    result = dkim_only(sign(mail(), "shop.example", selector="ed", algorithm=b"ed25519-sha256"))
    assert (result.dkim, result.dkim_domains) == ("pass", ("shop.example",))


@pytest.mark.parametrize(("selector", "algorithm", "old", "new"), [
    ("s1", b"rsa-sha256", b"Where is my parcel?", b"Send gift cards now."),  # the body
    ("s1", b"rsa-sha256", b"Order 1042", b"Order 1043"),  # a signed header
    ("ed", b"ed25519-sha256", b"Order 1042", b"Order 1043"),
])
def test_tampering_fails(selector: str, algorithm: bytes, old: bytes, new: bytes) -> None:
    signed = sign(mail(), "shop.example", selector=selector, algorithm=algorithm)
    result = dkim_only(signed.replace(old, new))
    assert (result.dkim, result.dkim_domains, result.dmarc, result.verdict) == (
        "fail", (), "fail", "fail")


@pytest.mark.parametrize(("selector", "expected"), [
    ("missing", "permerror"),  # RFC 6376 6.1.2: no key record is a permanent failure
    ("gone", "permerror"),  # p= empty: the key was revoked
    ("small", "permerror"),  # 512-bit key: below RFC 8301's 1024
])
def test_unusable_keys(selector: str, expected: str) -> None:
    key = rsa_key(512, 2)[0] if selector == "small" else None
    result = dkim_only(sign(mail(), "shop.example", selector=selector, key=key))
    assert (result.dkim, result.dkim_domains, result.dmarc) == (expected, (), "fail")


def test_sha1_signatures_are_not_accepted() -> None:
    result = dkim_only(sign(mail(), "shop.example", algorithm=b"rsa-sha1"))
    assert (result.dkim, result.dkim_domains) == ("permerror", ())


def test_malformed_signature_is_a_permerror() -> None:
    raw = b"DKIM-Signature: v=1; a=rsa-sha256; d=shop.example\r\n" + mail()
    assert dkim_only(raw).dkim == "permerror"


def test_every_signature_is_verified() -> None:
    raw = sign(sign(sign(mail(), "attacker.example"), "shop.example", selector="ed",
                    algorithm=b"ed25519-sha256"), "mail.shop.example")
    result = dkim_only(raw)
    assert result.dkim_domains == ("mail.shop.example", "shop.example", "attacker.example")
    assert result.dmarc == "pass"


def test_one_good_signature_among_broken_ones() -> None:
    raw = sign(sign(mail(), "shop.example"), "shop.example", selector="missing")
    result = dkim_only(raw)
    assert (result.dkim, result.dkim_domains, result.dmarc) == ("pass", ("shop.example",), "pass")
    header = result.header_value("mx.tend.example")
    assert "dkim=pass header.d=shop.example" in header


def test_signatures_are_capped() -> None:
    raw = mail()
    for _ in range(MAX_SIGNATURES + 3):
        raw = sign(raw, "attacker.example")
    resolver = world()
    result = dkim_only(raw, resolver)
    key_lookups = [q for q in resolver.queries if "._domainkey." in q[1]]
    assert len(key_lookups) == MAX_SIGNATURES
    assert result.dkim_domains == ("attacker.example",)


# --------------------------------------------------------------------------- SPF


def spf_result(record: str, ip: str, resolver_kw: dict[str, object] | None = None,
               mail_from: str | None = "b@out.example", helo: str | None = "mx.out.example",
               ) -> SenderAuth:
    resolver = StaticResolver(txt={"out.example": [record]}, **(resolver_kw or {}))  # type: ignore[arg-type]
    return check(mail(), client_ip=ip, mail_from=mail_from, helo=helo, resolver=resolver)


def test_spf_a_mx_and_ptr_mechanisms_use_the_resolver() -> None:
    records = {"a": {"web.out.example": ["192.0.2.1"], "mx1.out.example": ["192.0.2.2"],
                     "host.out.example": ["192.0.2.3"]},
               "aaaa": {"mx1.out.example": ["2001:db8::25"]},
               "mx": {"out.example": [(10, "mx1.out.example")]},
               "ptr": {"192.0.2.3": ["host.out.example"]}}
    record = "v=spf1 a:web.out.example mx ptr -all"
    for ip in ("192.0.2.1", "192.0.2.2", "2001:db8::25", "192.0.2.3"):
        assert spf_result(record, ip, records).spf == "pass", ip
    assert spf_result(record, "192.0.2.4", records).spf == "fail"


@pytest.mark.parametrize(("record", "expected"), [
    ("v=spf1 ~all", "softfail"),
    ("v=spf1 ?all", "neutral"),
    ("v=spf1 ip4:192.0.2.0/33 -all", "permerror"),
    ("v=spf1 include:nowhere.example -all", "permerror"),
    ("not spf at all", "none"),
])
def test_spf_results(record: str, expected: str) -> None:
    assert spf_result(record, "192.0.2.1").spf == expected
    assert spf_result(record, "not-an-ip").spf == "permerror"


def test_spf_gives_up_after_two_void_lookups() -> None:
    record = "v=spf1 a:v1.out.example a:v2.out.example a:v3.out.example ip4:192.0.2.1 -all"
    assert spf_result(record, "192.0.2.1").spf == "permerror"  # RFC 7208 4.6.4
    assert spf_result(record.replace("a:v3.out.example ", ""), "192.0.2.1").spf == "pass"


def test_spf_stops_after_ten_lookups() -> None:
    chain = {f"l{i}.out.example": [f"v=spf1 include:l{i + 1}.out.example -all"]
             for i in range(15)}
    resolver = StaticResolver(txt={"out.example": ["v=spf1 include:l0.out.example -all"],
                                   **chain})
    result = check(mail(), client_ip="192.0.2.1", mail_from="b@out.example", helo=None,
                   resolver=resolver)
    assert result.spf == "permerror"
    assert len([q for q in resolver.queries if q[1].startswith("l")]) <= 11


def test_null_sender_checks_the_helo_identity() -> None:
    resolver = StaticResolver(txt={"mx.out.example": ["v=spf1 ip4:192.0.2.1 -all"]})
    result = check(mail(), client_ip="192.0.2.1", mail_from="<>", helo="mx.out.example",
                   resolver=resolver)
    assert (result.spf, result.spf_domain, result.spf_scope) == ("pass", "mx.out.example", "helo")
    assert "spf=pass smtp.helo=mx.out.example" in result.header_value("mx.tend.example")


def test_no_client_ip_means_no_spf_and_no_lookup() -> None:
    resolver = world()
    result = check(mail(), client_ip=None, mail_from="b@shop.example", helo=None,
                   resolver=resolver)
    assert (result.spf, result.spf_domain) == ("none", "shop.example")
    assert ("TXT", "shop.example") not in resolver.queries


# --------------------------------------------------------------------------- From and budget


def test_no_from_is_treated_as_a_fail() -> None:
    raw = b"Sender: ceo@bank.example\r\nSubject: hi\r\n\r\nbody\r\n"
    result = check(raw, client_ip=ATTACKER_IP, mail_from="ceo@bank.example", helo=None,
                   resolver=world())
    assert (result.from_domain, result.dmarc, result.verdict) == (None, "permerror", "fail")


def test_a_second_from_cannot_hide_a_forged_one() -> None:
    raw = sign(mail(), "shop.example")
    raw = raw.replace(b"From: Alice", b"From: CEO <ceo@bank.example>\r\nFrom: Alice")
    for candidate in (raw, mail("Alice <alice@shop.example>, CEO <ceo@bank.example>")):
        result = check(sign(candidate, "shop.example"), client_ip=GOOD_IP,
                       mail_from="b@shop.example", helo=None, resolver=world())
        assert (result.from_domain, result.dmarc, result.verdict) == (
            "bank.example", "fail", "fail")


@pytest.mark.parametrize("raw", [
    b"", b"\r\n\r\n", b"garbage without headers", b"From:\r\n\r\n", b"From: <@>\r\n\r\nx",
    b"From: a@\xff\xfe.example\r\nDKIM-Signature: x\r\n\r\n", b"\x00\x01From: a@b\n\n",
    b"From: a@[192.0.2.1]\r\n\r\n", b"From: =?utf-8?q?x?= <a@" + b"x." * 200 + b"example>\n\n",
])
def test_malformed_mail_never_raises(raw: bytes) -> None:
    result = check(raw, client_ip="192.0.2.1", mail_from="<@>", helo="[x]", resolver=world())
    assert result.verdict in ("fail", "unknown")


def test_from_domains_are_normalised() -> None:
    result = check(mail('"Alice" <Alice@SHOP.Example.>'), client_ip=GOOD_IP,
                   mail_from="b@shop.example", helo=None, resolver=world())
    assert (result.from_domain, result.verdict) == ("shop.example", "pass")


class _SlowResolver(StaticResolver):
    """Every lookup of the attacker's names takes 4 (fake) seconds."""

    def __init__(self, clock: list[float]) -> None:
        chain = {f"l{i}.attacker.example": [f"v=spf1 include:l{i + 1}.attacker.example -all"]
                 for i in range(9)}
        super().__init__(txt={**TXT, **chain,
                              "attacker.example": ["v=spf1 include:l0.attacker.example -all"]})
        self.clock = clock

    def txt(self, name: str) -> list[str]:
        if name.endswith("attacker.example"):
            self.clock[0] += 4
        return super().txt(name)


def test_a_slow_sender_cannot_starve_the_dmarc_lookup() -> None:
    clock = [0.0]
    resolver = _SlowResolver(clock)
    raw = sign(mail("ceo@bank.example"), "attacker.example")
    result = check(raw, client_ip=ATTACKER_IP, mail_from="x@attacker.example", helo=None,
                   resolver=resolver, budget=6.0, clock=lambda: clock[0])
    assert result.spf == "temperror"  # the SPF stage ran out of time...
    assert (result.dmarc, result.verdict) == ("fail", "fail")  # ...the DMARC stage did not
    assert clock[0] < 9 * 4  # the include chain was cut short


# --------------------------------------------------------------------------- results


def test_header_value_round_trips_through_the_parser() -> None:
    result = check(sign(mail(), "shop.example"), client_ip=GOOD_IP, mail_from="b@shop.example",
                   helo=None, resolver=world())
    header = result.header_value("mx.tend.example")
    assert header == ("mx.tend.example; spf=pass smtp.mailfrom=shop.example; "
                      "dkim=pass header.d=shop.example; dmarc=pass (p=reject) "
                      "header.from=shop.example")
    parsed = authresults.parse(header)
    assert parsed is not None
    assert (parsed.spf, parsed.dkim, parsed.dmarc, parsed.verdict) == (
        "pass", "pass", "pass", "pass")


def test_header_value_quotes_odd_values() -> None:
    auth = SenderAuth(spf="none", spf_domain=None, dkim="none", dkim_domains=(),
                      dmarc="none", dmarc_policy=None, from_domain=None)
    header = auth.header_value('mx "x"\r\nBcc: a@b.example')
    assert "\r" not in header and "\n" not in header
    assert header.startswith('"mx \\"x\\"Bcc: a@b.example"; spf=none; dkim=none; dmarc=none')


@pytest.mark.parametrize(("dmarc", "policy", "from_domain", "verdict"), [
    ("pass", "reject", "a.example", "pass"),
    ("pass", None, "a.example", "pass"),
    ("fail", "reject", "a.example", "fail"),
    ("fail", "quarantine", "a.example", "fail"),
    ("fail", "none", "a.example", "unknown"),
    ("none", None, "a.example", "unknown"),
    ("temperror", "reject", "a.example", "unknown"),
    ("permerror", None, "a.example", "unknown"),
    ("permerror", None, None, "fail"),
])
def test_verdict(dmarc: str, policy: str | None, from_domain: str | None, verdict: str) -> None:
    auth = SenderAuth(spf="none", spf_domain=None, dkim="none", dkim_domains=(),
                      dmarc=dmarc, dmarc_policy=policy, from_domain=from_domain)  # type: ignore[arg-type]
    assert auth.verdict == verdict


@pytest.mark.parametrize(("domain", "org"), [
    ("sub.example.co.uk", "example.co.uk"),
    ("a.b.shop.example", "shop.example"),
    ("shop.example", "shop.example"),
    ("co.uk", "co.uk"),
])
def test_organizational_domain(domain: str, org: str) -> None:
    assert organizational_domain(domain) == org


# --------------------------------------------------------------------------- DnsResolver


class _DnsServer:
    """A tiny authoritative server on 127.0.0.1 answering from a fixed table."""

    ANSWERS = {
        ("txt.zone.example.", "TXT"): '"v=spf1 " "-all"',
        ("txt.zone.example.", "MX"): "10 mx.zone.example.",
        ("mx.zone.example.", "A"): "192.0.2.25",
        ("mx.zone.example.", "AAAA"): "2001:db8::25",
        ("25.2.0.192.in-addr.arpa.", "PTR"): "mx.zone.example.",
    }

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            question = query.question[0]
            name = question.name.to_text()
            rdtype = dns.rdatatype.to_text(question.rdtype)
            if name.startswith("slow."):
                continue  # never answers: the client must time out
            reply = dns.message.make_response(query)
            reply.flags |= dns.flags.AA
            if name.startswith("broken."):
                reply.set_rcode(dns.rcode.SERVFAIL)
            elif (name, rdtype) in self.ANSWERS:
                rdata = self.ANSWERS[(name, rdtype)]
                reply.answer.append(dns.rrset.from_text(name, 60, "IN", rdtype, rdata))
            elif not any(key[0] == name for key in self.ANSWERS):
                reply.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(reply.to_wire(), peer)


@pytest.fixture
def dns_server() -> Iterator[_DnsServer]:
    server = _DnsServer()
    server.thread.start()
    yield server
    server.stop.set()
    server.thread.join()
    server.sock.close()


def test_dns_resolver_answers(dns_server: _DnsServer) -> None:
    resolver = DnsResolver(nameservers=["127.0.0.1"], port=dns_server.port, timeout=2.0)
    assert resolver.txt("txt.zone.example") == ["v=spf1 -all"]
    assert resolver.mx("TXT.zone.example.") == [(10, "mx.zone.example")]
    assert resolver.a("mx.zone.example") == ["192.0.2.25"]
    assert resolver.aaaa("mx.zone.example") == ["2001:db8::25"]
    assert resolver.ptr("25.2.0.192.in-addr.arpa") == ["mx.zone.example"]
    assert resolver.txt("mx.zone.example") == []  # no data
    assert resolver.txt("nowhere.zone.example") == []  # NXDOMAIN
    assert resolver.txt("a..b") == []  # not a DNS name: nothing asked


def test_dns_resolver_reports_outages(dns_server: _DnsServer) -> None:
    resolver = DnsResolver(nameservers=["127.0.0.1"], port=dns_server.port, timeout=0.3)
    with pytest.raises(TempDNSError):
        resolver.txt("broken.zone.example")
    with pytest.raises(TempDNSError):
        resolver.txt("slow.zone.example")


def test_dns_resolver_drives_a_whole_check(dns_server: _DnsServer) -> None:
    resolver = DnsResolver(nameservers=["127.0.0.1"], port=dns_server.port, timeout=0.3)
    result = check(mail("a@txt.zone.example"), client_ip="192.0.2.25",
                   mail_from="b@txt.zone.example", helo=None, resolver=resolver)
    assert (result.spf, result.dkim, result.dmarc, result.verdict) == (
        "fail", "none", "none", "unknown")
