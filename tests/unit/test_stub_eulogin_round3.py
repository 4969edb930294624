"""The offline portal's EU Login follows round 3 of portal-facts.md (issue 20, section 1): step one
without the Next button's name, the live cookie names, straight back to the service (the #fallbackLink
page only when switched on), authenticationLevel and /cas/TicketValidationService, /cas/mobile, and a
service-started logout that may ask. Flask's test client, English, the newest defaults."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from automation.stub import create_app
from automation.stub.state import PortalState
from tests.unit.test_stub_fidelity import (
    LARS,
    LARS_PW,
    TRACES_SERVICE,
    account,
    login_request_id,
    password,
    sign_in,
    snapshot,
    variants,
)

OLLE, OLLE_PW = "olle.app@vaxtexport.se", "Olle-App-2025!"


@pytest.fixture
def client() -> FlaskClient:
    return create_app(PortalState()).test_client()  # the newest official defaults


def set_cookies(answer: object) -> dict[str, str]:
    """Set-Cookie headers of an answer, by cookie name."""
    headers = answer.headers.getlist("Set-Cookie")  # type: ignore[attr-defined]
    return {h.split("=", 1)[0]: h for h in headers}


def test_step_one_without_the_next_buttons_name_reaches_step_two(client: FlaskClient) -> None:
    """A script's form.submit() posts only the field: EU Login still moves on to the password step."""
    started = client.post("/cas/login", data={"username": LARS})
    assert started.status_code == 302
    page = client.get(started.headers["Location"]).text
    assert login_request_id(page) and 'id="verif-method-dd-id"' in page
    assert snapshot(client)["forms"]["cas.whoami.without_button"] == 1


def test_the_cookies_carry_their_live_names_secure_and_the_aap_cookie_expires(client: FlaskClient) -> None:
    """__Secure-ECAS_SESSIONID with the sign-in page; __Secure-CASTGC (a session cookie) and
    __Secure-ECAS_AAP_1 (with an expiry) once signed in; every one Secure and HttpOnly."""
    first = set_cookies(client.get("/cas/login"))
    assert "__Secure-ECAS_SESSIONID" in first and "Expires" not in first["__Secure-ECAS_SESSIONID"]
    signed_in = set_cookies(sign_in(client, LARS, LARS_PW))
    assert "Expires" not in signed_in["__Secure-CASTGC"] and "Max-Age=28800" in signed_in["__Secure-ECAS_AAP_1"]
    for header in (first["__Secure-ECAS_SESSIONID"], signed_in["__Secure-CASTGC"], signed_in["__Secure-ECAS_AAP_1"]):
        assert "Secure" in header and "HttpOnly" in header
    assert "CASTGC" not in signed_in  # the older invented name is gone
    assert "Successful login" in client.get("/cas/login").text  # single sign-on on the new name


def test_sign_in_goes_straight_back_to_the_service_by_default(client: FlaskClient) -> None:
    """Six PEERS and the LEOS tests never see a page between "Sign in" and the service."""
    answer = sign_in(client, LARS, LARS_PW, TRACES_SERVICE)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(TRACES_SERVICE + "?ticket=ST-")
    assert snapshot(client)["forms"].get("cas.fallback_shown", 0) == 0


def test_the_fallback_page_is_for_a_service_only_moves_on_by_itself_and_opens_no_session_before(
    client: FlaskClient,
) -> None:
    """Switched on: no interstitial for EU Login's own sign-in; for a service, a page whose script
    follows #fallbackLink after a short delay; EU Login's session and the ticket only once it is followed."""
    variants(client, fallback_interstitial=True)
    assert "Successful login" in sign_in(client, LARS, LARS_PW).text
    client.get("/cas/logout")
    page = sign_in(client, LARS, LARS_PW, TRACES_SERVICE)
    link = re.search(r'<a id="fallbackLink"[^>]*href="([^"]+)"', page.text)
    assert link and re.search(r"setTimeout\(.*fallbackLink.*\b\d{3,4}\)", page.text, re.S)
    assert "__Secure-CASTGC" not in set_cookies(page)
    assert (account(client, LARS)["eulogin_signins"], snapshot(client)["sessions"]["eulogin"]) == (1, 0)
    followed = client.get(html.unescape(link.group(1)))
    assert followed.headers["Location"].startswith(TRACES_SERVICE + "?ticket=ST-")
    assert "__Secure-CASTGC" in set_cookies(followed)
    assert (account(client, LARS)["eulogin_signins"], snapshot(client)["sessions"]["eulogin"]) == (2, 1)
    assert "expired" in client.get(html.unescape(link.group(1))).text  # followed once only


def _login_via_traces(client: FlaskClient) -> str:
    entry = client.get("/tracesnt/login").text
    found = re.search(r'href="(/cas/login\?[^"]+)"', entry)
    assert found, "no sign-in link on TRACES' entry page"
    return html.unescape(found.group(1))


def test_traces_asks_for_two_factors_with_authentication_level_medium_or_accept_strengths(client: FlaskClient) -> None:
    """OE-AUTH (2025): authenticationLevel=MEDIUM, which hides Password; the older form acceptStrengths=."""
    link = _login_via_traces(client)
    assert parse_qs(urlsplit(link).query)["authenticationLevel"] == ["MEDIUM"]
    client.get(link)
    started = client.post("/cas/login", data={"username": OLLE, "whoamiSubmit": "Next", "service": TRACES_SERVICE,
                                               "authenticationLevel": "MEDIUM"})
    page = client.get(started.headers["Location"]).text
    assert 'id="verif-method-dd-PASSWORD"' not in page and 'id="verif-method-dd-PASSWORD_WEBAUTHN"' in page
    assert "requires two-factor" in password(client, login_request_id(page), OLLE_PW, "PASSWORD").text
    variants(client, two_factor_request="accept_strengths")
    assert "acceptStrengths" in parse_qs(urlsplit(_login_via_traces(client)).query)


def test_ticket_validation_service_answers_the_authentication_level(client: FlaskClient) -> None:
    """/cas/TicketValidationService: BASIC for the password alone, MEDIUM for the app; single use."""
    ticket_url = sign_in(client, LARS, LARS_PW, TRACES_SERVICE).headers["Location"]
    ticket = parse_qs(urlsplit(ticket_url).query)["ticket"][0]
    answer = client.get("/cas/TicketValidationService", query_string={"ticket": ticket, "service": TRACES_SERVICE})
    assert f"<cas:user>{LARS}</cas:user><cas:authenticationLevel>BASIC</cas:authenticationLevel>" in answer.text
    again = client.get("/cas/TicketValidationService", query_string={"ticket": ticket, "service": TRACES_SERVICE})
    assert "INVALID_TICKET" in again.text

    client.post("/__stub__/settings", json={"app_auto_approve_s": 0})
    client.get("/cas/logout")
    started = client.post("/cas/login", data={"username": OLLE, "service": TRACES_SERVICE})
    lr = login_request_id(client.get(started.headers["Location"]).text)
    password(client, lr, OLLE_PW, "PASSWORD_MOBILE_APP")
    assert "approved" in client.get("/cas/login/mobile/status", query_string={"loginRequestId": lr}).text
    done = client.get("/cas/login/mobile/complete", query_string={"loginRequestId": lr})
    ticket = parse_qs(urlsplit(done.headers["Location"]).query)["ticket"][0]
    answer = client.get("/cas/TicketValidationService", query_string={"ticket": ticket, "service": TRACES_SERVICE})
    assert "<cas:authenticationLevel>MEDIUM</cas:authenticationLevel>" in answer.text


def test_the_mobile_shortcut_leads_to_the_mobile_devices(client: FlaskClient) -> None:
    """EC-APP: /cas/mobile exists: the mobile devices, after a sign-in."""
    assert client.get("/cas/mobile").headers["Location"].endswith("/cas/userdata/mobileApp/manageMyMobileDevices.cgi")
    sign_in(client, LARS, LARS_PW)
    assert "Manage my mobile devices" in client.get("/cas/mobile", follow_redirects=True).text


def test_a_service_started_logout_asks_first_in_that_variant(client: FlaskClient) -> None:
    """OE-AUTH mock: "You are about to be logged out of EU Login." / "Log me out" / "No, stay logged in!"
    for a logout a service started; EU Login's own Logout link does not ask."""
    variants(client, logout_confirmation=True)
    sign_in(client, LARS, LARS_PW)
    asked = client.get("/tracesnt/logout", follow_redirects=True).text
    assert "You are about to be logged out of EU Login." in asked and "No, stay logged in!" in asked
    assert snapshot(client)["sessions"]["eulogin"] == 1  # nothing ended before the answer
    assert "You have logged out of EU Login" in client.post("/cas/logout").text
    assert snapshot(client)["sessions"]["eulogin"] == 0
    sign_in(client, LARS, LARS_PW)
    assert "You have logged out of EU Login" in client.get("/cas/logout").text
