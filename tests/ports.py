"""Loopback ports for the servers the tests start themselves (tests/dovecot.py, tests/postgres.py,
tests/playwright_server.py): a free port, a port held closed, and waiting for a server to listen.

The suite runs in several pytest-xdist workers at once, each starting its own servers. A port
picked by `free_port` is free when picked, not reserved: another worker (or anything else on the
machine) may take it before our server binds it. The helpers here make that visible instead of
silent: `wait_for_port` fails with `ServerExited` when our server ended before it answered (as it
does when it cannot bind), so a caller can start it again on another port (`start_listening`), and
a connection only counts while our server is still running.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

HOST = "127.0.0.1"
POLL_S = 0.05  # test helper: polling a port another process is opening


class ServerExited(RuntimeError):
    """The server's process ended before its port answered (for example: the port was taken)."""


class ServerTimeout(RuntimeError):
    """The server's process runs, but its port did not answer in time."""


def free_port() -> int:
    """A loopback port nothing listens on at this moment."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections for as long as the block runs: bound (so no other
    process of this machine can listen on it meanwhile) but not listening."""
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        yield holder.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen[Any] | None = None, timeout: float = 30.0,
                  ready: Callable[[], bool] | None = None) -> None:
    """Return once a TCP connection to 127.0.0.1:`port` succeeds (and `ready()`, when given, says
    True) while `process` still runs. Raise `ServerExited` if `process` ends first, `ServerTimeout`
    after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise ServerExited(f"the server on port {port} exited with {process.returncode} before it answered")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                pass
        except OSError:
            answered = False
        else:
            answered = ready() if ready is not None else True
        # Checked again after the answer: a server that could not bind the port exits, and an
        # answer on the port then came from someone else.
        if answered and (process is None or process.poll() is None):
            return
        if time.monotonic() > deadline:
            raise ServerTimeout(f"nothing answered on port {port} within {timeout:.0f} s")
        time.sleep(POLL_S)


def start_listening(start: Callable[[], None], attempts: int = 3) -> None:
    """`start()` (which picks its ports, starts the server and waits for it with `wait_for_port`),
    tried again when the server exited before it answered: the port it picked may have been taken
    meanwhile. Any other failure, or the last attempt's, is raised."""
    for attempt in range(1, attempts + 1):
        try:
            start()
            return
        except ServerExited:
            if attempt == attempts:
                raise


def stop_group(process: subprocess.Popen[Any], signum: int = signal.SIGTERM, grace: float = 1.0) -> None:
    """Stop a server started with `start_new_session=True`: `signum` to its whole process group at
    once (its leader and the children it started, nothing else), then SIGKILL to whatever of the
    group is left after `grace` seconds. (Dovecot's imap-login often outlives a SIGTERM, and its
    master then waits about 6 s before it ends: a throwaway test server need not.)"""
    def signal_group(number: int) -> bool:
        try:
            os.killpg(process.pid, number)
        except ProcessLookupError:
            return False  # no process of the group is left
        return True

    deadline = time.monotonic() + grace
    if signal_group(signum):
        # poll() reaps the leader once it ends: a zombie would still count as a member.
        while process.poll() is None or signal_group(0):
            if time.monotonic() > deadline:
                signal_group(signal.SIGKILL)
                break
            time.sleep(POLL_S)
    process.wait()
