"""Issue 16 §2: no password, session cookie or CAS ticket in any file a failing flow writes.

A property test: passwords from the password generator's whole alphabet and from unicode; for
each, two failing flows (EU Login's answer to a typed password is lost; a sign-in that passes EU
Login and the CAS round trip, then fails at TRACES because its sign-out link was renamed, so the
trace holds tickets and session cookies). Failures, both: the portal's expected refusals keep no
trace. Every file written is searched, traces unzipped, in every encoding a trace uses."""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import string
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from automation.config import Settings
from automation.factors.passkey import load_passkey
from automation.passwords import SPECIAL, meets_rule
from automation.stub.server import StubServer
from automation.values import unprintable
from flows.jobs.keepalive import KeepAlive
from tests.helpers import INACTIVE_USER, PASSWORD_USER, Portal, traces_account

pytestmark = pytest.mark.e2e

GENERATOR_ALPHABET = string.ascii_letters + string.digits + SPECIAL + "~"
PASSWORDS = st.one_of(
    st.text(GENERATOR_ALPHABET, min_size=10, max_size=24).filter(meets_rule),
    # Any unicode but surrogates, controls and line breaks. The offline portal answers 500 to a
    # non-ASCII password (noted in the README): still a failing flow whose trace holds the password.
    # Nor what the toolkit refuses before anything is sent (automation.values.unprintable: format
    # characters, odd spaces), which would end the flow as misconfigured, with nothing to leak.
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")), min_size=10, max_size=16)
    .filter(lambda p: p.strip() == p and not p.isdigit() and unprintable(p) is None),
)
BASE64_RUN = re.compile(rb"[A-Za-z0-9+/]{12,}={0,2}")


def encodings(secret: str) -> set[bytes]:
    """`secret` as a trace may carry it: raw, URL- and form-encoded, JSON-escaped, base64."""
    forms = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret), json.dumps(secret)[1:-1],
             json.dumps(secret, ensure_ascii=False)[1:-1]}
    found = {f.encode() for f in forms if len(f) >= 4}
    found.add(base64.b64encode(secret.encode()))
    return found


def blobs(path: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under `path`, and every member of every zip (traces), recursively."""
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        yield from _expand(str(file), file.read_bytes())


def _expand(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    yield name, data
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from _expand(f"{name}!{member}", archive.read(member))
    for run in BASE64_RUN.findall(data):
        try:
            decoded = base64.b64decode(run + b"=" * (-len(run) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        yield f"{name}(base64)", decoded


def leaks(folder: Path, secrets: dict[str, str]) -> list[str]:
    needles = {(what, needle) for what, value in secrets.items() for needle in encodings(value)}
    found = []
    for name, data in blobs(folder):
        found += [f"{what} in {name}" for what, needle in needles if needle in data]
        found += [f"CAS ticket in {name}" for _ in re.findall(rb"\b(?:ST|TGT)-[A-Za-z0-9]{6,}", data)[:1]]
    return found


# Few examples and no shrinking: each example is two Chromium runs on a shared 2-CPU machine.
@settings(max_examples=4, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(password=PASSWORDS)
def test_no_secret_in_any_file_a_failing_flow_writes(
    stub: StubServer, portal: Portal, tmp_path: Path, password: str
) -> None:
    portal.reset()
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    run_settings = Settings(base_url=stub.base_url, home=folder / "home", artifacts_dir=folder / "artifacts",
                            timeout_ms=10_000, drift_grace_ms=500)
    lost = traces_account(PASSWORD_USER, "en", folder)
    drifted = traces_account(INACTIVE_USER, "sv", folder)
    portal.call(f"accounts/{INACTIVE_USER}", {"password": password, "last_use_days_ago": 1})
    portal.call("faults", {"after_password": "lost", "count": 1})  # the first password post's answer
    portal.drift("sv", "traces.logout", "Logga ut här")
    runner = KeepAlive(run_settings, {lost.password_env: password, drifted.password_env: password})
    outcomes = [r.outcome for r in runner.run([lost, drifted])]
    assert outcomes == ["unconfirmed", "failed"]  # unicode too, now that the portal compares bytes
    sessions = {f"session {n}": value for n, value in enumerate(stub.state.traces_sessions)}
    sessions |= {f"EU Login TGT {n}": value for n, value in enumerate(stub.state.tgts)}
    assert any(folder.joinpath("artifacts").rglob("trace.zip"))
    assert leaks(folder, {"password": password, **sessions}) == []
    # The passkey both accounts had at hand (their 0600 files, which hold it, aside): in no trace or record.
    keys = {f"{a.name}'s passkey private key": load_passkey(a.passkey_file).private_key.reveal()
            for a in (lost, drifted)}
    assert leaks(folder / "artifacts", keys) == [] and leaks(folder / "home", keys) == []
