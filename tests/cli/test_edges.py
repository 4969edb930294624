"""The edges an operator meets in the first week: a closed pipe, no display, a loopback address
by number, old failure folders, and `guide diff` as a script reads it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation.artifacts import prune_artifacts
from automation.guide import Guide, default_guide, load_guide
from flows.cli.main import main


def seeded_home(tmp_path: Path) -> Path:
    """A home whose ledger has many audit rows, so the JSON export is larger than a pipe's buffer."""
    from automation.ledger import Ledger

    home = tmp_path / "home"
    ledger = Ledger.in_home(home)
    for n in range(400):
        intent = ledger.open_intent("anna", "Växtexport AB", f"user{n:03d}@example.se", "approve")
        ledger.complete(intent, "verified")
    return home


@pytest.mark.parametrize("command", [["audit", "--format", "json"], ["audit"]])
def test_a_closed_stdout_ends_quietly_with_exit_0(tmp_path: Path, command: list[str]) -> None:
    """`tracesctl audit --format json | head -1`: no BrokenPipeError traceback, exit 0."""
    home = seeded_home(tmp_path)
    shell = f"{sys.executable} -m flows {' '.join(command)} | head -1; exit ${{PIPESTATUS[0]}}"
    run = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60, check=False,
                         env={**os.environ, "TRACESCTL_HOME": str(home)})
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert len(run.stdout.splitlines()) == 1


def test_accounts_status_json_into_head_ends_quietly(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text("".join(f'[accounts.a{n}]\nemail = "a{n}@example.se"\npassword_env = "PW"\n'
                                f'factor = "password"\n' for n in range(300)))
    shell = (f"{sys.executable} -m flows --accounts {accounts} accounts status --json | head -1; "
             "exit ${PIPESTATUS[0]}")
    run = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60, check=False,
                         env={**os.environ, "TRACESCTL_HOME": str(tmp_path / "home")})
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr


def test_headed_without_a_display_is_exit_2_before_any_browser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["--headed", "login"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs a display" in err[0], err


@pytest.mark.parametrize("url", ["http://127.0.0.1:8700", "http://127.0.0.2:8700", "http://[::1]:8700"])
def test_a_loopback_address_by_number_is_exit_2_saying_localhost(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--base-url", url, "login"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "use http://localhost:8700" in err[0], err


def test_old_failure_folders_are_pruned_and_others_kept(tmp_path: Path) -> None:
    """Folders named as the browser names them and older than the limit go; younger ones and anything
    not of that shape stay."""
    now = datetime(2026, 11, 27, tzinfo=UTC)
    old = tmp_path / f"{(now - timedelta(days=31)):%Y%m%dT%H%M%S.%fZ}-lars"
    young = tmp_path / f"{(now - timedelta(days=29)):%Y%m%dT%H%M%S.%fZ}-lars"
    other = tmp_path / "20200101-notes"
    for folder in (old, young, other):
        folder.mkdir()
        (folder / "trace.zip").write_bytes(b"x")
    assert prune_artifacts(tmp_path, 30, now) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([young.name, other.name])


def test_every_command_prunes_old_artifacts_when_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifacts = tmp_path / "artifacts"
    stale = artifacts / f"{(datetime.now(UTC) - timedelta(days=3)):%Y%m%dT%H%M%S.%fZ}-lars"
    stale.mkdir(parents=True)
    monkeypatch.setenv("TRACESCTL_ARTIFACTS", str(artifacts))
    monkeypatch.setenv("TRACESCTL_ARTIFACTS_KEEP_DAYS", "2")
    assert main(["audit"]) == 0
    assert not stale.exists()


def edited_guide() -> tuple[Guide, Guide]:
    old = load_guide(default_guide())
    steps = list(old.steps)
    c6 = next(i for i, s in enumerate(steps) if s.id == "C6")
    steps[c6] = replace(steps[c6], labels=(replace(steps[c6].labels[0], text="Begär behörighet"),))
    steps = [s for s in steps if s.id not in {"D2", "E1"}]
    steps.insert(1, replace(steps[0], id="A9", text="A new step"))
    steps.append(replace(steps[0], id="J1", text="A new section"))
    return old, Guide(old.title, "2026-01-01", old.locale, False, tuple(steps))


@pytest.fixture
def two_editions(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """`old` and `new` as guide file names the command loads (the edited edition is built in memory)."""
    import automation.guide

    old, new = edited_guide()
    monkeypatch.setattr(automation.guide, "load_guide", lambda path: {"old": old, "new": new}[path.name])
    return "old", "new"


def test_guide_diff_exits_1_when_the_guides_differ_and_lists_steps_in_guide_order(
    two_editions: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Like diff(1): 1 when they differ, 0 when not; the lines follow the guide (A9 first, J1 last)."""
    old_file, new_file = two_editions
    assert main(["guide", "diff", old_file, new_file]) == 1
    lines = capsys.readouterr().out.splitlines()
    steps = [line.split()[2] for line in lines]
    assert steps == ["A9", "C6", "D2", "E1", "J1"], lines
    assert main(["guide", "diff", old_file, old_file]) == 0
    assert capsys.readouterr().out.strip() == "no differences"


def test_guide_diff_json(two_editions: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    old_file, new_file = two_editions
    assert main(["guide", "diff", old_file, new_file, "--json"]) == 1
    changes = json.loads(capsys.readouterr().out)
    assert [(c["step"], c["what"]) for c in changes] == [
        ("A9", "step added"), ("C6", "label reworded"), ("D2", "step removed"), ("E1", "step removed"),
        ("J1", "step added")]
    assert changes[1]["before"] == "Begär tillstånd" and changes[1]["after"] == "Begär behörighet"


@pytest.mark.e2e
def test_a_failed_flow_prints_its_folder_and_how_to_open_its_trace(stub, portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """EU Login's answer to the password is lost (exit 16): a failure, unlike a refusal, keeps its trace."""
    from tests.helpers import PASSWORD_USER, SEEDED, traces_account_toml

    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("a", PASSWORD_USER, tmp_path, "sv", password_var="PW"))
    portal.call("faults", {"after_password": "lost", "count": 1})
    run = subprocess.run([sys.executable, "-m", "flows", "login", "--accounts", str(accounts), "--base-url",
                          stub.base_url], capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
                         env={**os.environ, "PW": SEEDED[PASSWORD_USER], "TRACESCTL_HOME": str(tmp_path / "home")})
    assert run.returncode == 16, run.stderr
    shown = [line for line in run.stderr.splitlines() if line.startswith("open its trace with: playwright show-trace ")]
    assert len(shown) == 1, run.stderr
    assert Path(shown[0].rsplit(" ", 1)[1]).is_file()
