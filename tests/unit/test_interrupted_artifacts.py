"""Issue 24 §3: an interrupted flow is not a failed one: no "artifacts of the failed flow" lines, no
failure folder and no trace on Ctrl-C or SIGTERM (or an error the signal caused); a real failure still
keeps its folder. Issue 22: nor is one of the portal's expected refusals (exit 3, 5, 6, 12) a failure.
A stand-in browser: no Chromium is needed to see what the context manager does."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from automation import cancel
from automation.browser import account_context
from automation.cancel import Interrupted
from automation.config import Settings
from automation.errors import (
    AccountHeldError,
    AccountInactiveError,
    AccountSuspendedError,
    ApprovalTimeoutError,
    BusinessError,
    CredentialsRejectedError,
    NotAdministratorError,
    SecondFactorRefusedError,
    ToolkitDriftError,
    TracesctlError,
    refusal_words,
)
from automation.vocabulary import HoldKind


@dataclass
class FakeTracing:
    calls: list[str] = field(default_factory=list)

    def start(self, **_: Any) -> None:
        self.calls.append("start")

    fail_on_save: Callable[[], BaseException] | None = None  # raised when the trace is saved (a signal came, say)

    def stop(self, path: Path | None = None) -> None:
        self.calls.append(f"stop {path}" if path else "stop")
        if path and self.fail_on_save is not None:
            raise self.fail_on_save()


@dataclass(eq=False)  # hashable, as the real one is (a weak set holds traced contexts)
class FakeContext:
    tracing: FakeTracing = field(default_factory=FakeTracing)
    pages: list[Any] = field(default_factory=list)
    closed: bool = False

    def set_default_timeout(self, _ms: int) -> None:
        pass

    def close(self) -> None:
        self.closed = True


@dataclass
class FakeBrowser:
    context: FakeContext = field(default_factory=FakeContext)

    def new_context(self, **_: Any) -> FakeContext:
        return self.context


@pytest.fixture
def signal_seen() -> Iterator[None]:
    """As the entry point's handler leaves things after a signal (the flag set), cleared afterwards."""
    cancel.cancel_requested.set()
    yield
    cancel.cancel_requested.clear()


def run_and_fail(tmp_path: Path, error: BaseException, traces: str = "on-failure",
                 browser: FakeBrowser | None = None, artifacts: Path | None = None) -> FakeBrowser:
    browser = browser or FakeBrowser()
    settings = Settings(base_url="http://localhost:1", home=tmp_path / "home",
                        artifacts_dir=artifacts or tmp_path / "artifacts", traces=traces)
    with pytest.raises(type(error)), account_context(browser, settings, "lars", "sv"):  # type: ignore[arg-type]
        raise error
    assert browser.context.closed
    return browser


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_flow_keeps_no_failure_artifacts(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        signal_seen: None, signum: int) -> None:
    browser = run_and_fail(tmp_path, Interrupted(signum))
    assert "failed flow" not in capsys.readouterr().err
    assert not (tmp_path / "artifacts").exists()
    assert not any(call.startswith("stop /") for call in browser.context.tracing.calls)  # no trace written


def test_an_error_a_signal_caused_keeps_no_failure_artifacts(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             signal_seen: None) -> None:
    """Playwright's TargetClosedError while Ctrl-C tears the browser down is the signal's doing."""
    run_and_fail(tmp_path, RuntimeError("Target page, context or browser has been closed"))
    assert "failed flow" not in capsys.readouterr().err
    assert not (tmp_path / "artifacts").exists()


def test_a_failed_flow_still_keeps_its_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_and_fail(tmp_path, RuntimeError("the portal said something new"), traces="off")
    assert "artifacts of the failed flow:" in capsys.readouterr().err
    assert len(list((tmp_path / "artifacts").iterdir())) == 1


def test_the_artifacts_folders_are_the_users_alone(tmp_path: Path) -> None:
    """Issue 22: the artifacts folder and each failure's folder are 0700 (screenshots show personal data)."""
    import stat

    run_and_fail(tmp_path, RuntimeError("the portal said something new"), traces="off")
    artifacts = tmp_path / "artifacts"
    assert stat.S_IMODE(artifacts.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(folder.stat().st_mode) == 0o700 for folder in artifacts.iterdir())


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("raised", ["error", "interruption"])
def test_a_signal_while_the_artifacts_are_written_is_no_failure_to_keep_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], signum: int, raised: str) -> None:
    """The flow failed, then Ctrl-C or SIGTERM came while its trace was saved (the browser went down
    with it, or the signal's own Interrupted): no "could not be kept" line, and no half folder left."""
    browser = FakeBrowser()

    def signalled_meanwhile() -> BaseException:
        cancel.cancel_requested.set()  # as the entry point's handler does
        if raised == "error":
            return RuntimeError("Target page, context or browser has been closed")
        return Interrupted(signum)

    browser.context.tracing.fail_on_save = signalled_meanwhile
    try:
        # The flow's own error comes out (run_and_fail expects it), or the signal's Interrupted instead.
        with nullcontext() if raised == "error" else pytest.raises(Interrupted):
            run_and_fail(tmp_path, RuntimeError("the portal said something new"), browser=browser)
    finally:
        cancel.cancel_requested.clear()
    assert "could not be kept" not in capsys.readouterr().err
    assert list((tmp_path / "artifacts").iterdir()) == []


EXPECTED_REFUSALS = [CredentialsRejectedError("EU Login rejected the password"),
                     SecondFactorRefusedError("EU Login refused the passkey"),
                     AccountHeldError("lars is on hold (refused)"),
                     AccountInactiveError("TRACES shows the account as inactive"),
                     AccountSuspendedError("TRACES suspended the user"),
                     NotAdministratorError("TRACES refuses the users screens")]


@pytest.mark.parametrize("refusal", EXPECTED_REFUSALS, ids=lambda e: type(e).__name__)
def test_an_expected_refusal_keeps_no_failure_artifacts(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        refusal: BusinessError) -> None:
    """Issue 22: the portal's refusal is its answer, not the toolkit's failure: no "flow failed" line,
    no folder, no trace, no screenshot; one line says what the portal answered, for whom, with the code."""
    with capture_logs() as logs:
        browser = run_and_fail(tmp_path, refusal)
    assert "failed flow" not in capsys.readouterr().err
    assert not (tmp_path / "artifacts").exists()
    assert not any(call.startswith("stop /") for call in browser.context.tracing.calls)
    assert not any("failed" in line["event"] for line in logs), logs
    said = [line for line in logs if line.get("exit_code") == int(refusal.exit_code)]
    assert len(said) == 1 and said[0]["account"] == "lars" and said[0]["log_level"] in {"info", "warning"}, logs
    assert said[0]["event"] == refusal_words(refusal) and said[0]["answer"] == str(refusal)


@pytest.mark.parametrize("error", [ApprovalTimeoutError("nobody approved the request"),
                                   AccountHeldError("lars is on hold (unconfirmed)", HoldKind.UNCONFIRMED),
                                   ToolkitDriftError("TracesHomePage", "traces.home.log_out", "Log out")],
                         ids=lambda e: f"{type(e).__name__}-{int(e.exit_code)}")
def test_other_errors_still_keep_their_failure_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      error: TracesctlError) -> None:
    """Exit 4 (nobody approved in time), 16 (an attempt's outcome unknown), 21 (drift): failures to look into."""
    run_and_fail(tmp_path, error, traces="off")  # the stand-in records no trace to write
    assert "artifacts of the failed flow:" in capsys.readouterr().err
    assert len(list((tmp_path / "artifacts").iterdir())) == 1


def test_every_folder_made_for_the_artifacts_is_the_users_alone(tmp_path: Path) -> None:
    """TRACESCTL_ARTIFACTS under folders that do not exist yet: each folder made is 0700, not only the
    last (mkdir's mode covers only that one), whatever the umask."""
    import os
    import stat

    previous = os.umask(0)
    try:
        run_and_fail(tmp_path, RuntimeError("the portal said something new"), traces="off",
                     artifacts=tmp_path / "made" / "for" / "artifacts")
    finally:
        os.umask(previous)
    made = [tmp_path / "made", tmp_path / "made" / "for", tmp_path / "made" / "for" / "artifacts",
            *(tmp_path / "made" / "for" / "artifacts").iterdir()]
    assert len(made) == 4
    assert {str(folder): oct(stat.S_IMODE(folder.stat().st_mode)) for folder in made} == \
        {str(folder): "0o700" for folder in made}
