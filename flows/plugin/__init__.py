"""tracesctl's pytest plugin (entry point `pytest11`): write your own checks against the offline
portal, or against the live portals, with the toolkit's page objects (README: Write your own checks).

Fixtures:
  offline_portal       the offline portal, served once per session on a free loopback port
  portal_client        its control API (`PortalClient`), the portal reset before and after the test
  tracesctl_settings   the toolkit's Settings for the portal under test, state in the test's tmp_path
  tracesctl_accounts   the accounts: the accounts file (--tracesctl-accounts), or offline, the seeded ones
  sign_in_as           sign_in_as("lars-losen") -> a page of pytest-playwright's context, signed in to TRACES
  signed_in_page       that page for the account of @pytest.mark.tracesctl_account("NAME") or
                       --tracesctl-account (offline default: lars-losen; the seeded accounts sign in
                       to TRACES with the passkeys the offline portal seeded for them)

It builds on pytest-playwright: pages come from its `context` fixture, so `--headed`, `--browser`,
`--browser-channel`, `--tracing`, `--video` and `--screenshot` apply to them; its
`browser_type_launch_args` is extended (the flags Chromium needs on a closed network, and a system
Chromium when Playwright has none and no channel was asked for), never replaced, and only in a
session where a test uses these fixtures: any other project is left as pytest-playwright makes it,
and no tracesctl setting is read.
"""

from __future__ import annotations

import pytest

FIXTURES = "tracesctl-fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tracesctl", "tracesctl: checks against EU Login and TRACES NT")
    group.addoption("--tracesctl-base-url", metavar="URL", default=None,
                    help="check this portal (e.g. https://webgate.ec.europa.eu) instead of the offline portal")
    group.addoption("--tracesctl-accounts", metavar="FILE", default=None,
                    help="accounts file (default: $TRACESCTL_ACCOUNTS; offline: the portal's seeded accounts)")
    group.addoption("--tracesctl-account", metavar="NAME", default=None,
                    help="the account signed_in_page signs in as (default: the only one; offline: lars-losen)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tracesctl_account(name): the account signed_in_page signs in as")
    # The fixtures are registered here, after every plugin installed (pytest-playwright among them,
    # in whatever order entry points load): a later plugin's fixture is the one used, and it can
    # extend the earlier one of the same name (browser_type_launch_args).
    if not config.pluginmanager.has_plugin(FIXTURES):
        from flows.plugin import fixtures as pytest_fixtures
        config.pluginmanager.register(pytest_fixtures, FIXTURES)
