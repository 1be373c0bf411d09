import pytest

from tend.channels.email.authresults import parse, verdict

MX = "mx.help.example"


@pytest.mark.parametrize(("header", "expected"), [
    (f"{MX}; spf=pass smtp.mailfrom=a@b.example; dkim=pass header.d=b.example; "
     "dmarc=pass (p=reject) header.from=b.example", "pass"),
    (f"{MX}; spf=pass smtp.mailfrom=a@b.example; dkim=fail; dmarc=fail (p=reject) "
     "header.from=b.example", "fail"),
    (f"{MX}; spf=fail smtp.mailfrom=a@b.example; dkim=none", "fail"),
    (f"{MX}; spf=fail smtp.mailfrom=a@b.example", "fail"),
    (f"{MX}; spf=softfail smtp.mailfrom=a@b.example; dkim=pass header.d=b.example", "pass"),
    (f"{MX}; dkim=fail header.d=x; dkim=pass header.d=b.example", "pass"),
    (f"{MX}; spf=neutral; dkim=neutral", "unknown"),
    (f"{MX} 1; none", "unknown"),
    (f"{MX} (comment; with=semicolons dmarc=pass); dmarc=fail header.from=b.example", "fail"),
])
def test_trusted_relay_verdicts(header: str, expected: str) -> None:
    assert verdict([header], [MX]) == expected


def test_untrusted_results_are_ignored() -> None:
    forged = "mx.attacker.example; dmarc=pass header.from=bank.example"
    assert verdict([forged], [MX]) == "unknown"
    # The sender's forged header sits below ours: ours is the one that counts.
    ours = f"{MX}; dmarc=fail header.from=bank.example"
    assert verdict([ours, f"{MX.upper()}; dmarc=pass"], [MX]) == "fail"
    assert verdict([forged, ours], [MX, ""]) == "fail"


def test_malformed_headers_do_not_crash() -> None:
    for header in ("", ";", "   ; spf=pass", "()", "x;;;;"):
        assert verdict([header], [MX]) == "unknown"
    parsed = parse(f"{MX}; spf=PASS")
    assert parsed is not None and parsed.spf == "pass" and parsed.authserv_id == MX
