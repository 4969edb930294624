"""The offline portal's rules, through Flask's test client (no browser): tickets, lockout, faults."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from automation.stub import create_app
from automation.stub.state import PortalState
from automation.stub.variants import OLDER

USER, PASSWORD = "lars.losen@vaxtexport.se", "Lars-Losen-2025!"


@pytest.fixture
def client() -> FlaskClient:
    """The portal's core rules, on the older screens (no interstitial, block until a reset); the
    newest official variants have tests of their own (test_stub_fidelity.py)."""
    state = PortalState()
    state.variants = OLDER
    return create_app(state).test_client()


def start(client: FlaskClient, service: str | None = None) -> str:
    form = {"username": USER, "whoamiSubmit": "Next"}
    if service:
        form["service"] = service
    answer = client.post("/cas/login", data=form)
    return re.search(r"loginRequestId=(ECAS_LR-\w+)", answer.headers["Location"]).group(1)  # type: ignore[union-attr]


def sign_in(client: FlaskClient, password: str, service: str | None = None):  # type: ignore[no-untyped-def]
    lr = start(client, service)
    return client.post("/cas/login", data={"loginRequestId": lr, "password": password,
                                           "loginStrength": "PASSWORD", "_submit": "Sign in"})


def test_whoami_next_button_starts_disabled(client: FlaskClient) -> None:
    page = client.get("/cas/login").text
    assert 'id="whoamiForm"' in page and re.search(r'name="whoamiSubmit"[^>]*disabled', page, re.S)
    assert 'style="display:none"' in page  # the body is shown by a script


def test_a_service_ticket_is_single_use_and_bound_to_its_service(client: FlaskClient) -> None:
    service = "http://localhost/tracesnt/auth/cas"
    answer = sign_in(client, PASSWORD, service)
    ticket = re.search(r"ticket=(ST-[\w-]+)", answer.headers["Location"]).group(1)  # type: ignore[union-attr]
    first = client.get(f"/cas/serviceValidate?ticket={ticket}&service={service}").text
    again = client.get(f"/cas/serviceValidate?ticket={ticket}&service={service}").text
    assert f"<cas:user>{USER}</cas:user>" in first and "INVALID_TICKET" in again


def test_five_wrong_passwords_in_a_row_block_and_a_right_one_resets_the_run(client: FlaskClient) -> None:
    for _ in range(4):
        assert "incorrect" in sign_in(client, "wrong").text
    assert "successful" in sign_in(client, PASSWORD).text.lower()  # resets the run of failures
    for _ in range(4):
        sign_in(client, "wrong")
    assert "has been blocked" in sign_in(client, "wrong").text
    assert "has been blocked" in sign_in(client, PASSWORD).text
    state = client.get("/__stub__/state").json["accounts"][USER]  # type: ignore[index]
    assert (state["failed_passwords"], state["blocked"]) == (9, True)


def test_fail_next_answers_503_then_recovers(client: FlaskClient) -> None:
    client.post("/__stub__/faults", json={"fail_next": 2})
    assert [client.get("/tracesnt/login").status_code for _ in range(3)] == [503, 503, 200]


def test_error_rate_fails_about_that_share_of_answers(client: FlaskClient) -> None:
    client.post("/__stub__/faults", json={"error_rate": 0.5})
    failures = sum(client.get("/tracesnt/login").status_code == 503 for _ in range(200))
    assert 60 < failures < 140


def test_language_choice_is_remembered(client: FlaskClient) -> None:
    assert "Logga in" in client.get("/tracesnt/login?lang=sv").text
    assert 'lang="sv"' in client.get("/cas/login").text


def test_clock_moves_accounts_into_inactivity(client: FlaskClient) -> None:
    assert client.get("/__stub__/state").json["accounts"][USER]["inactive"] is False  # type: ignore[index]
    client.post("/__stub__/clock", json={"advance_days": 125})
    assert client.get("/__stub__/state").json["accounts"][USER]["inactive"] is True  # type: ignore[index]


def register(client: FlaskClient, **changes: str):  # type: ignore[no-untyped-def]
    """Open "Create an account" and send it with the captcha's code, and any field changed."""
    client.get("/cas/eim/external/register.cgi?lang=en")
    captcha = client.get("/__stub__/captcha").get_json()
    assert captcha["code"] not in client.get("/cas/eim/external/register.cgi").text  # never in the page's text
    form = {"firstName": "Nora", "lastName": "Ny", "email": "nora@example.se", "emailConfirm": "nora@example.se",
            "emailLanguage": "en", "captchaId": captcha["id"], "captcha": captcha["code"], "privacy": "on"}
    return client.post("/cas/eim/external/register.cgi", data={**form, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"captcha": "XXXXXX"}, "code you entered is not correct"),
        ({"emailConfirm": "other@example.se"}, "not the same"),
        ({"privacy": ""}, "privacy statement"),
        ({"email": "ida@ec.europa.eu", "emailConfirm": "ida@ec.europa.eu"}, "belongs to an institution"),
        ({"email": USER, "emailConfirm": USER}, "already exists"),
        ({"lastName": " "}, "Fill in every field"),
    ],
)
def test_create_an_account_refuses_with_a_reason_and_sends_nothing(client: FlaskClient, changes: dict[str, str],
                                                                   message: str) -> None:
    answer = register(client, **changes)
    assert answer.status_code == 400 and message in answer.text
    assert client.get("/__stub__/mailbox").get_json() == []


def test_a_captcha_answers_once(client: FlaskClient) -> None:
    client.get("/cas/eim/external/register.cgi")
    captcha = client.get("/__stub__/captcha").get_json()
    form = {"firstName": "Nora", "lastName": "Ny", "email": "nora@example.se", "emailConfirm": "nora@example.se",
            "captchaId": captcha["id"], "captcha": "WRONG1", "privacy": "on"}
    assert client.post("/cas/eim/external/register.cgi", data=form).status_code == 400
    again = client.post("/cas/eim/external/register.cgi", data={**form, "captcha": captcha["code"]})
    assert again.status_code == 400 and "not correct" in again.text  # the right code, too late


def test_the_sign_up_link_opens_the_account_once(client: FlaskClient) -> None:
    assert register(client).status_code == 200
    link = client.get("/__stub__/mailbox?to=nora@example.se").get_json()[0]["link"]
    token = link.split("token=")[1]
    post = {"token": token, "new_password": "Nora-Ny-2025!x", "confirm_password": "Nora-Ny-2025!x"}
    url = "/cas/init/initialisePasswordLogin.cgi"
    assert client.post(url, data={**post, "confirm_password": "x"}).status_code == 400
    assert client.post(url, data=post).status_code == 200
    assert client.post(url, data=post).status_code == 410
    assert "nora@example.se" in client.get("/__stub__/state").get_json()["accounts"]
    # A sign-up link is not a reset link, nor the other way round.
    assert client.get(f"/cas/password/reset?token={token}").status_code == 410


def test_a_non_ascii_password_is_refused_like_any_wrong_one(client: FlaskClient) -> None:
    """Unicode in the password field is a wrong password (counted), not a server error."""
    answer = sign_in(client, "Lösenörd-1ä")
    assert answer.status_code < 500 and "incorrect" in answer.text
    assert client.get("/__stub__/state").json["accounts"][USER]["failed_passwords"] == 1  # type: ignore[index]
