"""A command's last words on stderr (one line, for a person or a program) and the run's settings
they need. Apart from flows.cli.run and flows.cli.common, which both use it, so that neither
imports the other."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from automation.terminal import shown

if TYPE_CHECKING:
    from automation.config import Settings


@dataclass(frozen=True)
class SharedOptions:
    """The options every command takes (flows.cli.run.shared_options), as given on the command line:
    an option left out is its default here, and Settings.from_env reads its variable instead."""

    env_file: Path = Path(".env")
    accounts: Path | None = None
    base_url: str | None = None
    headed: bool = False
    verbose: int = 0
    quiet: int = 0
    no_color: bool = False
    wide: bool = False


def machine_reader() -> bool:
    """Whether stderr goes to a program rather than a person: the log's own rule (TRACESCTL_LOG_FORMAT;
    auto: JSON lines off a terminal), so a log collector never gets a line it cannot parse."""
    settings = settings_in_force()
    fmt = settings.log_format if settings else (os.environ.get("TRACESCTL_LOG_FORMAT", "").strip() or "auto")
    return fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())


def say_last(kind: str, message: str, exit_code: int | None = None, level: str = "error") -> None:
    """A command's last words on stderr, in one line: `tracesctl: KIND: message` for a person, a JSON
    object (with the exit code) for a program. Portal text in `message` is escaped on a terminal
    (shown) and by JSON's own escaping otherwise."""
    if machine_reader():
        import json
        from datetime import UTC, datetime

        record: dict[str, object] = {"event": f"{kind}: {message}", "level": level}
        if exit_code is not None:
            record["exit_code"] = int(exit_code)
        record["timestamp"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        # One write per line (automation.log.LineLogger: other processes share this stderr). ASCII: a
        # bidi or control character arrives escaped.
        sys.stderr.write(json.dumps(record) + "\n")
    else:
        sys.stderr.write(f"tracesctl: {kind}: {shown(message)}\n")
    sys.stderr.flush()


def settings_in_force() -> Settings | None:
    return _SETTINGS[-1] if _SETTINGS else None


_SETTINGS: list[Settings] = []  # the run's settings once read (a remedy names the base URL)


def remember_settings(settings: Settings | None) -> None:
    """The run's settings, once read (None: not yet, or a new run in the same process)."""
    _SETTINGS.clear()
    if settings is not None:
        _SETTINGS.append(settings)


_SHARED: list[SharedOptions] = []  # the run's shared options (a progress bar is drawn only without -q)


def remember_shared(shared: SharedOptions) -> None:
    _SHARED.clear()
    _SHARED.append(shared)


def shared_in_force() -> SharedOptions:
    return _SHARED[-1] if _SHARED else SharedOptions()
