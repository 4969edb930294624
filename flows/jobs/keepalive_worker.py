"""What the parent and a worker process of `keepalive --parallel` say to each other: a `Job` in, a
frame (`Done`, `Failed`) out per result. The process itself is flows.jobs.keepalive_process (`python -m
flows.jobs.keepalive_process`, started by flows.jobs.keepalive_workers, never by hand): its share of the
accounts on standard input, each result on standard output as soon as it is known, so that a run cut
short still knows what was done.

Its work, and the secrets in it, come through the pipe (never its environment, which any process of
the user can read in /proc). Standard output carries only the frames: anything else printed goes to
standard error. It runs the ordinary serial path, with a browser from the run's Playwright server.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from automation.config import AccountConfig, Settings
from flows.jobs.keepalive_result import Result

LENGTH = struct.Struct(">I")


@dataclass(frozen=True)
class Job:
    """One worker's share: the accounts with their positions in the whole run."""

    settings: Settings  # BROWSER_WS_ENDPOINT names the run's Playwright server(s)
    environ: dict[str, str]  # where the accounts' secrets are read, as the parent would
    work: list[tuple[int, AccountConfig]]
    due_only: bool
    slot: int  # this worker's number: with several servers, the one it tries first
    log: tuple[str, str, bool] | None  # the parent's log format, level and colours


@dataclass(frozen=True)
class Done:
    """The result of the account at `index` of the run."""

    index: int
    result: Result


@dataclass(frozen=True)
class Failed:
    """The worker could not go on (its ledger, a bug): what it says, for the accounts it left."""

    detail: str


Frame = Done | Failed


def write_frame(out: IO[bytes], message: Job | Frame) -> None:
    data = pickle.dumps(message)
    out.write(LENGTH.pack(len(data)) + data)
    out.flush()


def read_frames(buffer: bytearray) -> Iterator[Frame]:
    """The complete frames at the start of `buffer`, taken out of it (a partial one stays)."""
    while len(buffer) >= LENGTH.size:
        (length,) = LENGTH.unpack_from(buffer)
        if len(buffer) < LENGTH.size + length:
            return
        data = bytes(buffer[LENGTH.size:LENGTH.size + length])
        del buffer[:LENGTH.size + length]
        # The parent's own child, started with this program: the pickles are the toolkit's own objects.
        frame = pickle.loads(data)
        if isinstance(frame, Done | Failed):
            yield frame
