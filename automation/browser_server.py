"""One local Playwright server for a `keepalive --parallel` run: one Chromium on this machine, shared
by the run's worker processes, which connect to it as to any Playwright server (BROWSER_WS_ENDPOINT)
and take a context per account.

It is the installed playwright package's own driver running `launch-server` (Playwright's public
`BrowserType.launchServer`): it starts Chromium once and prints the endpoint. (`run-server` would start
a browser for every connection, one per worker.) It listens on 127.0.0.1 only, on a port the system
picks, under a path of 128 random bits that launchServer makes up: another user of the machine can
reach the port, but not guess the path.

It has a process group of its own, so a terminal's Ctrl-C does not close the browser under workers
that are still ending their accounts: the caller stops it (`stop()`, SIGTERM: it closes its Chromium)
once they have ended.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from automation.browser import CHROMIUM_ARGS, browser_environment, system_chromium
from automation.config import Settings
from automation.errors import ConfigError, TransientError
from automation.log import get_logger

log = get_logger(__name__)
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


def driver() -> tuple[str, str]:
    """Node.js and the CLI of the installed playwright package's driver."""
    # The function `python -m playwright` itself uses to find them (it honours PLAYWRIGHT_NODEJS_PATH).
    from playwright._impl._driver import compute_driver_executable

    return compute_driver_executable()


def chromium_executable(settings: Settings) -> str | None:
    """The Chromium the server starts, by automation.browser's rule: BROWSER_EXECUTABLE, else
    Playwright's own Chromium (None: launchServer's default), else a system Chromium on PATH (its
    headless shell for a headless run, when installed)."""
    if settings.browser_executable:
        return settings.browser_executable
    node, cli = driver()
    own = subprocess.run([node, "-e", "process.stdout.write(require(process.argv[1]).chromium.executablePath())",
                          str(Path(cli).parent)], capture_output=True, text=True, timeout=60, check=False)
    if own.returncode == 0 and own.stdout and Path(own.stdout).exists():
        return None
    fallback = system_chromium(headless=not settings.headed)
    if fallback is None:
        raise ConfigError("no Chromium found: run `playwright install chromium`, install a system chromium, "
                          "or set BROWSER_EXECUTABLE")
    return fallback


class LocalBrowserServer:
    """`with LocalBrowserServer(settings) as server:` a Chromium that `server.endpoint` reaches."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.endpoint = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="tracesctl-server-")

    def __enter__(self) -> LocalBrowserServer:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _start(self) -> None:
        options: dict[str, object] = {
            "args": [*CHROMIUM_ARGS, f"--crash-dumps-dir={self.settings.home / 'browser' / 'crash'}"],
            "headless": not self.settings.headed, "host": "127.0.0.1", "port": 0,
        }
        executable = chromium_executable(self.settings)
        if executable:
            options["executablePath"] = executable
        folder = Path(self._folder.name)
        config = folder / "launch.json"
        config.write_text(json.dumps(options))
        node, cli = driver()
        with open(folder / "server.log", "wb") as errors:
            # Chromium inherits the server's environment: no secrets, its folders under TRACESCTL_HOME.
            self._process = subprocess.Popen([node, cli, "launch-server", "--browser", "chromium", "--config",
                                              str(config)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                             stderr=errors, env=browser_environment(self.settings),
                                             process_group=0)
        assert self._process.stdout is not None
        # The one line launch-server prints once Chromium runs: its endpoint. A closed pipe means it ended.
        line = self._process.stdout.readline().decode("utf-8", "replace").strip()
        if not line.startswith("ws://"):
            self._process.wait(timeout=START_TIMEOUT_S)
            said = (folder / "server.log").read_text(errors="replace").strip().splitlines()
            raise TransientError(f"the local Playwright server did not start: {said[-1] if said else line}")
        self.endpoint = line
        log.info("local browser server started", pid=self._process.pid)

    def stop(self) -> None:
        """SIGTERM: the server closes its Chromium and ends; SIGKILL if it has not within STOP_TIMEOUT_S."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT_S
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    process.wait(timeout=0.2)  # short slices: a signal meanwhile is handled at once
                except subprocess.TimeoutExpired:
                    continue
            if process.poll() is None:
                log.warning("local browser server did not stop; killed", pid=process.pid)
                os.killpg(process.pid, signal.SIGKILL)  # its Chromium too
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        self._folder.cleanup()
