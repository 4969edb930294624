"""One worker process of `keepalive --parallel` (started by flows.keepalive_workers, never by hand):
`python -m flows.keepalive_worker`, its share of the accounts on standard input, each result on
standard output as soon as it is known, so that a run cut short still knows what was done.

Its work, and the secrets in it, come through the pipe (never its environment, which any process of
the user can read in /proc). Standard output carries only the frames: anything else printed goes to
standard error. It runs the ordinary serial path, with a browser from the run's Playwright server.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from automation.config import AccountConfig, Settings
from flows.keepalive import Result

_LENGTH = struct.Struct(">I")


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
    out.write(_LENGTH.pack(len(data)) + data)
    out.flush()


def read_frames(buffer: bytearray) -> Iterator[Frame]:
    """The complete frames at the start of `buffer`, taken out of it (a partial one stays)."""
    while len(buffer) >= _LENGTH.size:
        (length,) = _LENGTH.unpack_from(buffer)
        if len(buffer) < _LENGTH.size + length:
            return
        data = bytes(buffer[_LENGTH.size:_LENGTH.size + length])
        del buffer[:_LENGTH.size + length]
        # The parent's own child, started with this program: the pickles are the toolkit's own objects.
        frame = pickle.loads(data)
        if isinstance(frame, Done | Failed):
            yield frame


def main() -> int:
    from automation import log
    from automation.cancel import Interrupted, cancel_requested, interruptible, received_signal
    from automation.secrets import redact
    from flows.keepalive import KeepAlive

    # A terminal's Ctrl-C does not reach this process (a process group of its own): the parent passes
    # SIGTERM on, which kills it silently until `interruptible` below makes it unwind instead.
    try:
        job = pickle.loads(sys.stdin.buffer.read()[_LENGTH.size:])
    except Exception:  # noqa: BLE001 - no job (the parent was stopped while starting it): nothing to do
        return 1
    if not isinstance(job, Job):
        return 1
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not break a frame
    fmt, level, colors = job.log or ("json", "info", False)
    log.configure(fmt, level, colors=colors)
    parent_gone = False

    def report(index: int, result: Result) -> None:
        nonlocal parent_gone
        if parent_gone:
            return
        try:
            write_frame(channel, Done(index, result))
        except BrokenPipeError:
            parent_gone = True  # the outcome is in the ledger all the same: go on with the share

    with interruptible():
        try:
            KeepAlive(job.settings, job.environ).run_serial(job.work, job.due_only, report, job.slot)
        except Interrupted as signalled:
            return signalled.exit_code  # the parent says what was left undone
        except Exception as error:  # noqa: BLE001 - told to the parent, which reports the accounts left
            if cancel_requested.is_set():
                return Interrupted(received_signal()).exit_code
            with contextlib.suppress(BrokenPipeError):  # the parent is gone: nobody is left to tell
                write_frame(channel, Failed(redact(f"{type(error).__name__}: {error}")))
            return 1
    return 0


if __name__ == "__main__":
    # Through the module's own name: the frames' classes must pickle as flows.keepalive_worker's, which
    # the parent knows, never as __main__'s.
    from flows import keepalive_worker

    sys.exit(keepalive_worker.main())
