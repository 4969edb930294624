"""Masking: Secret values, secret-shaped values, log lines and trace files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import structlog

from automation import log
from automation.browser import scrub_trace
from automation.secrets import Secret, redact


def test_secret_reprs_are_masked() -> None:
    secret = Secret("Very-Secret-42!")
    assert repr(secret) == "Secret('<SECRET>')" and str(secret) == "<SECRET>"
    assert secret.reveal() == "Very-Secret-42!"


def test_registered_secrets_are_masked_also_when_url_encoded() -> None:
    """A password turns up form-encoded in request bodies: both forms are masked."""
    Secret("Pass word&1!")
    text = "password=Pass+word%261%21&x=1 and raw Pass word&1!"
    assert "Pass" not in redact(text)


def test_cas_tickets_and_session_cookies_are_masked_by_shape() -> None:
    """Tickets are never registered (only the browser sees them): their shape is enough."""
    text = "GET /tracesnt/auth/cas?ticket=ST-abcDEF123456 Cookie: CASTGC=TGT-xyz123456789; JSESSIONID=s3cr3t"
    masked = redact(text)
    assert "ST-abc" not in masked and "TGT-xyz" not in masked and "s3cr3t" not in masked


def test_log_lines_never_carry_secrets() -> None:
    """The processor masks secret keys, Secret values and registered values inside messages."""
    stream = io.StringIO()
    log.configure("json", "debug", stream)
    Secret("Hunter-2-Hunter")
    logger = structlog.get_logger()
    logger.info("landed", url="http://x/tracesnt/auth/cas?ticket=ST-123456789abc", password="plain",
                value=Secret("Other-Secret-9"), note="typed Hunter-2-Hunter by mistake")
    line = json.loads(stream.getvalue())
    assert line["password"] == "<SECRET>" and line["value"] == "<SECRET>"
    assert "ST-123" not in line["url"] and "Hunter" not in line["note"]


def test_trace_scrubbing_masks_strings_but_keeps_numbers_and_binaries(tmp_path: Path) -> None:
    """Events are JSON: masking happens inside strings, so a code never corrupts a timestamp."""
    Secret("918273")
    source, target = tmp_path / "raw.zip", tmp_path / "clean.zip"
    event = {"type": "before", "params": {"value": "918273"}, "wallTime": 1918273000}
    cookie = {"name": "Cookie", "value": "CASTGC=TGT-abcdefgh"}
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("trace.trace", json.dumps(event) + "\n")
        archive.writestr("trace.network", json.dumps({"headers": [cookie]}) + "\n")
        archive.writestr("resources/page.html", "<input value='918273'>")
        archive.writestr("resources/shot.jpeg", b"\xff\xd8\xff\x00918273")
    scrub_trace(source, target)
    with zipfile.ZipFile(target) as archive:
        cleaned = json.loads(archive.read("trace.trace"))
        assert cleaned["params"]["value"] == "<SECRET>" and cleaned["wallTime"] == 1918273000
        assert json.loads(archive.read("trace.network"))["headers"][0]["value"] == "<SECRET>"
        assert b"918273" not in archive.read("resources/page.html")
        assert archive.read("resources/shot.jpeg") == b"\xff\xd8\xff\x00918273"
