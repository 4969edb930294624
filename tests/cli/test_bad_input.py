"""Issue 16 §4: every bad input ends in exit 2 with one line, before any browser starts, and
never in a traceback; property tests over the accounts, company, policy and guide files and the
settings. §5: the audit CSV never hands a spreadsheet a formula."""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automation.company import load_company
from automation.errors import ConfigError
from automation.guide import load_guide
from automation.ledger import Ledger
from automation.policy import load_policy
from flows.cli.main import main
from tests.helpers import PASSWORD_USER, password_env

pytestmark = pytest.mark.usefixtures("no_browser")  # every test: answered before any browser


PW = password_env(PASSWORD_USER)
ONE = f'[accounts.lars]\nemail = "{PASSWORD_USER}"\npassword_env = "{PW}"\nfactor = "password"\n'
COMPANY = ('name = "X AB"\norganisation_number = "{number}"\nstreet = "a"\npostal_code = "25225"\ncity = "b"\n'
           'phone = "1"\nemail = "a@b.se"\n')


def account(extra: str = "", email: str = PASSWORD_USER, name: str = "lars") -> str:
    return f'[accounts."{name}"]\nemail = "{email}"\nfactor = "password"\n{extra}'


CASES: list[tuple[str, str, list[str], dict[str, str], str]] = [
    # (id, accounts file, arguments, environment, message)
    ("name-dots", account(f'password_env = "{PW}"\n', name="../../x"), ["login"], {PW: "Pw-2025-abc!"},
     "account name"),
    ("name-absolute", account(f'password_env = "{PW}"\n', name="/tmp/x"), ["login"], {PW: "Pw-2025-abc!"},
     "account name"),
    ("name-long", account(f'password_env = "{PW}"\n', name="x" * 300), ["login"], {PW: "Pw-2025-abc!"},
     "account name"),
    ("both-sources", account(f'password_env = "{PW}"\npassword_file = "/tmp/pw"\n'), ["login"], {},
     "exactly one source"),
    ("whitespace-password", ONE, ["login"], {PW: "   \t "}, "white space"),
    ("email-at", account(f'password_env = "{PW}"\n', email="@"), ["login"], {PW: "Pw-2025-abc!"},
     "not an e-mail address"),
    ("otp-prompt-no-terminal", account(f'password_env = "{PW}"\n').replace('"password"', '"app-qr"'), ["login"],
     {PW: "Pw-2025-abc!"}, "terminal"),
    ("bad-totp", account(f'password_env = "{PW}"\notp_source = "totp-env:T"\n').replace('"password"', '"app-qr"'),
     ["login"], {PW: "Pw-2025-abc!", "T": "not base32!"}, "not base32"),
    ("interval-1e300", account(f'password_env = "{PW}"\nkeepalive_interval_days = 1e300\n'), ["login"],
     {PW: "Pw-2025-abc!"}, "keepalive_interval_days"),
    ("interval-nan", account(f'password_env = "{PW}"\nkeepalive_interval_days = nan\n'), ["login"],
     {PW: "Pw-2025-abc!"}, "keepalive_interval_days"),
    ("log-level", ONE, ["login"], {PW: "x", "TRACESCTL_LOG_LEVEL": "verbose"}, "TRACESCTL_LOG_LEVEL"),
    ("timeout-absurd", ONE, ["login"], {PW: "x", "TRACESCTL_TIMEOUT_MS": "99999999999"}, "TRACESCTL_TIMEOUT_MS"),
    ("timeout-nan", ONE, ["login"], {PW: "x", "TRACESCTL_TIMEOUT_MS": "nan"}, "TRACESCTL_TIMEOUT_MS"),
    ("base-url-path", ONE, ["--base-url", "https://webgate.ec.europa.eu/cas", "login"], {PW: "x"}, "without a path"),
    ("base-url-query", ONE, ["--base-url", "https://x.eu?a=1", "login"], {PW: "x"}, "without a path"),
    ("base-url-fragment", ONE, ["--base-url", "https://x.eu#f", "login"], {PW: "x"}, "without a path"),
    ("base-url-http", ONE, ["--base-url", "http://portal.example.eu", "login"], {PW: "x"}, "plain http"),
    ("browser-missing", ONE, ["login"], {PW: "x", "BROWSER_EXECUTABLE": "/nonexistent/chromium"},
     "BROWSER_EXECUTABLE"),
    ("warn-days", ONE, ["accounts", "status"], {"TRACESCTL_WARN_DAYS": "soon"}, "TRACESCTL_WARN_DAYS"),
    ("enroll-over-a-passkey-command", account(f'password_env = "{PW}"\npasskey_command = ["cat", "/tmp/pk"]\n'),
     ["enroll", "passkey", "--apply"], {PW: "Pw-2025-abc!"}, "reads its passkey from"),
    ("wait-nan", ONE, ["enroll", "app", "--wait", "nan"], {PW: "Pw-2025-abc!"}, "--wait"),
    ("stub-port-negative", ONE, ["stub", "--port", "-1"], {}, "--port"),
    ("stub-port-high", ONE, ["stub", "--port", "70000"], {}, "--port"),
]


@pytest.mark.parametrize(("accounts", "args", "env", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    accounts: str, args: list[str], env: dict[str, str], message: str,
) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text(accounts)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    outside = Path("/tmp/x")
    existed = outside.exists()  # another process may have made it; this run must not
    assert main(["--accounts", str(path), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert message in err[0], err[0]
    assert not (tmp_path.parent / "x").exists() and outside.exists() == existed


def test_a_multi_line_password_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An SSH key's text in the password file is never submitted as the password."""
    secret = tmp_path / "pw"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END-----\n")
    secret.chmod(0o600)
    path = tmp_path / "accounts.toml"
    path.write_text(account(f'password_file = "{secret}"\n'))
    assert main(["--accounts", str(path), "login"]) == 2
    assert "several lines" in capsys.readouterr().err


@pytest.mark.parametrize("mode", [0o777, 0o770])
def test_a_home_open_to_others_or_a_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], mode: int) -> None:
    home = tmp_path / "open-home"
    home.mkdir()
    home.chmod(mode)
    monkeypatch.setenv("TRACESCTL_HOME", str(home))
    assert main(["audit"]) == 2
    assert "writable by others" in capsys.readouterr().err
    monkeypatch.setenv("TRACESCTL_HOME", str(tmp_path / "accounts.toml"))
    (tmp_path / "accounts.toml").write_text(ONE)
    assert main(["audit"]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_a_symlinked_home_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.setenv("TRACESCTL_HOME", str(tmp_path / "link"))
    assert main(["audit"]) == 2
    assert "symbolic link" in capsys.readouterr().err


@pytest.mark.parametrize("number", ["５５６６７７-８８９９", "٥٥٦٦٧٧-٨٨٩٩"])
def test_organisation_numbers_in_other_digits_are_normalised_or_refused(tmp_path: Path, number: str) -> None:
    """Full-width digits become ASCII (NFKC); Arabic-Indic digits are refused: never a new operator."""
    path = tmp_path / "company.toml"
    path.write_text(COMPANY.format(number=number))
    if number.startswith("５"):
        assert load_company(path).organisation_number == "556677-8899"
    else:
        with pytest.raises(ConfigError, match="ten digits"):
            load_company(path)


def test_a_policy_csv_that_is_not_utf8_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "people.csv").write_bytes(b"email\n\xff\xfe\xe9@x.se\n")
    (tmp_path / "policy.toml").write_text('[approve]\ncsv = "people.csv"\n')
    (tmp_path / "accounts.toml").write_text(ONE)
    os.environ[PW] = "x"
    try:
        assert main(["--accounts", str(tmp_path / "accounts.toml"), "approve", "--policy",
                     str(tmp_path / "policy.toml")]) == 2
    finally:
        del os.environ[PW]
    assert "not UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"%PDF-1.7\nnot really a pdf", b"\x00\x01 random bytes"])
def test_a_fake_pdf_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes) -> None:
    fake = tmp_path / "guide.pdf"
    fake.write_bytes(content)
    assert main(["guide", "import", str(fake)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("guide", [
    "steps = 3", "[[steps]]\nid = 1\nkind = 'check'\nscreen = 'x'\nlabels = 'nope'",
    "[[steps]]\nkind = 'check'\nscreen = 5", "[[steps]]\nid = 'A1'\nkind = 'info'\nlabels = [1, 2]",
])
def test_malformed_guide_files_are_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], guide: str) -> None:
    (tmp_path / "g.toml").write_text(guide)
    assert main(["guide", "diff", str(tmp_path / "g.toml"), str(tmp_path / "g.toml")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_audit_csv_neutralises_formulas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OWASP CSV injection: a target user like `=HYPERLINK(...)` is written as text."""
    ledger = Ledger.in_home(Path(os.environ["TRACESCTL_HOME"]))
    for target in ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain@x.se"):
        ledger.audit("anna", "Grönt Export AB", target, "approve", "verified", "", datetime(2026, 1, 1, tzinfo=UTC))
    assert main(["audit", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    cells = [line.split(",")[4] for line in out.replace('"', "").splitlines()[1:] if line.count(",") >= 7]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells), cells
    assert "plain@x.se" in out and "'=HYPERLINK" in out


# --- property tests: every generated input is a success or exit 2 with one line ---------------

SCALARS = st.one_of(st.text(max_size=30), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                    st.booleans())
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def toml_table(table: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(key)} = {toml_value(value)}\n" for key, value in table.items())


ACCOUNT_KEYS = st.sampled_from(["email", "password_env", "password_file", "factor", "locale", "otp_source",
                                "passkey_file", "pin_timeout_s", "keepalive_interval_days", "other"])
ACCOUNT_VALUES = st.one_of(VALUES, st.sampled_from(["password", "passkey", "app-qr", "prompt", "totp-env:T",
                                                    PASSWORD_USER, "@", "PW", "sv", "en", "../x", "/tmp/x"]))
NAMES = st.one_of(st.sampled_from(["lars", "../../x", "/tmp/x", "a" * 300, "ok.name"]), st.text(max_size=20))
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def one_line_or_success(code: int, err: str, ok: set[int]) -> None:
    assert code in ok | {2}, (code, err)
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


@PROPERTY
@given(name=NAMES, table=st.dictionaries(ACCOUNT_KEYS, ACCOUNT_VALUES, max_size=6),
       env=st.dictionaries(st.sampled_from(["TRACESCTL_LOG_LEVEL", "TRACESCTL_TIMEOUT_MS", "TRACESCTL_WARN_DAYS",
                                            "TRACESCTL_BASE_URL", "TRACESCTL_LOCALE", "TRACESCTL_TRACES"]),
                           st.one_of(st.text(max_size=20), st.sampled_from(["info", "100", "http://x.eu",
                                                                            "https://x.eu/p", "nan", "-1"])),
                           max_size=3))
def test_any_accounts_file_and_settings_end_in_success_or_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, table: dict[str, Any], env: dict[str, str],
) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text(f"[accounts.{json.dumps(name)}]\n" + toml_table(table), encoding="utf-8")
    outside = Path("/tmp/x")
    existed = outside.exists()
    saved = dict(os.environ)
    os.environ.update({k: v.replace("\x00", "") for k, v in env.items()})
    try:
        code = main(["--accounts", str(path), "accounts", "status"])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    one_line_or_success(code, capsys.readouterr().err, {0, 3, 8})
    assert outside.exists() == existed


COMPANY_KEYS = st.sampled_from(["name", "organisation_number", "street", "postal_code", "city", "phone", "email",
                                "extra"])


@PROPERTY
@given(table=st.dictionaries(COMPANY_KEYS, st.one_of(VALUES, st.sampled_from(
    ["556677-8899", "５５６６７７-８８９９", "٥٥٦٦٧٧-٨٨٩٩", "25225", "a@b.se"])), max_size=8))
def test_any_company_file_loads_or_is_a_config_error(tmp_path: Path, table: dict[str, Any]) -> None:
    path = tmp_path / "company.toml"
    path.write_text(toml_table(table), encoding="utf-8")
    try:
        company = load_company(path)
    except ConfigError as exc:
        assert "\n" not in str(exc)
    else:
        assert re.fullmatch(r"[0-9]{6}-[0-9]{4}", company.organisation_number)


@PROPERTY
@given(section=st.sampled_from(["approve", "administrators", "unsuspend", "scope", "other"]),
       table=st.dictionaries(st.sampled_from(["emails", "domains", "csv", "operators", "x"]), VALUES, max_size=3),
       csv_bytes=st.binary(max_size=60))
def test_any_policy_file_loads_or_is_a_config_error(tmp_path: Path, section: str, table: dict[str, Any],
                                                    csv_bytes: bytes) -> None:
    (tmp_path / "people.csv").write_bytes(csv_bytes)
    path = tmp_path / "policy.toml"
    path.write_text(f"[{section}]\n" + toml_table(table), encoding="utf-8")
    try:
        load_policy(path)
    except ConfigError as exc:
        assert "\n" not in str(exc)


STEP_KEYS = st.sampled_from(["id", "page", "text", "kind", "screen", "labels"])
STEP_VALUES = st.one_of(VALUES, st.sampled_from(["check", "info", "x"]))


@PROPERTY
@given(steps=st.lists(st.dictionaries(STEP_KEYS, STEP_VALUES, max_size=6), max_size=3),
       raw=st.one_of(st.none(), st.binary(max_size=40)))
def test_any_guide_file_loads_or_is_a_config_error(tmp_path: Path, steps: list[dict[str, Any]],
                                                   raw: bytes | None) -> None:
    path = tmp_path / "guide.toml"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text("".join("[[steps]]\n" + toml_table(step) for step in steps), encoding="utf-8")
    try:
        load_guide(path)
    except ConfigError as exc:
        assert "\n" not in str(exc)


def test_the_ledger_is_untouched_by_bad_input(tmp_path: Path) -> None:
    """Sanity: a ledger opened by the tests above stays a valid SQLite file."""
    ledger = Ledger.in_home(tmp_path / "h")
    assert sqlite3.connect(ledger.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- issue 24 §3: hostile alphabets and file kinds ---------------------------------------------

HOSTILE_CHARS = st.sampled_from(["\x00", "\x1b", "\x07", "\x7f", "\x9b", "\u200b", "\u200d", "\u2060", "\ufeff",
                                 "\u202e", "\u2066", "\u200f", "\u061c", "\u2028"])
HOSTILE_TEXT = st.one_of(
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=8), HOSTILE_CHARS, st.text(max_size=8)),  # one hidden char
    st.builds(lambda n: "Pw-2025-abc!" * n, st.integers(30, 2000)),  # huge
)


@PROPERTY
@given(value=HOSTILE_TEXT)
def test_a_hostile_password_email_or_company_name_is_refused_in_one_line(tmp_path: Path, value: str) -> None:
    """Whatever the hidden character or the length, the value never reaches the portal (issue 24)."""
    from automation.config import Settings as Config
    from automation.config import checked_account_password, parse_account

    if "\n" not in value and value.strip():  # blank and multi-line ones have their own messages
        with pytest.raises(ConfigError) as refused:
            checked_account_password(value, "the password variable PW")
        assert "\n" not in str(refused.value) and value not in str(refused.value)
    with pytest.raises(ConfigError):
        parse_account("lars", {"email": f"lars{value}@x.se", "password_env": "PW"}, Config(home=tmp_path),
                      tmp_path / "a.toml")
    path = tmp_path / "company.toml"
    path.write_text(COMPANY.format(number="556677-8899").replace('name = "X AB"', f"name = {json.dumps('X' + value)}"),
                    encoding="utf-8")
    with pytest.raises(ConfigError):
        load_company(path)


def file_of_kind(kind: str, where: Path, content: bytes) -> Path:
    path = where / f"input-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "proc":
        return Path("/proc/self/environ")  # a regular file of size 0, with NUL bytes in it
    elif kind == "symlink-to-fifo":
        os.mkfifo(where / "fifo-target")
        path.symlink_to(where / "fifo-target")
    elif kind == "symlink-to-file":
        (where / "target").write_bytes(content)
        path.symlink_to(where / "target")
    else:
        path.write_bytes(content)
    return path


LOADERS = {"company": load_company, "policy": load_policy, "guide": load_guide}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["fifo", "folder", "proc", "symlink-to-fifo", "symlink-to-file", "file"]),
       loader=st.sampled_from(sorted(LOADERS)),
       content=st.one_of(st.binary(max_size=40), st.just(b"\x00" * 10), st.just(b"caf\xe9 = 1\n")))
def test_any_kind_of_input_file_loads_or_is_one_config_error(tmp_path_factory: pytest.TempPathFactory, kind: str,
                                                             loader: str, content: bytes) -> None:
    """A FIFO, a folder, a /proc file or a symbolic link to either: never a hang, never a traceback."""
    path = file_of_kind(kind, tmp_path_factory.mktemp("kind"), content)
    try:
        LOADERS[loader](path)
    except ConfigError as exc:
        assert "\n" not in str(exc)
        if kind in ("fifo", "symlink-to-fifo", "folder"):
            assert "FIFO" in str(exc) or "folder" in str(exc)


@pytest.mark.parametrize("value", ["X AB\u2028", "\u2028X AB", "X AB\u2029", "X AB\x85"])
def test_a_hidden_separator_at_either_end_of_a_company_field_is_refused_not_stripped(tmp_path: Path,
                                                                                      value: str) -> None:
    """str.strip() removes these separators: checked before stripping, they are refused (found by the
    hostile-alphabet property above)."""
    path = tmp_path / "company.toml"
    path.write_text(COMPANY.format(number="556677-8899").replace('name = "X AB"', f"name = {json.dumps(value)}"),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="invisible or control character"):
        load_company(path)
