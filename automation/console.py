"""One rich Console on stderr for everything a person watches: log lines on a terminal, the
approvals progress bar, the app-PIN countdown. Log lines printed through it go above a live bar
instead of tearing it. Off a terminal it prints plain text (rich drops styles and live redraws).
rich is imported on first use, never by `tracesctl --help`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

_console: list[Console] = []
_colors: list[bool] = [True]
_active: list[Any] = []  # live displays (bars, countdowns) to stop when a command ends, however it ends


def set_colors(colors: bool) -> None:
    """--no-color / NO_COLOR, set by the entry point before anything is printed."""
    _colors[0] = colors
    _console.clear()


def console() -> Console:
    if not _console:
        from rich.console import Console

        _console.append(Console(stderr=True, no_color=not _colors[0], highlight=False, soft_wrap=True))
    return _console[0]


class ConsoleLogger:
    """structlog's logger for the console renderer: each rendered line through the shared Console."""

    def msg(self, message: str) -> None:
        from rich.text import Text

        console().print(Text.from_ansi(message))

    log = debug = info = warning = warn = error = critical = exception = fatal = msg


def console_logger_factory(*_args: Any) -> ConsoleLogger:
    return ConsoleLogger()


class ProgressBar:
    """done/total as a rich bar on a terminal, with what is under way ("keepalive · lars  2/5"); nothing
    off one (the command's table says it all). The caller decides whether a person watches (flows.cli)."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int, current: str = "") -> None:
        if not console().is_terminal:
            return
        from rich.markup import escape

        # Portal or account text in `current` must not be read as rich markup ("[b]").
        label = f"{self.description} · {escape(current)}" if current else self.description
        if self._progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            # The last column is a countdown's line while one runs under the bar (see `note`).
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TextColumn("{task.fields[note]}", markup=False),
                                      console=console(), transient=False)
            self._task = self._progress.add_task(label, total=total, completed=done, note="")
            self._progress.start()
            _active.append(self)
        assert self._task is not None
        # Drawn now, not at the next tick: updates are rare (an account, a screen) and each one matters.
        # A countdown's note ends here: the app-PIN wait stops telling once the phone approved.
        self._progress.update(self._task, completed=done, total=total, description=label, note="", refresh=True)
        if done >= total:
            self.stop()

    @property
    def is_live(self) -> bool:
        return self._progress is not None

    def note(self, text: str) -> None:
        """A countdown's line on the bar's own line ("" clears it): rich 13, which pyproject allows, has
        one live display at a time, so a countdown under a running bar must not start a second."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, note=text, refresh=True)

    def stop(self) -> None:
        """Leave the terminal as it was (also when the run stops early)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _live_bar() -> ProgressBar | None:
    return next((d for d in reversed(_active) if isinstance(d, ProgressBar) and d.is_live), None)


def clock(seconds: int) -> str:
    """0:42, 24:59, 1:00:00: a wait read at a glance (a bare "1499 s" is not)."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Countdown:
    """"WHAT — 0:42 left", redrawn in place on a terminal (log lines go above it, a progress bar stays
    above it); nothing off one."""

    def __init__(self) -> None:
        self._live: Any = None

    def __call__(self, seconds_left: int, what: str) -> None:
        if not console().is_terminal:
            return
        from rich.text import Text

        text = f"{what} — {clock(seconds_left)} left"
        bar = _live_bar()
        if bar is not None and self._live is None:
            bar.note(text if seconds_left > 0 else "")
            return
        line = Text(text)
        if self._live is None:
            from rich.live import Live

            self._live = Live(line, console=console(), transient=True, auto_refresh=False)
            self._live.start()
            _active.append(self)
        self._live.update(line, refresh=True)
        if seconds_left <= 0:
            self.stop()

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


_countdown = Countdown()


def countdown(seconds_left: int, what: str) -> None:
    _countdown(seconds_left, what)


def stop_live_displays() -> None:
    """The command ended (done, failed or interrupted): stop every bar and countdown it left running."""
    while _active:
        _active.pop().stop()
