"""Secrets never leave their box: not in log lines, not in the trace or files of a failed flow."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyotp
import pytest

from automation.factors.passkey import load_passkey
from automation.stub.state import DEMO_APP_SECRET
from tests.helpers import APP_USER, PASSKEY_USER, SEEDED, Portal, password_env

pytestmark = pytest.mark.e2e


def holds(data: bytes, secret: str) -> bool:
    """Whether `data` holds the secret. A secret of digits only (a PIN, a one-time password) counts
    where it stands alone, not inside a longer number: a trace's timings ("time": 8642.079) and sizes
    are numbers too, and a 4-digit PIN turns up among them by chance."""
    if not secret.isdigit():
        return secret.encode() in data
    return re.search(rb"(?<![0-9.])" + secret.encode() + rb"(?![0-9]|\.[0-9])", data) is not None


def tracesctl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A separate process: pytest-playwright's sync loop already runs in this one.
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, check=False)


def artifact_texts(folder: Path) -> dict[str, bytes]:
    """Every file the failed flows left, with trace zips opened member by member."""
    files: dict[str, bytes] = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        files[str(path)] = data
        if path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    files[f"{path}!{member}"] = archive.read(member)
    return files


def write_accounts(tmp_path: Path, passkey_file: Path) -> Path:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f"""
[accounts.pia]
email = "{PASSKEY_USER}"
password_env = "{password_env(PASSKEY_USER)}"
factor = "passkey"
locale = "sv"
passkey_file = "{passkey_file}"

[accounts.olle]
email = "{APP_USER}"
password_env = "{password_env(APP_USER)}"
factor = "app-qr"
otp_source = "totp-env:APP_SECRET"
locale = "en"
""")
    return accounts


def test_no_secret_in_logs_or_failure_artifacts(
    enrolled, environ: dict[str, str], portal: Portal, stub, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """Sign-ins that used a password, a one-time password, a passkey and a CAS ticket, then failed
    (keep-alive's sign-out link was renamed, so its page object fails: toolkit drift, a failure that
    keeps artifacts, where a refusal keeps none): the logs and every kept file are searched for each secret."""
    artifacts = tmp_path / "artifacts"
    env = {**environ, "TRACESCTL_ARTIFACTS": str(artifacts), "TRACESCTL_LOG_FORMAT": "json",
           "TRACESCTL_LOG_LEVEL": "debug", "TRACESCTL_DRIFT_GRACE_MS": "500"}
    accounts = write_accounts(tmp_path, enrolled.passkey_file)
    private_key = load_passkey(enrolled.passkey_file).private_key.reveal()
    portal.drift("sv", "traces.logout", "Logga ut här")  # fails after the ticket is used and the session is on
    portal.drift("en", "traces.logout", "Sign out here")

    started = time.time()
    output = ""
    for name in ("pia", "olle"):
        run = tracesctl("--accounts", str(accounts), "--base-url", stub.base_url, "keepalive", "--account", name,
                        env=env)
        assert run.returncode == 1, f"{name}: expected a failed keep-alive, got {run.returncode}: {run.stderr}"
        output += run.stdout + run.stderr
    finished = time.time()
    totp = pyotp.TOTP(DEMO_APP_SECRET)
    codes = {totp.at(t) for t in range(int(started) - 30, int(finished) + 31, 15)}

    state = portal.state()
    assert state["forms"]["cas.otp"] == 1 and state["forms"]["cas.webauthn"] == 1  # both factors were used
    logs = output.encode()
    assert b"traces.home.log_out" in logs  # the drift, named
    files = artifact_texts(artifacts)
    assert any(name.endswith("trace.zip") for name in files), "a failed flow keeps its trace"
    assert any(name.endswith(".png") for name in files), "a failed flow keeps a screenshot"
    traces = b"".join(data for name, data in files.items() if "trace.zip!" in name)
    assert b"<SECRET>" in traces, "the trace recorded secrets that the scrubber masked"

    secrets = {
        "password": [SEEDED[PASSKEY_USER], SEEDED[APP_USER]],
        "password (form-encoded)": [SEEDED[PASSKEY_USER].replace("!", "%21"), SEEDED[APP_USER].replace("!", "%21")],
        "one-time password": sorted(codes),
        "passkey private key": [private_key],
        "app device secret": [DEMO_APP_SECRET],
    }
    for where, data in {"logs": logs, **files}.items():
        for kind, values in secrets.items():
            for value in values:
                assert not holds(data, value), f"{kind} found in {where}"
        assert b"ticket=ST-" not in data and b"ticket%3DST-" not in data, f"a CAS ticket found in {where}"
    log_lines = [line for line in output.splitlines() if line.startswith("{")]
    assert log_lines and all(json.loads(line) for line in log_lines)  # JSON logs when not on a terminal


def test_no_password_or_pin_in_the_trace_of_a_failed_app_registration(
    environ: dict[str, str], portal: Portal, stub, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """`enroll app` types the password, then again for the sign-in with Olle's registered phone (which
    EU Login wants before a second device; the phone approves), the PIN (twice), then the QR code
    expires: exit 4, and the kept trace has neither."""
    artifacts = tmp_path / "artifacts"
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[accounts.olle]\nemail = "{APP_USER}"\npassword_env = "{password_env(APP_USER)}"\n'
                        'factor = "app-pin"\n')
    portal.call("settings", {"enrolment_ttl_s": 2, "app_auto_approve_s": 0.3})
    pin = "8642"
    run = tracesctl("--accounts", str(accounts), "--base-url", stub.base_url, "enroll", "app", "--name", "Ny telefon",
                    "--pin-env", "OLLE_PIN", "--apply",
                    env={**environ, "OLLE_PIN": pin, "TRACESCTL_ARTIFACTS": str(artifacts),
                         "TRACESCTL_HOME": str(tmp_path / "home")})
    assert run.returncode == 4, run.stderr
    assert (portal.form_count("cas.add_device.reauth"), portal.form_count("cas.add_device")) == (1, 1)
    files = artifact_texts(artifacts)
    assert any(name.endswith("trace.zip") for name in files)
    assert b"<SECRET>" in b"".join(data for name, data in files.items() if "trace.zip!" in name)  # fills were masked
    # Images are left out: a 4-digit PIN's bytes can occur by chance in compressed pixels.
    texts = {name: data for name, data in files.items() if not name.endswith((".png", ".jpeg", ".jpg"))}
    for where, data in {"output": (run.stdout + run.stderr).encode(), **texts}.items():
        assert SEEDED[APP_USER].encode() not in data, f"the password found in {where}"
        assert not holds(data, pin), f"the PIN found in {where}"


def test_a_secret_of_digits_counts_only_where_it_stands_alone() -> None:
    """The search above finds a PIN wherever a trace could keep it (a filled value, a form body) and
    not in a timing that happens to hold its digits (a suite run failed on "time": 8642.079)."""
    assert holds(b'{"value": "8642"}', "8642") and holds(b"pin=8642&pin2=8642", "8642")
    assert not holds(b'{"time": 8642.079}', "8642") and not holds(b'{"time": 18642.5}', "8642")
    assert holds(b"S3cret!", "S3cret!")
