"""The command line: bad input ends with one clear line and exit code 2 before any browser starts;
real runs (in a subprocess, against the offline portal) end with their documented exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from flows.cli.main import main
from tests.helpers import PASSWORD_USER, SEEDED, SUSPENDED_USER, Portal, last_words, password_env, traces_account_toml

ROOT = Path(__file__).resolve().parents[2]
ANNA = "anna.admin@vaxtexport.se"


def accounts_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text(body)
    return path


ONE = f"""
[accounts.lars]
email = "{PASSWORD_USER}"
password_env = "{password_env(PASSWORD_USER)}"
factor = "password"
"""


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("login", "enroll", "demo", "stub"):
        assert command in out


@pytest.mark.parametrize(
    ("args", "body", "env", "message"),
    [
        (["login"], None, {}, "accounts file .* not found"),
        (["login"], "[accounts", {}, "not valid TOML"),
        (["login", "--account", "nobody"], ONE, {password_env(PASSWORD_USER): "x"}, "unknown account 'nobody'"),
        (["login"], ONE, {}, f"{password_env(PASSWORD_USER)} is not set or empty"),
        (["login"], ONE.replace('"password"', '"passkey"'), {password_env(PASSWORD_USER): "x"},
         "passkey file .* not found"),
        (["login"], ONE + ONE.replace("accounts.lars", "accounts.lisa"), {password_env(PASSWORD_USER): "x"},
         "choose one with --account"),
    ],
)
def test_bad_input_exits_2_with_one_line_before_any_browser(
    no_browser: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    args: list[str], body: str | None, env: dict[str, str], message: str,
) -> None:
    """Every kind of bad input is named on stderr; exit code 2; Playwright is never started."""
    path = accounts_file(tmp_path, body) if body is not None else tmp_path / "missing.toml"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["--accounts", str(path), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert re.search(message, err[0]), err[0]


def test_a_passkey_file_readable_by_others_is_refused(
    no_browser: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "key.json"
    key.write_text("{}")
    key.chmod(0o644)
    path = accounts_file(tmp_path, ONE.replace('"password"', '"passkey"') + f'passkey_file = "{key}"\n')
    monkeypatch.setenv(password_env(PASSWORD_USER), "x")
    assert main(["--accounts", str(path), "login"]) == 2
    assert "readable by others" in capsys.readouterr().err


def test_bad_environment_settings_exit_2(no_browser: None, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TRACESCTL_LOCALE", "de")
    assert main(["login"]) == 2
    assert "TRACESCTL_LOCALE" in capsys.readouterr().err


def test_the_offline_portal_refuses_a_non_loopback_host(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stub", "--host", "0.0.0.0"]) == 2
    assert "only listens on loopback" in capsys.readouterr().err


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **env}, timeout=120, check=False)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("email", "password", "exit_code", "output"),
    [
        (PASSWORD_USER, SEEDED[PASSWORD_USER], 0, "signed in to TRACES as lars.losen@vaxtexport.se"),
        (PASSWORD_USER, "Wrong-Password-1!", 3, "error: EU Login rejected the password"),
        (SUSPENDED_USER, SEEDED[SUSPENDED_USER], 6, "suspended: ask an administrator of the operator"),
    ],
)
def test_login_reports_where_it_landed_with_its_exit_code(
    stub, portal: Portal, tmp_path: Path, email: str, password: str, exit_code: int, output: str  # type: ignore[no-untyped-def]
) -> None:
    """`tracesctl login` run from another folder against the offline portal (the seeded passkey as the
    second factor: the password is refused, or not, before it)."""
    path = accounts_file(tmp_path, traces_account_toml("a", email, tmp_path))
    run = run_cli("--accounts", str(path), "--base-url", stub.base_url, "login",
                  env={password_env(email): password, "TRACESCTL_ARTIFACTS": str(tmp_path / "artifacts")},
                  cwd=tmp_path)
    assert run.returncode == exit_code, run.stderr
    assert output in run.stdout + run.stderr
    assert portal.account(email)["failed_passwords"] == (1 if exit_code == 3 else 0)


@pytest.mark.e2e
def test_login_with_the_password_alone_is_refused_before_the_password_is_sent(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path
) -> None:
    """Issue 20 section 2: under the newest default no account reaches TRACES with the password alone,
    not even one the older portal let in: exit 3 (refused), a message that says why and what to set,
    and nothing posted (no attempt burnt). The identity is held as for any refused method, until a
    person has fixed the factor."""
    path = accounts_file(tmp_path, ONE)
    run = run_cli("--accounts", str(path), "--base-url", stub.base_url, "login",
                  env={password_env(PASSWORD_USER): SEEDED[PASSWORD_USER]}, cwd=tmp_path)
    assert run.returncode == 3, run.stderr
    words = last_words(run.stderr)
    assert words.startswith("error: TRACES takes no password alone: it has required a second factor from every "
                            "user since 11 June 2024. Set the account's factor to passkey, app-qr or app-pin"), words
    assert (portal.form_count("cas.password"), portal.account(PASSWORD_USER)["traces_signins"]) == (0, 0)
    status = json.loads(run_cli("--accounts", str(path), "accounts", "status", "--json", env={}, cwd=tmp_path).stdout)
    assert status[0]["hold_kind"] == "refused" and "11 June 2024" in status[0]["hold"], status


@pytest.mark.e2e
def test_enroll_passkey_then_login_with_it(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`enroll passkey` registers a key in My Account and saves it 0600; `login` then uses it."""
    from tests.helpers import PASSKEY_USER

    key = tmp_path / "pia.json"
    path = accounts_file(tmp_path, f'[accounts.pia]\nemail = "{PASSKEY_USER}"\npassword_env = "PW"\n'
                                   f'factor = "passkey"\npasskey_file = "{key}"\nlocale = "en"\n')
    env = {"PW": SEEDED[PASSKEY_USER]}
    dry = run_cli("--accounts", str(path), "--base-url", stub.base_url, "enroll", "passkey", env=env, cwd=tmp_path)
    assert dry.returncode == 0 and "DRY RUN" in dry.stdout and not key.exists(), dry.stderr
    assert portal.form_count("webauthn.register") == 0
    enroll = run_cli("--accounts", str(path), "--base-url", stub.base_url, "enroll", "passkey", "--apply", env=env,
                     cwd=tmp_path)
    assert enroll.returncode == 0, enroll.stderr
    assert key.stat().st_mode & 0o777 == 0o600
    again = run_cli("--accounts", str(path), "--base-url", stub.base_url, "enroll", "passkey", "--apply", env=env,
                    cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    login = run_cli("--accounts", str(path), "--base-url", stub.base_url, "login", env=env, cwd=tmp_path)
    assert login.returncode == 0, login.stderr
    assert "(passkey," in login.stdout
    assert portal.account(PASSKEY_USER)["passkeys"][0]["name"] == "tracesctl"


def test_the_wheel_carries_the_selectors_catalogue(tmp_path: Path) -> None:
    """`pip install .` must bring selectors/ along: the installed tool reads it from the package."""
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=300, check=False)
    if build.returncode != 0:  # no hatchling in the venv: build in isolation instead
        build = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
            capture_output=True, text=True, timeout=300, check=False,
        )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("tracesctl-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "automation/_data/selectors/eulogin.toml" in names
    assert "automation/_data/selectors/traces.toml" in names
    assert "automation/stub/templates/cas/whoami.html" in names
    assert not any(name.startswith("selectors/") for name in names)


@pytest.mark.parametrize(("company", "message"), [
    ('name = "X AB"\norganisation_number = "556677-8898"\nstreet = "a"\npostal_code = "25225"\ncity = "b"\n'
     'phone = "1"\nemail = "a@b.se"\n', "wrong check digit"),
    ('name = "X AB"\norganisation_number = "556677-8899"\n', "missing or empty: street, postal_code, city"),
])
def test_request_access_refuses_a_bad_company_file_before_any_browser(
    no_browser: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    company: str, message: str,
) -> None:
    company_file = tmp_path / "company.toml"
    company_file.write_text(company)
    monkeypatch.setenv(password_env(PASSWORD_USER), "x")
    code = main(["--accounts", str(accounts_file(tmp_path, ONE)), "request-access", "--operator", str(company_file)])
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.e2e
def test_guide_check_exits_20_on_guide_drift_and_writes_its_reports(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The command end to end: a label the guide names but the toolkit knows in its newer wording
    ("Spara" for "Spara ändringar") gives exit code 20 and the JUnit file for CI."""
    portal.call("drift", {"locale": "sv", "key": "user.save", "label": "Spara"})
    path = accounts_file(tmp_path, traces_account_toml("anna", ANNA, tmp_path, "sv"))
    run = run_cli("--accounts", str(path), "--base-url", stub.base_url, "guide-check", "--report",
                  str(tmp_path / "report"), env={password_env(ANNA): SEEDED[ANNA]}, cwd=tmp_path)
    assert run.returncode == 20, run.stderr
    assert "E4" in run.stdout and "Spara" in run.stdout
    assert (tmp_path / "report" / "guide-check.junit.xml").exists()


def test_guide_import_refuses_to_overwrite_a_reviewed_guide(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "edition.txt"
    source.write_text("Titel ........ 1\nKapitel ett ........ 2\n2(3)\nKapitel ett\nKlicka på ”Spara”.\n")
    reviewed = tmp_path / "guide.toml"
    reviewed.write_text("reviewed = true\n")
    assert main(["guide", "import", str(source), "--out", str(reviewed)]) == 2
    assert "never overwrites" in capsys.readouterr().err
    assert main(["guide", "import", str(source), "--out", str(tmp_path / "draft.toml")]) == 0
    assert '{ text = "Spara", as = "text" }' in (tmp_path / "draft.toml").read_text()


@pytest.mark.e2e
def test_with_traces_off_a_failed_flow_keeps_a_screenshot_but_no_trace(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """EU Login's answer to the password is lost (exit 16: a failure; a refusal keeps nothing)."""
    path = accounts_file(tmp_path, traces_account_toml("a", PASSWORD_USER, tmp_path))
    portal.call("faults", {"after_password": "lost", "count": 1})
    run = run_cli("--accounts", str(path), "--base-url", stub.base_url, "login", cwd=tmp_path,
                  env={password_env(PASSWORD_USER): SEEDED[PASSWORD_USER], "TRACESCTL_TRACES": "off",
                       "TRACESCTL_ARTIFACTS": str(tmp_path / "artifacts")})
    assert run.returncode == 16, run.stderr
    kept = [p.name for p in (tmp_path / "artifacts").rglob("*") if p.is_file()]
    assert kept and all(name.endswith(".png") for name in kept)


@pytest.mark.e2e
def test_demo_walks_the_main_journey(tmp_path: Path) -> None:
    """`make demo`'s command: a new account, its app, then every second factor in sv and en, and the
    password alone where EU Login takes it (My account) and where TRACES refuses it."""
    run = run_cli("demo", env={"TRACESCTL_HOME": str(tmp_path / "home")}, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "EU Login account created for nora.nystrom@grontexport.se" in run.stdout
    assert "EU Login app registered" in run.stdout
    # Seven sign-ins reach TRACES with a second factor; the password alone opens My account and is
    # refused by TRACES (issue 20 section 2), each in sv and en.
    assert "11 of 11 steps went as expected (7 sign-ins reached TRACES;" in run.stdout
    assert run.stdout.count("EU Login: My account") == 2
    assert run.stdout.count("refused, as expected: TRACES needs two factors") == 2
    assert "failed" not in run.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["signup", "--first-name", "Nora", "--last-name", "Ny", "--email", "nora@example.se", "--apply"],
        ["accounts", "reset-password", "lars", "--apply"],
        ["enroll", "app", "--account", "lars", "--apply"],
    ],
)
def test_steps_that_need_a_person_fail_early_without_a_terminal(tmp_path: Path, command: list[str]) -> None:
    """Run from cron: no captcha, link or PIN can be typed, so nothing is started (exit 2)."""
    accounts = tmp_path / "accounts.toml"
    accounts.write_text('[accounts.lars]\nemail = "lars@example.se"\npassword_env = "LARS_PW"\nfactor = "password"\n')
    run = subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts),
                          "--base-url", "http://localhost:9", *command], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "LARS_PW": "x", "TRACESCTL_HOME": str(tmp_path / "home")},
                         stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert run.returncode == 2 and "a person is needed at a terminal" in run.stderr, run.stderr


@pytest.mark.e2e
def test_a_renamed_label_the_flows_need_is_toolkit_drift_for_the_check_and_fails_the_flow_fast(
    stub, portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """One model per screen: the results table's "Aktiviteter" column renamed. guide-check grades it
    toolkit drift (21) naming the page object and catalogue entry, and request-access stops with the
    same exit code within seconds (not after its 30 s timeout), naming the label; nothing is sent."""
    portal.call("drift", {"locale": "sv", "key": "reg.col.activities", "label": "Verksamheter"})
    nils = "nils.ny@vaxtexport.se"
    accounts = accounts_file(tmp_path, traces_account_toml("nils", nils, tmp_path, "sv"))
    env = {password_env(nils): SEEDED[nils], "TRACESCTL_DRIFT_GRACE_MS": "2000"}  # each drift costs one grace
    check = run_cli("--accounts", str(accounts), "--base-url", stub.base_url, "guide-check", env=env, cwd=tmp_path)
    assert check.returncode == 21, check.stderr
    assert "OperatorSearchPage" in check.stdout and "traces.search.activities_column" in check.stdout
    assert "C4" in check.stdout and "Verksamheter" in check.stdout

    company = tmp_path / "company.toml"
    company.write_text('name = "Grönt Export AB"\norganisation_number = "556677-8899"\nstreet = "Hamngatan 1"\n'
                       'postal_code = "25225"\ncity = "Helsingborg"\nphone = "+46 42 1"\nemail = "a@b.se"\n')
    # A long timeout makes "waited for it" and "failed fast" far apart even on a loaded machine.
    started = time.monotonic()
    run = run_cli("--accounts", str(accounts), "--base-url", stub.base_url, "request-access", "--operator",
                  str(company), env={**env, "TRACESCTL_TIMEOUT_MS": "120000"}, cwd=tmp_path)
    seconds = time.monotonic() - started
    assert run.returncode == 21, run.stderr
    assert "Aktiviteter" in run.stderr and "traces.search.activities_column" in run.stderr
    assert seconds < 100, seconds  # the grace is 2 s; a timeout would take 120 s
    assert portal.form_count("traces.request_authorisation") == 0


def test_portal_compare_refuses_a_file_that_is_not_a_capture(
    no_browser: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file not written by `portal capture`: exit 2 with one line, before the offline portal or a browser starts."""
    notes = tmp_path / "notes.json"
    notes.write_text('{"screens": []}')
    assert main(["portal", "compare", str(notes)]) == 2
    assert "not a capture of `tracesctl portal capture`" in capsys.readouterr().err


@pytest.mark.e2e
def test_portal_capture_then_compare_exit_0_when_alike_and_23_when_the_portal_drifted(
    stub, portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """`portal capture` writes the file (exit 0, nothing submitted); `portal compare` of it against a fresh
    offline portal exits 0; a capture whose search box has another id exits 23 and its --json names that
    screen alone. (That a capture of a drifted portal shows exactly its drift is test_portal_capture's.)"""
    admin = ANNA
    path = accounts_file(tmp_path, traces_account_toml("a", admin, tmp_path, "sv"))
    env = {password_env(admin): SEEDED[admin], "TRACESCTL_LOG_LEVEL": "warning",
           "TRACESCTL_HOME": str(tmp_path / "home")}

    def capture(out: Path) -> None:
        run = run_cli("--accounts", str(path), "--base-url", stub.base_url, "portal", "capture", "--out", str(out),
                      env=env, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        assert f"captured 22 screens to {out}" in run.stdout

    capture(tmp_path / "clean.json")
    assert {k for k in portal.state()["forms"] if not k.startswith("cas.")} == set()
    alike = run_cli("portal", "compare", str(tmp_path / "clean.json"), env=env, cwd=tmp_path)
    assert (alike.returncode, alike.stdout.strip().splitlines()[-1]) == (0, "no differences"), alike.stderr

    drifted = json.loads((tmp_path / "clean.json").read_text(encoding="utf-8"))
    users = next(screen for screen in drifted["screens"] if screen["screen"] == "traces.users")
    search_box = next(control for control in users["controls"] if control["id"] == "userQuery")
    search_box["id"] = "userSearchText"
    (tmp_path / "drifted.json").write_text(json.dumps(drifted), encoding="utf-8")
    differs = run_cli("portal", "compare", str(tmp_path / "drifted.json"), "--json", env=env, cwd=tmp_path)
    assert differs.returncode == 23, differs.stderr
    report = json.loads(differs.stdout)
    assert [s["screen"] for s in report["screens"] if s["differs"]] == ["traces.users"]


@pytest.mark.e2e
def test_guide_check_with_a_refused_password_stops_at_once_and_holds_the_identity(
    stub, portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """A wrong password ends the walk with exit 3 (not 15 screens of timeouts, not exit 22); the
    portal counted one failed attempt, and the next run does not try again."""
    accounts = accounts_file(tmp_path, traces_account_toml("lars", PASSWORD_USER, tmp_path, "sv"))
    env = {password_env(PASSWORD_USER): "Wrong-Password-1!", "TRACESCTL_TIMEOUT_MS": "120000"}
    first = run_cli("--accounts", str(accounts), "--base-url", stub.base_url, "guide-check", env=env, cwd=tmp_path)
    assert first.returncode == 3, first.stderr
    assert "Traceback" not in first.stderr
    again = run_cli("--accounts", str(accounts), "--base-url", stub.base_url, "guide-check", env=env, cwd=tmp_path)
    assert again.returncode == 3 and "accounts release" in again.stderr
    assert portal.account(PASSWORD_USER)["failed_passwords"] == 1


@pytest.mark.e2e
def test_guide_check_stops_fast_when_the_portal_answers_5xx(
    stub, portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """A portal answering 503 to every page: the command ends unavailable (after the sign-in's
    retries) or could-not-run, with one line; it does not wait out a timeout on every screen."""
    accounts = accounts_file(tmp_path, traces_account_toml("lars", PASSWORD_USER, tmp_path, "sv"))
    portal.call("faults", {"error_rate": 1.0})
    started = time.monotonic()
    run = run_cli("--accounts", str(accounts), "--base-url", stub.base_url, "guide-check",
                  env={password_env(PASSWORD_USER): SEEDED[PASSWORD_USER], "TRACESCTL_TIMEOUT_MS": "120000"},
                  cwd=tmp_path)
    assert run.returncode in {7, 22}, run.stderr
    assert "Traceback" not in run.stderr
    assert time.monotonic() - started < 100  # a timeout per screen would take 120 s each


@pytest.mark.e2e
def test_a_login_counts_as_a_sign_in_and_status_reports_an_inactive_account(
    stub, portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """`login` resets the inactivity clock like keep-alive (its sign-in is in the ledger); an
    account TRACES reports inactive shows that outcome in `accounts status`, which exits 5."""
    from tests.helpers import INACTIVE_USER

    accounts = accounts_file(tmp_path, traces_account_toml("lars", PASSWORD_USER, tmp_path, "sv") + "\n"
                             + traces_account_toml("ingrid", INACTIVE_USER, tmp_path, "sv"))
    env = {password_env(PASSWORD_USER): SEEDED[PASSWORD_USER], password_env(INACTIVE_USER): SEEDED[INACTIVE_USER]}
    base = ("--accounts", str(accounts), "--base-url", stub.base_url)
    assert run_cli(*base, "login", "--account", "lars", env=env, cwd=tmp_path).returncode == 0
    assert run_cli(*base, "login", "--account", "ingrid", env=env, cwd=tmp_path).returncode == 5
    status = run_cli(*base, "accounts", "status", "--json", env=env, cwd=tmp_path)
    assert status.returncode == 5, status.stderr
    rows = {row["account"]: row for row in json.loads(status.stdout)}
    assert (rows["lars"]["last_outcome"], rows["lars"]["last_success"] is not None) == ("ok", True)
    assert (rows["ingrid"]["last_outcome"], rows["ingrid"]["hold_kind"]) == ("inactive", "inactive")


@pytest.mark.e2e
def test_a_refused_connection_asks_whether_the_offline_portal_runs(tmp_path: Path) -> None:
    """Issue 22: the last line says what to check (the base URL and its variable), never a class name."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path = accounts_file(tmp_path, ONE)
    run = run_cli("--accounts", str(path), "--base-url", f"http://localhost:{port}", "login",
                  env={password_env(PASSWORD_USER): SEEDED[PASSWORD_USER]}, cwd=tmp_path)
    last = last_words(run.stderr)
    assert run.returncode == 7, run.stderr
    assert last.startswith("error: ") and "Error:" not in last.split("error: ", 1)[1][:40]
    assert f"is the offline portal running (`tracesctl stub`)? base URL: http://localhost:{port}" in last
