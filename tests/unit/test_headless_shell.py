"""Which Chromium a run starts when Playwright's own is not installed: the headless shell for a
headless run (about half the CPU of a full Chromium), the full one for a headed run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from automation.browser import local_launch_options, system_chromium
from automation.config import Settings


@pytest.fixture
def path_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def install(*names: str) -> Path:
        for name in names:
            program = tmp_path / name
            program.write_text("#!/bin/sh\n")
            program.chmod(0o755)
        monkeypatch.setenv("PATH", str(tmp_path))
        return tmp_path
    return install


def no_own_chromium() -> Any:
    return SimpleNamespace(chromium=SimpleNamespace(executable_path="/nonexistent/playwright/chromium"))


def test_a_headless_run_prefers_the_headless_shell(path_with) -> None:  # type: ignore[no-untyped-def]
    bin_dir = path_with("chromium", "chromium-headless-shell")
    assert system_chromium(headless=True) == str(bin_dir / "chromium-headless-shell")
    options = local_launch_options(no_own_chromium(), Settings())
    assert options["executable_path"] == str(bin_dir / "chromium-headless-shell")


def test_a_headed_run_takes_the_full_chromium(path_with) -> None:  # type: ignore[no-untyped-def]
    bin_dir = path_with("chromium", "chromium-headless-shell")
    assert system_chromium() == str(bin_dir / "chromium")
    assert local_launch_options(no_own_chromium(), replace(Settings(), headed=True))["executable_path"] == \
        str(bin_dir / "chromium")


def test_without_the_shell_a_headless_run_takes_the_full_chromium(path_with) -> None:  # type: ignore[no-untyped-def]
    bin_dir = path_with("chromium")
    assert local_launch_options(no_own_chromium(), Settings())["executable_path"] == str(bin_dir / "chromium")


def test_an_explicit_executable_wins(path_with) -> None:  # type: ignore[no-untyped-def]
    path_with("chromium", "chromium-headless-shell")
    chosen = local_launch_options(no_own_chromium(), replace(Settings(), browser_executable="/opt/chrome/chrome"))
    assert chosen["executable_path"] == "/opt/chrome/chrome"
