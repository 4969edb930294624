"""One worker process of `keepalive --parallel`: `python -m flows.jobs.keepalive_process`, started by
flows.jobs.keepalive_workers, never by hand. It reads its `Job` (flows.jobs.keepalive_worker) on standard input
and writes a frame per result on standard output, running the ordinary serial keep-alive.

A module of its own, above flows.jobs.keepalive: the run starts workers, and the worker runs the run's
serial path, so putting this beside the frames would tie the two into a circle. The frames' classes
live in flows.jobs.keepalive_worker, so they pickle under that name, never as __main__'s.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys

from flows.jobs.keepalive_result import Result
from flows.jobs.keepalive_worker import LENGTH, Done, Failed, Job, write_frame


def main() -> int:
    from automation import log
    from automation.cancel import Interrupted, cancel_requested, interruptible, received_signal
    from automation.error_words import in_words
    from automation.secrets import redact
    from flows.jobs.keepalive import KeepAlive

    # A terminal's Ctrl-C does not reach this process (a process group of its own): the parent passes
    # SIGTERM on, which kills it silently until `interruptible` below makes it unwind instead.
    try:
        job = pickle.loads(sys.stdin.buffer.read()[LENGTH.size:])
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
                write_frame(channel, Failed(redact(in_words(error))))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
