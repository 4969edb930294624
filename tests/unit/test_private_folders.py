"""Issue 22: every folder the toolkit makes for what may show personal data is the user's alone
(0700), the folders above it that it makes too, whatever the umask: failure folders and the artifacts
folder (tests/unit/test_interrupted_artifacts.py), the unconfirmed attempt's screenshot, the
captcha's and any private file's folder, and guide-check's report folder."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from automation.attempts import _screenshot
from automation.files import write_private


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """022, as most systems have it: mkdir's default would give 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes(*folders: Path) -> dict[str, str]:
    return {str(folder): oct(stat.S_IMODE(folder.stat().st_mode)) for folder in folders}


def private(*folders: Path) -> dict[str, str]:
    return {str(folder): "0o700" for folder in folders}


class FakePage:
    def screenshot(self, path: str, **_: object) -> None:
        Path(path).write_bytes(b"\x89PNG")


def test_the_unconfirmed_attempts_screenshot_folder_and_the_artifacts_folder_above_it(tmp_path: Path) -> None:
    artifacts = tmp_path / "artifacts"
    shot = artifacts / "20260101T000000.000000Z-lars-unconfirmed" / "page.png"
    _screenshot(FakePage(), shot)  # type: ignore[arg-type]
    assert shot.exists() and modes(artifacts, shot.parent) == private(artifacts, shot.parent)


def test_a_private_files_folders(tmp_path: Path) -> None:
    """The captcha (TRACESCTL_HOME/captcha.png) under a home not made yet, and the folder above it."""
    home = tmp_path / "new" / "home"
    write_private(home / "captcha.png", b"\x89PNG")
    assert modes(home.parent, home) == private(home.parent, home)


def test_guide_check_s_report_folder(tmp_path: Path) -> None:
    from automation.guide import default_guide, load_guide
    from flows.reports.guide_html import write_reports

    report = tmp_path / "reports" / "guide"
    write_reports(report, load_guide(default_guide()), "sv", [], [], 1.0)
    assert (report / "guide-check.html").exists() and modes(report.parent, report) == private(report.parent, report)


def test_a_folder_that_exists_is_left_as_it_is(tmp_path: Path) -> None:
    from automation.files import private_folder

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    private_folder(shared / "mine")
    assert modes(shared, shared / "mine") == {str(shared): "0o755", str(shared / "mine"): "0o700"}


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    from automation.files import private_folder

    (tmp_path / "file").write_text("")
    with pytest.raises(OSError):
        private_folder(tmp_path / "file" / "artifacts")
