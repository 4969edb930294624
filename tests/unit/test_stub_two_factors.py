"""Two factors for every TRACES user (issue 20 section 2; TNT-HELP, LIVS, EC-APP, EUL-OPTIONS): no account
reaches TRACES with the password alone under the newest default, every seeded account has a second
factor, a second mobile device needs the registered one, and "Always require multi-factor
authentication" holds for My Account too. Flask's test client, English, the newest defaults."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from automation.stub import create_app
from automation.stub.state import PortalState, seed_accounts
from automation.stub.variants import DEFAULTS
from tests.unit.test_stub_fidelity import (
    LARS,
    LARS_PW,
    TRACES_SERVICE,
    account,
    login_request_id,
    password,
    seeded_passkey_answer,
    sign_in,
    sign_in_with_passkey,
    snapshot,
    variants,
    whoami,
)

OLLE, OLLE_PW = "olle.app@vaxtexport.se", "Olle-App-2025!"
ADD_DEVICE = "/cas/userdata/mobileApp/addMobileDevice.cgi"


@pytest.fixture
def client() -> FlaskClient:
    return create_app(PortalState()).test_client()  # the newest official defaults


def traces_answer(client: FlaskClient, ticket_url: str) -> tuple[int, str]:
    """TRACES' answer to the CAS callback (the ticket EU Login sent the browser back with)."""
    answer = client.get(ticket_url.replace("http://localhost", ""))
    return answer.status_code, answer.text


def test_no_account_reaches_traces_with_the_password_alone_under_the_newest_default(client: FlaskClient) -> None:
    """Not even Lars, whom the older portal let in (password_only_allowed): Password is not offered for
    TRACES and refused when posted anyway; a ticket opened with it alone (a login link that asks for
    nothing) is refused by TRACES itself. With his seeded passkey he gets in; under `older`, without."""
    assert DEFAULTS.password_only_accounts is False
    started = client.post("/cas/login", data={"username": LARS, "service": TRACES_SERVICE,
                                               "authenticationLevel": "MEDIUM"})
    step_two = client.get(started.headers["Location"]).text
    assert 'id="verif-method-dd-PASSWORD"' not in step_two
    assert "requires two-factor" in password(client, login_request_id(step_two), LARS_PW, "PASSWORD").text

    basic = sign_in(client, LARS, LARS_PW, TRACES_SERVICE)  # no authenticationLevel: EU Login lets it pass
    status, page = traces_answer(client, basic.headers["Location"])
    assert status == 403 and "TRACES requires two-factor authentication" in page
    assert snapshot(client)["forms"]["traces.refused_password_alone"] == 1
    assert account(client, LARS)["traces_signins"] == 0 and snapshot(client)["sessions"]["traces"] == 0

    client.get("/cas/logout")
    assert traces_answer(client, sign_in_with_passkey(client, LARS, LARS_PW, TRACES_SERVICE).headers["Location"])[0] \
        == 302
    assert account(client, LARS)["traces_signins"] == 1

    variants(client, preset="older")
    client.get("/cas/logout")
    assert traces_answer(client, sign_in(client, LARS, LARS_PW, TRACES_SERVICE).headers["Location"])[0] == 302
    assert account(client, LARS)["traces_signins"] == 2


def test_every_seeded_account_has_a_second_factor_but_pia_whose_passkey_the_tests_enrol() -> None:
    """The app for Olle and Karin, a passkey derived from the e-mail for everyone else."""
    from datetime import UTC, datetime

    seeded = seed_accounts(datetime.now(UTC))
    without = {name for name, a in seeded.items() if not a.devices and not a.passkeys}
    assert without == {"pia.passkey@vaxtexport.se"}
    assert {name for name, a in seeded.items() if a.devices} == {OLLE, "karin.app@vaxtexport.se"}
    assert len({bytes(a.passkeys[0].credential_id) for a in seeded.values() if a.passkeys}) == len(seeded) - 3


def test_an_account_made_through_the_control_api_can_get_the_seeded_passkey(client: FlaskClient) -> None:
    """{"seeded_passkey": true}: the key derived from the e-mail, which verifies like a seeded account's."""
    made = "maja.ny@grontexport.se"
    client.post("/__stub__/accounts", json={"username": made, "password": "Maja-Ny-2025!", "seeded_passkey": True})
    assert [k["sign_count"] for k in account(client, made)["passkeys"]] == [0]
    done = sign_in_with_passkey(client, made, "Maja-Ny-2025!", TRACES_SERVICE)
    assert traces_answer(client, done.headers["Location"])[0] == 302
    assert account(client, made)["passkeys"][0]["sign_count"] == 1 and account(client, made)["traces_signins"] == 1


def test_a_second_mobile_device_needs_a_sign_in_with_the_registered_one(client: FlaskClient) -> None:
    """EC-APP: signed in with the password only, "Add a mobile device" sends Olle to a sign-in that takes
    only the app's methods, with a notice saying why; a post that skips the form enrols nothing. After
    the registered phone approved, the form is there."""
    sign_in(client, OLLE, OLLE_PW)
    asked = client.get(ADD_DEVICE)
    query = parse_qs(urlsplit(asked.headers["Location"]).query)
    assert query["acceptStrengths"] == ["PASSWORD_MOBILE_APP,PASSWORD_SOFTWARE_TOKEN"]
    assert query["service"][0].endswith(ADD_DEVICE)
    skipped = client.post(ADD_DEVICE, data={"deviceName": "Surfplatta", "pin": "1234", "pinConfirm": "1234"})
    assert skipped.status_code == 302 and snapshot(client)["enrolments"] == []

    step_two = client.get(asked.headers["Location"], follow_redirects=True).text
    assert "To add another one, authenticate with it first." in step_two
    lr = login_request_id(step_two)
    assert "requires two-factor" in password(client, lr, OLLE_PW, "PASSWORD_WEBAUTHN").text  # not the device
    client.post("/__stub__/settings", json={"app_auto_approve_s": 0})
    password(client, lr, OLLE_PW, "PASSWORD_MOBILE_APP")
    client.get("/cas/login/mobile/status", query_string={"loginRequestId": lr})
    back = client.get("/cas/login/mobile/complete", query_string={"loginRequestId": lr})
    assert urlsplit(back.headers["Location"]).path == ADD_DEVICE
    assert 'id="addDeviceForm"' in client.get(back.headers["Location"]).text
    assert snapshot(client)["forms"]["cas.add_device.reauth"] == 2


def test_a_first_device_needs_no_other(client: FlaskClient) -> None:
    """Without a registered device (Lars: a passkey only), the form is there after the password."""
    sign_in(client, LARS, LARS_PW)
    assert 'id="addDeviceForm"' in client.get(ADD_DEVICE).text


def test_always_require_mfa_holds_for_my_account_too(client: FlaskClient) -> None:
    """EUL-OPTIONS: once ticked, My Account's own sign-in (reached from its address) offers no Password
    and refuses it; the seeded passkey opens it."""
    sign_in(client, LARS, LARS_PW)
    client.post("/cas/userdata/configureMyAccount.cgi", data={"alwaysMfa": "on"})
    client.get("/cas/logout")
    to_sign_in = client.get("/cas/userdata/myAccount.cgi")
    service = parse_qs(urlsplit(to_sign_in.headers["Location"]).query)["service"][0]
    step_two = client.get(whoami(client, LARS, service).headers["Location"]).text
    assert 'id="verif-method-dd-PASSWORD"' not in step_two
    assert "requires two-factor" in password(client, login_request_id(step_two), LARS_PW, "PASSWORD").text
    assert account(client, LARS)["eulogin_signins"] == 1  # only the first sign-in, before the option
    lr = login_request_id(client.get(whoami(client, LARS, service).headers["Location"]).text)
    password(client, lr, LARS_PW, "PASSWORD_WEBAUTHN")
    back = seeded_passkey_answer(client, lr, LARS)
    assert "My Account" in client.get(back.headers["Location"].replace("http://localhost", "")).text
