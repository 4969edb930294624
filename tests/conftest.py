"""Shared fixtures: an isolated environment, and the names our tests give the fixtures of our own
pytest plugin (flows/plugin/__init__.py: the offline portal, its control API, settings, Chromium)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import structlog
from playwright.sync_api import Playwright

from automation.config import Settings
from automation.portal_client import PortalClient
from automation.stub.server import StubServer
from automation.stub.state import DEMO_APP_SECRET
from flows.plugin.fixtures import tracesctl_launch_args
from tests.helpers import SEEDED, password_env
from tests.postgres import PostgresServer

# Installed from this checkout, pytest loads the plugin through its entry point; an install made
# before the entry point existed (or a bare checkout on PYTHONPATH) needs it named here.
if not any(ep.value == "flows.plugin" for ep in entry_points(group="pytest11")):
    pytest_plugins = ["flows.plugin"]


# How long a page object waits for a label before it calls it drift, in the suite (the default is 5 s,
# automation.pages.base.LABEL_GRACE_MS). The offline portal draws every label with its document or at
# once by script, so a drift test waits this long for each label that is gone, and nothing else does.
# Long enough for a loaded machine; a test of the grace itself sets its own.
SUITE_DRIFT_GRACE_MS = 2_000


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's settings; each gets its own state folder, and the suite's drift
    grace (also for the commands it starts)."""
    for name in list(os.environ):
        if name.startswith("TRACESCTL_") or name in {"BROWSER_WS_ENDPOINT", "JOB_COMPLETION_INDEX"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("TRACESCTL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TRACESCTL_DRIFT_GRACE_MS", str(SUITE_DRIFT_GRACE_MS))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], playwright: Playwright,
                             browser_name: str | None) -> dict[str, Any]:
    """This suite always starts Chromium as tracesctl does, also in a run of only the tests that use
    pytest-playwright's own fixtures (where the plugin, rightly, changes nothing)."""
    return tracesctl_launch_args(browser_type_launch_args, playwright, browser_name)


@pytest.fixture(autouse=True)
def fresh_logging() -> Iterator[None]:
    """A test that configures logging (the CLI does) must not leave it pointing at a closed stream."""
    yield
    structlog.reset_defaults()


@pytest.fixture(scope="session")
def stub(offline_portal: StubServer) -> StubServer:
    return offline_portal


@pytest.fixture
def portal(portal_client: PortalClient) -> PortalClient:
    """The control API; the portal reset before and after the test."""
    return portal_client


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL cluster for the session (tests/postgres.py)."""
    with PostgresServer() as server:
        yield server


@pytest.fixture
def database_url() -> str | None:
    """Where the ledger lives: None, the SQLite file in the test's home. A module that runs against
    both backends overrides it with `both_ledgers` (below)."""
    return None


@pytest.fixture
def settings(tracesctl_settings: Settings, database_url: str | None) -> Settings:
    return replace(tracesctl_settings, database_url=database_url, drift_grace_ms=SUITE_DRIFT_GRACE_MS)


@pytest.fixture
def environ() -> dict[str, str]:
    """Secrets as the environment would hold them: every seeded password, the app's device secret."""
    values = {password_env(email): pw for email, pw in SEEDED.items()}
    values["APP_SECRET"] = DEMO_APP_SECRET
    return values


