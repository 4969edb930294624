"""The fixtures of tracesctl's pytest plugin (flows/plugin/__init__.py documents them)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Playwright

    from automation.config import AccountConfig, Settings
    from automation.portal_client import PortalClient
    from automation.stub.server import StubServer

OFFLINE_DEFAULT_ACCOUNT = "lars-losen"


def _live_url(config: pytest.Config) -> str | None:
    url: str | None = config.getoption("--tracesctl-base-url")
    return url.rstrip("/") if url else None


# The fixtures a project uses when it checks a portal with tracesctl; a session without any of them
# is left exactly as pytest-playwright makes it.
OWN_FIXTURES = frozenset({"offline_portal", "portal_client", "tracesctl_settings", "tracesctl_environ",
                          "tracesctl_accounts", "sign_in_as", "signed_in_page"})


def uses_tracesctl(session: pytest.Session) -> bool:
    """Whether a collected test needs one of the plugin's fixtures (directly or through another)."""
    return any(OWN_FIXTURES.intersection(getattr(item, "fixturenames", ())) for item in session.items)


def tracesctl_launch_args(launch_args: dict[str, Any], playwright: Playwright,
                          browser_name: str | None) -> dict[str, Any]:
    """pytest-playwright's launch options, extended (its headless, channel and slow-mo stay) with the
    flags Chromium needs on a closed network and, without a channel or an executable, the Chromium
    tracesctl would pick (BROWSER_EXECUTABLE, Playwright's, a system one). Reads no other setting."""
    if browser_name not in (None, "chromium"):
        return launch_args
    from automation.browser import CHROMIUM_ARGS, local_launch_options
    from automation.config import Settings, check_browser_executable

    merged = {**launch_args, "args": [*launch_args.get("args", []),
                                      *(a for a in CHROMIUM_ARGS if a not in launch_args.get("args", []))]}
    if "channel" not in merged and "executable_path" not in merged:
        raw = os.environ.get("BROWSER_EXECUTABLE", "").strip()
        settings = Settings(browser_executable=check_browser_executable(raw) if raw else None,
                            headed=not merged.get("headless", True))
        options = local_launch_options(playwright, settings)
        if "executable_path" in options:
            merged["executable_path"] = options["executable_path"]
    return merged


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], request: pytest.FixtureRequest,
                             browser_name: str | None) -> dict[str, Any]:
    """pytest-playwright's launch options, extended only in a session that uses tracesctl's fixtures
    (tracesctl_launch_args); any other project gets them untouched."""
    if not uses_tracesctl(request.session):
        return browser_type_launch_args
    return tracesctl_launch_args(browser_type_launch_args, request.getfixturevalue("playwright"), browser_name)


@pytest.fixture(scope="session")
def offline_portal() -> Iterator[StubServer]:
    """The offline portal, one server for the whole session (port 0: a free one)."""
    from automation.stub.server import StubServer

    with StubServer() as server:
        yield server


@pytest.fixture
def portal_client(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> Iterator[PortalClient]:
    """The offline portal's control API; the portal is back at its seed state before and after the test."""
    from automation.portal_client import PortalClient

    if _live_url(pytestconfig):
        pytest.skip("needs the offline portal's control API (this run checks a live portal)")
    server: StubServer = request.getfixturevalue("offline_portal")
    client = PortalClient(server.base_url)
    client.reset()
    yield client
    client.reset()


@pytest.fixture
def tracesctl_settings(pytestconfig: pytest.Config, request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for the portal under test; ledger, passkeys and failure artefacts under tmp_path."""
    from automation.config import Settings

    base_url = _live_url(pytestconfig)
    if base_url is None:
        base_url = request.getfixturevalue("portal_client").base_url  # also resets the offline portal
    timeout_ms = 30_000 if _live_url(pytestconfig) else 10_000
    return Settings(base_url=base_url, home=tmp_path / "home", artifacts_dir=tmp_path / "artifacts",
                    timeout_ms=timeout_ms)


@pytest.fixture
def tracesctl_environ(pytestconfig: pytest.Config) -> dict[str, str]:
    """Where accounts read their secrets: the process environment, and offline the seeded passwords."""
    environ = dict(os.environ)
    if not _live_url(pytestconfig):
        environ.update(_seeded_environ())
    return environ


@pytest.fixture
def tracesctl_accounts(pytestconfig: pytest.Config, tracesctl_settings: Settings) -> dict[str, AccountConfig]:
    """The accounts by name: from the accounts file when one is given (always for a live portal),
    else the offline portal's seeded accounts that sign in with the passkey it seeded for them
    (lars-losen, anna-admin, ...: the e-mail's local part with dashes; their passkey files are
    written under the test's home). TRACES takes no password alone."""
    from dataclasses import replace

    from automation.config import load_accounts

    option = pytestconfig.getoption("--tracesctl-accounts") or os.environ.get("TRACESCTL_ACCOUNTS")
    path = Path(option) if option else None
    if path is not None:
        return load_accounts(replace(tracesctl_settings, accounts_file=path))
    if _live_url(pytestconfig):
        raise pytest.UsageError("a live portal needs --tracesctl-accounts FILE (or TRACESCTL_ACCOUNTS)")
    return _seeded_accounts(tracesctl_settings.home, tracesctl_settings.base_url)


@pytest.fixture
def sign_in_as(context: BrowserContext, tracesctl_settings: Settings, tracesctl_accounts: dict[str, AccountConfig],
               tracesctl_environ: dict[str, str]) -> Callable[[str], Page]:
    """sign_in_as(NAME): a new page of pytest-playwright's context, signed in to TRACES as that account."""
    from automation.config import select_accounts
    from automation.factors import build_factor
    from flows.jobs.signin import sign_in_to_traces

    def sign_in(name: str) -> Page:
        account = select_accounts(tracesctl_accounts, [name])[0]
        page = context.new_page()
        page.set_default_timeout(tracesctl_settings.timeout_ms)
        sign_in_to_traces(page, tracesctl_settings, account, account.password(tracesctl_environ),
                          build_factor(account, tracesctl_environ))
        return page

    return sign_in


@pytest.fixture
def signed_in_page(request: pytest.FixtureRequest, pytestconfig: pytest.Config,
                   tracesctl_accounts: dict[str, AccountConfig], sign_in_as: Callable[[str], Page]) -> Page:
    """A page signed in to TRACES, on its home page."""
    marker = request.node.get_closest_marker("tracesctl_account")
    name = marker.args[0] if marker else pytestconfig.getoption("--tracesctl-account")
    if name is None:
        if len(tracesctl_accounts) == 1:
            name = next(iter(tracesctl_accounts))
        elif OFFLINE_DEFAULT_ACCOUNT in tracesctl_accounts and not _live_url(pytestconfig):
            name = OFFLINE_DEFAULT_ACCOUNT
        else:
            raise pytest.UsageError("several accounts: name one with --tracesctl-account or "
                                    "@pytest.mark.tracesctl_account(NAME)")
    return sign_in_as(name)


# --- the offline portal's seeded accounts, as an accounts file would describe them -------------

def _seeded() -> dict[str, str]:
    """The seeded accounts with a seeded passkey (every one without the EU Login app, but Pia, whose
    passkey the tests enrol), by e-mail, with their passwords."""
    from datetime import UTC, datetime

    from automation.stub.state import seed_accounts

    return {a.username: a.password for a in seed_accounts(datetime.now(UTC)).values() if a.passkeys}


def _variable(email: str) -> str:
    return "TRACESCTL_SEEDED_" + email.split("@")[0].replace(".", "_").upper()


def _seeded_environ() -> dict[str, str]:
    return {_variable(email): password for email, password in _seeded().items()}


def _seeded_accounts(home: Path, base_url: str) -> dict[str, AccountConfig]:
    from automation.config import AccountConfig
    from automation.vocabulary import FactorKind
    from flows.jobs.seeded_passkeys import write_seeded_passkey

    accounts = {}
    for email in _seeded():
        name = email.split("@")[0].replace(".", "-")
        account = AccountConfig(name=name, email=email, password_env=_variable(email), factor=FactorKind.PASSKEY,
                                locale="sv", passkey_file=home / "passkeys" / f"{name}.json")
        write_seeded_passkey(email, account.passkey_file, base_url)
        accounts[name] = account
    return accounts
