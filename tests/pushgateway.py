"""A throwaway Prometheus Pushgateway for the metrics tests: Debian's `prometheus-pushgateway`
(scripts/ensure-pushgateway.sh installs it), on a free loopback port, nothing kept on disk."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request
from pathlib import Path
from types import TracebackType

from tests.ports import HOST, free_port, start_listening, stop_group, wait_for_port

PUSHGATEWAY = shutil.which("prometheus-pushgateway") or "/usr/bin/prometheus-pushgateway"


class PushgatewayServer:
    def __init__(self, log: Path) -> None:
        self.log = log
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def metrics(self) -> str:
        """What the Pushgateway serves to Prometheus: every pushed group, in the text format."""
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=10) as answer:  # noqa: S310 - our own server
            return str(answer.read().decode("utf-8"))

    def __enter__(self) -> PushgatewayServer:
        if not Path(PUSHGATEWAY).exists():
            raise RuntimeError("prometheus-pushgateway is not installed (make test installs it: "
                               "scripts/ensure-pushgateway.sh)")

        def start() -> None:
            self.port = free_port()
            with self.log.open("ab") as log:
                self.process = subprocess.Popen([PUSHGATEWAY, f"--web.listen-address={HOST}:{self.port}"],
                                                stdout=log, stderr=log, start_new_session=True)
            wait_for_port(self.port, self.process, timeout=15)

        start_listening(start)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.process is not None:
            stop_group(self.process)
