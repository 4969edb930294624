"""Prometheus metrics of a run, for the team's monitoring: a textfile for node_exporter's textfile
collector (written atomically: the collector never reads half a file), or a push to a Pushgateway.

Labels name accounts by their account name from the accounts file, never by e-mail address, unless
the user asks for it (`--metrics-email`): an address in a monitoring system is personal data kept
for as long as the metrics are. No secret ever reaches a label (there is none in these facts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from automation.errors import ConfigError
from automation.ledger import HOLD_KINDS
from automation.vocabulary import HoldKind

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

PREFIX = "tracesctl"


@dataclass(frozen=True)
class AccountFacts:
    """What monitoring needs of one account after a run (keep-alive) or a look (status)."""

    account: str
    email: str
    last_success: datetime | None
    days_left: int | None
    hold_kind: HoldKind | None
    last_outcome: str | None = None
    last_seconds: float | None = None


class RunMetrics:
    """One run's metrics in a registry of their own (not the process-wide default one)."""

    def __init__(self, command: str, with_email: bool = False) -> None:
        from prometheus_client import CollectorRegistry, Gauge

        self.command = command
        self.with_email = with_email
        self.registry: CollectorRegistry = CollectorRegistry()
        labels = ["account", "email"] if with_email else ["account"]
        self._last_success = Gauge(f"{PREFIX}_last_success_timestamp_seconds",
                                   "Time of the account's last successful sign-in to TRACES (0: never)", labels,
                                   registry=self.registry)
        self._days_left = Gauge(f"{PREFIX}_days_until_inactive",
                                "Days before TRACES marks the account inactive (four months without a sign-in)",
                                labels, registry=self.registry)
        self._held = Gauge(f"{PREFIX}_account_held", "1 when the account's EU Login identity is on hold, by kind",
                           [*labels, "kind"], registry=self.registry)
        self._outcome = Gauge(f"{PREFIX}_last_outcome", "1 for the outcome of the account's sign-in in this run",
                              [*labels, "outcome"], registry=self.registry)
        self._seconds = Gauge(f"{PREFIX}_last_duration_seconds", "How long the account's sign-in took in this run",
                              labels, registry=self.registry)
        self._run_accounts = Gauge(f"{PREFIX}_run_accounts", "Accounts of the run, by outcome",
                                   ["command", "outcome"], registry=self.registry)
        self._finished = Gauge(f"{PREFIX}_run_finished_timestamp_seconds", "When the run finished",
                               ["command"], registry=self.registry)
        self._exit_code = Gauge(f"{PREFIX}_run_exit_code", "The run's exit code (0: all well)", ["command"],
                                registry=self.registry)
        self._approvals = Gauge(f"{PREFIX}_approvals", "Approval decisions of the run, by outcome",
                                ["outcome"], registry=self.registry)

    def _labels(self, facts: AccountFacts) -> list[str]:
        return [facts.account, facts.email] if self.with_email else [facts.account]

    def accounts(self, every: Iterable[AccountFacts]) -> None:
        outcomes: dict[str, int] = {}
        for facts in every:
            labels = self._labels(facts)
            self._last_success.labels(*labels).set(facts.last_success.timestamp() if facts.last_success else 0)
            if facts.days_left is not None:
                self._days_left.labels(*labels).set(facts.days_left)
            for kind in HOLD_KINDS:  # every kind, 0 or 1: an alert rule need not test for absence
                self._held.labels(*labels, kind).set(1 if facts.hold_kind == kind else 0)
            if facts.last_outcome is not None:
                self._outcome.labels(*labels, facts.last_outcome).set(1)
                outcomes[facts.last_outcome] = outcomes.get(facts.last_outcome, 0) + 1
            if facts.last_seconds is not None:
                self._seconds.labels(*labels).set(facts.last_seconds)
        for outcome, count in outcomes.items():
            self._run_accounts.labels(self.command, outcome).set(count)

    def approvals(self, outcomes: Iterable[str]) -> None:
        counted: dict[str, int] = {}
        for outcome in outcomes:
            counted[outcome] = counted.get(outcome, 0) + 1
        for outcome in ("done", "skipped", "failed", "left pending", "planned", *counted):
            self._approvals.labels(outcome).set(counted.get(outcome, 0))

    def finished(self, at: datetime, exit_code: int) -> None:
        self._finished.labels(self.command).set(at.timestamp())
        self._exit_code.labels(self.command).set(exit_code)

    def write(self, path: Path) -> None:
        """node_exporter's textfile format, written to a temporary file and renamed over `path`."""
        from prometheus_client import write_to_textfile

        write_to_textfile(str(path), self.registry)

    def push(self, url: str, job: str = PREFIX, timeout_s: float = 10.0) -> None:
        """To a Pushgateway, replacing this job's and command's group (prometheus_client's push_to_gateway)."""
        from prometheus_client import push_to_gateway

        push_to_gateway(url, job=job, registry=self.registry, grouping_key={"command": self.command},
                        timeout=timeout_s)


def check_pushgateway_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--pushgateway must be an http(s) URL such as http://pushgateway:9091, not {url!r}")
    if parts.username or parts.password:
        raise ConfigError("--pushgateway must not carry credentials in the URL (they would be logged)")
    return url
