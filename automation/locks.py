"""One sign-in per EU Login identity at a time, across processes: an advisory file lock per identity,
or, when the ledger is in PostgreSQL (several hosts), a session-level PostgreSQL advisory lock.

Per identity, not per account name: two account names sharing one e-mail must not sign in at
once, or both could spend an attempt before either has placed its hold. The kernel drops the
file lock when the process dies; PostgreSQL drops a session lock when the session's connection
closes, which the kernel does for a killed process. So a killed run never leaves an account locked.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from automation.config import Settings


class Lock(Protocol):
    def try_acquire(self) -> bool: ...

    def release(self) -> None: ...

    def __enter__(self) -> Lock: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


def account_lock(settings: Settings, identity: str) -> Lock:
    """The lock of one identity: shared by every host using the database, else by this host's processes."""
    if settings.database_url:
        return AdvisoryLock(settings.database_url, identity)
    return AccountLock(settings.home, identity)


def organisation_lock(settings: Settings, organisation_number: str) -> Lock:
    """The lock of one company in TRACES, by its organisation number: two runs that may create its
    operator search and create one after the other, so the second finds what the first created."""
    return account_lock(settings, f"organisation:{organisation_number}")


def acquire_waiting(lock: Lock, timeout_s: float, poll_s: float = 0.5) -> bool:
    """Take the lock once it is free, within `timeout_s`; False if it never was. flock and
    pg_try_advisory_lock have no timeout of their own, so the lock is tried again every `poll_s`."""
    deadline = time.monotonic() + timeout_s
    while not lock.try_acquire():
        if time.monotonic() >= deadline:
            return False
        threading.Event().wait(poll_s)  # waiting for the other run: nothing is sent meanwhile
    return True


class AccountLock:
    def __init__(self, home: Path, identity: str) -> None:
        # A digest names the file: an e-mail is not a safe file name.
        self.path = home / "locks" / f"{hashlib.sha256(identity.encode()).hexdigest()[:32]}.lock"
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the lock without waiting; False when another run holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> AccountLock:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


class AdvisoryLock:
    """A PostgreSQL session-level advisory lock on a connection of its own, held for the lock's life.

    Its own connection: the session is the lock, and the ledger's connection must stay free for the
    ledger's transactions (and may be shared by threads). Closing the connection releases it.
    """

    NAMESPACE = "tracesctl:identity:"  # keeps our keys apart from other users of the same database

    def __init__(self, url: str, identity: str) -> None:
        self.url = url
        self.key = self.NAMESPACE + hashlib.sha256(identity.encode()).hexdigest()
        self._connection: Any = None

    def try_acquire(self) -> bool:
        import psycopg

        connection = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        try:
            # hashtext: a 32-bit key; a collision of two identities only makes one wait a run ("busy").
            row = connection.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (self.key,)).fetchone()
        except BaseException:
            connection.close()
            raise
        if not (row and row[0]):
            connection.close()
            return False
        self._connection = connection
        return True

    def release(self) -> None:
        if self._connection is not None:
            # Unlock first: closing alone ends the session asynchronously, and the next run's
            # try could still find the lock held ("busy").
            try:
                self._connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (self.key,))
            finally:
                self._connection.close()  # ends the session; had the unlock failed, that frees it
                self._connection = None

    def __enter__(self) -> AdvisoryLock:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
