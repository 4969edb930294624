"""A stable share of the accounts for shard I of N (TRACESCTL_SHARD, or an Indexed Job's
JOB_COMPLETION_INDEX): N pods split the accounts with no overlap and no gaps.

By sha256 of the account name, never Python's `hash()` (salted per process: two pods would
disagree), and never by position in the accounts file (an added account would move the others).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TypeVar

from automation.config import AccountConfig

A = TypeVar("A", bound=AccountConfig)


def shard_of(name: str, count: int) -> int:
    """The shard (0 .. count-1) an account name belongs to, the same on every host and run."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def in_shard(accounts: Iterable[A], shard: tuple[int, int] | None) -> list[A]:
    """The accounts of shard (index, count), in their order; all of them when shard is None."""
    if shard is None:
        return list(accounts)
    index, count = shard
    return [account for account in accounts if shard_of(account.name, count) == index]
