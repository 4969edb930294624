"""Progress on a terminal (issue 22): serial keepalive draws "keepalive · ACCOUNT  done/total" on
stderr while a person watches; off a terminal, with --json or -q, stderr has no such line (off a
terminal it stays JSON lines only). In process, without a browser: held accounts sign nothing in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.ledger import Ledger, utc_now
from tests.helpers import run_cli

ACCOUNTS = {"lars": "lars.losen@vaxtexport.se", "olle": "olle.app@vaxtexport.se"}


@pytest.fixture
def two_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two accounts, each held after a refusal: keepalive goes through both without a browser."""
    monkeypatch.chdir(tmp_path)
    lines = []
    for name, email in ACCOUNTS.items():
        lines.append(f'[accounts.{name}]\nemail = "{email}"\npassword_env = "PW_{name.upper()}"\n'
                     'factor = "passkey"\n')
        monkeypatch.setenv(f"PW_{name.upper()}", "Not-Used-2025!")
        Ledger.in_home(tmp_path / "home").place_hold(email, "EU Login refused", utc_now(), kind="refused",
                                                     account=name)
    (tmp_path / "accounts.toml").write_text("\n".join(lines))


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stderr as a person's terminal: rich's own switch for its console, and the log on the console
    renderer (the log's terminal rule, which `machine_reader` follows)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TRACESCTL_LOG_FORMAT", "console")


def test_keepalive_draws_its_progress_on_a_terminal(two_held: None, terminal: None,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Each account's name while it is under way, and the count as each one finishes."""
    assert run_cli(["keepalive"]) == 3  # both held
    err = capsys.readouterr().err
    assert "keepalive · lars" in err and "keepalive · olle" in err, err
    assert "1/2" in err and "2/2" in err, err


@pytest.mark.parametrize("flag", ["--json", "-q"])
def test_no_progress_for_json_or_quiet(two_held: None, terminal: None, capsys: pytest.CaptureFixture[str],
                                       flag: str) -> None:
    """--json's reader and -q's want no bar, even on the terminal where a plain run draws one (the
    plain run shows that the absence is the flag's doing, not a terminal that was never there)."""
    assert run_cli(["keepalive"]) == 3
    assert "keepalive ·" in capsys.readouterr().err
    assert run_cli(["keepalive", flag]) == 3
    assert "keepalive ·" not in capsys.readouterr().err


def test_off_a_terminal_stderr_stays_json_lines(two_held: None, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A cron job's or a log collector's stderr: every line JSON, no progress; the same run on a
    terminal draws it (so the absence is the terminal's doing)."""
    assert run_cli(["keepalive"]) == 3
    err = capsys.readouterr().err
    assert "keepalive ·" not in err and "2/2" not in err
    assert all(json.loads(line) for line in err.splitlines()), err
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TRACESCTL_LOG_FORMAT", "console")
    assert run_cli(["keepalive"]) == 3
    assert "keepalive ·" in capsys.readouterr().err
