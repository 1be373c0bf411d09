"""A real IMAP server for tests: Debian's dovecot (`apt-get install dovecot-imapd`) on
127.0.0.1, with a generated configuration in a temporary directory (passwd-file login, maildir),
run in the foreground and stopped when the test ends.

Test modules import the fixtures: `from tests.channels.email.dovecot import ...  # noqa: F401`.
Without dovecot the tests are skipped, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import contextlib
import datetime
import imaplib
import ipaddress
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

USER, PASSWORD = "support", "imap secret"
def _q(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


_FLAGS = re.compile(rb"UID (\d+) FLAGS \(([^)]*)\)|FLAGS \(([^)]*)\) UID (\d+)")


def dovecot_binary() -> str:
    found = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists()
                                        else None)
    if found is None:
        message = "dovecot is not installed (apt-get install dovecot-imapd)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _self_signed(cert: Path, key: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    built = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
             .public_key(private.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - datetime.timedelta(days=1))
             .not_valid_after(now + datetime.timedelta(days=2))
             .add_extension(x509.SubjectAlternativeName([
                 x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                 critical=False)
             .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
             .sign(private, hashes.SHA256()))
    cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))


class Dovecot:
    """One dovecot instance. `port` speaks plain IMAP (and STARTTLS with `tls`), `tls_port`
    implicit TLS. `capabilities` replaces the advertised list (to test servers without IDLE)."""

    def __init__(self, *, tls: bool = False, capabilities: str | None = None) -> None:
        self.binary = dovecot_binary()
        # Mail processes cannot run as root, and pytest's tmp_path is private to root: a
        # directory of our own, readable by the mail user.
        self.root = Path(tempfile.mkdtemp(prefix="tend-dovecot-"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.tls_port = free_port() if tls else 0
        self.tls = tls
        self.cert_file = self.root / "cert.pem"
        self.proc: subprocess.Popen[bytes] | None = None
        if tls:
            _self_signed(self.cert_file, self.root / "key.pem")
        self._configure(capabilities)

    def _configure(self, capabilities: str | None) -> None:
        root = self.root
        if os.geteuid() == 0:
            mail_user, login_user, internal_user = "dovecot", "dovenull", "dovecot"
        else:
            mail_user = login_user = internal_user = pwd.getpwuid(os.geteuid()).pw_name
        home = root / "home"
        home.mkdir()
        if os.geteuid() == 0:
            entry = pwd.getpwnam(mail_user)
            os.chown(home, entry.pw_uid, entry.pw_gid)
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        ssl_conf = (f"ssl = yes\nssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem\n"
                    if self.tls else "ssl = no\n")
        (root / "dovecot.conf").write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
{ssl_conf}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_user}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_fsync = never
{f"imap_capability = {capabilities}" if capabilities else ""}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={home}/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
""")

    # --- the process ---------------------------------------------------------------------

    def start(self) -> None:
        self.proc = subprocess.Popen([self.binary, "-F", "-c", str(self.root / "dovecot.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dovecot exited at start:\n{self.log()}")
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.port), timeout=1) as s:
                if s.recv(100).startswith(b"* OK"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start in time:\n{self.log()}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        # The master's children leave with it; wait until the port is free for a restart.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    pass
            except OSError:
                return
            time.sleep(0.05)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"

    # --- helpers speaking IMAP -------------------------------------------------------------

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert_file))

    @contextlib.contextmanager
    def client(self, folder: str | None = None) -> Iterator[imaplib.IMAP4]:
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        try:
            imap.login(USER, PASSWORD)
            if folder is not None:
                imap.create(_q(folder))
                typ, _ = imap.select(_q(folder))
                assert typ == "OK"
            yield imap
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                imap.logout()

    def append(self, raw: bytes, folder: str = "INBOX", flags: str | None = None) -> None:
        with self.client() as imap:
            imap.create(_q(folder))
            typ, data = imap.append(_q(folder), flags, None, raw)
            assert typ == "OK", data

    def append_many(self, raws: Sequence[bytes], folder: str = "INBOX", batch: int = 250) -> None:
        """MULTIAPPEND with non-synchronising literals: hundreds of mails per round trip."""
        with self.client() as imap:
            imap.create(_q(folder))
            for n, start in enumerate(range(0, len(raws), batch)):
                tag = b"MA%d" % n
                parts = [tag + b" APPEND " + _q(folder).encode()]
                for raw in raws[start:start + batch]:
                    parts.append(b" {%d+}\r\n" % len(raw) + raw)
                imap.send(b"".join(parts) + b"\r\n")
                while not (line := imap.readline()).startswith(tag + b" "):
                    assert line, "dovecot closed the connection"
                assert line.startswith(tag + b" OK"), line

    def flags(self, folder: str = "INBOX") -> dict[int, set[str]]:
        """UID → flags of every mail in the folder (read-only: nothing changes)."""
        with self.client() as imap:
            typ, _ = imap.select(_q(folder), readonly=True)
            if typ != "OK":
                return {}
            typ, data = imap.uid("FETCH", "1:*", "(FLAGS)")
        found: dict[int, set[str]] = {}
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            m = _FLAGS.search(line) if isinstance(line, bytes) else None
            if m:
                uid, flags = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                found[int(uid)] = set(flags.decode().split())
        return found

    def subjects(self, folder: str = "INBOX") -> list[str]:
        with self.client() as imap:
            typ, _ = imap.select(_q(folder), readonly=True)
            if typ != "OK":
                return []
            typ, data = imap.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        return sorted(item[1].decode().partition(":")[2].strip() for item in data
                      if isinstance(item, tuple))


@pytest.fixture(name="dovecot")
def dovecot_fixture() -> Iterator[Dovecot]:
    server = Dovecot()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(name="make_dovecot")
def make_dovecot_fixture() -> Iterator[Callable[..., Dovecot]]:
    """Start servers with other options (`tls=True`, `capabilities=...`)."""
    started: list[Dovecot] = []

    def make(**options: object) -> Dovecot:
        server = Dovecot(**options)  # type: ignore[arg-type]
        started.append(server)
        server.start()
        return server

    try:
        yield make
    finally:
        for server in started:
            server.close()


def wait_for(check: Callable[[], object], *, timeout: float = 20.0, what: str = "") -> None:
    """Poll until `check()` is true (no fixed sleeps); fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what or check}")
        time.sleep(0.05)
