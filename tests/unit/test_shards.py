"""Shards: a stable share of the accounts by sha256 of the name; N shards cover every account once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from automation.config import Settings, shard_from_env
from automation.errors import ConfigError
from automation.shards import in_shard, shard_of, split
from tests.helpers import make_account


def test_twenty_accounts_over_three_shards_each_exactly_once(tmp_path: Path) -> None:
    accounts = [make_account(f"user{n}@vaxtexport.se", "password", "en", tmp_path) for n in range(20)]
    shares = [in_shard(accounts, (index, 3)) for index in range(3)]
    names = sorted(a.name for share in shares for a in share)
    assert names == sorted(a.name for a in accounts)  # no gaps, no overlap
    assert all(shares), "sha256 spreads 20 names over all three shards"


def test_the_share_is_stable_across_processes() -> None:
    """sha256, not Python's salted hash(): a fixed name has a fixed shard on every host."""
    assert [shard_of(f"account-{n}", 3) for n in range(5)] == [shard_of(f"account-{n}", 3) for n in range(5)]
    assert shard_of("lars-losen", 1) == 0


def test_shard_settings_from_the_environment() -> None:
    assert shard_from_env({}) is None
    assert shard_from_env({"TRACESCTL_SHARD": "1/3"}) == (1, 3)
    assert shard_from_env({"JOB_COMPLETION_INDEX": "2", "TRACESCTL_SHARD_COUNT": "3"}) == (2, 3)
    assert Settings.from_env({"TRACESCTL_SHARD": "0/2"}).shard == (0, 2)


@pytest.mark.parametrize(("environ", "message"), [
    ({"TRACESCTL_SHARD": "3/3"}, "not below the number of shards"),
    ({"TRACESCTL_SHARD": "a/b"}, "INDEX/COUNT"),
    ({"TRACESCTL_SHARD": "0/0"}, "between 1 and 10000"),
    ({"TRACESCTL_SHARD_COUNT": "3"}, "JOB_COMPLETION_INDEX"),
])
def test_bad_shard_settings_are_config_errors(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        shard_from_env(environ)


def test_a_database_url_must_be_postgresql() -> None:
    with pytest.raises(ConfigError, match="postgresql:// URL"):
        Settings.from_env({"TRACESCTL_DATABASE_URL": "mysql://u:secret@h/db"})
    assert Settings.from_env({"TRACESCTL_DATABASE_URL": "postgresql://h/db"}).database_url == "postgresql://h/db"


def test_a_parallel_run_splits_into_even_disjoint_shares_in_order(tmp_path: Path) -> None:
    """keepalive --parallel 3 over 7 accounts: every account in one share, shares of 3, 2 and 2, each in
    the accounts' order and with its position in the run."""
    accounts = [make_account(f"user{n}@vaxtexport.se", "password", "en", tmp_path) for n in range(7)]
    shares = split(accounts, 3)
    assert sorted(len(share) for share in shares) == [2, 2, 3]
    assert sorted(position for share in shares for position, _ in share) == list(range(7))
    assert all(accounts[position] is account for share in shares for position, account in share)
    assert all([p for p, _ in share] == sorted(p for p, _ in share) for share in shares)


def test_the_accounts_of_one_identity_share_a_worker(tmp_path: Path) -> None:
    """Two accounts of one EU Login identity (spelt differently) go to one worker: their lock and their
    one-time-password windows are the identity's, so they must not race each other ("busy")."""
    first = make_account("Anna@vaxtexport.se", "password", "en", tmp_path)
    other = make_account("bo@vaxtexport.se", "password", "en", tmp_path)
    again = replace(make_account("anna@vaxtexport.se ", "password", "en", tmp_path), name="anna-again")
    shares = split([first, other, again], 3)
    assert len(shares) == 2
    assert [[a.name for _, a in share] for share in shares] == [[first.name, "anna-again"], [other.name]]


def test_no_more_shares_than_accounts(tmp_path: Path) -> None:
    accounts = [make_account(f"user{n}@vaxtexport.se", "password", "en", tmp_path) for n in range(2)]
    assert len(split(accounts, 10)) == 2
