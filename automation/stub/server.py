"""Serve the offline portal on loopback in a background thread (tests, demo, `tracesctl stub`)."""

from __future__ import annotations

import ipaddress
import threading
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from automation.stub.app import create_app
from automation.stub.state import PortalState

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _QuietHandler(WSGIRequestHandler):
    """No access log: request lines carry CAS tickets (`?ticket=ST-...`), which must not be logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class StubServer:
    """The offline portal on 127.0.0.1; visit it as http://localhost:PORT (a WebAuthn-valid origin)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback(host):
            raise ValueError(f"the offline portal only listens on loopback, not {host!r}")
        self.state = PortalState()
        self._server: BaseWSGIServer = make_server(
            host, port, create_app(self.state), threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, name="offline-portal", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_port

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> StubServer:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
