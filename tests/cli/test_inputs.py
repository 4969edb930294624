"""Issue 24 §3: which setting wins (a flag, wherever it is given, over the environment, over `.env`),
and bad input of every kind (files that are not regular files, values with control, zero-width or
bidirectional characters, absurd lengths) ending in one line and exit 2 before any browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.config import Settings
from automation.errors import ConfigError
from flows import cli_run
from flows.cli import main

A, B, C = "http://localhost:1111", "http://localhost:2222", "http://localhost:3333"


class Stop(ConfigError):
    """Raised by the recorder below once the settings are read: nothing after them runs."""


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """The settings a command was given (recorded where every command starts, then stopped)."""
    recorded: list[Settings] = []

    def record(settings: Settings) -> None:
        recorded.append(settings)
        raise Stop("stopped after reading the settings")

    monkeypatch.setattr(cli_run, "prune_old_artifacts", record)
    return recorded


@pytest.mark.parametrize("args", [["--base-url", B, "login"], ["login", "--base-url", B]],
                         ids=["before", "after"])
def test_a_base_url_flag_beats_the_environment(monkeypatch: pytest.MonkeyPatch, seen: list[Settings],
                                               args: list[str]) -> None:
    """`TRACESCTL_BASE_URL=A tracesctl --base-url B login` signs in at B, never at A."""
    monkeypatch.setenv("TRACESCTL_BASE_URL", A)
    assert main(args) == 2
    assert seen[0].base_url == B


@pytest.mark.parametrize("where", ["before", "after"])
def test_an_accounts_flag_beats_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                seen: list[Settings], where: str) -> None:
    monkeypatch.setenv("TRACESCTL_ACCOUNTS", str(tmp_path / "env.toml"))
    flag = ["--accounts", str(tmp_path / "flag.toml")]
    assert main([*flag, "accounts", "status"] if where == "before" else ["accounts", "status", *flag]) == 2
    assert seen[0].accounts_file == tmp_path / "flag.toml"


def test_the_headed_flag_beats_the_environment(monkeypatch: pytest.MonkeyPatch, seen: list[Settings]) -> None:
    monkeypatch.setenv("TRACESCTL_HEADED", "0")
    monkeypatch.setenv("DISPLAY", ":99")
    assert main(["--headed", "login"]) == 2
    assert seen[0].headed


def test_the_environment_beats_the_env_file_and_the_env_file_beats_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seen: list[Settings]
) -> None:
    env_file = tmp_path / "settings.env"
    env_file.write_text(f"TRACESCTL_BASE_URL={C}\nTRACESCTL_ACCOUNTS={tmp_path / 'file.toml'}\n")
    assert main(["--env-file", str(env_file), "accounts", "status"]) == 2
    assert (seen[0].base_url, seen[0].accounts_file) == (C, tmp_path / "file.toml")
    monkeypatch.setenv("TRACESCTL_BASE_URL", A)
    monkeypatch.setenv("TRACESCTL_ACCOUNTS", str(tmp_path / "env.toml"))
    assert main(["--env-file", str(env_file), "accounts", "status"]) == 2
    assert (seen[1].base_url, seen[1].accounts_file) == (A, tmp_path / "env.toml")
    assert main(["--env-file", str(env_file), "accounts", "status", "--base-url", B]) == 2
    assert seen[2].base_url == B
