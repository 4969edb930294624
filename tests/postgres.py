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
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from tests.ports import free_port, start_listening, wait_for_port

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
        self.port = 0  # picked when it starts (tests/ports.py)
        self._names = itertools.count()
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def _as_owner() -> dict[str, Any]:
        """subprocess arguments that run a program as the cluster's owner. Not `runuser`: that would
        stand between us and the server, and it does not pass SIGINT on (the stop would wait out its
        timeout and leave the server running)."""
        return {"user": "postgres", "group": "postgres", "extra_groups": []} if os.geteuid() == 0 else {}

    def __enter__(self) -> PostgresServer:
        data, sockets = self.root / "data", self.root / "run"
        sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(sockets, "postgres")
        subprocess.run([str(self.bin / "initdb"), "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8",
                        "--no-sync"], check=True, capture_output=True, cwd="/", **self._as_owner())

        log = self.root / "postgres.log"  # its stderr: a pipe nobody reads could fill up and stall the server

        def start() -> None:
            self.port = free_port()
            # fsync off: a test cluster need not survive a power cut, and the tests run faster.
            with log.open("ab") as output:
                self.process = subprocess.Popen(
                    [str(self.bin / "postgres"), "-D", str(data), "-p", str(self.port), "-k", str(sockets),
                     "-h", "127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
                    stdout=subprocess.DEVNULL, stderr=output, cwd="/", **self._as_owner())
            wait_for_port(self.port, self.process, timeout=30, ready=self._accepts_sessions)

        try:
            start_listening(start)  # again on another port if this one was taken meanwhile
        except RuntimeError as error:  # ServerExited or ServerTimeout (tests/ports.py), at the last try
            output = log.read_text(errors="replace") if log.exists() else ""
            self.__exit__(None, None, None)
            raise RuntimeError(f"postgres did not start ({error}): {output[-2000:]}") from None
        return self

    def _accepts_sessions(self) -> bool:
        # The port opens before the server takes sessions ("the database system is starting up").
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
            # SIGINT is PostgreSQL's "fast" shutdown (SIGTERM's "smart" one waits for every client).
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


# A test whose behaviour rests on how the backend commits, locks or recovers from a kill runs on
# both; every other test of a module using `both_ledgers` runs on SQLite only. That the ledger gives
# the same answers on both is the contract test's (tests/unit/test_ledger_contract.py), so the flows
# need not be walked twice to prove it.
ON_BOTH_LEDGERS = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)


def both_ledgers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The body of a `database_url` fixture: SQLite (None, the file in the test's home), or for a
    test marked ON_BOTH_LEDGERS also a fresh PostgreSQL database, set in the environment for the
    commands the test starts too."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return None
    url = request.getfixturevalue("postgres").new_database()
    monkeypatch.setenv("TRACESCTL_DATABASE_URL", url)
    return str(url)
