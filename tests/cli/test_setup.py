"""Issue 22, a guided start: `init` writes the files to fill in, `stub --print-accounts` gives
ready-made ones for the offline portal, and `doctor` says what is not ready, where each setting
came from, and never shows a secret or creates anything. In process where no browser starts."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from automation.ledger import Ledger, utc_now
from flows.cli.main import main
from tests.helpers import PASSWORD_USER, SEEDED, Portal, last_words, password_env

LARS = (f'[accounts.lars]\nemail = "{PASSWORD_USER}"\npassword_env = "{password_env(PASSWORD_USER)}"\n'
        'factor = "password"\n')


@pytest.fixture(autouse=True)
def environ_restored() -> Iterator[None]:
    """A command run in process loads `.env` into os.environ (below the environment): undo that."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def doctor_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, dict[str, str]], str]:
    """`doctor --json --no-browser`: its exit code, the findings by (area: what), and everything printed."""
    code = main(["doctor", "--json", "--no-browser", *args])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["exit_code"] == code
    return code, {f"{f['area']}: {f['what']}": f for f in report["findings"]}, captured.out + captured.err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_init_writes_both_files_private_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    for name in ("accounts.toml", ".env"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert "me" in tomllib.loads((tmp_path / "accounts.toml").read_text())["accounts"]
    (tmp_path / ".env").write_text("ME_PASSWORD='mine'\n")

    assert main(["init"]) == 2
    assert "already exist" in capsys.readouterr().err
    assert (tmp_path / ".env").read_text() == "ME_PASSWORD='mine'\n"  # left alone
    assert main(["init", "--force"]) == 0
    assert "ME_PASSWORD=''" in (tmp_path / ".env").read_text()


def test_the_printed_accounts_sign_in_against_the_offline_portal_as_pasted(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path
) -> None:
    """Issue 20 section 2: the printed accounts sign in to TRACES with their seeded passkeys, whose files
    the command writes into the folder chosen (0700, files 0600) and never prints."""
    from automation.factors.passkey import load_passkey

    port = stub.base_url.rsplit(":", 1)[1]
    keys = tmp_path / "seeded-passkeys"
    printed = subprocess.run([sys.executable, "-m", "flows", "stub", "--print-accounts", "--port", port,
                              "--passkeys-dir", str(keys)], capture_output=True, text=True, timeout=60, check=True)
    exports = dict(re.findall(r"^export (\w+)='?([^'\n]*)'?$", printed.stdout, re.MULTILINE))
    assert exports["TRACESCTL_BASE_URL"] == stub.base_url
    assert exports["LARS_PASSWORD"] == SEEDED[PASSWORD_USER]  # single quotes: the "!" stays
    files = sorted(keys.iterdir())
    assert [f.name for f in files] == ["anna.json", "lars.json", "nils.json"]
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700 and {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
    for file in files:
        key = load_passkey(file).private_key.reveal()
        assert key[:40] not in printed.stdout + printed.stderr  # a private key never reaches the terminal
    accounts = tomllib.loads(printed.stdout[printed.stdout.index("[accounts."):])["accounts"]
    assert {a["factor"] for a in accounts.values()} == {"passkey"}
    (tmp_path / "accounts.toml").write_text(printed.stdout[printed.stdout.index("[accounts."):])
    env = {**os.environ, **exports, "TRACESCTL_HOME": str(tmp_path / "home")}
    login = subprocess.run([sys.executable, "-m", "flows", "login", "--account", "lars"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert login.returncode == 0, login.stderr
    state = portal.account(PASSWORD_USER)
    assert (state["traces_signins"], state["passkeys"][0]["sign_count"]) == (1, load_passkey(keys / "lars.json")
                                                                               .sign_count)


def test_doctor_says_where_each_setting_came_from_and_shows_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.toml").write_text(LARS)
    (tmp_path / ".env").write_text(f"TRACESCTL_LOCALE=en\n{password_env(PASSWORD_USER)}='Secret-From-Env-File!'\n")
    (tmp_path / ".env").chmod(0o600)
    monkeypatch.setenv("TRACESCTL_TIMEOUT_MS", "20000")
    monkeypatch.setenv("TRACESCTL_DATABASE_URL", "postgresql://tracesctl:db-pass-word@localhost:1/tracesctl")
    base_url = f"http://localhost:{free_port()}"
    code, found, printed = doctor_json(["--base-url", base_url], capsys)

    assert found["settings: TRACESCTL_BASE_URL"]["detail"] == f"{base_url} (flag)"
    assert found["settings: TRACESCTL_TIMEOUT_MS"]["detail"] == "20000 (environment)"
    assert found["settings: TRACESCTL_LOCALE"]["detail"] == "en (env file .env)"
    assert found["settings: TRACESCTL_LOG_LEVEL"]["detail"] == "info (default)"
    assert found["account lars: password"]["status"] == "ok"
    # The password alone: EU Login's own pages only; TRACES wants a second factor (issue 20 section 2).
    factor = found["account lars: factor"]
    assert factor["status"] == "warn" and "11 June 2024" in factor["detail"]
    assert "Secret-From-Env-File!" not in printed and "db-pass-word" not in printed
    assert "postgresql://tracesctl:***@localhost:1/tracesctl" in printed
    # The ledger's database is not there: what to fix first after the setup.
    assert found["ledger: ledger"]["status"] == "fail" and code == 14


def test_doctor_names_a_missing_secret_and_a_portal_that_does_not_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.toml").write_text(LARS)
    code, found, _ = doctor_json(["--base-url", f"http://localhost:{free_port()}"], capsys)
    assert code == 2
    assert password_env(PASSWORD_USER) in found["account lars: password"]["detail"]
    portal = found["portal: base URL"]
    assert portal["status"] == "fail" and "is the offline portal running" in portal["detail"]

    monkeypatch.setenv(password_env(PASSWORD_USER), "Lars-Losen-2025!")
    code, found, _ = doctor_json(["--base-url", f"http://localhost:{free_port()}"], capsys)
    assert code == 7  # the setup is right now; the network is next
    assert not (tmp_path / "home").exists()  # read-only: no home, no ledger created


def test_doctor_lists_a_hold_with_the_command_that_releases_it(  # type: ignore[no-untyped-def]
    stub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.toml").write_text(LARS)
    monkeypatch.setenv(password_env(PASSWORD_USER), "Lars-Losen-2025!")
    ledger = Ledger.in_home(tmp_path / "home")
    ledger.begin_attempt(PASSWORD_USER, "lars", utc_now(), "a password was posted and no answer came", False)
    code, found, _ = doctor_json(["--base-url", stub.base_url], capsys)
    hold = found["account lars: hold"]
    assert code == 16 and "unconfirmed" in hold["detail"] and "tracesctl accounts release lars" in hold["detail"]
    assert found["portal: base URL"]["status"] == "ok"


def test_doctor_warns_of_an_env_file_others_can_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.toml").write_text(LARS)
    (tmp_path / ".env").write_text(f"{password_env(PASSWORD_USER)}='Lars-Losen-2025!'\n")
    (tmp_path / ".env").chmod(0o644)
    _, found, _ = doctor_json(["--base-url", f"http://localhost:{free_port()}"], capsys)
    assert found["settings: env file"]["status"] == "warn" and "chmod 600" in found["settings: env file"]["detail"]


def test_the_accounts_file_and_env_are_found_in_the_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config" / "tracesctl"
    config.mkdir(parents=True)
    (config / "accounts.toml").write_text(LARS)
    (config / ".env").write_text(f"{password_env(PASSWORD_USER)}='Lars-Losen-2025!'\n")
    (config / ".env").chmod(0o600)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    _, found, _ = doctor_json(["--base-url", f"http://localhost:{free_port()}"], capsys)
    assert found["accounts: accounts file"]["detail"].startswith(str(config / "accounts.toml"))
    assert found["account lars: password"]["status"] == "ok"


def test_doctor_with_its_browser_and_probe_is_all_well_against_the_offline_portal(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path
) -> None:
    """A real process: Chromium starts, the probe reads the sign-in page and submits nothing."""
    (tmp_path / "accounts.toml").write_text(LARS)
    env = {**os.environ, password_env(PASSWORD_USER): "Lars-Losen-2025!", "TRACESCTL_HOME": str(tmp_path / "home")}
    run = subprocess.run([sys.executable, "-m", "flows", "--base-url", stub.base_url, "doctor", "--probe", "--json"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    found = {f"{f['area']}: {f['what']}": f for f in json.loads(run.stdout)["findings"]}
    assert found["browser: Chromium"]["detail"].startswith("starts (version")
    assert found["probe: eulogin.whoami.username"]["status"] == "ok"
    assert "cookies" in " ".join(found)
    assert portal.form_count("cas.password") == 0 and sum(portal.state()["forms"].values()) == 0


@pytest.mark.parametrize("command", [["accounts", "status"], ["accounts", "history"], ["audit"],
                                     ["accounts", "status", "--json"]])
def test_read_only_commands_create_neither_the_home_nor_a_ledger(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.toml").write_text(LARS)
    code = main(command)
    assert code in (0, 8), capsys.readouterr().err  # 8: status finds lars never signed in
    assert not (tmp_path / "home").exists()


def test_the_offline_portal_on_a_port_in_use_exits_2_with_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "flows", "stub", "--port", str(port)], capture_output=True,
                             text=True, timeout=60, check=False)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert last_words(run.stderr) == (f"error: port {port} on 127.0.0.1 is in use by another program: stop it, or "
                                      "choose another with --port (0 picks a free one)")


@pytest.mark.parametrize(("kind", "code"), [("unconfirmed", 16), ("refused", 3), ("reset", 3), ("suspended", 6),
                                            ("inactive", 5)])
def test_accounts_status_exits_with_the_holds_code(
    kind: str, code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unconfirmed hold (a password whose outcome is unknown) is the first thing on-call must see:
    before, `accounts status` exited 0 for it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.toml").write_text(LARS)
    Ledger.in_home(tmp_path / "home").place_hold(PASSWORD_USER, "why", utc_now(), kind=kind, account="lars")
    assert main(["accounts", "status"]) == code


def test_the_stub_serves_the_preset_and_variants_it_is_given(tmp_path: Path) -> None:
    from automation.portal_client import PortalClient
    from tests.ports import wait_for_port

    port = free_port()
    stub = subprocess.Popen([sys.executable, "-m", "flows", "stub", "--port", str(port), "--preset", "older",
                             "--variant", "method_chooser=dropdown", "--variant", "logout_confirmation=true"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, stub, timeout=30)
        variants = PortalClient(f"http://localhost:{port}").state()["variants"]
        assert (variants["method_chooser"], variants["logout_confirmation"], variants["lockout"]) == \
            ("dropdown", True, "until_reset")  # lockout: the older preset's
    finally:
        stub.terminate()
        stub.wait(30)


def test_a_variant_the_stub_does_not_know_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stub", "--variant", "method_chooser=sideways"]) == 2
    assert "method_chooser takes native_select | dropdown | dropdown_hidden_select" in capsys.readouterr().err
