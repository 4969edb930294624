"""Several processes opening a new ledger at the same moment (two timer runs on a fresh machine)."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path

from automation.ledger import Ledger


def _open(path: Path, barrier: Barrier, errors: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    barrier.wait()
    try:
        Ledger(path).close()
    except Exception as exc:  # reported to the test, which fails on any
        errors.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_new_ledger_at_once_all_succeed(tmp_path: Path) -> None:
    """Before the setup lock, about one round in three failed with "database is locked"."""
    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    for round_ in range(40):
        path = tmp_path / f"round{round_}" / "ledger.sqlite3"
        barrier = context.Barrier(3)
        processes = [context.Process(target=_open, args=(path, barrier, errors)) for _ in range(3)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
            assert process.exitcode == 0
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []
    assert Ledger(tmp_path / "round0" / "ledger.sqlite3").integrity_ok()
