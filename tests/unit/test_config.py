"""Settings and the accounts file: validated once, every problem named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.config import Settings, load_accounts, select_accounts
from automation.errors import AccountsFileError, ConfigError, MissingSettingError, UnknownAccountError

GOOD = """
[accounts.anna]
email = "Anna@Example.se"
password_env = "ANNA_PASSWORD"
factor = "app-qr"
otp_source = "totp-env:ANNA_TOTP"
locale = "en"

[accounts.bo]
email = "bo@example.se"
password_env = "BO_PASSWORD"
"""


def settings_with(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "accounts.toml"
    path.write_text(text)
    return Settings(accounts_file=path, home=tmp_path / "home")


def test_defaults_point_at_the_real_portals() -> None:
    """With nothing set, the toolkit targets webgate.ec.europa.eu in Swedish."""
    settings = Settings.from_env({})
    assert settings.eulogin_url == "https://webgate.ec.europa.eu/cas"
    assert settings.traces_url == "https://webgate.ec.europa.eu/tracesnt"
    assert settings.locale == "sv" and settings.headed is False


def test_environment_overrides_are_typed() -> None:
    """Flags, numbers and paths are parsed once from the environment."""
    settings = Settings.from_env({"TRACESCTL_BASE_URL": "http://localhost:8700/", "TRACESCTL_HEADED": "yes",
                                  "TRACESCTL_TIMEOUT_MS": "5000", "TRACESCTL_HOME": "/tmp/x"})
    assert settings.base_url == "http://localhost:8700"
    assert settings.headed is True and settings.timeout_ms == 5000
    assert settings.artifacts_dir == Path("/tmp/x/artifacts")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TRACESCTL_BASE_URL", "webgate.ec.europa.eu", "TRACESCTL_BASE_URL"),
        ("TRACESCTL_LOCALE", "de", "TRACESCTL_LOCALE"),
        ("TRACESCTL_TIMEOUT_MS", "soon", "TRACESCTL_TIMEOUT_MS"),
        ("TRACESCTL_TIMEOUT_MS", "-1", "TRACESCTL_TIMEOUT_MS"),
        ("TRACESCTL_LOG_FORMAT", "xml", "TRACESCTL_LOG_FORMAT"),
    ],
)
def test_bad_settings_raise_a_config_error_naming_the_setting(name: str, value: str, message: str) -> None:
    """A wrong value is refused with the variable's name in the message."""
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({name: value})


def test_accounts_file_is_parsed_with_defaults(tmp_path: Path) -> None:
    """Accounts get the default factor, locale and passkey file; e-mails are lower-cased."""
    accounts = load_accounts(settings_with(tmp_path, GOOD))
    assert accounts["anna"].email == "anna@example.se"
    assert accounts["anna"].factor == "app-qr" and accounts["anna"].locale == "en"
    assert accounts["bo"].factor == "passkey" and accounts["bo"].locale == "sv"
    assert accounts["bo"].passkey_file == tmp_path / "home" / "passkeys" / "bo.json"
    assert accounts["bo"].keepalive_interval_days == 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml [", "not valid TOML"),
        ("[other]\nx = 1", "no \\[accounts.NAME\\] tables"),
        ('[accounts.a]\nemail = "a@b.se"', "set one of password_env, password_file, password_command"),
        ('[accounts.a]\nemail = "nope"\npassword_env = "P"', "is not an e-mail address"),
        ('[accounts.a]\nemail = "a@b.se"\npassword_env = "P"\nfactor = "sms"', "factor must be one of"),
        ('[accounts.a]\nemail = "a@b.se"\npassword_env = "P"\notp_source = "totp-env:"', "otp_source must be"),
        ('[accounts.a]\nemail = "a@b.se"\npassword_env = "P"\npin_timeout_s = -3', "pin_timeout_s must be"),
        ('[accounts.a]\nemail = "a@b.se"\npassword_env = "P"\npasword = "x"', "unknown setting"),
    ],
)
def test_malformed_accounts_files_are_refused_with_the_reason(tmp_path: Path, text: str, message: str) -> None:
    """Each shape error names the file, the account and the field."""
    with pytest.raises(AccountsFileError, match=message):
        load_accounts(settings_with(tmp_path, text))


def test_a_missing_accounts_file_names_the_setting(tmp_path: Path) -> None:
    """The message tells where the path comes from."""
    with pytest.raises(AccountsFileError, match="TRACESCTL_ACCOUNTS"):
        load_accounts(Settings(accounts_file=tmp_path / "missing.toml"))


def test_unknown_account_lists_the_known_ones(tmp_path: Path) -> None:
    accounts = load_accounts(settings_with(tmp_path, GOOD))
    with pytest.raises(UnknownAccountError, match="known: anna, bo"):
        select_accounts(accounts, ["cecilia"])


def test_empty_password_variable_is_a_missing_setting(tmp_path: Path) -> None:
    """An unset or empty password variable is caught before any browser starts."""
    account = load_accounts(settings_with(tmp_path, GOOD))["anna"]
    with pytest.raises(MissingSettingError, match="ANNA_PASSWORD"):
        account.check_secrets({"ANNA_PASSWORD": ""})
    with pytest.raises(MissingSettingError, match="ANNA_TOTP"):
        account.check_secrets({"ANNA_PASSWORD": "x"})


def test_a_password_read_from_the_environment_prints_masked(tmp_path: Path) -> None:
    account = load_accounts(settings_with(tmp_path, GOOD))["anna"]
    password = account.password({"ANNA_PASSWORD": "Correct-Horse-1!"})
    assert password.reveal() == "Correct-Horse-1!"
    assert "Correct" not in repr(password) and "Correct" not in str(password) and "Correct" not in f"{password!r}"


def test_a_shared_home_is_not_to_be_chmodded_but_replaced(tmp_path: Path) -> None:
    """Issue 22: TRACESCTL_HOME=/tmp must not advise `chmod 700` (it would break /tmp for everyone)."""
    from automation.config import check_home
    from automation.errors import UnsafePathError

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # as /tmp is
    with pytest.raises(UnsafePathError, match="choose a folder of your own") as refused:
        check_home(shared)
    assert "chmod" not in str(refused.value)
    own = tmp_path / "own"
    own.mkdir()
    own.chmod(0o777)
    with pytest.raises(UnsafePathError, match=f"chmod 700 {own}"):
        check_home(own)
