"""Launch or connect to Chromium, one context per account, and failure artifacts.

For every failed flow the context's Playwright trace and a screenshot are kept in the artifacts
folder. Traces record `fill` values, request bodies, URLs and cookies, so each trace is scrubbed
by an allowlist (automation.trace_scrub) before it is written where a person can open it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from automation.config import Settings
from automation.error_words import in_words
from automation.errors import is_expected_refusal, refusal_words
from automation.files import private_folder
from automation.log import get_logger
from automation.secrets import environment_without_secrets, redact, withdraw_secret_variables
from automation.trace_scrub import scrub_trace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

# Without these Chromium stalls on refused connections where the network is closed.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Chromium's headless shell (Debian's chromium-headless-shell package): the build Playwright's own
# headless launches use. It draws no browser window behind the page, and costs about half the CPU of
# a full Chromium per launch and per context (docs/development.md). Headless runs prefer it.
HEADLESS_SHELLS = ("chromium-headless-shell",)
SECRET_INPUTS = "input[type=password], input[autocomplete=one-time-code]"
_TRACED: weakref.WeakSet[BrowserContext] = weakref.WeakSet()  # the contexts account_context traces
_SERVER_OF: weakref.WeakKeyDictionary[Browser, str] = weakref.WeakKeyDictionary()  # see server_of

log = get_logger(__name__)
T = TypeVar("T")


def system_chromium(headless: bool = False) -> str | None:
    """A Chromium on PATH: for a headless run the headless shell first, when it is installed."""
    for name in (*HEADLESS_SHELLS, *SYSTEM_CHROMIUMS) if headless else SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def local_launch_options(playwright: Playwright, settings: Settings) -> dict[str, Any]:
    """How to start a local Chromium: flags for a closed network, and which executable.

    BROWSER_EXECUTABLE when set (an explicit choice wins), else Playwright's own Chromium when
    `playwright install chromium` has put it there, else a system Chromium on PATH (for a headless
    run its headless shell, when installed).
    """
    options: dict[str, Any] = {"args": list(CHROMIUM_ARGS)}
    if settings.browser_executable:
        options["executable_path"] = settings.browser_executable
    elif not Path(playwright.chromium.executable_path).exists():
        fallback = system_chromium(headless=not settings.headed)
        if fallback is None:
            from automation.errors import ConfigError

            raise ConfigError(
                "no Chromium found: run `playwright install chromium`, install a system chromium, "
                "or set BROWSER_EXECUTABLE"
            )
        options["executable_path"] = fallback
    return options


def browser_environment(settings: Settings) -> dict[str, str]:
    """The environment Chromium runs in: no secret variables, and every folder it might write to
    (profile leftovers, crash reports, dconf, fontconfig caches) inside TRACESCTL_HOME/browser."""
    root = settings.home / "browser"
    folders = {"HOME": root / "home", "XDG_CONFIG_HOME": root / "config", "XDG_CACHE_HOME": root / "cache",
               "XDG_DATA_HOME": root / "data", "XDG_STATE_HOME": root / "state"}
    # TMPDIR stays: Chromium's singleton socket lives there, and a socket path under a deep home
    # passes the 107-byte limit of Unix sockets; Chromium removes it on exit.
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    environ = environment_without_secrets()
    environ.update({name: str(folder) for name, folder in folders.items()})
    environ.pop("XDG_RUNTIME_DIR", None)  # dconf writes there; without it, it keeps to memory
    return environ


def ws_endpoints(settings: Settings) -> list[str]:
    """BROWSER_WS_ENDPOINT's Playwright servers: one, or several separated by commas."""
    raw = settings.browser_ws_endpoint or ""
    return [endpoint.strip() for endpoint in raw.split(",") if endpoint.strip()]


def remote_launch_headers(settings: Settings) -> dict[str, str]:
    """The launch options a Playwright server starts its Chromium with: an explicit BROWSER_EXECUTABLE
    (a path on the server's host) needs the server's `--unsafe` flag; the flags for a closed network
    are asked for either way."""
    options: dict[str, Any] = {"args": list(CHROMIUM_ARGS), "headless": not settings.headed}
    if settings.browser_executable:
        options["executablePath"] = settings.browser_executable
    return {"x-playwright-launch-options": json.dumps(options)}


def connect_browser(playwright: Playwright, settings: Settings, slot: int = 0, busy: Collection[str] = ()) -> Browser:
    """A browser from the Playwright servers, starting with server number `slot` (modulo their
    number) so workers spread over them, and with the servers not in `busy` (which give this run a
    browser already); a server that does not answer is skipped with a warning."""
    from automation.errors import TransientError

    endpoints = ws_endpoints(settings)
    order = endpoints[slot % len(endpoints):] + endpoints[:slot % len(endpoints)]
    order = [e for e in order if e not in busy] + [e for e in order if e in busy]
    for endpoint in order:
        try:
            browser = playwright.chromium.connect(endpoint, timeout=settings.timeout_ms,
                                                  headers=remote_launch_headers(settings))
        except Exception as exc:  # noqa: BLE001 - any failure to connect means "try the next server"
            log.warning("browser server skipped: it does not answer", endpoint=endpoint_shown(endpoint),
                        error=redact(in_words(exc)))
            continue
        _SERVER_OF[browser] = endpoint
        log.info("browser server connected", endpoint=endpoint_shown(endpoint))
        return browser
    raise TransientError(f"none of the {len(endpoints)} browser servers in BROWSER_WS_ENDPOINT answers")


def endpoint_shown(endpoint: str) -> str:
    """An endpoint as logs show it: a path beyond "/" may be the server's secret (the local server's
    is 128 random bits, automation.browser_server), so it is left out."""
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint)
    return endpoint if parts.path in ("", "/") else f"{parts.scheme}://{parts.netloc}/<path>"


def server_of(browser: Browser) -> str | None:
    """The Playwright server a browser came from; None for a local one."""
    return _SERVER_OF.get(browser)


def launch_browser(playwright: Playwright, settings: Settings, slot: int = 0, busy: Collection[str] = ()) -> Browser:
    """A remote browser when BROWSER_WS_ENDPOINT is set (Playwright servers, preferring those not
    in `busy`), else a local Chromium."""
    if settings.browser_ws_endpoint:
        return connect_browser(playwright, settings, slot, busy)
    options = local_launch_options(playwright, settings)
    options["args"].append(f"--crash-dumps-dir={settings.home / 'browser' / 'crash'}")
    env: dict[str, str | float | bool] = dict(browser_environment(settings))
    return playwright.chromium.launch(headless=not settings.headed, env=env, **options)


class RunBrowser:
    """The browser of one keep-alive process (a serial run, or one worker of `--parallel`): each account
    in a fresh context of its own. With Playwright servers it comes from server number `slot` first,
    so that workers spread over the servers, and a lost one is replaced by the next server's."""

    def __init__(self, playwright: Playwright, settings: Settings, slot: int = 0) -> None:
        self.playwright = playwright
        self.settings = settings
        self._slot = slot
        self._browser: Browser | None = None
        self._launched: list[Browser] = []  # every browser started, for close()

    def __enter__(self) -> RunBrowser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def browser(self) -> Browser:
        """The browser, started (or connected to) at the first use."""
        if self._browser is None:
            self._browser = self._launch()
        return self._browser

    def replace(self, lost: Browser) -> Browser:
        """A browser that answers, in place of `lost`: from the next server, when there are several."""
        if self._browser is lost:
            self._slot += 1
            self._browser = self._launch(busy={server} if (server := server_of(lost)) else set())
        return self.browser

    def _launch(self, busy: Collection[str] = ()) -> Browser:
        browser = launch_browser(self.playwright, self.settings, self._slot, busy)
        self._launched.append(browser)
        return browser

    def close(self) -> None:
        from automation.cancel import cancel_requested

        for browser in self._launched:
            if not browser.is_connected():  # a lost server's browser has nothing left to close
                continue
            try:
                browser.close()
            except Exception:
                # Ctrl-C reaches Playwright's driver too: a browser it took down cannot be closed, and
                # the error must not replace the interruption that is unwinding the run.
                if not cancel_requested.is_set():
                    raise


def browser_answers(browser: Browser) -> bool:
    """Whether the browser still takes work: a lost Playwright server's browser may not know yet
    that it is disconnected, so ask it for a context."""
    if not browser.is_connected():
        return False
    try:
        browser.new_context().close()
    except Exception:  # noqa: BLE001 - any failure here means the browser is gone
        return False
    return True


def asyncio_loop_running_here() -> bool:
    """Whether this thread already runs an asyncio loop, as it does once a caller started a sync
    Playwright of its own in it (pytest-playwright's fixtures): a second sync Playwright refuses to
    start there."""
    import asyncio

    try:
        return asyncio.get_running_loop().is_running()
    except RuntimeError:
        return False


def in_a_free_thread(work: Callable[[], T]) -> T:
    """`work()`, here; or, when this thread already runs a sync Playwright (see above), in a helper
    thread, its error raised here. The command line never needs the helper: its main thread runs no
    loop, so a signal's Interrupted unwinds the work itself."""
    if not asyncio_loop_running_here():
        return work()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 - raised in the caller's thread below
            failure.append(error)

    helper = threading.Thread(target=run, name="playwright-helper")
    helper.start()
    helper.join()
    if failure:
        raise failure[0]
    return outcome[0]


@contextmanager
def started_playwright() -> Iterator[Playwright]:
    """Playwright's driver, started only once the secret variables have left the environment
    (the driver copies the environment, and Chromium inherits the driver's)."""
    from playwright.sync_api import sync_playwright

    withdraw_secret_variables(os.environ)
    with sync_playwright() as playwright:
        yield playwright


@contextmanager
def account_context(browser: Browser, settings: Settings, account_name: str, locale: str) -> Iterator[BrowserContext]:
    """A fresh context for one account; on failure keep a scrubbed trace and a screenshot. Neither
    on an interruption (a signal) nor on one of the portal's expected refusals (automation.errors)."""
    context = browser.new_context(locale="sv-SE" if locale == "sv" else "en-GB")
    context.set_default_timeout(settings.timeout_ms)
    tracing = settings.traces == "on-failure"
    if tracing:
        context.tracing.start(title=f"tracesctl {account_name}", snapshots=True, screenshots=False)
        _TRACED.add(context)
    try:
        yield context
    except BaseException as error:
        if interrupted_flow(error):
            # Ctrl-C or SIGTERM (or the browser closing under the flow because of one): the flow did
            # not fail, so no failure folder and no trace; closing the context drops what it recorded.
            log.info("flow interrupted; no artifacts kept", account=account_name)
            raise
        if is_expected_refusal(error):
            # The portal's answer (a refused password, an inactive account...), not a failure of the
            # toolkit: nothing to debug, so no failure folder; closing the context drops the trace.
            log.warning(refusal_words(error), account=account_name, exit_code=int(error.exit_code),
                        answer=str(error))
            raise
        # The flow's own error is the outcome: failing to keep artifacts (a full disk, an
        # unwritable folder) is logged and never replaces it.
        try:
            folder = save_failure_artifacts(context, settings.artifacts_dir, account_name, tracing)
        except Exception as exc:  # noqa: BLE001 - see above
            if interrupted_flow(exc):
                # A signal came while they were written (Chromium went down with it): the run is being
                # interrupted, and save_failure_artifacts left no half folder behind.
                log.info("flow interrupted; no artifacts kept", account=account_name)
            else:
                log.error("flow failed; its artifacts could not be kept", account=account_name, error=str(exc))
                print(f"artifacts of the failed flow could not be kept: {redact(str(exc))}", file=sys.stderr)
        else:
            log.error("flow failed; artifacts kept", account=account_name, artifacts=str(folder))
            print(f"artifacts of the failed flow: {folder}", file=sys.stderr)
            if (folder / "trace.zip").exists():
                print(f"open its trace with: playwright show-trace {folder / 'trace.zip'}", file=sys.stderr)
        raise
    else:
        if tracing:
            context.tracing.stop()
    finally:
        context.close()


def interrupted_flow(error: BaseException) -> bool:
    """Whether a flow ended because of a signal, not of its own failure: the interruption itself, or
    any error raised while a signal unwinds the run (Playwright's TargetClosedError, a timeout)."""
    from automation.cancel import cancel_requested

    return isinstance(error, KeyboardInterrupt | GeneratorExit) or cancel_requested.is_set()


def restart_trace(context: BrowserContext) -> None:
    """Drop what the trace recorded so far and go on recording: a long session (hundreds of
    approvals) keeps only the current item's trace, so tracing costs the same at item 200 as at 1."""
    if context not in _TRACED:
        return  # traces are off, or this is a caller's own context (as in the tests)
    context.tracing.stop_chunk()
    context.tracing.start_chunk()


@contextmanager
def account_page(settings: Settings, account_name: str, locale: str) -> Iterator[Page]:
    """Playwright, a browser, and one page in a fresh context for the account: what a command needs."""
    with started_playwright() as playwright:
        browser = launch_browser(playwright, settings)
        try:
            with account_context(browser, settings, account_name, locale) as context:
                yield context.new_page()
        finally:
            browser.close()


def save_failure_artifacts(context: BrowserContext, artifacts_dir: Path, account_name: str,
                           tracing: bool = True) -> Path:
    """The failure folder (STAMP-ACCOUNT, 0700, as are the artifacts folder and any folder made for
    it): a screenshot of each page, secret fields painted over, and the scrubbed trace. A signal while
    they are written removes the folder again: an interrupted run keeps no half of one."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    folder = artifacts_dir / f"{stamp}-{account_name}"
    # 0700 from the start, the artifacts folder too: a screenshot shows personal data.
    private_folder(folder)
    try:
        _write_failure_artifacts(context, folder, tracing)
    except BaseException as error:
        if interrupted_flow(error):
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _write_failure_artifacts(context: BrowserContext, folder: Path, tracing: bool) -> None:
    for index, page in enumerate(context.pages):
        try:
            # Secret fields are painted over: a one-time password is readable on screen.
            page.screenshot(path=folder / f"screenshot-{index}.png", mask=[page.locator(SECRET_INPUTS)],
                            timeout=5_000)
        except Exception as exc:  # noqa: BLE001 - a crashed page must not hide the original error
            log.warning("screenshot failed", error=str(exc))
    if tracing:
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "trace.zip"
            context.tracing.stop(path=raw)
            scrub_trace(raw, folder / "trace.zip")
