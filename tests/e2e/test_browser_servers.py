"""Browsers from real Playwright servers (BROWSER_WS_ENDPOINT, one or several): sign-in and keep-alive
through one and two servers, a dead endpoint skipped with a warning, a server killed mid-run."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from automation import log
from automation.browser import account_page, system_chromium, ws_endpoints
from automation.config import Settings
from automation.factors import build_factor
from flows.jobs.keepalive import KeepAlive
from flows.jobs.signin import sign_in_to_traces
from tests.helpers import PASSWORD_USER, Portal, password_env, traces_account
from tests.playwright_server import PlaywrightServer
from tests.ports import closed_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def running_servers() -> Iterator[list[PlaywrightServer]]:
    """Two Playwright servers, started once for the module (each takes seconds to start)."""
    pool: list[PlaywrightServer] = []
    try:
        for _ in range(2):
            pool.append(PlaywrightServer().__enter__())
        yield pool
    finally:
        for server in pool:
            server.__exit__(None, None, None)


@pytest.fixture
def servers(running_servers: list[PlaywrightServer]) -> list[PlaywrightServer]:
    """The two servers, both running: one a previous test killed is replaced by a new one first.
    (A server keeps nothing between clients: each connection launches a browser of its own.)"""
    for n, server in enumerate(running_servers):
        if not server.running:
            server.__exit__(None, None, None)
            running_servers[n] = PlaywrightServer().__enter__()
    return running_servers


def remote(settings: Settings, *endpoints: str) -> Settings:
    chromium = system_chromium(headless=True)
    assert chromium, "the tests pass a system Chromium to the servers"
    return replace(settings, browser_ws_endpoint=",".join(endpoints), browser_executable=chromium)


def extra_accounts(portal: Portal, environ: dict[str, str], tmp_path: Path, count: int) -> list:  # type: ignore[type-arg]
    accounts = []
    for n in range(count):
        email = f"remote{n}@vaxtexport.se"
        portal.call("accounts", {"username": email, "password": f"Remote-{n}-Pass!", "seeded_passkey": True})
        environ[password_env(email)] = f"Remote-{n}-Pass!"
        accounts.append(traces_account(email, "en", tmp_path))
    return accounts


def test_the_endpoint_list_is_split_on_commas(settings: Settings) -> None:
    assert ws_endpoints(replace(settings, browser_ws_endpoint=" ws://a:1/ ,ws://b:2/,")) == ["ws://a:1/", "ws://b:2/"]


def test_sign_in_through_one_server(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, servers: list[PlaywrightServer]
) -> None:
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    failures: list[BaseException] = []

    def sign_in_and_out() -> None:
        try:
            with account_page(remote(settings, servers[0].endpoint), account.name, "en") as page:
                signed_in = sign_in_to_traces(page, settings, account, account.password(environ),
                                              build_factor(account, environ))
                signed_in.home.log_out()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread below
            failures.append(error)

    # A thread of its own: pytest-playwright's session may already run a sync Playwright in this one,
    # and the sync API refuses a second inside its asyncio loop (as the command line never has).
    worker = threading.Thread(target=sign_in_and_out)
    worker.start()
    worker.join()
    assert failures == []
    assert portal.account(PASSWORD_USER)["traces_signins"] == 1


def test_keepalive_spreads_over_two_servers_and_skips_a_dead_one(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, servers: list[PlaywrightServer],
    capfd: pytest.CaptureFixture[str]
) -> None:
    """Two workers, three endpoints of which one is closed: every account signed in, a browser from each
    live server, and a warning that names the closed one. (The workers are processes of their own: their
    log lines are read from the standard error they share with this one, JSON as off a terminal.)"""
    accounts = extra_accounts(portal, environ, tmp_path, 4)
    # The workers log as this process was last configured (automation.log.configured): an earlier test in
    # the same xdist worker may have left it at -qq's "error" level, which hid the lines read below.
    log.configure("json", "info", colors=False)
    # Held closed for the whole run: no other test's server (another xdist worker's) can open on it meanwhile.
    with closed_port() as port:
        dead = f"ws://127.0.0.1:{port}/"
        results = KeepAlive(remote(settings, servers[0].endpoint, dead, servers[1].endpoint), environ).run(
            accounts, parallel=2)
    assert [r.outcome for r in results] == ["ok"] * 4
    logs = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    skipped = [e for e in logs if e["event"].startswith("browser server skipped")]
    assert skipped and all(e["endpoint"] == dead for e in skipped)
    connected = {e["endpoint"] for e in logs if e["event"] == "browser server connected"}
    assert connected == {servers[0].endpoint, servers[1].endpoint}


def test_a_server_killed_mid_run_costs_its_account_one_retry(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, servers: list[PlaywrightServer]
) -> None:
    """Server one dies during the run: the account it was signing in is tried again on server two,
    and the run ends with every account signed in."""
    accounts = extra_accounts(portal, environ, tmp_path, 4)
    portal.call("faults", {"latency_ms": 150})
    runner = KeepAlive(remote(settings, servers[0].endpoint, servers[1].endpoint), environ)

    def kill_after_first_signin() -> None:
        deadline = time.monotonic() + 120
        while not runner.ledger.signins() and time.monotonic() < deadline:
            threading.Event().wait(0.05)
        servers[0].kill()

    killer = threading.Thread(target=kill_after_first_signin)
    killer.start()
    with capture_logs() as logs:
        results = runner.run(accounts, parallel=1)
    killer.join()
    assert [r.outcome for r in results] == ["ok"] * 4
    assert any(e["event"].startswith("browser lost") for e in logs)
    rows = runner.ledger.signins()
    assert [r.outcome for r in rows].count("ok") == 4 and len(rows) <= 5  # at most one failed try


def test_a_server_lost_during_the_password_step_is_not_retried_elsewhere(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, servers: list[PlaywrightServer]
) -> None:
    """Server one dies while EU Login holds back its answer to the posted password: the attempt stays
    unconfirmed (the identity on hold) and is never posted again through server two."""
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    portal.call("faults", {"after_password": "held", "count": 1})
    runner = KeepAlive(remote(settings, servers[0].endpoint, servers[1].endpoint), environ)
    results: list[object] = []
    run = threading.Thread(target=lambda: results.extend(runner.run([account], parallel=1)))
    with capture_logs() as logs:
        run.start()
        deadline = time.monotonic() + 120
        while portal.form_count("cas.password.answer_held") < 1:  # the password is in; its answer waits
            assert time.monotonic() < deadline and run.is_alive(), "the password was never posted"
            threading.Event().wait(0.05)
        servers[0].kill()
        portal.call("faults", {"release_answers": True})
        run.join(180)
    assert [r.outcome for r in results] == ["unconfirmed"]  # type: ignore[attr-defined]
    assert portal.form_count("cas.password") == 1
    assert not any(e["event"].startswith("browser lost") for e in logs)
    hold = runner.ledger.hold(account.identity, account.name)
    assert hold is not None and hold.kind == "unconfirmed"
