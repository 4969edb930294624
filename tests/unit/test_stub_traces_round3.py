"""The offline portal's TRACES side follows round 3 of portal-facts.md (issue 20, section 3): the
official Plant Health chapter, the authority from the address, Organic's control-body box, Actors >
Operators for authority users, and a session that keeps the statuses it began with. Flask's test
client, English; each test asserts what the portal recorded."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from automation.stub import create_app
from automation.stub.state import PortalState
from automation.stub.traces_data import BORDER_INSPECTOR, HELSINGBORG_PLANTS, JORDBRUKSVERKET, PLANT_INSPECTOR
from tests.unit.test_stub_fidelity import ANNA, ANNA_PW, OPERATOR, snapshot, traces_session, variants

NILS, NILS_PW = "nils.ny@vaxtexport.se", "Nils-Ny-2025!"
VERA_PW, GUNNAR_PW = "Vera-Vaxtskydd-2025!", "Gunnar-Grans-2025!"


@pytest.fixture
def client() -> FlaskClient:
    return create_app(PortalState()).test_client()  # the newest official defaults


def create(client: FlaskClient, chapter: str, section: str, activity: str, **extra: str) -> int:
    answer = client.post("/tracesnt/registration/operator/new", data={
        **OPERATOR, "chapter": chapter, "section": section, "activity": activity, **extra})
    return answer.status_code


def new_operator(client: FlaskClient) -> dict[str, Any]:
    found: dict[str, Any] = [o for o in snapshot(client)["operators"] if o["name"] == OPERATOR["name"]][-1]
    return found


def test_plant_health_offers_every_section_the_official_chapter_names(client: FlaskClient) -> None:
    """TNT-PH: "Responsible for the consignment" (Part I of a CHED-PP) and EUPO, EURPO, PLANTS, QUA-CONF,
    TCPO, ORGANIC EXPORTER, ORGANIC PRODUCER, NON ANIMAL ORIGIN FOOD AND FEED."""
    traces_session(client, NILS, NILS_PW)
    form = client.get("/tracesnt/registration/operator/new?searched=1").text
    for name in ("Responsible for the consignment", "(EUPO)", "(EURPO)", "(PLANTS)", "(QUA-CONF)", "TCPO",
                 "ORGANIC EXPORTER", "ORGANIC PRODUCER", "NON ANIMAL ORIGIN FOOD AND FEED"):
        assert name in form, name
    assert create(client, "PLANT_HEALTH", "PH_CONSIGNMENT", "RESPONSIBLE_FOR_CONSIGNMENT") == 302
    assert new_operator(client)["activities"] == [
        ["PLANT_HEALTH", "PH_CONSIGNMENT", "RESPONSIBLE_FOR_CONSIGNMENT", HELSINGBORG_PLANTS]]


@pytest.mark.parametrize(("city", "section", "activity", "authority"), [
    ("Helsingborg", "PH_CONSIGNMENT", "RESPONSIBLE_FOR_CONSIGNMENT", HELSINGBORG_PLANTS),
    ("Stockholm", "PH_CONSIGNMENT", "RESPONSIBLE_FOR_CONSIGNMENT", JORDBRUKSVERKET),
    ("Helsingborg", "EUPO", "EUPO_OPERATOR", JORDBRUKSVERKET),
])
def test_the_plant_authority_comes_from_the_address_not_from_the_form(
        client: FlaskClient, city: str, section: str, activity: str, authority: int) -> None:
    """TNT-PH: no authority step; assigned "based on geographical data" (how: inferred)."""
    traces_session(client, NILS, NILS_PW)
    assert create(client, "PLANT_HEALTH", section, activity, city=city, authority_id="5") == 302
    assert new_operator(client)["activities"][0][3] == authority


def test_organic_needs_its_control_body_box(client: FlaskClient) -> None:
    """TNT-PH: Organic chooses the authority in "Control Body / Control Authority"."""
    traces_session(client, NILS, NILS_PW)
    form = client.get("/tracesnt/registration/operator/new?searched=1").text
    assert "Control Body / Control Authority" in form and 'id="controlBodyBox" hidden' in form
    refused = client.post("/tracesnt/registration/operator/new", data={
        **OPERATOR, "chapter": "ORGANIC", "section": "ORGANIC_OPERATOR", "activity": "ORGANIC_PRODUCER"})
    assert refused.status_code == 400 and "Control Body / Control Authority" in refused.text
    assert create(client, "ORGANIC", "ORGANIC_OPERATOR", "ORGANIC_PRODUCER", control_body_id="4") == 302
    assert new_operator(client)["activities"][0][3] == 4


def test_the_identifier_is_optional_and_a_second_address_can_be_added(client: FlaskClient, ) -> None:
    """TNT-PH "Fill in the identifier if possible"; TNT-HELP a green "+ Add address"."""
    traces_session(client, NILS, NILS_PW)
    form = client.get("/tracesnt/registration/operator/new?searched=1").text
    assert "Fill in the identifier if possible." in form and "+ Add address" in form
    assert create(client, "PLANT_HEALTH", "EUPO", "EUPO_OPERATOR", identifier="", extra_street="Lagergatan 2",
                  extra_postal_code="25220", extra_city="Helsingborg") == 302
    assert new_operator(client)["identifiers"] == []
    assert snapshot(client)["forms"]["traces.create_operator"] == 1


def test_an_authority_finds_its_new_operator_and_validates_it(client: FlaskClient) -> None:
    """TNT-PH: Actors > Operators, "Find my operators", Activity Status "New", the pen icon, the green
    check, "Save" → "Valid"."""
    traces_session(client, NILS, NILS_PW)
    create(client, "PLANT_HEALTH", "PH_CONSIGNMENT", "RESPONSIBLE_FOR_CONSIGNMENT")
    operator_id = new_operator(client)["id"]
    traces_session(client, BORDER_INSPECTOR, GUNNAR_PW)
    home = client.get("/tracesnt/home").text
    assert ">Operators</a>" in home
    listed = client.get("/tracesnt/actors/operators?mine=1").text
    assert "Find my operators" in listed and OPERATOR["name"] in listed and "<td>New</td>" in listed
    assert f'aria-label="Edit {OPERATOR["name"]}"' in listed
    page = client.get(f"/tracesnt/actors/operator?id={operator_id}").text
    assert 'aria-label="Validate Responsible for the consignment"' in page
    client.post("/tracesnt/actors/operator", data={"id": str(operator_id)})  # saved without the check
    assert new_operator(client)["status"] == "pending"
    client.post("/tracesnt/actors/operator", data={"id": str(operator_id), "validate": "1"})
    assert new_operator(client)["status"] == "valid"
    assert snapshot(client)["user_actions"] == {f"validate_operator:{operator_id}": 1}


def test_operators_are_for_authority_users_only(client: FlaskClient) -> None:
    traces_session(client, ANNA, ANNA_PW)
    assert client.get("/tracesnt/actors/operators?mine=1").status_code == 403
    assert ">Operators</a>" not in client.get("/tracesnt/home").text


def test_a_users_role_is_validated_only_once_the_operator_is_valid(client: FlaskClient) -> None:
    """TNT-PH: validate the user's role once the operator is "Valid"; the first user becomes administrator."""
    traces_session(client, NILS, NILS_PW)
    create(client, "PLANT_HEALTH", "PH_CONSIGNMENT", "RESPONSIBLE_FOR_CONSIGNMENT")
    operator_id = new_operator(client)["id"]
    request_id = next(r for r in client.application.extensions["portal_state"].traces.requests
                      if r.username == NILS).id
    traces_session(client, BORDER_INSPECTOR, GUNNAR_PW)
    page = client.get(f"/tracesnt/actors/user?username={NILS}").text
    assert "is not valid yet" in page
    client.post("/tracesnt/actors/user", data={"username": NILS, f"decision_{request_id}": "approve"})
    assert [r["status"] for r in snapshot(client)["role_requests"] if r["username"] == NILS] == ["pending"]
    client.post("/tracesnt/actors/operator", data={"id": str(operator_id), "validate": "1"})
    client.post("/tracesnt/actors/user", data={"username": NILS, f"decision_{request_id}": "approve"})
    assert [(r["status"], r["administrator"]) for r in snapshot(client)["role_requests"]
            if r["username"] == NILS] == [("authorised", True)]


def test_a_session_keeps_the_status_it_began_with_until_the_user_signs_in_again(client: FlaskClient) -> None:
    """TNT-HELP "Getting started": once the access is validated, the user must sign in to TRACES again."""
    traces_session(client, NILS, NILS_PW)
    client.post("/tracesnt/registration/operator/request", data={"operator_id": "1"})
    assert "<td>Pending</td>" in client.get("/tracesnt/profile").text  # made in this session: seen at once
    client.post("/__stub__/traces/approve", json={"username": NILS})
    assert "<td>Pending</td>" in client.get("/tracesnt/profile").text  # the old session: still pending
    client.get("/tracesnt/logout")
    traces_session(client, NILS, NILS_PW)
    assert "<td>Valid</td>" in client.get("/tracesnt/profile").text


@pytest.mark.parametrize(("setting", "pending", "advanced"), [("singular_advanced", "Search pending request<", True),
                                                               ("plural", "Search pending requests<", False)])
def test_search_users_newest_singular_with_advanced_search_or_older_plural(
        client: FlaskClient, setting: str, pending: str, advanced: bool) -> None:
    variants(client, users_search=setting)
    traces_session(client, ANNA, ANNA_PW)
    page = client.get("/tracesnt/actors/users").text
    assert pending in page and ("Advanced Search" in page) is advanced
    if advanced:  # its operator filter narrows the list (what it holds is inferred)
        only_skane = client.get("/tracesnt/actors/users?pending=1&operator=2").text
        assert "erik.eriksson@grontexport.se" not in only_skane


def test_plant_inspector_is_seeded_for_the_national_authority() -> None:
    data = PortalState().traces
    assert data.authority_staff[PLANT_INSPECTOR] == JORDBRUKSVERKET
