"""`tracesctl doctor`: what a person checks before the first run, and again when a run fails in a
way that looks like the setup (as `gh auth status` and `poetry check` do). Every check is read-only:
no home or ledger is created, no password is posted, no secret is shown (only whether it is there).

The checks return findings; the command prints them. The exit code is the first failing finding's,
in the order a person should fix things: the configuration (2), the ledger (14), the network and
browsers (7), then the accounts' holds (16, 3, 5, 6)."""

from __future__ import annotations

import os
import socket
import stat
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from automation.config import AccountConfig, Settings
from automation.error_words import in_words
from automation.errors import TWO_FACTORS_FOR_TRACES, ExitCode, TracesctlError
from automation.secrets import redact

Status = Literal["ok", "warn", "fail"]
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

# The order a person fixes things in: the setup first, the accounts' state last.
EXIT_ORDER = (ExitCode.BAD_INPUT, ExitCode.LEDGER_UNWRITABLE, ExitCode.PORTAL_UNAVAILABLE, ExitCode.UNCONFIRMED,
              ExitCode.REFUSED, ExitCode.INACTIVE, ExitCode.SUSPENDED)

# The settings a person can set, by variable, and how the effective value is read from Settings.
SETTINGS: tuple[tuple[str, str], ...] = (
    ("TRACESCTL_BASE_URL", "base_url"), ("TRACESCTL_ACCOUNTS", "accounts_file"), ("TRACESCTL_HOME", "home"),
    ("TRACESCTL_ARTIFACTS", "artifacts_dir"), ("TRACESCTL_LOCALE", "locale"), ("TRACESCTL_HEADED", "headed"),
    ("TRACESCTL_TIMEOUT_MS", "timeout_ms"), ("TRACESCTL_DRIFT_GRACE_MS", "drift_grace_ms"),
    ("TRACESCTL_LOG_FORMAT", "log_format"),
    ("TRACESCTL_LOG_LEVEL", "log_level"), ("TRACESCTL_TRACES", "traces"), ("TRACESCTL_WARN_DAYS", "warn_days"),
    ("TRACESCTL_ARTIFACTS_KEEP_DAYS", "artifacts_keep_days"), ("TRACESCTL_MAIL_WAIT_S", "mail_wait_s"),
    ("TRACESCTL_IMAP_HOST", "imap_host"), ("TRACESCTL_DATABASE_URL", "database_url"), ("TRACESCTL_SHARD", "shard"),
    ("BROWSER_EXECUTABLE", "browser_executable"), ("BROWSER_WS_ENDPOINT", "browser_ws_endpoint"),
)


@dataclass(frozen=True)
class Finding:
    area: str  # settings, accounts, account NAME, home, ledger, browser, portal, probe
    what: str
    status: Status
    detail: str
    exit_code: int = ExitCode.OK  # what a failing finding makes the command exit with

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def doctor_exit_code(findings: list[Finding]) -> int:
    codes = {f.exit_code for f in findings if f.status == "fail"}
    return next((code for code in EXIT_ORDER if code in codes), ExitCode.UNEXPECTED if codes else ExitCode.OK)


def setting_sources(settings: Settings, environ: Mapping[str, str], flags: Mapping[str, object],
                    env_file: Mapping[str, Path]) -> Iterator[Finding]:
    """Each setting's effective value and where it came from: a flag, the environment, the env file
    (which one), or the default. A database URL's password is masked."""
    for variable, attribute in SETTINGS:
        value = getattr(settings, attribute)
        if variable in flags:
            source = "flag"
        elif variable in env_file:
            source = f"env file {env_file[variable]}"
        elif variable in environ and environ[variable].strip():
            source = "environment"
        else:
            source = "default"
        shown = "(none)" if value is None else _masked_url(str(value)) if attribute == "database_url" else str(value)
        yield Finding("settings", variable, "ok", f"{shown} ({source})")


def _masked_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def env_file_findings(path: Path, used: bool) -> Iterator[Finding]:
    """The env file: there or not, and a warning when others can read a file that holds secrets."""
    if not used:
        yield Finding("settings", "env file", "ok", f"{path} not found (settings from the environment only)")
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        yield Finding("settings", "env file", "warn",
                      f"{path} is readable by others (mode {stat.S_IMODE(mode):o}) and may hold secrets: chmod 600 it")
    else:
        yield Finding("settings", "env file", "ok", f"{path} (mode {stat.S_IMODE(mode):o})")


def account_findings(settings: Settings, environ: Mapping[str, str]) -> tuple[list[AccountConfig], list[Finding]]:
    """The accounts file, then each account's secrets (present or not, never shown) and factor files."""
    from automation.config import load_accounts

    try:
        accounts = load_accounts(settings)
    except TracesctlError as error:
        return [], [Finding("accounts", "accounts file", "fail", redact(str(error)), error.exit_code)]
    findings = [Finding("accounts", "accounts file", "ok", f"{settings.accounts_file}: {len(accounts)} account(s)")]
    for account in accounts.values():
        findings.extend(_one_account(account, environ))
    return list(accounts.values()), findings


def _one_account(account: AccountConfig, environ: Mapping[str, str]) -> Iterator[Finding]:
    from automation.factors import build_factor

    area = f"account {account.name}"
    where = f"file {account.password_file}" if account.password_file else f"variable {account.password_env}"
    try:
        account.check_secrets(environ)
        yield Finding(area, "password", "ok", f"{where}: set")
    except TracesctlError as error:
        yield Finding(area, "password", "fail", redact(str(error)), error.exit_code)
    try:
        build_factor(account, environ)  # reads and checks the passkey file (0600), the TOTP seed
        if account.factor == "password":  # a warning: enroll and devices sign in to EU Login alone
            yield Finding(area, "factor", "warn", f"{TWO_FACTORS_FOR_TRACES}; the password alone serves only "
                          "EU Login's own pages (enroll, devices)")
        else:
            yield Finding(area, "factor", "ok", account.factor)
    except TracesctlError as error:
        yield Finding(area, "factor", "fail", redact(str(error)), error.exit_code)


def home_findings(settings: Settings) -> Iterator[Finding]:
    home = settings.home
    if not home.exists():
        yield Finding("home", "state folder", "ok", f"{home} does not exist yet (the first run creates it, 0700)")
        return
    mode = stat.S_IMODE(home.stat().st_mode)
    if not os.access(home, os.W_OK | os.X_OK):
        yield Finding("home", "state folder", "fail", f"{home} is not writable by this user", ExitCode.BAD_INPUT)
    elif mode & 0o077:
        from automation.config import home_remedy

        yield Finding("home", "state folder", "warn",
                      f"{home} is open to others (mode {mode:o}): {home_remedy(home, home.stat())}")
    else:
        yield Finding("home", "state folder", "ok", f"{home} (mode {mode:o})")


def ledger_findings(settings: Settings, accounts: list[AccountConfig]) -> Iterator[Finding]:
    """The ledger answers, and each account's hold: what a person must check before the next run."""
    from automation.holds import HOLD_EXIT_CODES, active_hold, hold_reason, release_command
    from automation.ledger import Ledger

    if not settings.database_url and not (settings.home / "ledger.sqlite3").exists():
        yield Finding("ledger", "ledger", "ok", "no ledger yet (the first sign-in creates it); no holds")
        return
    try:
        ledger = Ledger.open(settings)
    except Exception as error:  # noqa: BLE001 - any failure to open is what the person must fix
        yield Finding("ledger", "ledger", "fail", redact(in_words(error)),
                      ExitCode.LEDGER_UNWRITABLE)
        return
    try:
        yield Finding("ledger", "ledger", "ok", f"{ledger.dialect}: {_masked_url(settings.database_url or '')}"
                      if settings.database_url else f"sqlite: {ledger.path}")
        for account in accounts:
            hold = active_hold(ledger, account)
            if hold is not None:
                yield Finding(f"account {account.name}", "hold", "fail",
                              f"on hold ({hold.kind}) since {hold.placed_at:%Y-%m-%d %H:%M} UTC: {hold_reason(hold)}; "
                              f"once checked: {release_command(account)}",
                              HOLD_EXIT_CODES.get(hold.kind, ExitCode.REFUSED))
    finally:
        ledger.close()


def portal_findings(settings: Settings, timeout_s: float = 10.0) -> Iterator[Finding]:
    """The base URL answers EU Login's sign-in page (any HTTP answer means the server is there)."""
    url = f"{settings.eulogin_url}/login"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as answer:  # noqa: S310 - the configured portal
            yield Finding("portal", "base URL", "ok", f"{url} answers {answer.status}")
    except urllib.error.HTTPError as error:
        status: Status = "warn" if error.code < 500 else "fail"
        yield Finding("portal", "base URL", status, f"{url} answers {error.code}",
                      ExitCode.PORTAL_UNAVAILABLE if status == "fail" else ExitCode.OK)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        host = urllib.parse.urlsplit(settings.base_url).hostname or ""
        hint = "is the offline portal running (`tracesctl stub`)?" if host in LOOPBACK_HOSTS else \
            "is this machine's network (or proxy) open to it?"
        yield Finding("portal", "base URL", "fail",
                      f"{url} cannot be reached ({reason}); {hint} base URL: {settings.base_url} (TRACESCTL_BASE_URL)",
                      ExitCode.PORTAL_UNAVAILABLE)


def server_findings(settings: Settings, timeout_s: float = 5.0) -> Iterator[Finding]:
    """Each configured Playwright server takes a connection (a TCP connect: no browser is started)."""
    from automation.browser import ws_endpoints

    for endpoint in ws_endpoints(settings):
        parts = urllib.parse.urlsplit(endpoint)
        port = parts.port or (443 if parts.scheme == "wss" else 80)
        try:
            with socket.create_connection((parts.hostname or "localhost", port), timeout=timeout_s):
                yield Finding("browser", "Playwright server", "ok", f"{redact(endpoint)} takes connections")
        except OSError as error:
            yield Finding("browser", "Playwright server", "fail", f"{redact(endpoint)} cannot be reached ({error})",
                          ExitCode.PORTAL_UNAVAILABLE)


def browser_findings(settings: Settings) -> Iterator[Finding]:
    """A local Chromium starts and tells its version (with Playwright servers configured: those)."""
    if settings.browser_ws_endpoint:
        yield from server_findings(settings)
        return
    from automation.browser import launch_browser, started_playwright

    try:
        with started_playwright() as playwright:
            browser = launch_browser(playwright, settings)
            try:
                yield Finding("browser", "Chromium", "ok", f"starts (version {browser.version})")
            finally:
                browser.close()
    except TracesctlError as error:
        yield Finding("browser", "Chromium", "fail", str(error), error.exit_code)
    except Exception as error:  # noqa: BLE001 - Playwright's own errors: the browser cannot start
        yield Finding("browser", "Chromium", "fail",
                      f"Chromium does not start ({in_words(error)}); run "
                      "`playwright install chromium`, install a system chromium, or set BROWSER_EXECUTABLE",
                      ExitCode.BAD_INPUT)
