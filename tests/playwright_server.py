"""Real Playwright servers for tests: `python -m playwright run-server` on a free loopback port, as a
Deployment behind a Service would run them (docs/k8s). `--unsafe` lets the client name the system
Chromium in the launch-options header (this machine has no Playwright-downloaded Chromium)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from types import TracebackType

from tests.dovecot import _free_port


class PlaywrightServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def __enter__(self) -> PlaywrightServer:
        # Its own process group: the Node driver starts Chromiums, and a kill must take them all.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "playwright", "run-server", "--port", str(self.port), "--host", "127.0.0.1",
             "--unsafe"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:  # ready when the port answers
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError("playwright run-server did not start") from None
                time.sleep(0.05)  # test helper: polling a port another process is opening

    def kill(self) -> None:
        """SIGKILL the server and the browsers it started: a host lost mid-run."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.kill()
