"""The offline portal's rules, through Flask's test client (no browser): tickets, lockout, faults."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from automation.stub import create_app
from automation.stub.state import PortalState

USER, PASSWORD = "lars.losen@vaxtexport.se", "Lars-Losen-2025!"


@pytest.fixture
def client() -> FlaskClient:
    return create_app(PortalState()).test_client()


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
