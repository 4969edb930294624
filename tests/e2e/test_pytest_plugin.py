"""The pytest plugin as a user meets it: a fresh folder with nothing but the README's example
(docs/example_check.py), run by pytest in its own process, passes; and the plugin extends
pytest-playwright's launch options instead of replacing them."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example_check.py"


def plugin_args() -> list[str]:
    """Installed, pytest finds the plugin by its entry point; a checkout on PYTHONPATH names it."""
    installed = any(ep.value == "flows.plugin" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "flows.plugin"]


def test_the_readme_example_passes_in_a_fresh_folder(pytester: pytest.Pytester) -> None:
    readme = (EXAMPLE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"```python\n{EXAMPLE.read_text(encoding='utf-8')}```" in readme  # the README shows what runs here
    pytester.makepyfile(test_example=EXAMPLE.read_text(encoding="utf-8"))
    result = pytester.runpytest_subprocess(*plugin_args(), "-p", "no:cacheprovider", timeout=300)
    result.assert_outcomes(passed=1)


def test_a_failing_user_check_fails_with_playwrights_message(pytester: pytest.Pytester) -> None:
    """The fixtures do not swallow a user's failure: a label the portal does not show fails the test."""
    pytester.makepyfile(test_failing="""
        from playwright.sync_api import expect

        def test_a_label_that_is_not_there(signed_in_page):
            expect(signed_in_page.get_by_role("button", name="No such button")).to_be_visible(timeout=500)
    """)
    result = pytester.runpytest_subprocess(*plugin_args(), "-p", "no:cacheprovider", timeout=300)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*No such button*"])


def test_launch_options_are_extended_not_replaced(browser_type_launch_args: dict[str, Any]) -> None:
    """pytest-playwright's own options (headless, channel) survive; the closed-network flags are added."""
    from automation.browser import CHROMIUM_ARGS

    assert set(CHROMIUM_ARGS) <= set(browser_type_launch_args["args"])


def test_a_browser_channel_is_respected(pytester: pytest.Pytester) -> None:
    """With --browser-channel the plugin names no executable of its own (the channel picks it), in a
    project that uses its fixtures."""
    pytester.makepyfile(test_channel="""
        def test_channel(browser_type_launch_args, tracesctl_environ):
            assert browser_type_launch_args["channel"] == "chrome-beta"
            assert "executable_path" not in browser_type_launch_args
            assert "--disable-sync" in browser_type_launch_args["args"]
    """)
    result = pytester.runpytest_subprocess(*plugin_args(), "-p", "no:cacheprovider", "--browser-channel",
                                           "chrome-beta", timeout=120)
    result.assert_outcomes(passed=1)


def test_a_project_that_does_not_use_the_fixtures_is_left_alone(pytester: pytest.Pytester,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed beside pytest-playwright, the plugin changes nothing in a project that uses none of its
    fixtures: pytest-playwright's launch options as they were, no tracesctl setting read (a stray
    TRACESCTL_HOME=/tmp, open to others, or a bad TRACESCTL_BASE_URL is no error there)."""
    import shutil

    from automation.browser import CHROMIUM_ARGS

    monkeypatch.setenv("TRACESCTL_HOME", "/tmp")
    monkeypatch.setenv("TRACESCTL_BASE_URL", "not a url")
    monkeypatch.setenv("BROWSER_EXECUTABLE", "/nonexistent/chromium")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium is not None
    # The project's own conftest names its browser, as a project on a machine without Playwright's does.
    pytester.makeconftest(f"""
        import pytest

        @pytest.fixture(scope="session")
        def browser_type_launch_args(browser_type_launch_args):
            return {{**browser_type_launch_args, "executable_path": {chromium!r}}}
    """)
    pytester.makepyfile(test_plain=f"""
        def test_launch_options_are_pytest_playwrights(browser_type_launch_args):
            assert not set({list(CHROMIUM_ARGS)!r}) & set(browser_type_launch_args.get("args", []))

        def test_a_plain_page(page):
            page.set_content("<h1>plain</h1>")
            assert page.inner_text("h1") == "plain"
    """)
    result = pytester.runpytest_subprocess(*plugin_args(), "-p", "no:cacheprovider", timeout=120)
    result.assert_outcomes(passed=2)
