"""Cancellation by SIGINT (Ctrl-C) and SIGTERM, one way for every command.

The entry point installs `interruptible()`: the first signal sets `cancel_requested` and raises
`Interrupted` in the main thread (Python runs signal handlers there only, between bytecodes), so
`with` blocks unwind and close their browsers and Playwright drivers in the thread that opened
them. Nothing here touches Playwright: its sync API is bound to its thread and must never be
called from a signal handler. Code that runs in another thread never sees the exception; it checks
`cancel_requested`. Each worker process of `keepalive --parallel` installs this too, and its parent
passes the signal on as SIGTERM. A second signal while the first unwinds is ignored, so the
clean-up itself is not cut short.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from automation.errors import ExitCode

cancel_requested = threading.Event()
_received: list[int] = []  # the signal that cancelled the run (its number picks the exit code)


class Interrupted(KeyboardInterrupt):  # noqa: N818 - a KeyboardInterrupt, so a bare `except Exception` lets it by
    """SIGINT or SIGTERM: the run stops; `undone` says what it left undone."""

    def __init__(self, signum: int = signal.SIGINT, undone: str = "") -> None:
        super().__init__(undone)
        self.signum = signum
        self.undone = undone

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.TERMINATED if self.signum == signal.SIGTERM else ExitCode.INTERRUPTED

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name

    def with_undone(self, undone: str) -> Interrupted:
        """The same interruption, saying what was left undone (the innermost caller that knows says it)."""
        return self if self.undone else Interrupted(self.signum, undone)


def cancelled_meanwhile(grace_s: float = 1.0) -> bool:
    """Whether a signal is the cause of a failure a flow just saw. Ctrl-C reaches the whole process
    group at once: Playwright's driver and Chromium may die, and the flow see it, a moment before the
    handler has run; so a failure waits up to `grace_s` for the flag (returning at once when it is
    set) before it is taken for the portal's. In the main thread the handler itself ends the wait,
    raising `Interrupted`."""
    return cancel_requested.wait(grace_s)


def received_signal() -> int:
    return _received[0] if _received else signal.SIGINT


def interruption(undone: str = "") -> Interrupted:
    return Interrupted(received_signal(), undone)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    if cancel_requested.is_set():
        return  # already unwinding: let the clean-up finish
    _received.append(signum)
    cancel_requested.set()
    raise Interrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` in the main thread for the duration (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    cancel_requested.clear()
    _received.clear()
    previous = {signum: signal.signal(signum, _on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
