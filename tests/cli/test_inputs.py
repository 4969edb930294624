"""Issue 24 §3: which setting wins (a flag, wherever it is given, over the environment, over `.env`),
and bad input of every kind (files that are not regular files, values with control, zero-width or
bidirectional characters, absurd lengths) ending in one line and exit 2 before any browser."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from automation.company import load_company
from automation.config import Settings
from automation.errors import CompanyFileError, ConfigError
from flows.cli import run as cli_run
from flows.cli.main import main
from tests.helpers import PASSWORD_USER, last_words, password_env

A, B, C = "http://localhost:1111", "http://localhost:2222", "http://localhost:3333"


class Stop(ConfigError):
    """Raised by the recorder below once the settings are read: nothing after them runs."""


pytestmark = pytest.mark.usefixtures("no_browser")  # every test: answered before any browser


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """The settings a command was given (recorded where every command starts, then stopped)."""
    recorded: list[Settings] = []

    def record(settings: Settings) -> None:
        recorded.append(settings)
        raise Stop("stopped after reading the settings")

    monkeypatch.setattr(cli_run, "prune_old_artifacts", record)
    return recorded


@pytest.mark.parametrize("args", [["--base-url", B, "login"], ["login", "--base-url", B]],
                         ids=["before", "after"])
def test_a_base_url_flag_beats_the_environment(monkeypatch: pytest.MonkeyPatch, seen: list[Settings],
                                               args: list[str]) -> None:
    """`TRACESCTL_BASE_URL=A tracesctl --base-url B login` signs in at B, never at A."""
    monkeypatch.setenv("TRACESCTL_BASE_URL", A)
    assert main(args) == 2
    assert seen[0].base_url == B


@pytest.mark.parametrize("where", ["before", "after"])
def test_an_accounts_flag_beats_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                seen: list[Settings], where: str) -> None:
    monkeypatch.setenv("TRACESCTL_ACCOUNTS", str(tmp_path / "env.toml"))
    flag = ["--accounts", str(tmp_path / "flag.toml")]
    assert main([*flag, "accounts", "status"] if where == "before" else ["accounts", "status", *flag]) == 2
    assert seen[0].accounts_file == tmp_path / "flag.toml"


def test_the_headed_flag_beats_the_environment(monkeypatch: pytest.MonkeyPatch, seen: list[Settings]) -> None:
    monkeypatch.setenv("TRACESCTL_HEADED", "0")
    monkeypatch.setenv("DISPLAY", ":99")
    assert main(["--headed", "login"]) == 2
    assert seen[0].headed


def test_the_environment_beats_the_env_file_and_the_env_file_beats_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seen: list[Settings]
) -> None:
    env_file = tmp_path / "settings.env"
    env_file.write_text(f"TRACESCTL_BASE_URL={C}\nTRACESCTL_ACCOUNTS={tmp_path / 'file.toml'}\n")
    assert main(["--env-file", str(env_file), "accounts", "status"]) == 2
    assert (seen[0].base_url, seen[0].accounts_file) == (C, tmp_path / "file.toml")
    monkeypatch.setenv("TRACESCTL_BASE_URL", A)
    monkeypatch.setenv("TRACESCTL_ACCOUNTS", str(tmp_path / "env.toml"))
    assert main(["--env-file", str(env_file), "accounts", "status"]) == 2
    assert (seen[1].base_url, seen[1].accounts_file) == (A, tmp_path / "env.toml")
    assert main(["--env-file", str(env_file), "accounts", "status", "--base-url", B]) == 2
    assert seen[2].base_url == B


# --- bad input of every kind: one line, exit 2, no browser ---------------------------------------

PW = password_env(PASSWORD_USER)
GOOD_PW = "Pw-2025-abc!"
CAPTURE = "tracesctl-portal-capture/1"


def accounts_file(tmp_path: Path, extra: str = f'password_env = "{PW}"\n', email: str = PASSWORD_USER,
                  factor: str = "password") -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text(f'[accounts.lars]\nemail = {json.dumps(email)}\nfactor = "{factor}"\n{extra}', encoding="utf-8")
    return path


def private(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    path.chmod(0o600)
    return path


def fifo(path: Path) -> Path:
    """A FIFO nobody writes to. Should a reader block on it (the bug), a writer comes after 20 s so the
    test fails on its message instead of hanging the suite."""
    os.mkfifo(path, 0o600)

    def unblock() -> None:
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(20, unblock)
    timer.daemon = True
    timer.start()
    return path


def passkey(tmp_path: Path, **fields: Any) -> Path:
    credential = {"credentialId": "AAAA", "rpId": "localhost", "privateKey": "AAAA", "signCount": 0, **fields}
    text = json.dumps(credential).replace('"signCount": "1e400"', '"signCount": 1e400')
    return private(tmp_path / "passkey.json", text.encode())


Setup = Callable[[Path, pytest.MonkeyPatch], list[str]]


def login_with_password(password: str) -> Setup:
    def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.setenv(PW, password)
        return ["--accounts", str(accounts_file(tmp_path)), "login"]
    return setup


def login_with_password_file(content: bytes) -> Setup:
    def setup(tmp_path: Path, _mp: pytest.MonkeyPatch) -> list[str]:
        secret = private(tmp_path / "pw", content)
        return ["--accounts", str(accounts_file(tmp_path, f'password_file = "{secret}"\n')), "login"]
    return setup


def login_as(email: str) -> Setup:
    def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.setenv(PW, GOOD_PW)
        return ["--accounts", str(accounts_file(tmp_path, email=email)), "login"]
    return setup


def enroll_app_with_pin(pin: str) -> Setup:
    def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.setenv(PW, GOOD_PW)
        monkeypatch.setenv("PIN", pin)
        return ["--accounts", str(accounts_file(tmp_path)), "enroll", "app", "--apply", "--pin-env", "PIN"]
    return setup


def with_env(name: str, value: Callable[[Path], str], *args: str) -> Setup:
    def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.setenv(PW, GOOD_PW)
        monkeypatch.setenv(name, value(tmp_path))
        return ["--accounts", str(accounts_file(tmp_path)), *args]
    return setup


def home_under_a_file(tmp_path: Path) -> str:
    (tmp_path / "file").write_text("x")
    return str(tmp_path / "file" / "home")


def env_file(content: bytes | None) -> Setup:
    def setup(tmp_path: Path, _mp: pytest.MonkeyPatch) -> list[str]:
        path = tmp_path / "settings.env"
        if content is None:
            fifo(path)
        else:
            path.write_bytes(content)
        return ["--env-file", str(path), "audit"]
    return setup


def login_with_passkey(**fields: Any) -> Setup:
    def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.setenv(PW, GOOD_PW)
        key = passkey(tmp_path, **fields)
        path = accounts_file(tmp_path, f'password_env = "{PW}"\npasskey_file = "{key}"\n', factor="passkey")
        return ["--accounts", str(path), "login"]
    return setup


def compare(content: bytes | None) -> Setup:
    def setup(tmp_path: Path, _mp: pytest.MonkeyPatch) -> list[str]:
        path = tmp_path / "capture.json"
        if content is None:
            fifo(path)
        else:
            path.write_bytes(content)
        return ["portal", "compare", str(path)]
    return setup


def accounts_report_to(where: Callable[[Path], Path]) -> Setup:
    def setup(tmp_path: Path, _mp: pytest.MonkeyPatch) -> list[str]:
        return ["--accounts", str(accounts_file(tmp_path)), "accounts", "report", "--out", str(where(tmp_path))]
    return setup


def folder(path: Path) -> Path:
    path.mkdir()
    return path


def a_file(path: Path) -> Path:
    path.write_text("x")
    return path


def other_input(kind: str, make: Callable[[Path], Path]) -> Setup:
    """An input file of a command (accounts, policy, guide) that is a FIFO, a folder or in /proc."""
    def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        monkeypatch.setenv(PW, GOOD_PW)
        path = make(tmp_path)
        if kind == "accounts":
            return ["--accounts", str(path), "accounts", "status"]
        if kind == "policy":
            return ["--accounts", str(accounts_file(tmp_path)), "approve", "--policy", str(path)]
        return ["guide", "diff", str(path), str(path)]
    return setup


BAD: list[tuple[str, Setup, str]] = [
    # (id, what the command is given, a word of its one line)
    ("password-escape", login_with_password("Pw-2025\x1b[2J-abc"), "control character"),
    ("password-zero-width", login_with_password("Pw-2025\u200b-abc"), "control character"),
    ("password-bidi", login_with_password("Pw-2025\u202e-abc"), "control character"),
    ("password-huge", login_with_password("Pw-2025-abc!" * 1000), "longer than"),
    ("password-file-nul", login_with_password_file(b"Pw-2025\x00-abc"), "NUL"),
    ("password-file-fifo", lambda t, m: ["--accounts", str(accounts_file(t, f'password_file = "{fifo(t / "pw")}"\n')),
                                         "login"], "FIFO"),
    ("email-zero-width", login_as("lars.losen\u200b@vaxtexport.se"), "control character"),
    ("email-bidi", login_as("lars.losen@vaxtexport.se\u202e"), "control character"),
    ("email-huge", login_as("l" * 300 + "@vaxtexport.se"), "longer than"),
    ("pin-full-width", enroll_app_with_pin("１２３４"), "4 digits"),
    ("pin-arabic-indic", enroll_app_with_pin("١٢٣٤"), "4 digits"),
    ("home-under-a-file", with_env("TRACESCTL_HOME", home_under_a_file, "audit"), "not a folder"),
    ("home-in-proc", with_env("TRACESCTL_HOME", lambda t: "/proc/self/tracesctl", "audit"), "/proc"),
    ("home-too-long", with_env("TRACESCTL_HOME", lambda t: str(t / ("a" * 200) / ("b" * 200) / ("c" * 200) /
                                                               ("d" * 200) / ("e" * 200)), "audit"), "longer"),
    ("home-name-too-long", with_env("TRACESCTL_HOME", lambda t: str(t / ("a" * 300)), "audit"), "longer"),
    ("env-file-latin-1", env_file(b"TRACESCTL_LOCALE=sv\nNAME=caf\xe9\n"), "not UTF-8"),
    ("env-file-nul", env_file(b"TRACESCTL_LOCALE=sv\x00\n"), "NUL"),
    ("env-file-fifo", env_file(None), "FIFO"),
    ("postgres-bad-option", with_env("TRACESCTL_DATABASE_URL", lambda t: "postgresql://localhost/db?nosuch=1",
                                     "audit"), "TRACESCTL_DATABASE_URL"),
    ("ws-endpoint-commas", with_env("BROWSER_WS_ENDPOINT", lambda t: ",,,", "login"), "BROWSER_WS_ENDPOINT"),
    ("ws-endpoint-http", with_env("BROWSER_WS_ENDPOINT", lambda t: "http://x:3000", "login"), "ws://"),
    ("passkey-sign-count-1e400", login_with_passkey(signCount="1e400"), "signCount"),
    ("passkey-key-not-base64", login_with_passkey(privateKey="not base64!"), "privateKey"),
    ("passkey-not-an-object", login_with_passkey(credentialId=["x"]), "credentialId"),
    ("capture-not-json", compare(b"{"), "capture file"),
    ("capture-screens-not-tables", compare(json.dumps({"format": CAPTURE, "screens": [1, 2]}).encode()),
     "malformed"),
    ("capture-control-without-name", compare(json.dumps({"format": CAPTURE, "screens": [
        {"screen": "x", "controls": [{"role": "button"}]}]}).encode()), "malformed"),
    ("capture-fifo", compare(None), "FIFO"),
    ("report-out-folder", accounts_report_to(lambda t: folder(t / "r.html")), "folder"),
    ("report-out-proc", accounts_report_to(lambda t: Path("/proc/r.html")), "/proc"),
    ("guide-check-report-a-file", lambda t, m: ["guide-check", "--report", str(a_file(t / "report"))],
     "not a folder"),
    ("capture-out-missing-place", lambda t, m: ["portal", "capture", "--out", str(t / "no" / "such" / "c.json")],
     "does not exist"),
    ("accounts-fifo", other_input("accounts", lambda t: fifo(t / "a.toml")), "FIFO"),
    ("accounts-folder", other_input("accounts", lambda t: folder(t / "a.toml")), "folder"),
    ("accounts-proc", other_input("accounts", lambda t: Path("/proc/self/environ")), "accounts file"),
    ("policy-fifo", other_input("policy", lambda t: fifo(t / "p.toml")), "FIFO"),
    ("guide-fifo", other_input("guide", lambda t: fifo(t / "g.toml")), "FIFO"),
    ("guide-folder", other_input("guide", lambda t: folder(t / "g.toml")), "folder"),
]


@pytest.mark.parametrize(("setup", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_one_line_and_exit_2_before_any_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], setup: Setup, message: str,
) -> None:
    args = setup(tmp_path, monkeypatch)
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    assert message in err[0], err[0]
    assert "Pw-2025" not in err[0]  # a refused password is never echoed


@pytest.mark.parametrize("args", [["login", "--no-such-option"], ["stub", "--port", "x"], ["no-such-command"]])
def test_a_usage_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and last_words(err[0]).startswith("error: "), err


@pytest.mark.parametrize("field", ["name", "street", "city", "phone"])
@pytest.mark.parametrize("value", ["Grönt\u202e Export", "Grönt\u200b Export", "Grönt\\u0000 Export", "G" * 500],
                         ids=["bidi", "zero-width", "nul", "huge"])
def test_company_fields_with_hidden_characters_or_absurd_lengths_are_refused(
    tmp_path: Path, field: str, value: str,
) -> None:
    """An operator name that only looks like another company's is never created in TRACES."""
    table = {"name": "X AB", "organisation_number": "556677-8899", "street": "a", "postal_code": "25225",
             "city": "b", "phone": "1", "email": "a@b.se"}
    path = tmp_path / "company.toml"
    body = "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items() if k != field)
    path.write_text(body + f'{field} = "{value}"\n', encoding="utf-8")
    with pytest.raises(CompanyFileError, match="control character|longer than"):
        load_company(path)
