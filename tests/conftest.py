"""Shared fixtures: an isolated environment, the offline portal, and Chromium for pytest-playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog

from automation.config import Settings
from automation.stub.server import StubServer
from automation.stub.state import DEMO_APP_SECRET
from tests.helpers import SEEDED, Portal, password_env


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's settings; each gets its own state folder."""
    for name in list(os.environ):
        if name.startswith("TRACESCTL_") or name == "BROWSER_WS_ENDPOINT":
            monkeypatch.delenv(name)
    monkeypatch.setenv("TRACESCTL_HOME", str(tmp_path / "home"))


@pytest.fixture(autouse=True)
def fresh_logging() -> Iterator[None]:
    """A test that configures logging (the CLI does) must not leave it pointing at a closed stream."""
    yield
    structlog.reset_defaults()


@pytest.fixture(scope="session")
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


@pytest.fixture
def portal(stub: StubServer) -> Iterator[Portal]:
    client = Portal(stub.base_url)
    client.reset()
    yield client
    client.reset()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], playwright: Any) -> dict[str, Any]:
    from automation.browser import local_launch_options

    return {**browser_type_launch_args, **local_launch_options(playwright, Settings.from_env(os.environ))}


@pytest.fixture
def settings(stub: StubServer, tmp_path: Path) -> Settings:
    return Settings(base_url=stub.base_url, home=tmp_path / "home", artifacts_dir=tmp_path / "artifacts",
                    timeout_ms=10_000)


@pytest.fixture
def environ() -> dict[str, str]:
    """Secrets as the environment would hold them: every seeded password, the app's device secret."""
    values = {password_env(email): pw for email, pw in SEEDED.items()}
    values["APP_SECRET"] = DEMO_APP_SECRET
    return values


