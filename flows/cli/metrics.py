"""The command line's side of the metrics (automation.metrics): the options keepalive, approve and
accounts status share, their checks before anything runs, and the export after the run."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from automation.metrics import RunMetrics

F = TypeVar("F", bound=Callable[..., Any])


def metrics_options(f: F) -> F:
    options = [
        click.option("--metrics-file", type=click.Path(path_type=Path), metavar="PATH",
                     help="write Prometheus metrics to PATH (node_exporter's textfile collector format, atomically)"),
        click.option("--pushgateway", metavar="URL", help="push Prometheus metrics to this Pushgateway"),
        click.option("--metrics-email", is_flag=True,
                     help="add each account's e-mail address as a label (default: the account name only)"),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def check_metrics_args(args: argparse.Namespace) -> None:
    """Before the run: a metrics file that cannot be written, or a bad URL, is bad input (exit 2)."""
    if args.metrics_file:
        from automation.files import check_output_file

        check_output_file(args.metrics_file, "--metrics-file")
    if args.pushgateway:
        from automation.metrics import check_pushgateway_url

        check_pushgateway_url(args.pushgateway)


def wanted(args: argparse.Namespace) -> bool:
    return bool(args.metrics_file or args.pushgateway)


def new_metrics(args: argparse.Namespace, command: str) -> RunMetrics:
    from automation.metrics import RunMetrics

    return RunMetrics(command, with_email=args.metrics_email)


def export(args: argparse.Namespace, metrics: RunMetrics, exit_code: int) -> None:
    """Write and push the run's metrics. A Pushgateway that does not answer is reported, and the
    run's own exit code stands: what the run did is true whether or not monitoring heard of it
    (monitoring notices a run that stopped reporting by the finished-time metric going stale)."""
    from automation.ledger import utc_now
    from automation.log import get_logger

    metrics.finished(utc_now(), exit_code)
    if args.metrics_file:
        metrics.write(args.metrics_file)
    if args.pushgateway:
        try:
            metrics.push(args.pushgateway)
        except OSError as error:
            get_logger(__name__).error("metrics not pushed", pushgateway=args.pushgateway, error=str(error))
            from flows.cli.output import say_last

            say_last("warning", f"the Pushgateway at {args.pushgateway} did not take the metrics ({error})",
                     level="warning")
