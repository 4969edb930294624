"""The ledger: an SQLite file in the state folder recording every sign-in and every hold.

Append-only by design: a sign-in is one INSERT in its own transaction, so a run killed mid-way
leaves every finished sign-in recorded and nothing half-written (WAL journal, synchronous=FULL).
Holds are placed and released, never deleted, so the history of who released what stays.
"""

from __future__ import annotations

import fcntl
import getpass
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = [
    # version 1
    """
    CREATE TABLE signins (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,            -- when the attempt started (UTC, ISO 8601)
        account TEXT NOT NULL,
        method TEXT NOT NULL,
        outcome TEXT NOT NULL,       -- ok | refused | blocked | inactive | suspended | timeout | failed
        detail TEXT NOT NULL,
        duration_s REAL NOT NULL
    );
    CREATE INDEX signins_account_at ON signins (account, at);
    CREATE TABLE holds (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        reason TEXT NOT NULL,
        placed_at TEXT NOT NULL,
        released_at TEXT,
        released_by TEXT
    );
    CREATE INDEX holds_account ON holds (account, released_at);
    """,
    # version 2: the audit trail of every change made in a portal
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        os_user TEXT NOT NULL,       -- who ran the command
        account TEXT NOT NULL,       -- the portal account it acted as
        operator TEXT NOT NULL,      -- the TRACES operator concerned
        target TEXT NOT NULL,        -- the user acted on (e-mail)
        action TEXT NOT NULL,        -- request-authorisation | create-operator | approve | make-admin | unsuspend
        outcome TEXT NOT NULL,       -- intent | verified | verified-after-the-fact | not-verified | failed
        detail TEXT NOT NULL
    );
    CREATE INDEX audit_at ON audit (at);
    """,
    # version 3: holds belong to an EU Login identity (the normalised e-mail), not an account
    # name, since several account names may share one e-mail and its five attempts; and they
    # have a kind: refused (a password or identity refused: nothing may try it again), inactive
    # or suspended (only an authority or administrator can fix it; the next success releases).
    # Holds placed before version 3 have no identity and still match by account name.
    """
    ALTER TABLE holds ADD COLUMN identity TEXT;
    ALTER TABLE holds ADD COLUMN kind TEXT NOT NULL DEFAULT 'refused';
    CREATE INDEX holds_identity ON holds (identity, released_at);
    """,
]

HOLD_KINDS = ("refused", "inactive", "suspended")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SignInRecord:
    at: datetime
    account: str
    method: str
    outcome: str
    detail: str
    duration_s: float


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    os_user: str
    account: str
    operator: str
    target: str
    action: str
    outcome: str
    detail: str


@dataclass(frozen=True)
class Hold:
    account: str  # the account name that saw the refusal
    reason: str
    placed_at: datetime
    kind: str = "refused"


@contextmanager
def _setup_lock(path: Path) -> Iterator[None]:
    fd = os.open(path.with_name(path.name + ".setup-lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # the kernel drops it if the process dies
        yield
    finally:
        os.close(fd)


class Ledger:
    """One SQLite file; safe to open from several processes at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = path
        # isolation_level=None: autocommit; every write below is its own explicit transaction.
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()  # one connection shared by a run's worker threads
        # Two processes opening a new ledger at once both try to switch it to WAL, which needs an
        # exclusive lock: SQLite answers one "database is locked" at once, without waiting for the
        # busy timeout. A file lock lets one process set the ledger up while the other waits.
        with _setup_lock(path):
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        path.chmod(0o600)

    @classmethod
    def in_home(cls, home: Path) -> Ledger:
        return cls(home / "ledger.sqlite3")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(query, params).fetchall()

    def _migrate(self) -> None:
        with self._transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(SCHEMA[version:], start=version + 1):
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    # --- sign-ins --------------------------------------------------------------------------

    def record_signin(self, record: SignInRecord) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO signins (at, account, method, outcome, detail, duration_s) VALUES (?, ?, ?, ?, ?, ?)",
                (record.at.isoformat(), record.account, record.method, record.outcome, record.detail,
                 round(record.duration_s, 3)),
            )

    def signins(self, account: str | None = None) -> list[SignInRecord]:
        query = "SELECT at, account, method, outcome, detail, duration_s FROM signins"
        rows = (self._read(query + " WHERE account = ? ORDER BY id", (account,)) if account
                else self._read(query + " ORDER BY id"))
        return [SignInRecord(datetime.fromisoformat(str(r[0])), str(r[1]), str(r[2]), str(r[3]), str(r[4]),
                             float(r[5]))  # type: ignore[arg-type]
                for r in rows]

    def last_success(self, account: str) -> datetime | None:
        rows = self._read("SELECT max(at) FROM signins WHERE account = ? AND outcome = 'ok'", (account,))
        return datetime.fromisoformat(str(rows[0][0])) if rows and rows[0][0] else None

    # --- holds -----------------------------------------------------------------------------

    # Every hold method takes the identity (automation.config.identity_of of the e-mail) and,
    # for holds placed before version 3, the account name they were placed under.
    _ACTIVE = "released_at IS NULL AND (identity = ? OR (identity IS NULL AND account = ?))"

    def hold(self, identity: str, account: str = "") -> Hold | None:
        rows = self._read(
            f"SELECT account, reason, placed_at, kind FROM holds WHERE {self._ACTIVE} ORDER BY id LIMIT 1",
            (identity, account),
        )
        if not rows:
            return None
        name, reason, placed_at, kind = rows[0]
        return Hold(str(name), str(reason), datetime.fromisoformat(str(placed_at)), str(kind))

    def place_hold(self, identity: str, reason: str, at: datetime, kind: str = "refused", account: str = "") -> None:
        """Hold the identity, unless it is held already (the first reason stays)."""
        if kind not in HOLD_KINDS:
            raise ValueError(f"unknown hold kind {kind!r}")
        with self._transaction() as db:
            active = db.execute(f"SELECT 1 FROM holds WHERE {self._ACTIVE}", (identity, account)).fetchone()
            if not active:
                db.execute("INSERT INTO holds (account, identity, reason, placed_at, kind) VALUES (?, ?, ?, ?, ?)",
                           (account or identity, identity, reason, at.isoformat(), kind))

    def release_hold(self, identity: str, at: datetime, by: str | None = None, account: str = "",
                     kinds: tuple[str, ...] = HOLD_KINDS) -> bool:
        """Release the identity's hold if it is of one of `kinds`; False when it had none."""
        marks = ", ".join("?" for _ in kinds)
        with self._transaction() as db:
            cursor = db.execute(
                f"UPDATE holds SET released_at = ?, released_by = ? WHERE {self._ACTIVE} AND kind IN ({marks})",
                (at.isoformat(), by or getpass.getuser(), identity, account, *kinds),
            )
            return cursor.rowcount > 0

    # --- audit trail (append-only; an intent row is completed once with its outcome) ----------

    def audit(self, account: str, operator: str, target: str, action: str, outcome: str, detail: str,
              at: datetime | None = None) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO audit (at, os_user, account, operator, target, action, outcome, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ((at or utc_now()).isoformat(), getpass.getuser(), account, operator, target, action, outcome, detail),
            )

    def open_intent(self, account: str, operator: str, target: str, action: str) -> int:
        """The audit row of an action about to be submitted, written before the submission: an
        answer lost afterwards (or the process killed) cannot lose it. An unconfirmed intent for the
        same action is reused, so a resubmission after a failure is still one row."""
        with self._transaction() as db:
            row = db.execute("SELECT id FROM audit WHERE outcome = 'intent' AND operator = ? AND target = ? "
                             "AND action = ? ORDER BY id DESC LIMIT 1", (operator, target, action)).fetchone()
            if row is not None:
                return int(row[0])
            cursor = db.execute(
                "INSERT INTO audit (at, os_user, account, operator, target, action, outcome, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, 'intent', '')",
                (utc_now().isoformat(), getpass.getuser(), account, operator, target, action),
            )
            return int(cursor.lastrowid or 0)

    def unconfirmed_intent(self, operator: str, target: str, action: str) -> int | None:
        """An intent whose outcome was never read back (a lost answer, a killed run)."""
        rows = self._read("SELECT id FROM audit WHERE outcome = 'intent' AND operator = ? AND target = ? "
                          "AND action = ? ORDER BY id DESC LIMIT 1", (operator, target, action))
        return int(str(rows[0][0])) if rows else None

    def unconfirmed_intents(self, account: str, actions: tuple[str, ...]) -> list[tuple[int, str, str, str]]:
        """Every intent of `account` never completed, as (id, operator, target, action), oldest first."""
        marks = ", ".join("?" for _ in actions)
        rows = self._read(f"SELECT id, operator, target, action FROM audit WHERE outcome = 'intent' AND account = ? "
                          f"AND action IN ({marks}) ORDER BY id", (account, *actions))
        return [(int(str(r[0])), str(r[1]), str(r[2]), str(r[3])) for r in rows]

    def complete(self, intent: int, outcome: str, detail: str = "") -> None:
        """The outcome read back from the portal; an intent is completed once, never rewritten."""
        with self._transaction() as db:
            db.execute("UPDATE audit SET outcome = ?, detail = ?, at = ? WHERE id = ? AND outcome = 'intent'",
                       (outcome, detail, utc_now().isoformat(), intent))

    def audit_trail(self, since: datetime | None = None) -> list[AuditRecord]:
        rows = self._read(
            "SELECT at, os_user, account, operator, target, action, outcome, detail FROM audit "
            "WHERE at >= ? ORDER BY id", ((since or datetime.min.replace(tzinfo=UTC)).isoformat(),),
        )
        return [AuditRecord(datetime.fromisoformat(str(r[0])), *(str(v) for v in r[1:])) for r in rows]

    def integrity_ok(self) -> bool:
        return self._read("PRAGMA integrity_check")[0][0] == "ok"
