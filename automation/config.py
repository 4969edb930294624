"""Typed settings from the environment (and `.env`), and the accounts file.

Validated once, at the entry point, before any browser starts: every problem is a
`ConfigError` subclass with one line that names the setting, the file or the account.
Secrets come only from the environment, `.env` or 0600 files, and are wrapped in `Secret`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from automation.errors import AccountsFileError, ConfigError, MissingSettingError, UnknownAccountError
from automation.secrets import Secret

DEFAULT_BASE_URL = "https://webgate.ec.europa.eu"
LOCALES = ("sv", "en")
FACTORS = ("password", "passkey", "app-qr", "app-pin")
OTP_SOURCE_KINDS = ("prompt", "command", "totp-env")


def default_home(environ: Mapping[str, str]) -> Path:
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "tracesctl"


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than 0, not {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """Process-wide settings (README: Configuration)."""

    base_url: str = DEFAULT_BASE_URL
    accounts_file: Path = Path("accounts.toml")
    home: Path = field(default_factory=lambda: default_home(os.environ))
    artifacts_dir: Path = Path("artifacts")
    locale: str = "sv"
    headed: bool = False
    browser_executable: str | None = None
    browser_ws_endpoint: str | None = None
    timeout_ms: int = 30_000
    log_format: str = "auto"
    log_level: str = "info"
    traces: str = "on-failure"  # on-failure: keep a scrubbed trace of each failed flow; off: record none

    @property
    def eulogin_url(self) -> str:
        return f"{self.base_url}/cas"

    @property
    def traces_url(self) -> str:
        return f"{self.base_url}/tracesnt"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        base_url = environ.get("TRACESCTL_BASE_URL", "").strip() or DEFAULT_BASE_URL
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ConfigError(f"TRACESCTL_BASE_URL must be an http(s) URL, not {base_url!r}")
        locale = environ.get("TRACESCTL_LOCALE", "").strip() or "sv"
        if locale not in LOCALES:
            raise ConfigError(f"TRACESCTL_LOCALE must be one of {', '.join(LOCALES)}, not {locale!r}")
        log_format = environ.get("TRACESCTL_LOG_FORMAT", "").strip() or "auto"
        if log_format not in {"auto", "console", "json"}:
            raise ConfigError(f"TRACESCTL_LOG_FORMAT must be auto, console or json, not {log_format!r}")
        home = Path(environ["TRACESCTL_HOME"]).expanduser() if environ.get("TRACESCTL_HOME") else default_home(environ)
        traces = environ.get("TRACESCTL_TRACES", "").strip() or "on-failure"
        if traces not in {"on-failure", "off"}:
            raise ConfigError(f"TRACESCTL_TRACES must be on-failure or off, not {traces!r}")
        return cls(
            base_url=base_url.rstrip("/"),
            accounts_file=Path(environ.get("TRACESCTL_ACCOUNTS", "").strip() or "accounts.toml").expanduser(),
            home=home,
            artifacts_dir=Path(environ.get("TRACESCTL_ARTIFACTS", "").strip() or str(home / "artifacts")).expanduser(),
            locale=locale,
            headed=_flag(environ, "TRACESCTL_HEADED"),
            browser_executable=environ.get("BROWSER_EXECUTABLE", "").strip() or None,
            browser_ws_endpoint=environ.get("BROWSER_WS_ENDPOINT", "").strip() or None,
            timeout_ms=_positive_int(environ, "TRACESCTL_TIMEOUT_MS", 30_000),
            log_format=log_format,
            log_level=environ.get("TRACESCTL_LOG_LEVEL", "").strip().lower() or "info",
            traces=traces,
        )


@dataclass(frozen=True)
class AccountConfig:
    """One EU Login account from the accounts file. Holds the names of secrets, never their values."""

    name: str
    email: str
    password_env: str
    factor: str
    locale: str
    passkey_file: Path
    otp_source: str = "prompt"
    pin_timeout_s: float = 120.0
    keepalive_interval_days: int = 30
    password_file: Path | None = None  # a 0600 file holding the password, instead of password_env

    def password(self, environ: Mapping[str, str]) -> Secret:
        if self.password_file is not None:
            return Secret(read_private(self.password_file, f"account {self.name!r}: password file"))
        value = environ.get(self.password_env, "")
        if not value:
            raise MissingSettingError(
                f"account {self.name!r}: the password variable {self.password_env} is not set or empty"
            )
        return Secret(value)

    def check_secrets(self, environ: Mapping[str, str]) -> None:
        """Raise a ConfigError now if a secret this account needs cannot be read."""
        self.password(environ)
        if self.factor == "app-qr" and self.otp_source.startswith("totp-env:"):
            variable = self.otp_source.split(":", 1)[1]
            if not environ.get(variable):
                raise MissingSettingError(
                    f"account {self.name!r}: the one-time-password secret variable {variable} is not set or empty"
                )


def read_private(path: Path, what: str) -> str:
    """The stripped content of a file only its owner can read, or a ConfigError saying why not."""
    try:
        mode = path.stat().st_mode
        if mode & 0o077:
            raise MissingSettingError(f"{what} {path} is readable by others (mode {oct(mode & 0o777)}); chmod 600 it")
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise MissingSettingError(f"{what} {path} cannot be read: {exc.strerror}") from None
    if not value:
        raise MissingSettingError(f"{what} {path} is empty")
    return value


def _text(table: Mapping[str, object], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise AccountsFileError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def parse_account(name: str, table: Mapping[str, object], settings: Settings, source: Path) -> AccountConfig:
    where = f"{source}: account {name!r}"
    email = _text(table, "email", where)
    if "@" not in email:
        raise AccountsFileError(f"{where}: email {email!r} is not an e-mail address")
    factor = _text(table, "factor", where, "passkey")
    if factor not in FACTORS:
        raise AccountsFileError(f"{where}: factor must be one of {', '.join(FACTORS)}, not {factor!r}")
    locale = _text(table, "locale", where, settings.locale)
    if locale not in LOCALES:
        raise AccountsFileError(f"{where}: locale must be one of {', '.join(LOCALES)}, not {locale!r}")
    otp_source = _text(table, "otp_source", where, "prompt")
    kind, _, rest = otp_source.partition(":")
    if kind not in OTP_SOURCE_KINDS or (kind != "prompt" and not rest.strip()):
        raise AccountsFileError(
            f"{where}: otp_source must be 'prompt', 'command:<command>' or 'totp-env:<VARIABLE>', not {otp_source!r}"
        )
    passkey_file = Path(_text(table, "passkey_file", where, str(settings.home / "passkeys" / f"{name}.json")))
    numbers: dict[str, float] = {}
    for key, default in (("pin_timeout_s", 120.0), ("keepalive_interval_days", 30)):
        value = table.get(key, default)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise AccountsFileError(f"{where}: {key} must be a positive number, not {value!r}")
        numbers[key] = value
    known = {"email", "password_env", "password_file", "factor", "locale", "otp_source", "passkey_file",
             "pin_timeout_s", "keepalive_interval_days"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise AccountsFileError(f"{where}: unknown setting(s) {', '.join(unknown)}")
    password_file = Path(_text(table, "password_file", where)).expanduser() if "password_file" in table else None
    # One of the two: the variable holding the password, or a 0600 file with it.
    password_env = _text(table, "password_env", where) if password_file is None else ""
    return AccountConfig(
        name=name,
        email=email.lower(),
        password_env=password_env,
        password_file=password_file,
        factor=factor,
        locale=locale,
        passkey_file=passkey_file.expanduser(),
        otp_source=otp_source,
        pin_timeout_s=float(numbers["pin_timeout_s"]),
        keepalive_interval_days=int(numbers["keepalive_interval_days"]),
    )


def load_accounts(settings: Settings) -> dict[str, AccountConfig]:
    """Read and validate the accounts file (TOML, one `[accounts.NAME]` table per account)."""
    path = settings.accounts_file
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AccountsFileError(f"accounts file {path} not found (set TRACESCTL_ACCOUNTS or --accounts)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountsFileError(f"accounts file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise AccountsFileError(f"accounts file {path} is not valid TOML: {exc}") from None
    accounts = data.get("accounts")
    if not isinstance(accounts, dict) or not accounts:
        raise AccountsFileError(f"accounts file {path} has no [accounts.NAME] tables")
    parsed = {}
    for name, table in accounts.items():
        if not isinstance(table, dict):
            raise AccountsFileError(f"{path}: accounts.{name} must be a table")
        parsed[name] = parse_account(name, table, settings, path)
    return parsed


def select_accounts(accounts: Mapping[str, AccountConfig], names: list[str] | None) -> list[AccountConfig]:
    """The accounts named (all when none are), or UnknownAccountError naming the first unknown one."""
    if not names:
        return list(accounts.values())
    for name in names:
        if name not in accounts:
            raise UnknownAccountError(f"unknown account {name!r} (known: {', '.join(sorted(accounts))})")
    return [accounts[name] for name in names]
