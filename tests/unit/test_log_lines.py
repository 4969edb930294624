"""A JSON log line is one write (a clean checkout's CI run saw two `keepalive --parallel` workers'
lines spliced into one: structlog's PrintLogger writes a line and its newline apart, and the workers
share one stderr)."""

from __future__ import annotations

import io

import structlog

from automation import log


class Writes(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def write(self, text: str) -> int:
        self.calls.append(text)
        return super().write(text)


def test_each_json_line_is_written_whole() -> None:
    out = Writes()
    log.configure("json", "info", stream=out)
    try:
        structlog.get_logger().info("signed in to TRACES", account="lars")
        structlog.get_logger().warning("retrying", attempt=2)
    finally:
        structlog.reset_defaults()
    assert len(out.calls) == 2 and all(call.endswith("\n") and call.count("\n") == 1 for call in out.calls)
