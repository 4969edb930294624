"""A real IMAP server for tests: Debian's Dovecot, on a free loopback port, serving Maildirs the
offline portal delivers into (its `maildir_root` setting). `make test` installs dovecot-imapd."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
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
    port = 0
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class DovecotServer:
    """Start with `with DovecotServer({"user@example.se": "password"}) as imap:`."""

    users: dict[str, str]

    def __post_init__(self) -> None:
        if not Path(DOVECOT).exists():
            raise RuntimeError("dovecot is not installed: `make test` installs it (apt-get install dovecot-imapd)")
        # Not under pytest's tmp_path: that is private to this user, and Dovecot's processes drop to
        # an unprivileged user when started as root.
        self.root = Path(tempfile.mkdtemp(prefix="tracesctl-imap-"))
        self.root.chmod(0o755)
        self.port = _free_port()
        self.maildir_root = self.root / "mail"

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
        (root / "dovecot.conf").write_text(CONFIG.format(root=root, uid=uid, gid=gid, port=self.port,
                                                         internal_users=internal))
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while True:  # ready when the port answers
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                    self.__exit__(None, None, None)
                    raise RuntimeError(f"dovecot did not start: {log[-2000:]}") from None
                time.sleep(0.05)  # test helper: polling a port another process is opening

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)
