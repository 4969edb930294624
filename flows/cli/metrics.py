"""The command line's side of the metrics (automation.metrics): the options keepalive, approve and
accounts status share, their checks before anything runs, and the export after the run."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from automation.metrics import RunMetrics


@dataclass(frozen=True)
class MetricsWanted:
    """Where the run's metrics go: --metrics-file, --pushgateway, and whether e-mails are labels."""

    file: Path | None = None
    pushgateway: str | None = None
    with_email: bool = False

    def __bool__(self) -> bool:
        return bool(self.file or self.pushgateway)

    def check(self) -> None:
        """Before the run: a metrics file that cannot be written, or a bad URL, is bad input (exit 2)."""
        if self.file:
            from automation.files import check_output_file

            check_output_file(self.file, "--metrics-file")
        if self.pushgateway:
            from automation.metrics import check_pushgateway_url

            check_pushgateway_url(self.pushgateway)

    def new(self, command: str) -> RunMetrics:
        from automation.metrics import RunMetrics

        return RunMetrics(command, with_email=self.with_email)

    def export(self, metrics: RunMetrics, exit_code: int) -> None:
        """Write and push the run's metrics. A Pushgateway that does not answer is reported, and the
        run's own exit code stands: what the run did is true whether or not monitoring heard of it
        (monitoring notices a run that stopped reporting by the finished-time metric going stale)."""
        from automation.ledger import utc_now
        from automation.log import get_logger

        metrics.finished(utc_now(), exit_code)
        if self.file:
            metrics.write(self.file)
        if self.pushgateway:
            try:
                metrics.push(self.pushgateway)
            except OSError as error:
                get_logger(__name__).error("metrics not pushed", pushgateway=self.pushgateway, error=str(error))
                from flows.cli.output import say_last

                say_last("warning", f"the Pushgateway at {self.pushgateway} did not take the metrics ({error})",
                         level="warning")


def metrics_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The three metrics options, handed to the command as one `metrics: MetricsWanted` argument."""

    @functools.wraps(f)
    def command(*args: Any, metrics_file: Path | None, pushgateway: str | None, metrics_email: bool,
                **params: Any) -> Any:
        return f(*args, metrics=MetricsWanted(metrics_file, pushgateway, metrics_email), **params)

    options = [
        click.option("--metrics-file", type=click.Path(path_type=Path), metavar="PATH",
                     help="write Prometheus metrics to PATH (node_exporter's textfile collector format, atomically)"),
        click.option("--pushgateway", metavar="URL", help="push Prometheus metrics to this Pushgateway"),
        click.option("--metrics-email", is_flag=True,
                     help="add each account's e-mail address as a label (default: the account name only)"),
    ]
    decorated: Callable[..., Any] = command
    for option in reversed(options):
        decorated = option(decorated)
    return decorated
