"""A real PostgreSQL server for tests: Debian's postgresql, a throwaway cluster (`initdb`) in a temp
folder, on a free loopback port; one fresh database per test. `make test` installs the package
(scripts/ensure-postgres.sh).

PostgreSQL refuses to run as root: started by root (as in CI containers), the cluster belongs to,
and runs as, the `postgres` user the Debian package creates.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import pytest

from tests.dovecot import _free_port

USER = "tracesctl"  # the cluster's superuser; trust authentication on loopback only


def postgres_bin() -> Path | None:
    """The folder of initdb and postgres: Debian keeps them off PATH, under /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


class PostgresServer:
    """`with PostgresServer() as pg: url = pg.new_database()`; everything goes when the block ends."""

    def __init__(self) -> None:
        folder = postgres_bin()
        if folder is None:
            raise RuntimeError("postgresql is not installed: `make test` installs it (apt-get install postgresql)")
        self.bin = folder
        # Not under pytest's tmp_path: that is private to root, and the server runs as `postgres`.
        self.root = Path(tempfile.mkdtemp(prefix="tracesctl-pg-"))
        self.port = _free_port()
        self._names = itertools.count()
        self.process: subprocess.Popen[bytes] | None = None

    def _as_owner(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def __enter__(self) -> PostgresServer:
        data, sockets = self.root / "data", self.root / "run"
        sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(sockets, "postgres")
        subprocess.run(self._as_owner([str(self.bin / "initdb"), "-D", str(data), "-U", USER, "-A", "trust",
                                       "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True, cwd="/")
        # fsync off: a test cluster need not survive a power cut, and the tests run faster.
        self.process = subprocess.Popen(
            self._as_owner([str(self.bin / "postgres"), "-D", str(data), "-p", str(self.port), "-k", str(sockets),
                            "-h", "127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")
        deadline = time.monotonic() + 30
        while not self._accepts_sessions():
            if self.process.poll() is not None or time.monotonic() > deadline:
                error = self.process.stderr.read().decode() if self.process.stderr and self.process.poll() else ""
                self.__exit__(None, None, None)
                raise RuntimeError(f"postgres did not start: {error[-2000:]}")
            time.sleep(0.05)  # test helper: polling a server another process is starting
        return self

    def _accepts_sessions(self) -> bool:
        # The port opens before the server takes sessions ("the database system is starting up").
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                pass
        except OSError:
            return False
        import psycopg

        try:
            psycopg.connect(self.url("postgres"), connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"ledger_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.process is not None and self.process.poll() is None:
            # SIGINT is PostgreSQL's "fast" shutdown (SIGTERM's "smart" one waits for every client);
            # runuser passes it on.
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def both_ledgers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The body of a `database_url` fixture parametrized over ("sqlite", "postgres"): a fresh
    database per test, also set in the environment for the commands the test starts."""
    if request.param == "sqlite":
        return None
    url = request.getfixturevalue("postgres").new_database()
    monkeypatch.setenv("TRACESCTL_DATABASE_URL", url)
    return str(url)
