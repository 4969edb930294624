"""Where the ledger lives: an SQLite file under TRACESCTL_HOME (the default), or PostgreSQL
(TRACESCTL_DATABASE_URL) when several hosts share sign-ins, holds and the audit trail.

The Ledger writes its queries once, with `?` placeholders and `RETURNING id`; a backend runs them
in its own dialect. Every write is one transaction that also serialises writers (SQLite's
BEGIN IMMEDIATE; a transaction-level advisory lock in PostgreSQL), so check-then-insert steps such
as "place a hold unless one is active" stay atomic across processes and hosts alike.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from automation.error_words import in_words

Row = tuple[Any, ...]
# One key for every ledger writer in PostgreSQL: the ledger's writes are few and short.
WRITER_LOCK = "tracesctl:ledger-writer"


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Row | None: ...

    def fetchall(self) -> list[Row]: ...


class Transaction(Protocol):
    def execute(self, query: str, params: Sequence[object] = ()) -> Cursor: ...


class Backend(Protocol):
    dialect: str  # "sqlite" | "postgresql": which column types the schema uses

    def transaction(self) -> AbstractContextManager[Transaction]: ...

    def read(self, query: str, params: Sequence[object] = ()) -> list[Row]: ...

    def schema_version(self, db: Transaction) -> int: ...

    def set_schema_version(self, db: Transaction, version: int) -> None: ...

    def integrity_ok(self) -> bool: ...

    def close(self) -> None: ...


@contextmanager
def _setup_lock(path: Path) -> Iterator[None]:
    fd = os.open(path.with_name(path.name + ".setup-lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the kernel drops it if the process dies
        yield
    finally:
        os.close(fd)


class SqliteBackend:
    """One SQLite file; safe to open from several processes of one host at once."""

    dialect = "sqlite"

    @classmethod
    def in_memory(cls) -> SqliteBackend:
        """An empty ledger that lives only in this process: what a read-only command reads when no
        ledger exists yet, so that looking creates neither the home nor a file."""
        backend = cls.__new__(cls)
        backend.path = Path(":memory:")
        backend._db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        backend._lock = threading.RLock()
        return backend

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = path
        # isolation_level=None: autocommit; every write is its own explicit transaction.
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()  # one connection shared by a run's worker threads
        # Two processes opening a new ledger at once both try to switch it to WAL, which needs an
        # exclusive lock: SQLite answers one "database is locked" at once, without waiting for the
        # busy timeout. A file lock lets one process set the ledger up while the other waits.
        with _setup_lock(path):
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        path.chmod(0o600)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db  # type: ignore[misc]  # sqlite3's cursor has the Cursor protocol's methods
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def read(self, query: str, params: Sequence[object] = ()) -> list[Row]:
        with self._lock:
            return self._db.execute(query, tuple(params)).fetchall()

    def schema_version(self, db: Transaction) -> int:
        row = db.execute("PRAGMA user_version").fetchone()
        return int(row[0]) if row else 0

    def set_schema_version(self, db: Transaction, version: int) -> None:
        db.execute(f"PRAGMA user_version = {int(version)}")

    def integrity_ok(self) -> bool:
        return bool(self.read("PRAGMA integrity_check")[0][0] == "ok")

    def close(self) -> None:
        self._db.close()


def _dialect(query: str) -> str:
    # Our queries hold no literal `?` or `%`: a plain swap of placeholders is exact.
    return query.replace("?", "%s")


class _PgTransaction:
    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, query: str, params: Sequence[object] = ()) -> Cursor:
        cursor: Cursor = self._connection.execute(_dialect(query), tuple(params))
        return cursor


class PostgresBackend:
    """A PostgreSQL database shared by every host; psycopg 3, one connection per Ledger."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:  # an optional dependency: only PostgreSQL users install it
            from automation.errors import ConfigError

            raise ConfigError("TRACESCTL_DATABASE_URL is set but psycopg is not installed "
                              "(pip install 'tracesctl[postgres]')") from None
        self.url = url
        try:
            self._db = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as exc:
            from automation.errors import ConfigError

            raise ConfigError(f"TRACESCTL_DATABASE_URL: cannot connect to the database: {_first_line(exc)}") from None
        self._lock = threading.RLock()  # one connection shared by a run's worker threads

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock, self._db.transaction():
            db = _PgTransaction(self._db)
            # Writers one at a time, as SQLite's BEGIN IMMEDIATE: released at COMMIT or ROLLBACK,
            # and by the server if this process dies mid-transaction.
            db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (WRITER_LOCK,))
            yield db

    def read(self, query: str, params: Sequence[object] = ()) -> list[Row]:
        with self._lock:
            rows: list[Row] = self._db.execute(_dialect(query), tuple(params)).fetchall()
            return rows

    def schema_version(self, db: Transaction) -> int:
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = db.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def set_schema_version(self, db: Transaction, version: int) -> None:
        db.execute("DELETE FROM schema_version")
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def integrity_ok(self) -> bool:
        # PostgreSQL has no whole-database check short of the amcheck extension; a committed
        # transaction is durable or absent, so a readable ledger is a sound one.
        return self.read("SELECT count(*) FROM signins") is not None

    def close(self) -> None:
        self._db.close()


def _first_line(error: BaseException) -> str:
    return in_words(error)
