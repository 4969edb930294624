"""Masking: Secret values, secret-shaped values, log lines and trace files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import structlog

from automation import log
from automation.secrets import Secret, redact
from automation.trace_scrub import scrub_dom, scrub_trace, scrub_url


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


def test_trace_scrubbing_keeps_numbers_and_structure_and_drops_values_bodies_and_cookies(tmp_path: Path) -> None:
    """Allowlist: a typed value, a cookie header and every resource (bodies) go; timings stay."""
    source, target = tmp_path / "raw.zip", tmp_path / "clean.zip"
    event = {"type": "before", "params": {"selector": "#password", "value": "Any*Pass~1"}, "wallTime": 1918273000}
    headers = [{"name": "Cookie", "value": "JSESSIONID=abc"}, {"name": "Content-Type", "value": "text/html"}]
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("trace.trace", json.dumps(event) + "\n")
        archive.writestr("trace.network", json.dumps({"headers": headers}) + "\n")
        archive.writestr("resources/page.html", "<input value='918273'>")
        archive.writestr("resources/body.dat", "password=Any*Pass~1")
    scrub_trace(source, target)
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["trace.network", "trace.trace"]
        cleaned = json.loads(archive.read("trace.trace"))
        assert cleaned == {"type": "before", "params": {"selector": "#password"}, "wallTime": 1918273000}
        assert json.loads(archive.read("trace.network"))["headers"] == [{"name": "Content-Type",
                                                                         "value": "text/html"}]


def test_urls_keep_their_query_names_but_no_values() -> None:
    assert scrub_url("https://x.eu/cas/login?service=https%3A%2F%2Fy&ticket=ST-1#frag") == \
        "https://x.eu/cas/login?service=&ticket="


def test_dom_snapshots_keep_labels_and_drop_input_values_and_textarea_texts() -> None:
    node = ["FORM", {"action": "/reset?token=abc"}, ["LABEL", {}, "Nytt lösenord"],
            ["INPUT", {"type": "hidden", "name": "token", "value": "abc", "__playwright_value_": "abc"}],
            ["TEXTAREA", {}, "typed text"]]
    assert scrub_dom(node) == ["FORM", {"action": "/reset?token="}, ["LABEL", {}, "Nytt lösenord"],
                               ["INPUT", {"type": "hidden", "name": "token"}], ["TEXTAREA", {}]]


# EU Login's cookies as live code sees them (round 3); values without a ticket's shape, so only the
# cookie's name can give them away.
LIVE_COOKIES = ("__Secure-CASTGC=plainvalue1234; __Secure-ECAS_SESSIONID=sessionvalue5678; "
                "__Secure-ECAS_AAP_1=aapvalue9012; __Host-anything=hostvalue3456; ECAS_OTHER=ecasvalue7890")
COOKIE_VALUES = ("plainvalue1234", "sessionvalue5678", "aapvalue9012", "hostvalue3456", "ecasvalue7890")


def test_every_secure_and_host_cookie_and_eu_logins_live_names_are_masked() -> None:
    """Every __Secure-/__Host- cookie and EU Login's live names, in a header, a message and a log
    field named after the cookie: the values never survive (issue 20)."""
    masked = redact(f"Cookie: {LIVE_COOKIES}")
    assert not any(value in masked for value in COOKIE_VALUES), masked
    assert "__Secure-ECAS_AAP_1=<SECRET>" in masked

    stream = io.StringIO()
    log.configure("json", "debug", stream)
    structlog.get_logger().info("cookies", header=f"Set-Cookie: {LIVE_COOKIES.split('; ')[2]}; Max-Age=28800",
                                **{"__Secure-CASTGC": "plainvalue1234", "__Host-anything": "hostvalue3456"})
    line = stream.getvalue()
    assert not any(value in line for value in COOKIE_VALUES), line


def test_traces_and_portal_captures_drop_the_live_cookies() -> None:
    """A trace's cookie headers and cookie lists go, and a cookie pasted into a console text or a DOM
    attribute is masked; the portal capture's scrubber takes them by name too."""
    from automation.scrub import Scrubber
    from automation.trace_scrub import scrub_event

    event = {"type": "console", "text": f"document.cookie {LIVE_COOKIES}",
             "headers": [{"name": "Cookie", "value": LIVE_COOKIES}, {"name": "Accept", "value": "text/html"}],
             "cookies": [{"name": "__Secure-ECAS_AAP_1", "value": "aapvalue9012"}],
             "message": f"saw {LIVE_COOKIES}"}
    scrubbed = json.dumps(scrub_event(event))
    assert not any(value in scrubbed for value in COOKIE_VALUES), scrubbed
    assert scrub_dom(["A", {"title": LIVE_COOKIES}]) == ["A", {"title": redact(LIVE_COOKIES)}]
    captured = Scrubber.for_account("lars.losen@vaxtexport.se").text(f"a link ?x=1 and {LIVE_COOKIES}")
    assert not any(value in captured for value in COOKIE_VALUES), captured
