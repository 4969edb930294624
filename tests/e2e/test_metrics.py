"""Issue 23, metrics for the team's monitoring: keepalive, approve and accounts status write
Prometheus metrics to a textfile (node_exporter's collector) and push them to a real Pushgateway.
The file is read back with prometheus_client's own parser; no label carries an e-mail address or a
secret unless asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from automation.ledger import Ledger, utc_now
from flows.cli.main import main
from tests.helpers import PASSWORD_USER, SEEDED, Portal, password_env, traces_account_toml
from tests.ports import closed_port
from tests.pushgateway import PushgatewayServer

WRONG_USER = "cilla.coi@vaxtexport.se"  # its password is given wrong: refused, held
ADMIN = "anna.admin@vaxtexport.se"


@pytest.fixture(scope="module")
def pushgateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PushgatewayServer]:
    with PushgatewayServer(tmp_path_factory.mktemp("pushgateway") / "log") as server:
        yield server


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample, by (name, labels), as Prometheus would read it."""
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    matching = [v for (n, ls), v in found.items() if n == name and set(labels.items()) <= ls]
    assert len(matching) == 1, (name, labels, [k for k in found if k[0] == name])
    return matching[0]


def accounts_file(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.toml"
    pairs = (("lars", PASSWORD_USER), ("cilla", WRONG_USER))
    path.write_text("".join(traces_account_toml(name, email, tmp_path, "sv") for name, email in pairs))
    return path


def test_keepalive_writes_the_textfile_and_pushes_the_same_to_a_pushgateway(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path, pushgateway: PushgatewayServer
) -> None:
    metrics_file = tmp_path / "textfile" / "tracesctl.prom"
    metrics_file.parent.mkdir()
    env = {**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"), password_env(PASSWORD_USER): SEEDED[PASSWORD_USER],
           password_env(WRONG_USER): "Not-Cillas-Password-1!"}
    run = subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts_file(tmp_path)), "--base-url",
                          stub.base_url, "keepalive", "--metrics-file", str(metrics_file), "--pushgateway",
                          pushgateway.url], capture_output=True, text=True, env=env, timeout=180, check=False)
    assert run.returncode == 3, run.stderr  # one refused password

    written = metrics_file.read_text()
    found = samples(written)
    assert value(found, "tracesctl_last_success_timestamp_seconds", account="lars") > utc_now().timestamp() - 600
    assert value(found, "tracesctl_last_success_timestamp_seconds", account="cilla") == 0
    assert value(found, "tracesctl_account_held", account="cilla", kind="refused") == 1
    assert value(found, "tracesctl_account_held", account="lars", kind="refused") == 0
    assert value(found, "tracesctl_last_outcome", account="lars", outcome="ok") == 1
    assert value(found, "tracesctl_days_until_inactive", account="lars") >= 119
    assert value(found, "tracesctl_run_accounts", command="keepalive", outcome="refused") == 1
    assert value(found, "tracesctl_run_exit_code", command="keepalive") == 3
    assert "@" not in written and "Not-Cillas-Password-1!" not in written
    assert not list(metrics_file.parent.glob("*.tmp*"))  # written to a temporary file, then renamed

    pushed = samples(pushgateway.metrics())
    assert value(pushed, "tracesctl_last_success_timestamp_seconds", account="lars", job="tracesctl",
                 command="keepalive") == value(found, "tracesctl_last_success_timestamp_seconds", account="lars")


def test_status_metrics_carry_the_email_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    accounts_file(tmp_path)
    ledger = Ledger.in_home(tmp_path / "home")
    ledger.place_hold(WRONG_USER, "TRACES says inactive", utc_now(), kind="inactive", account="cilla")
    plain, with_email = tmp_path / "plain.prom", tmp_path / "email.prom"
    assert main(["accounts", "status", "--metrics-file", str(plain)]) == 5  # the inactive hold's code
    assert main(["accounts", "status", "--metrics-file", str(with_email), "--metrics-email"]) == 5
    assert "@" not in plain.read_text()
    found = samples(with_email.read_text())
    assert value(found, "tracesctl_account_held", account="cilla", email=WRONG_USER, kind="inactive") == 1
    assert value(found, "tracesctl_run_exit_code", command="status") == 5


def test_approve_counts_its_decisions(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path, environ: dict[str, str]
) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("anna", ADMIN, tmp_path, "sv"))
    policy = tmp_path / "policy.toml"
    policy.write_text('[approve]\ndomains = ["grontexport.se"]\n')
    metrics_file = tmp_path / "approve.prom"
    run = subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
                          "approve", "--policy", str(policy), "--metrics-file", str(metrics_file)],
                         capture_output=True, text=True, env={**os.environ, **environ,
                                                              "TRACESCTL_HOME": str(tmp_path / "home")},
                         timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    found = samples(metrics_file.read_text())
    planned = run.stdout.count("planned")
    assert planned >= 1 and value(found, "tracesctl_approvals", outcome="planned") == planned
    assert value(found, "tracesctl_approvals", outcome="done") == 0  # a dry run changes nothing


def test_bad_metrics_options_are_refused_before_anything_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    accounts_file(tmp_path)
    assert main(["keepalive", "--pushgateway", "pushgateway:9091"]) == 2
    assert "must be an http(s) URL" in capsys.readouterr().err
    assert main(["keepalive", "--metrics-file", str(tmp_path / "missing" / "m.prom")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "home").exists()  # refused before any browser, ledger or sign-in


def test_a_pushgateway_that_does_not_answer_leaves_the_run_its_own_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    accounts_file(tmp_path)
    with closed_port() as port:
        code = main(["accounts", "status", "--pushgateway", f"http://127.0.0.1:{port}"])
    assert code == 0  # as without metrics (never signed in: nothing known to warn of)
    assert "did not take the metrics" in capsys.readouterr().err
