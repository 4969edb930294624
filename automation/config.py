"""Typed settings from the environment (and `.env`), and the accounts file.

Validated once, at the entry point, before any browser starts: every problem is a
`ConfigError` subclass with one line that names the setting, the file or the account.
Secrets come from the environment, `.env`, 0600 files, a command or the keyring
(automation.secret_sources), and are wrapped in `Secret`.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from automation.errors import (
    AccountsFileError,
    ConfigError,
    MissingSettingError,
    UnknownAccountError,
    UnsafePathError,
)
from automation.files import in_kernel_folder, read_input_text
from automation.pages.base import LABEL_GRACE_MS
from automation.secret_sources import (
    PASSKEY_KEYS,
    PASSWORD_KEYS,
    Kind,
    SecretSource,
    chosen_source,
    parse_command,
    parse_keyring_service,
)
from automation.secrets import Secret, register_variable
from automation.values import MAX_EMAIL, MAX_PASSWORD, check_text
from automation.vocabulary import FactorKind

DEFAULT_BASE_URL = "https://webgate.ec.europa.eu"
LOCALES = ("sv", "en")
FACTORS = tuple(FactorKind)  # as the accounts file spells them: password, passkey, app-qr, app-pin
OTP_SOURCE_KINDS = ("prompt", "command", "totp-env")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
ARTIFACTS_KEEP_DAYS_RANGE = (1, 3650)
MAIL_WAIT_S_RANGE = (1, 24 * 3600)  # seconds: EUL-MAIL says up to 20 minutes; a day is plenty
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
# Bounds that catch typing mistakes (a timeout in seconds where milliseconds are meant, 1e300 days)
# long before they turn into a run that never ends.
TIMEOUT_MS_RANGE = (100, 600_000)
DRIFT_GRACE_MS_RANGE = (100, 60_000)
WARN_DAYS_RANGE = (0, 3650)
INTERVAL_DAYS_RANGE = (1, 3650)
PIN_TIMEOUT_S_RANGE = (1, 3600)
SECRET_TIMEOUT_S_RANGE = (1, 600)  # a password command (Vault, a cloud CLI) answers in seconds
# Account names become file names (locks, passwords, QR codes, passkeys, artifacts): a short
# word, never a path.
ACCOUNT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def default_home(environ: Mapping[str, str]) -> Path:
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "tracesctl"


def config_dir(environ: Mapping[str, str]) -> Path:
    """Where a user keeps tracesctl's files when not in the working folder: $XDG_CONFIG_HOME/tracesctl."""
    config = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "tracesctl"


def discovered(name: str, environ: Mapping[str, str]) -> Path:
    """`./NAME` when it exists, else $XDG_CONFIG_HOME/tracesctl/NAME when that does, else `./NAME`
    (so a message names the file a newcomer is expected to create)."""
    here = Path(name)
    if here.exists() or here.is_symlink():
        return here
    user = config_dir(environ) / name
    return user if user.exists() else here


def identity_of(email: str) -> str:
    """The EU Login identity an e-mail names: what holds are kept per (NFKC, no case, no spaces
    around), so two spellings of one address share its five password attempts."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _bounded_int(environ: Mapping[str, str], name: str, default: int, bounds: tuple[int, int]) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[+-]?[0-9]+", raw):
        raise ConfigError(f"{name} must be a whole number, not {raw!r}")
    return bounded(name, int(raw), bounds)


def bounded(name: str, value: int, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}")
    return value


def check_base_url(raw: str, name: str = "TRACESCTL_BASE_URL") -> str:
    """scheme://host[:port] only: the toolkit appends /cas and /tracesnt itself. Plain http only
    to this machine, since the password would cross the network unencrypted."""
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ConfigError(f"{name} is not a valid URL: {raw!r}") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"{name} must be an http(s) URL, not {raw!r}")
    if parts.path.strip("/") or parts.query or parts.fragment or "?" in raw or "#" in raw:
        raise ConfigError(f"{name} must be scheme://host[:port] without a path, query or fragment, not {raw!r}")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{name} must not carry a user name or password")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS and not parts.hostname.startswith("127."):
        raise ConfigError(f"{name} uses plain http to {parts.hostname}: only https, or http to this machine "
                          "(localhost, 127.0.0.1, ::1), is allowed")
    if parts.scheme == "http" and (parts.hostname.startswith("127.") or parts.hostname == "::1"):
        # A loopback address by number: the portal's cookies and WebAuthn's relying party are
        # bound to a host name (an IP address is never a valid RP ID), so sign-ins would fail late.
        raise ConfigError(f"{name} {raw!r}: use http://localhost{':' + str(port) if port else ''} instead of "
                          f"{parts.hostname} (WebAuthn and the offline portal need a host name)")
    del port  # read only to validate it
    return f"{parts.scheme}://{parts.netloc}"


MAX_HOME_CHARS = 1024  # the ledger, locks and passkeys go below it; a path longer than this is a mistake


def check_home(home: Path) -> Path:
    """The state folder: a folder (or not there yet, below a folder), not a symlink, not writable by
    others, not in /proc, /sys or /dev, of a sane length."""
    if len(str(home)) > MAX_HOME_CHARS or any(len(part) > 255 for part in home.parts):
        raise UnsafePathError(f"TRACESCTL_HOME is longer than {MAX_HOME_CHARS} characters (or has a name "
                              "longer than 255)")
    if in_kernel_folder(home):
        raise UnsafePathError(f"TRACESCTL_HOME {home} is in {'/' + home.resolve().parts[1]}: give an ordinary folder")
    try:
        return _checked_home(home)
    except OSError as exc:  # a name the file system refuses, a permission on the way
        raise UnsafePathError(f"TRACESCTL_HOME {home} cannot be used: {exc.strerror or type(exc).__name__}") from None


def _checked_home(home: Path) -> Path:
    above = next((p for p in home.parents if p.exists() or p.is_symlink()), None)
    if above is not None and not above.is_dir():
        raise UnsafePathError(f"TRACESCTL_HOME {home} is below {above}, which is not a folder")
    if home.is_symlink():
        raise UnsafePathError(f"TRACESCTL_HOME {home} is a symbolic link; point it at the folder itself")
    if home.exists():
        if not home.is_dir():
            raise UnsafePathError(f"TRACESCTL_HOME {home} is not a folder")
        status = home.stat()
        if status.st_mode & 0o022:
            raise UnsafePathError(f"TRACESCTL_HOME {home} is writable by others (mode {oct(status.st_mode & 0o777)}); "
                                  f"{home_remedy(home, status)}")
    return home


def home_remedy(home: Path, status: os.stat_result) -> str:
    """What to do about a home others can write to. A shared folder (/tmp: sticky, or another
    user's) must not be chmod'ed, which would break it for everyone: choose one of your own."""
    if status.st_mode & 0o1000 or status.st_uid != os.getuid():
        return "choose a folder of your own (e.g. ~/.local/state/tracesctl) for TRACESCTL_HOME"
    return f"chmod 700 {home}"


def under_home(home: Path, *parts: str) -> Path:
    """A path inside the home, built from names that come from input; refuses anything that
    would leave it (.., absolute parts, symlinks on the way)."""
    path = home.joinpath(*parts)
    resolved_home = home.resolve()
    if os.path.isabs(os.path.join(*parts)) or not path.resolve().is_relative_to(resolved_home):
        raise UnsafePathError(f"{path} is outside TRACESCTL_HOME {home}")
    current = home
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise UnsafePathError(f"{current} is a symbolic link; tracesctl writes only real files in its home")
    return path


def check_display(headed_locally: bool, environ: Mapping[str, str]) -> None:
    """A headed local Chromium on Linux needs X11 or Wayland: say so now, not in Playwright's traceback."""
    if headed_locally and sys.platform == "linux" and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        raise ConfigError("--headed (TRACESCTL_HEADED) needs a display, and neither DISPLAY nor WAYLAND_DISPLAY "
                          "is set: run without it, or under xvfb-run")


def check_browser_executable(raw: str) -> str:
    path = Path(raw).expanduser()
    found = path if path.is_absolute() or "/" in raw else Path(shutil.which(raw) or raw)
    if not found.is_file() or not os.access(found, os.X_OK):
        raise ConfigError(f"BROWSER_EXECUTABLE {raw!r} is not an executable file")
    return str(found)


def check_database_url(raw: str) -> str:
    """A PostgreSQL URL (libpq's form), or empty for the SQLite ledger under TRACESCTL_HOME."""
    if raw and not raw.startswith(("postgresql://", "postgres://")):
        # Never echo the value: a URL may carry the database password.
        raise ConfigError("TRACESCTL_DATABASE_URL must be a postgresql:// URL (unset: the SQLite ledger in "
                          "TRACESCTL_HOME)")
    if raw:
        check_text(raw, "TRACESCTL_DATABASE_URL", 4096)
        try:
            from psycopg import Error as PsycopgError
            from psycopg.conninfo import conninfo_to_dict
        except ImportError:  # the ledger says so when it opens (psycopg is optional)
            return raw
        try:
            conninfo_to_dict(raw)  # libpq's own parser: an unknown option or a malformed URL, now
        except PsycopgError:
            raise ConfigError("TRACESCTL_DATABASE_URL is not a valid libpq URL (an unknown option, or a "
                              "malformed part); see libpq's 'Connection URIs'") from None
    return raw


def check_ws_endpoints(raw: str) -> str:
    """BROWSER_WS_ENDPOINT: one ws:// or wss:// URL, or several separated by commas."""
    check_text(raw, "BROWSER_WS_ENDPOINT", 8192)
    endpoints = [endpoint.strip() for endpoint in raw.split(",")]
    if not all(endpoints):
        raise ConfigError(f"BROWSER_WS_ENDPOINT {raw!r} has an empty entry: give ws:// URLs separated by commas")
    for endpoint in endpoints:
        try:
            parts = urlsplit(endpoint)
            parts.port  # noqa: B018 - read only to validate it
        except ValueError:
            raise ConfigError(f"BROWSER_WS_ENDPOINT {endpoint!r} is not a valid URL") from None
        if parts.scheme not in {"ws", "wss"} or not parts.hostname:
            raise ConfigError(f"BROWSER_WS_ENDPOINT {endpoint!r} must be a ws:// or wss:// URL")
    return raw


def shard_from_env(environ: Mapping[str, str]) -> tuple[int, int] | None:
    """TRACESCTL_SHARD=I/N, or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX with TRACESCTL_SHARD_COUNT=N:
    which share of the accounts this process keeps alive (automation.shards); None: all of them."""
    raw = environ.get("TRACESCTL_SHARD", "").strip()
    count_raw = environ.get("TRACESCTL_SHARD_COUNT", "").strip()
    if raw:
        index_text, slash, count_text = raw.partition("/")
        if not slash or not re.fullmatch(r"[0-9]+", index_text.strip()) or not re.fullmatch(r"[0-9]+",
                                                                                            count_text.strip()):
            raise ConfigError(f"TRACESCTL_SHARD must be INDEX/COUNT such as 0/3, not {raw!r}")
        index, count = int(index_text), int(count_text)
        name = "TRACESCTL_SHARD"
    elif count_raw:
        index_raw = environ.get("JOB_COMPLETION_INDEX", "").strip()
        if not re.fullmatch(r"[0-9]+", index_raw) or not re.fullmatch(r"[0-9]+", count_raw):
            raise ConfigError("TRACESCTL_SHARD_COUNT needs a whole-number TRACESCTL_SHARD_COUNT and "
                              f"JOB_COMPLETION_INDEX (an Indexed Job's), not {count_raw!r} and {index_raw!r}")
        index, count = int(index_raw), int(count_raw)
        name = "JOB_COMPLETION_INDEX"
    else:
        return None
    if count < 1 or count > 10_000:
        raise ConfigError(f"{name}: the number of shards must be between 1 and 10000, not {count}")
    if index >= count:
        raise ConfigError(f"{name}: shard index {index} is not below the number of shards {count} "
                          "(indices count from 0)")
    return index, count


@dataclass(frozen=True)
class Settings:
    """Process-wide settings (README: Configuration), read and validated once at the entry point."""

    base_url: str = DEFAULT_BASE_URL
    accounts_file: Path = Path("accounts.toml")
    home: Path = field(default_factory=lambda: default_home(os.environ))
    artifacts_dir: Path = Path("artifacts")
    locale: str = "sv"
    headed: bool = False
    browser_executable: str | None = None
    browser_ws_endpoint: str | None = None
    timeout_ms: int = 30_000
    # How long a label may take on a screen that is there before it is toolkit drift (automation.pages.base).
    drift_grace_ms: int = LABEL_GRACE_MS
    log_format: str = "auto"
    log_level: str = "info"
    traces: str = "on-failure"  # on-failure: keep a scrubbed trace of each failed flow; off: record none
    warn_days: int = 14  # accounts status / keepalive --notify: near inactivity at this many days left
    imap_host: str | None = None  # set: e-mail is read over IMAP by default
    database_url: str | None = None  # set: the ledger and account locks live in this PostgreSQL database
    shard: tuple[int, int] | None = None  # (index, count): keep-alive takes only this share of the accounts
    artifacts_keep_days: int = 30  # failure folders older than this are pruned when a command starts
    # signup / reset-password: how long to wait for EU Login's e-mail (EUL-MAIL: up to 20 minutes late).
    mail_wait_s: int = 25 * 60
    # request-access --create-if-missing: how long to wait for another run working on the same company.
    operator_lock_wait_s: float = 10 * 60
    # password_command / passkey_command: how long the command may take before the run stops.
    secret_timeout_s: int = 30

    @property
    def eulogin_url(self) -> str:
        return f"{self.base_url}/cas"

    @property
    def traces_url(self) -> str:
        return f"{self.base_url}/tracesnt"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        base_url = check_base_url(environ.get("TRACESCTL_BASE_URL", "").strip() or DEFAULT_BASE_URL)
        locale = environ.get("TRACESCTL_LOCALE", "").strip() or "sv"
        if locale not in LOCALES:
            raise ConfigError(f"TRACESCTL_LOCALE must be one of {', '.join(LOCALES)}, not {locale!r}")
        log_format = environ.get("TRACESCTL_LOG_FORMAT", "").strip() or "auto"
        if log_format not in {"auto", "console", "json"}:
            raise ConfigError(f"TRACESCTL_LOG_FORMAT must be auto, console or json, not {log_format!r}")
        log_level = environ.get("TRACESCTL_LOG_LEVEL", "").strip().lower() or "info"
        if log_level not in LOG_LEVELS:
            raise ConfigError(f"TRACESCTL_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}")
        raw_home = environ.get("TRACESCTL_HOME", "").strip()
        home = check_home(Path(raw_home).expanduser() if raw_home else default_home(environ))
        traces = environ.get("TRACESCTL_TRACES", "").strip() or "on-failure"
        if traces not in {"on-failure", "off"}:
            raise ConfigError(f"TRACESCTL_TRACES must be on-failure or off, not {traces!r}")
        executable = environ.get("BROWSER_EXECUTABLE", "").strip()
        headed = _flag(environ, "TRACESCTL_HEADED")
        ws_endpoint = environ.get("BROWSER_WS_ENDPOINT", "").strip() or None
        return cls(
            base_url=base_url,
            accounts_file=Path(environ.get("TRACESCTL_ACCOUNTS", "").strip()
                               or discovered("accounts.toml", environ)).expanduser(),
            home=home,
            artifacts_dir=Path(environ.get("TRACESCTL_ARTIFACTS", "").strip() or str(home / "artifacts")).expanduser(),
            locale=locale,
            headed=headed,
            browser_executable=check_browser_executable(executable) if executable else None,
            browser_ws_endpoint=check_ws_endpoints(ws_endpoint) if ws_endpoint else None,
            timeout_ms=_bounded_int(environ, "TRACESCTL_TIMEOUT_MS", 30_000, TIMEOUT_MS_RANGE),
            drift_grace_ms=_bounded_int(environ, "TRACESCTL_DRIFT_GRACE_MS", LABEL_GRACE_MS, DRIFT_GRACE_MS_RANGE),
            log_format=log_format,
            log_level=log_level,
            traces=traces,
            warn_days=_bounded_int(environ, "TRACESCTL_WARN_DAYS", 14, WARN_DAYS_RANGE),
            imap_host=environ.get("TRACESCTL_IMAP_HOST", "").strip() or None,
            database_url=check_database_url(environ.get("TRACESCTL_DATABASE_URL", "").strip()) or None,
            shard=shard_from_env(environ),
            artifacts_keep_days=_bounded_int(environ, "TRACESCTL_ARTIFACTS_KEEP_DAYS", 30, ARTIFACTS_KEEP_DAYS_RANGE),
            mail_wait_s=_bounded_int(environ, "TRACESCTL_MAIL_WAIT_S", 25 * 60, MAIL_WAIT_S_RANGE),
            secret_timeout_s=_bounded_int(environ, "TRACESCTL_SECRET_TIMEOUT_S", 30, SECRET_TIMEOUT_S_RANGE),
        )


@dataclass(frozen=True)
class AccountConfig:
    """One EU Login account from the accounts file. Holds the names of secrets, never their values."""

    name: str
    email: str
    password_env: str
    factor: FactorKind
    locale: str
    passkey_file: Path
    otp_source: str = "prompt"
    pin_timeout_s: float = 120.0
    keepalive_interval_days: int = 30
    password_file: Path | None = None  # a 0600 file holding the password, instead of password_env
    # Instead of password_env/password_file: a command (argument list) or the keyring's service.
    password_source: SecretSource | None = None
    passkey_source: SecretSource | None = None  # the credential's JSON from a command or the keyring
    passkey_file_key: SecretSource | None = None  # set: passkey_file is encrypted with the key it gives
    device: str = ""  # the phone's name in EU Login, for the app-PIN countdown ("Olles telefon")

    def __post_init__(self) -> None:
        # A factor given as its string (a test's factor="passkey", a plugin user's) becomes the enum,
        # and a spelling that is not the accounts file's ("app_qr") fails here, not at the sign-in.
        object.__setattr__(self, "factor", FactorKind(self.factor))

    @property
    def password_where(self) -> str:
        """Where the password is read from, for messages (never the value)."""
        if self.password_source is not None:
            return self.password_source.where
        if self.password_file is not None:
            return f"the file {self.password_file}"
        return f"the variable ${self.password_env}"

    @property
    def identity(self) -> str:
        """The EU Login identity: holds and locks are kept per identity, not per account name."""
        return identity_of(self.email)

    @property
    def needs_terminal(self) -> bool:
        """Whether signing in needs a person typing a one-time password."""
        return self.factor == FactorKind.APP_QR and self.otp_source == "prompt"

    def password(self, environ: Mapping[str, str], fresh: bool = False) -> Secret:
        """The password from its one source; a ConfigError (exit 2) naming the source when it cannot be read.
        `fresh`: read a command or the keyring again instead of the value read earlier in this process."""
        if self.password_source is not None:
            read = self.password_source.read(environ, fresh)
            return checked_account_password(read.reveal(), f"account {self.name!r}: {self.password_source.where}")
        if self.password_file is not None:
            where = f"account {self.name!r}: password file"
            return checked_account_password(read_private(self.password_file, where), f"{where} {self.password_file}")
        value = environ.get(self.password_env, "")
        if not value:
            raise MissingSettingError(
                f"account {self.name!r}: the password variable {self.password_env} is not set or empty"
            )
        return checked_account_password(value, f"account {self.name!r}: the password variable {self.password_env}")

    def check_secrets(self, environ: Mapping[str, str]) -> None:
        """Raise a ConfigError now if a secret this account needs cannot be read."""
        self.password(environ)
        if self.factor == FactorKind.PASSKEY and self.passkey_source is not None:
            self.passkey_source.read(environ)
        if self.factor == FactorKind.APP_QR and self.otp_source.startswith("totp-env:"):
            from automation.factors.otp import TotpEnvSource

            TotpEnvSource(self.otp_source.split(":", 1)[1], environ)  # checks the secret is base32


def checked_account_password(value: str, where: str) -> Secret:
    """A password as EU Login could ever accept it: one line, not only spaces. Anything else is a
    mistake (an SSH key's text, an empty variable) and would cost one of the five attempts."""
    if not value.strip():
        raise MissingSettingError(f"{where} holds only white space")
    if "\n" in value.strip() or "\r" in value.strip():
        raise MissingSettingError(f"{where} holds several lines; a password is one line")
    return Secret(check_text(value, where, MAX_PASSWORD, MissingSettingError))


def read_private(path: Path, what: str) -> str:
    """The stripped content of a file only its owner can read, or a ConfigError saying why not."""
    try:
        mode = path.stat().st_mode
        if mode & 0o077:
            raise MissingSettingError(f"{what} {path} is readable by others (mode {oct(mode & 0o777)}); chmod 600 it")
    except OSError as exc:
        raise MissingSettingError(f"{what} {path} cannot be read: {exc.strerror}") from None
    value = read_input_text(path, what, MissingSettingError).strip()
    if not value:
        raise MissingSettingError(f"{what} {path} is empty")
    return value


def _text(table: Mapping[str, object], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise AccountsFileError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _number(table: Mapping[str, object], key: str, where: str, default: float, bounds: tuple[int, int]) -> float:
    value = table.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise AccountsFileError(f"{where}: {key} must be a number, not {value!r}")
    low, high = bounds
    if not low <= value <= high:
        raise AccountsFileError(f"{where}: {key} must be between {low} and {high}, not {value!r}")
    return float(value)


# The key of an encrypted passkey file (automation.factors.passkey_crypt), from a command or the keyring.
PASSKEY_FILE_KEY_KEYS: dict[str, Kind] = {"passkey_file_key_command": "command", "passkey_file_key_keyring": "keyring"}
KNOWN_KEYS = {"email", "factor", "locale", "otp_source", "pin_timeout_s", "keepalive_interval_days", "device",
              *PASSWORD_KEYS, *PASSKEY_KEYS, *PASSKEY_FILE_KEY_KEYS}


def parse_account(name: str, table: Mapping[str, object], settings: Settings, source: Path) -> AccountConfig:
    if not ACCOUNT_NAME.fullmatch(name):
        raise AccountsFileError(f"{source}: account name {name[:80]!r} must be 1-64 letters, digits, '.', '_' or '-' "
                                "(it names files in TRACESCTL_HOME)")
    where = f"{source}: account {name!r}"
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise AccountsFileError(f"{where}: unknown setting(s) {', '.join(unknown)}")
    email = check_text(unicodedata.normalize("NFKC", _text(table, "email", where)), f"{where}: email", MAX_EMAIL,
                       AccountsFileError)
    if not EMAIL.fullmatch(email):
        raise AccountsFileError(f"{where}: email {email!r} is not an e-mail address")
    factor = _text(table, "factor", where, "passkey")
    if factor not in FACTORS:
        raise AccountsFileError(f"{where}: factor must be one of {', '.join(FACTORS)}, not {factor!r}")
    locale = _text(table, "locale", where, settings.locale)
    if locale not in LOCALES:
        raise AccountsFileError(f"{where}: locale must be one of {', '.join(LOCALES)}, not {locale!r}")
    otp_source = _text(table, "otp_source", where, "prompt")
    kind, _, rest = otp_source.partition(":")
    if kind not in OTP_SOURCE_KINDS or (kind != "prompt" and not rest.strip()) or (kind == "prompt" and rest) \
            or (kind == "totp-env" and not VARIABLE.fullmatch(rest)):
        raise AccountsFileError(
            f"{where}: otp_source must be 'prompt', 'command:<command>' or 'totp-env:<VARIABLE>', not {otp_source!r}"
        )
    if kind == "totp-env":
        register_variable(rest)
    passkey_key = chosen_source(table, PASSKEY_KEYS, where)
    passkey_source = _source(table, passkey_key, where, email, settings) if passkey_key != "passkey_file" else None
    # From a command or the keyring, only the (not secret) sign counter is written, to a file of its own.
    passkey_file = (Path(_text(table, "passkey_file", where)).expanduser() if passkey_key == "passkey_file"
                    else under_home(settings.home, "passkeys",
                                    f"{name}.counter.json" if passkey_source else f"{name}.json"))
    file_key = chosen_source(table, PASSKEY_FILE_KEY_KEYS, where)
    if file_key is not None and passkey_source is not None:
        raise AccountsFileError(f"{where}: {file_key} encrypts a passkey file; it does not go with {passkey_key} "
                                "(that source keeps the credential itself)")
    passkey_file_key = _source(table, file_key, where, email, settings)
    pin_timeout_s = _number(table, "pin_timeout_s", where, 120.0, PIN_TIMEOUT_S_RANGE)
    device = check_text(_text(table, "device", where), f"{where}: device", 100, AccountsFileError) \
        if "device" in table else ""
    interval = _number(table, "keepalive_interval_days", where, 30, INTERVAL_DAYS_RANGE)
    # Exactly one: the variable holding the password, a 0600 file with it, a command or the keyring.
    password_key = chosen_source(table, PASSWORD_KEYS, where)
    if password_key is None:
        raise AccountsFileError(f"{where}: set one of {', '.join(PASSWORD_KEYS)} (where the password comes from)")
    password_source = _source(table, password_key, where, email, settings) \
        if password_key in ("password_command", "password_keyring") else None
    password_file = Path(_text(table, "password_file", where)).expanduser() if password_key == "password_file" \
        else None
    password_env = _text(table, "password_env", where) if password_key == "password_env" else ""
    if password_key == "password_env" and not VARIABLE.fullmatch(password_env):
        raise AccountsFileError(f"{where}: password_env must be a variable name, not {password_env!r}")
    if password_env:
        register_variable(password_env)
    return AccountConfig(
        name=name,
        email=email.lower(),
        password_env=password_env,
        password_file=password_file,
        factor=FactorKind(factor),
        locale=locale,
        passkey_file=passkey_file,
        otp_source=otp_source,
        pin_timeout_s=pin_timeout_s,
        keepalive_interval_days=int(interval),
        password_source=password_source,
        passkey_source=passkey_source,
        passkey_file_key=passkey_file_key,
        device=device,
    )


def _source(table: Mapping[str, object], key: str | None, where: str, email: str, settings: Settings) \
        -> SecretSource | None:
    """A command or keyring source from the accounts file's `key` (password_command, passkey_keyring, ...)."""
    if key is None:
        return None
    if key.endswith("_command"):
        return SecretSource("command", key, command=parse_command(table[key], key, where),
                            timeout_s=settings.secret_timeout_s)
    return SecretSource("keyring", key, keyring_service=parse_keyring_service(table[key], key, where),
                        keyring_user=email.lower())


def load_accounts(settings: Settings) -> dict[str, AccountConfig]:
    """Read and validate the accounts file (TOML, one `[accounts.NAME]` table per account)."""
    accounts, problems = load_accounts_each(settings)
    if problems:
        raise next(iter(problems.values()))
    return accounts


def load_accounts_each(settings: Settings) -> tuple[dict[str, AccountConfig], dict[str, ConfigError]]:
    """The accounts file's good accounts, and the error of each bad one, by name in the file's order:
    keep-alive signs the good ones in while naming every bad one. A file that cannot be read at all
    (missing, not TOML, no tables) still raises."""
    path = settings.accounts_file
    if not path.exists() and not path.is_symlink():
        raise AccountsFileError(f"accounts file {path} not found (set TRACESCTL_ACCOUNTS or --accounts)")
    try:
        data = tomllib.loads(read_input_text(path, "accounts file", AccountsFileError))
    except tomllib.TOMLDecodeError as exc:
        raise AccountsFileError(f"accounts file {path} is not valid TOML: {exc}") from None
    accounts = data.get("accounts")
    if not isinstance(accounts, dict) or not accounts:
        raise AccountsFileError(f"accounts file {path} has no [accounts.NAME] tables")
    parsed: dict[str, AccountConfig] = {}
    problems: dict[str, ConfigError] = {}
    for name, table in accounts.items():
        try:
            if not isinstance(table, dict):
                raise AccountsFileError(f"{path}: accounts.{name} must be a table")
            parsed[name] = parse_account(name, table, settings, path)
        except ConfigError as error:
            error.account = error.account or name  # whatever parse_account raised is about this account
            problems[name] = error
    return parsed, problems


def select_accounts(accounts: Mapping[str, AccountConfig], names: list[str] | None) -> list[AccountConfig]:
    """The accounts named (all when none are), or UnknownAccountError naming the first unknown one."""
    if not names:
        return list(accounts.values())
    for name in names:
        if name not in accounts:
            raise UnknownAccountError(f"unknown account {name!r} (known: {', '.join(sorted(accounts))})", account=name)
    return [accounts[name] for name in names]
