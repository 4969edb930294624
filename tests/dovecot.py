"""A real IMAP server for tests: Debian's Dovecot, on a free loopback port, serving Maildirs the
offline portal delivers into (its `maildir_root` setting). `make test` installs dovecot-imapd."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from tests.ports import free_port, start_listening, stop_group, wait_for_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 1
{internal_users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
"""


def write_certificates(folder: Path) -> None:
    """ca.pem (an authority) and cert.pem + key.pem (127.0.0.1, signed by it), with `cryptography`
    (py_webauthn's own dependency)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tracesctl test authority")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    for name in ("ca.pem", "cert.pem", "key.pem"):
        (folder / name).chmod(0o644)  # read by Dovecot's unprivileged processes; a throwaway key


@dataclass
class DovecotServer:
    """Start with `with DovecotServer({"user@example.se": "password"}) as imap:`. With `tls`, it
    also serves IMAPS on `imaps_port` and STARTTLS on `port`, with a certificate for 127.0.0.1
    signed by a throwaway authority (`ca_file`)."""

    users: dict[str, str]
    tls: bool = False

    def __post_init__(self) -> None:
        if not Path(DOVECOT).exists():
            raise RuntimeError("dovecot is not installed: `make test` installs it (apt-get install dovecot-imapd)")
        # Not under pytest's tmp_path: that is private to this user, and Dovecot's processes drop to
        # an unprivileged user when started as root.
        self.root = Path(tempfile.mkdtemp(prefix="tracesctl-imap-"))
        self.root.chmod(0o755)
        self.port = 0  # picked when it starts (tests/ports.py)
        self.imaps_port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.maildir_root = self.root / "mail"
        self.ca_file = self.root / "ca.pem"

    def __enter__(self) -> DovecotServer:
        root = self.root
        for folder in ("run", "state", "mail", "home"):
            (root / folder).mkdir()
        as_root = os.geteuid() == 0
        uid, gid = (65534, 65534) if as_root else (os.getuid(), os.getgid())
        internal = "" if as_root else (f"default_internal_user = {getpass.getuser()}\n"
                                       f"default_login_user = {getpass.getuser()}\n")
        for user in self.users:  # the portal (this process) writes, Dovecot's user reads and moves
            for sub in ("tmp", "new", "cur"):
                (self.maildir_root / user / sub).mkdir(parents=True)
        for path in (root / "mail", root / "home", *self.maildir_root.rglob("*")):
            path.chmod(0o777)
        (root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.users.items()))
        (root / "passwd").chmod(0o644)
        ssl = "ssl = no"
        if self.tls:
            write_certificates(root)
            ssl = f"ssl = yes\nssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem"

        def start() -> None:
            self.port = free_port()
            self.imaps_port = free_port() if self.tls else 0
            (root / "dovecot.conf").write_text(CONFIG.format(root=root, uid=uid, gid=gid, port=self.port,
                                                             imaps_port=self.imaps_port, ssl=ssl,
                                                             internal_users=internal))
            # A session of its own: the teardown signals Dovecot's whole process tree at once (below).
            with (root / "stderr.log").open("ab") as stderr:
                self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                                                stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
            for port in (self.port, self.imaps_port) if self.tls else (self.port,):
                wait_for_port(port, self.process, timeout=15)

        try:
            start_listening(start)  # again on other ports if these were taken meanwhile
        except RuntimeError as error:  # ServerExited or ServerTimeout (tests/ports.py), at the last try
            log = "".join(path.read_text(errors="replace") for path in (root / "stderr.log", root / "dovecot.log")
                          if path.exists())
            self.__exit__(None, None, None)
            raise RuntimeError(f"dovecot did not start ({error}): {log[-2000:]}") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.process is not None:
            stop_group(self.process)
        shutil.rmtree(self.root, ignore_errors=True)
