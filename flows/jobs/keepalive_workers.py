"""`keepalive --parallel N`: N worker processes (flows.jobs.keepalive_process) over disjoint shares of the
accounts (automation.shards.split), each on the ordinary serial path, and their results merged back in
the accounts' order. Public APIs only: no greenlets on Playwright's internals.

One browser per machine: the workers connect to one local Playwright server (automation.browser_server)
and take a context per account; with Playwright servers configured (BROWSER_WS_ENDPOINT) they use
those instead, spread over them by their number.

Signals: each worker and the server have a process group of their own, so a terminal's Ctrl-C reaches
this process only; it passes SIGTERM on to every worker, which ends its current account as an
interrupted serial run does (nothing recorded for it), waits for them, then stops the server. So no
browser closes under a worker that is still unwinding, and no process is left behind.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar, Protocol

from automation.cancel import Interrupted
from automation.config import AccountConfig, Settings
from automation.log import configured, get_logger
from automation.secrets import environment_without_secrets
from automation.shards import split
from flows.jobs.keepalive_result import KeepAliveOutcome, Result, undone_line
from flows.jobs.keepalive_worker import Done, Failed, Job, read_frames, write_frame


class KeepAlive(Protocol):
    """What the workers need of flows.jobs.keepalive.KeepAlive (named here, not imported: that module
    imports this one to start them)."""

    settings: Settings
    environ: Mapping[str, str]

    def run_serial(self, work: list[tuple[int, AccountConfig]], due_only: bool) -> list[Result]: ...

    def result_of(self, account: AccountConfig, outcome: KeepAliveOutcome, detail: str) -> Result: ...

log = get_logger(__name__)
STOP_GRACE_S = 60.0  # how long signalled workers get to end their current account before SIGKILL


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    work: list[tuple[int, AccountConfig]]
    buffer: bytearray = field(default_factory=bytearray)
    failed: str | None = None  # what the worker said before it gave up
    COMMAND: ClassVar[list[str]] = [sys.executable, "-m", "flows.jobs.keepalive_process"]

    @classmethod
    def spawn(cls, work: list[tuple[int, AccountConfig]]) -> Worker:
        """The process, waiting for its job (`send`): the caller keeps it before a signal can come."""
        process = subprocess.Popen(cls.COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   env=environment_without_secrets(), process_group=0)
        return cls(process, work)

    def send(self, job: Job) -> None:
        assert self.process.stdin is not None
        # A worker that ended before reading its work: its accounts are reported as left (left_by).
        with contextlib.suppress(BrokenPipeError):
            try:
                write_frame(self.process.stdin, job)
            finally:
                self.process.stdin.close()

    def take(self, data: bytes, results: dict[int, Result]) -> None:
        self.buffer.extend(data)
        for frame in read_frames(self.buffer):
            if isinstance(frame, Done):
                results[frame.index] = frame.result
            elif isinstance(frame, Failed):
                self.failed = frame.detail

    def kill(self) -> None:
        """SIGKILL the worker and what it started (its Playwright driver shares its group)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def run_in_workers(keepalive: KeepAlive, accounts: list[AccountConfig], due_only: bool,
                   parallel: int) -> list[Result]:
    """Keep `accounts` alive in up to `parallel` worker processes; results in the accounts' order."""
    from automation.browser_server import LocalBrowserServer

    settings = keepalive.settings
    results: dict[int, Result] = {}
    workers: list[Worker] = []
    server: LocalBrowserServer | None = None
    try:
        try:
            if not settings.browser_ws_endpoint:
                server = LocalBrowserServer(settings)
                try:
                    server.__enter__()
                except Exception as error:  # noqa: BLE001 - the serial path reports it per account
                    log.warning("the local browser server did not start; the accounts run one after another",
                                error=str(error))
                    server = None
                    return keepalive.run_serial(list(enumerate(accounts)), due_only)
                settings = replace(settings, browser_ws_endpoint=server.endpoint)
            for slot, share in enumerate(split(accounts, parallel)):
                workers.append(worker := Worker.spawn(share))
                worker.send(Job(settings, dict(keepalive.environ), share, due_only, slot, configured()))
            collect(workers, results)
        except Interrupted as signalled:
            for worker in workers:  # the ones not started yet have nothing to stop
                if worker.process.poll() is None:
                    worker.process.send_signal(signal.SIGTERM)
            collect(workers, results, time.monotonic() + STOP_GRACE_S)
            raise signalled.with_undone(undone_line(accounts, list(range(len(accounts))), results)) from None
    finally:
        for worker in workers:
            worker.kill()
            if worker.process.stdout is not None:
                worker.process.stdout.close()
        if server is not None:
            server.stop()
    for worker in workers:
        for index, account in worker.work:
            if index not in results:
                results[index] = left_by(keepalive, worker, account)
    return [results[index] for index in range(len(accounts))]


def collect(workers: list[Worker], results: dict[int, Result], deadline: float | None = None) -> None:
    """Take the workers' results until every worker has ended (or `deadline` passed)."""
    with selectors.DefaultSelector() as selector:
        for worker in workers:
            if worker.process.stdout is not None and not worker.process.stdout.closed:
                selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
        while selector.get_map():
            if deadline is not None and time.monotonic() > deadline:
                log.warning("workers did not end in time after the signal; killed")
                return
            for key, _ in selector.select(timeout=0.5):
                owner: Worker = key.data
                data = os.read(key.fd, 65536)
                if data:
                    owner.take(data, results)
                else:  # end of file: the worker has ended (or is ending)
                    selector.unregister(key.fileobj)
                    owner.process.wait()


def left_by(keepalive: KeepAlive, worker: Worker, account: AccountConfig) -> Result:
    """The result of an account a worker ended without: its hold, if it was mid sign-in, says the rest."""
    why = worker.failed or f"its worker process ended (exit status {worker.process.returncode}) before it"
    return keepalive.result_of(account, "failed", why)
