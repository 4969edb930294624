"""One sign-in per EU Login identity at a time, across processes: an advisory file lock per identity.

Per identity, not per account name: two account names sharing one e-mail must not sign in at
once, or both could spend an attempt before either has placed its hold. The kernel drops the
lock when the process dies, so a killed run never leaves an account locked.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from types import TracebackType


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
