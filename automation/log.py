"""structlog, configured once at the entry point: console on a TTY, JSON otherwise, secrets masked."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

from automation.console import console_logger_factory
from automation.error_words import in_words
from automation.secrets import Secret, is_secret_cookie, redact
from automation.terminal import shown, shown_lines

_CONFIGURED: list[tuple[str, str, bool]] = []  # see configured()
SECRET_KEYS = {"password", "otp", "code", "ticket", "private_key", "privateKey", "cookie", "secret"}


def mask_secrets(_logger: object, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Mask registered secrets and secret-shaped values (tickets) in every field of every line."""
    for key, value in list(event_dict.items()):
        if key in SECRET_KEYS or is_secret_cookie(key) or isinstance(value, Secret):
            event_dict[key] = "<SECRET>"
        elif isinstance(value, str):
            event_dict[key] = redact(value)
        elif isinstance(value, BaseException):
            event_dict[key] = redact(in_words(value))  # words, not a repr naming its class
    return event_dict


def escape_for_terminal(_logger: object, _method: str,
                        event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """On a terminal, every text field is `shown`: a portal's escape sequence prints as \\x1b[...,
    never moves the cursor or retitles the window (the renderer adds its own colours after this)."""
    for key, value in list(event_dict.items()):
        if isinstance(value, str):
            event_dict[key] = shown_lines(value) if key == "exception" else shown(value)
    return event_dict


class LineLogger:
    """Each rendered line in ONE write: structlog's PrintLogger prints the line and its newline as two
    writes on an unbuffered stderr, and `keepalive --parallel`'s workers share that stderr, so two
    workers' lines could splice into one that no JSON reader parses. A write of a line shorter than
    PIPE_BUF (4096 bytes) to a pipe is atomic."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._lock = threading.Lock()

    def msg(self, message: str) -> None:
        with self._lock:
            self._out.write(message + "\n")
            self._out.flush()

    log = debug = info = warning = warn = error = critical = exception = fatal = msg


class LineLoggerFactory:
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def __call__(self, *_args: Any) -> LineLogger:
        return LineLogger(self._out)


class LibraryLogBridge(logging.Handler):
    """Playwright's own warnings (the `playwright` stdlib logger) as lines of this log. Without it,
    logging's last-resort handler printed them with a traceback on stderr, which off a terminal must be
    JSON lines only. A run stopped by a signal abandons commands in flight, whose late answers
    Playwright then reports ("Cannot find command to respond"): expected, so debug only."""

    def emit(self, record: logging.LogRecord) -> None:
        from automation.cancel import cancel_requested

        fields: dict[str, Any] = {"library": record.name}
        if record.exc_info and record.exc_info[1] is not None:
            fields["error"] = in_words(record.exc_info[1])
        level = "debug" if cancel_requested.is_set() else record.levelname.lower()
        logger = structlog.get_logger(record.name)
        getattr(logger, level if level in {"debug", "info", "warning", "error", "critical"} else "warning")(
            record.getMessage(), **fields)


def bridge_library_logs() -> None:
    """Once per process: the libraries' stdlib loggers write through structlog, never on their own."""
    library = logging.getLogger("playwright")
    if not any(isinstance(handler, LibraryLogBridge) for handler in library.handlers):
        library.addHandler(LibraryLogBridge())
    library.propagate = False


def configure(fmt: str = "auto", level: str = "info", stream: TextIO | None = None, colors: bool = True) -> None:
    """`colors`: False for --no-color and NO_COLOR; colour only ever goes to a terminal."""
    if stream is None:
        _CONFIGURED[:] = [(fmt, level, colors)]
    out = stream or sys.stderr
    use_console = fmt == "console" or (fmt == "auto" and out.isatty())
    renderer: Any = (structlog.dev.ConsoleRenderer(colors=colors and out.isatty()) if use_console
                     else structlog.processors.JSONRenderer())
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            mask_secrets,  # last before rendering, so nothing added later escapes it
            *([escape_for_terminal] if use_console else []),  # JSON escapes control characters itself
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping().get(level.upper(), 20)),
        # On a terminal (stderr) the lines go through the shared rich Console, so they print above a
        # live progress bar or countdown instead of tearing it; elsewhere (JSON, a given stream) as before.
        logger_factory=(console_logger_factory if use_console and stream is None
                        else LineLoggerFactory(out)),
        cache_logger_on_first_use=False,
    )
    bridge_library_logs()


def configured() -> tuple[str, str, bool] | None:
    """What `configure` was last given for stderr (format, level, colours): worker processes log alike."""
    return _CONFIGURED[0] if _CONFIGURED else None


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
