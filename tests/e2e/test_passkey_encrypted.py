"""Issue 23: a passkey file encrypted at rest with a key from a command (or the keyring): enrolled
encrypted, signed in with, its sign counter saved encrypted again; the private key never lies in
the file in clear; a wrong key, or no key for an encrypted file, is exit 2 before any browser."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from automation.errors import PasskeyFileError
from automation.factors.passkey_crypt import decrypt, encrypt, is_encrypted
from automation.secrets import Secret
from tests.helpers import SEEDED, Portal, password_env

PIA = "pia.passkey@vaxtexport.se"


def test_the_envelope_round_trips_and_refuses_a_wrong_key_or_a_changed_file() -> None:
    sealed = encrypt('{"privateKey": "c2VjcmV0"}', Secret("a passphrase the team keeps"))
    assert is_encrypted(sealed) and "c2VjcmV0" not in sealed
    assert decrypt(sealed, Secret("a passphrase the team keeps"), "f") == '{"privateKey": "c2VjcmV0"}'
    with pytest.raises(PasskeyFileError, match="cannot be decrypted"):
        decrypt(sealed, Secret("another one"), "f")
    changed = json.loads(sealed)
    changed["token"] = changed["token"][:-8] + "AAAAAAAA"
    with pytest.raises(PasskeyFileError, match="cannot be decrypted"):
        decrypt(json.dumps(changed), Secret("a passphrase the team keeps"), "f")
    costly = {**json.loads(sealed), "n": 2**30}
    with pytest.raises(PasskeyFileError, match="out of bounds"):
        decrypt(json.dumps(costly), Secret("a passphrase the team keeps"), "f")


@pytest.mark.e2e
def test_enroll_encrypted_then_sign_in_and_the_counter_stays_encrypted(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path
) -> None:
    passkey = tmp_path / "pia.json"
    key_script = tmp_path / "key.sh"
    key_script.write_text("#!/bin/sh\nprintf 'the-passkey-file-key'\n")
    key_script.chmod(0o700)
    accounts = tmp_path / "accounts.toml"

    def write_accounts(script: Path) -> None:
        accounts.write_text(f'[accounts.pia]\nemail = "{PIA}"\npassword_env = "{password_env(PIA)}"\n'
                            f'factor = "passkey"\npasskey_file = "{passkey}"\n'
                            f'passkey_file_key_command = ["{script}"]\n')

    write_accounts(key_script)
    env = {**os.environ, password_env(PIA): SEEDED[PIA], "TRACESCTL_HOME": str(tmp_path / "home")}

    def tracesctl(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url",
                               stub.base_url, *args], capture_output=True, text=True, env=env, timeout=120,
                              check=False)

    enrolled = tracesctl("enroll", "passkey", "--apply")
    assert enrolled.returncode == 0, enrolled.stderr
    sealed = passkey.read_text()
    assert is_encrypted(sealed) and "privateKey" not in sealed
    assert stat.S_IMODE(passkey.stat().st_mode) == 0o600
    counter = json.loads(decrypt(sealed, Secret("the-passkey-file-key"), "f"))["signCount"]

    login = tracesctl("login")
    assert login.returncode == 0, login.stderr
    again = passkey.read_text()
    assert is_encrypted(again) and json.loads(decrypt(again, Secret("the-passkey-file-key"), "f"))["signCount"] > \
        counter

    wrong = tmp_path / "wrong.sh"
    wrong.write_text("#!/bin/sh\nprintf 'not-the-key'\n")
    wrong.chmod(0o700)
    write_accounts(wrong)
    before = portal.form_count("cas.password")
    refused = tracesctl("login")
    assert refused.returncode == 2 and "cannot be decrypted with its key" in refused.stderr
    assert portal.form_count("cas.password") == before  # refused before EU Login saw anything


def test_a_file_key_goes_with_a_passkey_file_only(tmp_path: Path) -> None:
    from automation.config import Settings, parse_account
    from automation.errors import AccountsFileError

    table = {"email": PIA, "password_env": "PW", "factor": "passkey", "passkey_command": ["printf", "{}"],
             "passkey_file_key_command": ["printf", "k"]}
    with pytest.raises(AccountsFileError, match="encrypts a passkey file"):
        parse_account("pia", table, Settings(home=tmp_path), tmp_path / "accounts.toml")
    table = {"email": PIA, "password_env": "PW", "factor": "passkey", "passkey_file_key_command": ["printf", "k"],
             "passkey_file_key_keyring": "tracesctl"}
    with pytest.raises(AccountsFileError, match="exactly one source"):
        parse_account("pia", table, Settings(home=tmp_path), tmp_path / "accounts.toml")
