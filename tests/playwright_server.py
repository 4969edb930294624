"""Real Playwright servers for tests: `python -m playwright run-server` on a free loopback port, as a
Deployment behind a Service would run them (docs/k8s). `--unsafe` lets the client name the system
Chromium in the launch-options header (this machine has no Playwright-downloaded Chromium)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from types import TracebackType

from tests.ports import free_port, start_listening, wait_for_port


class PlaywrightServer:
    def __init__(self) -> None:
        self.port = 0  # picked when it starts (tests/ports.py)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def __enter__(self) -> PlaywrightServer:
        def start() -> None:
            self.port = free_port()
            # Its own process group: the Node driver starts Chromiums, and a kill must take them all.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "playwright", "run-server", "--port", str(self.port), "--host", "127.0.0.1",
                 "--unsafe"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            wait_for_port(self.port, self.process, timeout=60)

        try:
            start_listening(start)  # again on another port if this one was taken meanwhile
        except RuntimeError as error:  # ServerExited or ServerTimeout (tests/ports.py), at the last try
            self.kill()
            raise RuntimeError(f"playwright run-server did not start: {error}") from None
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the server and the browsers it started: a host lost mid-run."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.kill()
