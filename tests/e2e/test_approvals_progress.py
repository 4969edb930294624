"""approve's progress (issue 22): the job tells a callback it is given each decision and never prints
itself; the command line draws "approving · USER  done/total" on a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page
from rich.console import Console

import automation.console
from automation.config import Settings
from automation.factors import build_factor
from automation.ledger import Ledger
from flows.jobs.approvals import Approvals
from tests.e2e.test_approvals import ADMIN, ERIK, FRIDA, POLICY, SVEN
from tests.helpers import SEEDED, password_env, run_cli, traces_account, traces_account_toml

pytestmark = pytest.mark.e2e


def test_the_job_prints_no_progress_of_its_own(page: Page, settings: Settings, environ: dict[str, str]) -> None:
    """Given no callback, the job draws nothing, even on a terminal console: its caller decides."""
    out = io.StringIO()
    automation.console._console[:] = [Console(file=out, force_terminal=True, width=100)]
    try:
        flow = Approvals(page, settings, traces_account(ADMIN, "sv", settings.home.parent), Ledger.open(settings))
        decisions = flow.run(flow.account.password(environ), build_factor(flow.account, environ), POLICY, True, None)
    finally:
        automation.console.stop_live_displays()
        automation.console._console.clear()
    assert [d.outcome for d in decisions] == ["done", "done", "left pending", "done"]
    assert out.getvalue() == ""


def test_the_job_tells_each_decision_under_way_then_the_end(page: Page, settings: Settings,
                                                            environ: dict[str, str]) -> None:
    """The callback hears each user as their decision is carried out, the count so far, then the end."""
    heard: list[tuple[int, int, str]] = []
    flow = Approvals(page, settings, traces_account(ADMIN, "sv", settings.home.parent), Ledger.open(settings),
                     progress=lambda done, total, current: heard.append((done, total, current)))
    decisions = flow.run(flow.account.password(environ), build_factor(flow.account, environ), POLICY, True, None)
    carried = [d.email for d in decisions if d.action != "leave"]  # what the run carries out
    assert heard == [*((done, len(carried), email) for done, email in enumerate(carried)),
                     (len(carried), len(carried), "")]


def test_approve_draws_its_progress_on_a_terminal(settings: Settings, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """`approve --apply` on a terminal: each user's e-mail while their decision is carried out, the
    count as each one finishes."""
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("anna", ADMIN, tmp_path, locale="sv"))
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[approve]\ndomains = ["grontexport.se"]\n[administrators]\nemails = ["{FRIDA}"]\n'
                      f'[unsuspend]\nemails = ["{SVEN}"]\n')
    monkeypatch.setenv(password_env(ADMIN), SEEDED[ADMIN])
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich's switch: stderr is a terminal
    monkeypatch.setenv("TRACESCTL_LOG_FORMAT", "console")  # the log's (and so machine_reader's) terminal rule
    assert run_cli(["--accounts", str(accounts), "--base-url", settings.base_url, "approve", "--policy", str(policy),
                    "--apply"]) == 0
    err = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", capsys.readouterr().err)  # rich's styles and cursor moves
    assert f"approving · {ERIK}" in err and f"approving · {SVEN}" in err, err
    assert re.search(r"\b(\d+)/\1 ", err), err  # every decision counted
