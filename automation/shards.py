"""A stable share of the accounts for shard I of N (TRACESCTL_SHARD, or an Indexed Job's
JOB_COMPLETION_INDEX): N pods split the accounts with no overlap and no gaps.

By sha256 of the account name, never Python's `hash()` (salted per process: two pods would
disagree), and never by position in the accounts file (an added account would move the others).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
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


def split(accounts: Sequence[A], count: int) -> list[list[tuple[int, A]]]:
    """At most `count` disjoint, non-empty shares of one run's accounts for its worker processes, each
    a list of (position, account) in the accounts' order. The accounts of one EU Login identity share
    a worker: their lock and their one-time-password windows are the identity's, so in one process
    they run one after another as in a serial run, never "busy" against each other. Identities are
    dealt out to the smallest share so far, so the shares are as even as they can be.

    Unlike `shard_of` this goes by position: it splits one run of one process, which no other host
    has to agree with."""
    groups: dict[str, list[tuple[int, A]]] = {}
    for position, account in enumerate(accounts):
        groups.setdefault(account.identity, []).append((position, account))
    shares: list[list[tuple[int, A]]] = [[] for _ in range(max(1, count))]
    for group in groups.values():
        min(shares, key=len).extend(group)
    return [sorted(share, key=lambda item: item[0]) for share in shares if share]
