"""The company's lock of request-access --create-if-missing (automation.locks): apart from the
identities' locks, and waited for within a bound."""

from __future__ import annotations

import threading
from pathlib import Path

from automation.config import Settings
from automation.locks import account_lock, acquire_waiting, organisation_lock


def settings(tmp_path: Path) -> Settings:
    return Settings(base_url="http://localhost:1", home=tmp_path / "home", artifacts_dir=tmp_path / "artifacts")


def test_a_company_lock_is_apart_from_every_identity_lock(tmp_path: Path) -> None:
    with organisation_lock(settings(tmp_path), "556321-9871") as company, \
            account_lock(settings(tmp_path), "556321-9871") as identity:
        assert company.try_acquire() and identity.try_acquire()


def test_a_taken_company_lock_is_waited_for_within_the_bound(tmp_path: Path) -> None:
    with organisation_lock(settings(tmp_path), "556321-9871") as held:
        assert held.try_acquire()
        with organisation_lock(settings(tmp_path), "556321-9871") as waiting:
            assert acquire_waiting(waiting, timeout_s=0.2, poll_s=0.05) is False
            releaser = threading.Timer(0.1, held.release)  # the other run ends while this one waits
            releaser.start()
            assert acquire_waiting(waiting, timeout_s=30, poll_s=0.05) is True
            releaser.join()
