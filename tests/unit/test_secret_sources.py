"""Secrets from a command or the keyring: real commands run without a shell, with a timeout, their error
output never shown, their output registered as secret first; exactly one source per secret."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from structlog.testing import capture_logs

from automation.config import Settings, load_accounts
from automation.errors import AccountsFileError, ExitCode, SecretSourceError
from automation.factors.passkey import Passkey, parse_passkey
from automation.secret_sources import forget_read_secrets, keyring_set, run_command
from automation.secrets import redact


class MemoryKeyring(KeyringBackend):
    """A keyring held in memory: the tests never touch the desktop's."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    forget_read_secrets()
    yield backend
    keyring.set_keyring(before)
    forget_read_secrets()


@pytest.fixture(autouse=True)
def _fresh_reads() -> Iterator[None]:
    forget_read_secrets()
    yield
    forget_read_secrets()


def accounts(tmp_path: Path, body: str, timeout_s: int = 30) -> Settings:
    path = tmp_path / "accounts.toml"
    path.write_text(f'[accounts.lars]\nemail = "lars@example.se"\nfactor = "password"\n{body}\n')
    return Settings(accounts_file=path, home=tmp_path / "home", secret_timeout_s=timeout_s)


def script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "secret-helper.sh"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o700)
    return str(path)


def test_a_command_s_output_less_one_trailing_newline_is_the_password(tmp_path: Path) -> None:
    """printf's output, one trailing newline dropped, is the password, and it is masked from then on."""
    settings = accounts(tmp_path, 'password_command = ["printf", "Lars-Pw-1234 \\n"]')
    password = load_accounts(settings)["lars"].password({"PATH": "/usr/bin:/bin"})
    assert password.reveal() == "Lars-Pw-1234 "  # the space is the password's: only the newline goes
    assert redact("typed Lars-Pw-1234 here") == "typed <SECRET>here"


def test_only_one_newline_is_stripped() -> None:
    """A second newline is the output's, not the terminator: kept (and then refused as a second line)."""
    assert run_command(["printf", "abcd-pw\n\n"], 5, "test", {"PATH": "/usr/bin:/bin"}).reveal() == "abcd-pw\n"


def test_a_script_reads_its_own_environment_and_no_shell_splits_the_arguments(tmp_path: Path) -> None:
    """The program gets the arguments as given (a space stays inside one) and the environment it needs."""
    helper = script(tmp_path, 'printf "%s|%s" "$1" "$VAULT_TOKEN"')
    settings = accounts(tmp_path, f'password_command = ["{helper}", "secret/tracesctl/lars password"]')
    password = load_accounts(settings)["lars"].password({"VAULT_TOKEN": "tok-123", "PATH": "/usr/bin:/bin"})
    assert password.reveal() == "secret/tracesctl/lars password|tok-123"


def test_a_failing_command_is_a_config_error_that_never_shows_its_error_output(tmp_path: Path) -> None:
    """Exit 1: a clear error (exit code 2) naming the command; what it wrote to stderr is not in it, nor logged."""
    helper = script(tmp_path, 'echo "Leaked-Secret-Value" >&2; exit 1')
    settings = accounts(tmp_path, f'password_command = ["{helper}"]')
    with capture_logs() as logs, pytest.raises(SecretSourceError) as error:
        load_accounts(settings)["lars"].password({"PATH": "/usr/bin:/bin"})
    assert error.value.exit_code == ExitCode.BAD_INPUT
    assert "exit status 1" in str(error.value) and helper in str(error.value)
    assert "Leaked-Secret-Value" not in str(error.value) + json.dumps(logs, default=str)


def test_a_command_that_hangs_is_stopped_at_the_timeout_with_its_children(tmp_path: Path) -> None:
    """A helper that sleeps (and leaves a child holding its output open) ends at the timeout setting."""
    helper = script(tmp_path, "sleep 30 & sleep 30")
    settings = accounts(tmp_path, f'password_command = ["{helper}"]', timeout_s=1)
    started = time.monotonic()
    with pytest.raises(SecretSourceError, match="did not finish within 1 s"):
        load_accounts(settings)["lars"].password({"PATH": "/usr/bin:/bin"})
    assert time.monotonic() - started < 10


def test_a_missing_program_and_an_empty_output_are_named(tmp_path: Path) -> None:
    """No such program, or nothing printed: each a one-line error."""
    with pytest.raises(SecretSourceError, match="was not found"):
        run_command(["/nonexistent/vault"], 5, "password_command", {})
    with pytest.raises(SecretSourceError, match="printed nothing"):
        run_command(["true"], 5, "password_command", {"PATH": "/usr/bin:/bin"})


def test_a_command_given_as_one_string_is_refused(tmp_path: Path) -> None:
    """A shell line would need a shell to split it: refused with an example of the list form."""
    settings = accounts(tmp_path, 'password_command = "vault kv get -field=password secret/tracesctl/lars"')
    with pytest.raises(AccountsFileError, match="must be an argument list"):
        load_accounts(settings)


@pytest.mark.parametrize("body", [
    'password_env = "LARS_PW"\npassword_command = ["printf", "x"]',
    'password_file = "/tmp/pw"\npassword_keyring = "tracesctl"',
    'password_command = ["printf", "x"]\npassword_keyring = "tracesctl"',
])
def test_two_sources_for_one_secret_are_a_config_error(tmp_path: Path, body: str) -> None:
    """Exactly one source per secret."""
    with pytest.raises(AccountsFileError, match="exactly one source"):
        load_accounts(accounts(tmp_path, body))


def test_two_passkey_sources_are_a_config_error(tmp_path: Path) -> None:
    body = 'password_env = "LARS_PW"\npasskey_file = "/tmp/pk.json"\npasskey_command = ["cat", "/tmp/pk.json"]'
    with pytest.raises(AccountsFileError, match="exactly one source"):
        load_accounts(accounts(tmp_path, body))


def test_no_password_source_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(AccountsFileError, match="set one of password_env"):
        load_accounts(accounts(tmp_path, ""))


def test_the_keyring_gives_the_password_under_the_account_s_email(tmp_path: Path,
                                                                  memory_keyring: MemoryKeyring) -> None:
    """password_keyring names the service; the user name is the account's e-mail."""
    memory_keyring.set_password("tracesctl", "lars@example.se", "Keyring-Pw-987")
    password = load_accounts(accounts(tmp_path, 'password_keyring = "tracesctl"'))["lars"].password({})
    assert password.reveal() == "Keyring-Pw-987" and redact("Keyring-Pw-987") == "<SECRET>"


def test_a_missing_keyring_entry_says_how_to_store_it(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    account = load_accounts(accounts(tmp_path, 'password_keyring = "tracesctl"'))["lars"]
    with pytest.raises(SecretSourceError, match="keyring set tracesctl lars@example.se"):
        account.password({})


def test_keyring_set_writes_where_the_account_reads(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    """reset-password's way into the keyring: what it writes, the account reads (afresh)."""
    account = load_accounts(accounts(tmp_path, 'password_keyring = "tracesctl"'))["lars"]
    memory_keyring.set_password("tracesctl", "lars@example.se", "Old-Password-1")
    assert account.password({}).reveal() == "Old-Password-1"
    from automation.secrets import Secret

    keyring_set("tracesctl", "lars@example.se", Secret("New-Password-2"))
    assert account.password({}, fresh=True).reveal() == "New-Password-2"


CREDENTIAL = {"credentialId": "Y3JlZC0x", "rpId": "localhost", "privateKey": "cHJpdmF0ZS1rZXktYnl0ZXM=",
              "userHandle": "dXNlcg==", "signCount": 3}


def test_a_passkey_from_a_command_keeps_its_advancing_counter_in_a_file_of_its_own(tmp_path: Path) -> None:
    """passkey_command prints the credential; the sign counter the toolkit saves beats the source's stale one."""
    source = tmp_path / "credential.json"
    source.write_text(json.dumps(CREDENTIAL))
    settings = accounts(tmp_path, f'password_env = "LARS_PW"\npasskey_command = ["cat", "{source}"]')
    account = load_accounts(settings)["lars"]
    assert account.passkey_source is not None and account.passkey_file.name == "lars.counter.json"
    text = account.passkey_source.read({"PATH": "/usr/bin:/bin"})
    assert redact(json.dumps(CREDENTIAL)) == "<SECRET>"  # the whole output, masked as it was read
    account.passkey_file.parent.mkdir(parents=True)
    account.passkey_file.write_text(json.dumps({"credentialId": "Y3JlZC0x", "signCount": 41}))
    passkey = Passkey(account.passkey_file, parse_passkey(text.reveal(), "passkey_command"))
    assert passkey.counter_only and passkey.credential.sign_count == 41
    assert redact(CREDENTIAL["privateKey"]) == "<SECRET>"
