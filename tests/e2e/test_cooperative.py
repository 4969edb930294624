"""Flows sharing one Playwright and one browser (automation.cooperative, keepalive --parallel): they
wait for the portal together, a wait of the toolkit lets the others go on, one flow's error waits for
the others, a lost browser is replaced once, and a --parallel run has one browser and one driver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from automation import browser as browser_module
from automation import cooperative
from automation.browser import BrowserPool, launch_browser, started_playwright
from automation.config import Settings
from tests.helpers import Portal, password_env

pytestmark = pytest.mark.e2e


def in_a_thread(body: Callable[[], None]) -> None:
    """Run `body` in a thread of its own and re-raise its error here: pytest-playwright's sync
    Playwright may already hold this thread, and a sync Playwright refuses to start beside it."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            body()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread below
            failures.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(180)
    assert not worker.is_alive(), "the flows did not end"
    if failures:
        raise failures[0]


@pytest.fixture
def meeting_point() -> Iterator[tuple[str, threading.Barrier]]:
    """A web page that answers only once three requests wait for it at the same time."""
    barrier = threading.Barrier(3, timeout=20)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            try:
                barrier.wait()
                status, body = 200, b"<p>met</p>"
            except threading.BrokenBarrierError:
                status, body = 500, b"<p>alone</p>"
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", barrier
    barrier.abort()
    server.shutdown()


def test_flows_wait_for_the_portal_together(settings: Settings, meeting_point: tuple[str, threading.Barrier]) -> None:
    """Three flows, one browser: each opens a page that answers only while all three wait for it,
    which one flow at a time would never see."""
    url, _ = meeting_point
    seen: list[str] = []

    def body() -> None:
        with started_playwright() as playwright:
            browser = launch_browser(playwright, settings)

            def visit() -> None:
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                seen.append(page.inner_text("p"))
                context.close()

            cooperative.run_together(playwright, [visit, visit, visit])
            browser.close()

    in_a_thread(body)
    assert seen == ["met", "met", "met"]


def test_a_toolkit_wait_lets_the_other_flows_go_on(settings: Settings) -> None:
    """A flow that waits (retry backoff, a new one-time-password window) does not hold up the others:
    the flow that only loads a page ends first."""
    order: list[str] = []

    def body() -> None:
        with started_playwright() as playwright:
            browser = launch_browser(playwright, settings)

            def waits() -> None:
                cooperative.sleep(3)
                order.append("waited")

            def loads() -> None:
                page = browser.new_page()
                page.set_content("<p>here</p>")
                order.append("loaded")
                page.close()

            cooperative.run_together(playwright, [waits, loads])
            browser.close()

    in_a_thread(body)
    assert order == ["loaded", "waited"]


def test_one_flows_error_is_raised_once_the_others_have_ended(settings: Settings) -> None:
    """A flow that fails does not cut the others short: its error comes after they have ended."""
    ended: list[str] = []

    def body() -> None:
        with started_playwright() as playwright:
            browser = launch_browser(playwright, settings)

            def fails() -> None:
                raise ValueError("this flow's bug")

            def works() -> None:
                page = browser.new_page()
                page.set_content("<p>done</p>")
                ended.append(page.inner_text("p"))
                page.close()

            try:
                with pytest.raises(ValueError, match="this flow's bug"):
                    cooperative.run_together(playwright, [fails, works])
            finally:
                browser.close()

    in_a_thread(body)
    assert ended == ["done"]


def test_flows_that_lose_the_same_browser_start_one_replacement(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two flows find their shared browser gone at once: one replacement is started, and both get it."""
    launched: list[object] = []
    got: list[object] = []

    def slow_launch(playwright: object, settings: Settings, slot: int = 0, busy: object = ()) -> object:
        cooperative.sleep(0.5)  # starting a browser takes a while, and lets the other flow run
        browser = type("FakeBrowser", (), {"is_connected": lambda self: False})()
        launched.append(browser)
        return browser

    monkeypatch.setattr(browser_module, "launch_browser", slow_launch)

    def body() -> None:
        with started_playwright() as playwright:
            pool = BrowserPool(playwright, settings, 2)
            pool.start()
            lost = pool.browser_for(0)
            cooperative.run_together(playwright, [lambda: got.append(pool.replace(0, lost)),
                                                  lambda: got.append(pool.replace(1, lost))])

    in_a_thread(body)
    assert len(launched) == 2  # the first, and one replacement
    assert got == [launched[1], launched[1]]


def chromium_tree(root: int) -> tuple[int, int, int]:
    """Browsers, renderers and Playwright drivers among the descendants of `root`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    browsers = renderers = drivers = 0
    todo = [(pid, b"") for pid in children.get(root, [])]
    while todo:
        pid, parent = todo.pop()
        try:
            # Chromium rewrites its command line into one string: look for the words in all of it.
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        todo.extend((child, command) for child in children.get(pid, []))
        program = command.split(b" ")[0]
        # A child between fork and exec still shows its parent's command line: count the first only.
        if b"run-driver" in command and b"run-driver" not in parent:
            drivers += 1
        elif b"chrom" in program and b"crashpad" not in program:
            if b"--type=" not in command and b"chrom" not in parent.split(b" ")[0]:
                browsers += 1
            elif b"--type=renderer" in command:
                renderers += 1
    return browsers, renderers, drivers


def test_keepalive_parallel_signs_in_on_one_browser_and_one_driver(
    stub, portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """`keepalive --parallel 4` for eight accounts: every account signed in once, by one Chromium and
    one Playwright driver, with several accounts' pages open at the same time."""
    env = {**os.environ, "TRACESCTL_HOME": str(tmp_path / "home")}
    body = ""
    emails = [f"together{n}@vaxtexport.se" for n in range(8)]
    for n, email in enumerate(emails):
        portal.call("accounts", {"username": email, "password": f"Together-{n}-Pass!", "password_only_allowed": True})
        env[password_env(email)] = f"Together-{n}-Pass!"
        body += (f'[accounts.t{n}]\nemail = "{email}"\npassword_env = "{password_env(email)}"\n'
                 'factor = "password"\nlocale = "en"\n')
    (tmp_path / "accounts.toml").write_text(body)
    portal.call("faults", {"latency_ms": 200})  # sign-ins last long enough to overlap
    process = subprocess.Popen([sys.executable, "-m", "flows", "--accounts", str(tmp_path / "accounts.toml"),
                                "--base-url", stub.base_url, "keepalive", "--json", "--parallel", "4"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0, 0, 0]
    deadline = time.monotonic() + 180
    while process.poll() is None and time.monotonic() < deadline:
        peak = [max(seen, now) for seen, now in zip(peak, chromium_tree(process.pid), strict=True)]
        threading.Event().wait(0.05)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert [r["outcome"] for r in json.loads(out)] == ["ok"] * 8
    assert [portal.account(email)["traces_signins"] for email in emails] == [1] * 8
    browsers, renderers, drivers = peak
    assert (browsers, drivers) == (1, 1)
    assert renderers >= 2  # accounts' pages open at once, each context in its own renderer
