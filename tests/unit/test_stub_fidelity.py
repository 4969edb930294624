"""The offline portal matches the confirmed facts of portal-facts.md, and shows either version where
sources disagree, as its variant settings choose (issue 11). Flask's test client, no browser; each
test asserts what the portal recorded (its counters and state), not only the HTML."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from automation.stub import create_app
from automation.stub.state import PortalState, inactive_at, months_elapsed
from automation.stub.traces_data import RoleRequest
from automation.stub.variants import DEFAULTS, NEWEST_OFFICIAL, OLDER, Variants, differences_from_newest

LARS, LARS_PW = "lars.losen@vaxtexport.se", "Lars-Losen-2025!"
ANNA, ANNA_PW = "anna.admin@vaxtexport.se", "Anna-Admin-2025!"
SVEN = "sven.susp@vaxtexport.se"
ERIK = "erik.eriksson@grontexport.se"
TRACES_SERVICE = "http://localhost/tracesnt/auth/cas"


@pytest.fixture
def state() -> PortalState:
    """These tests turn one variant on at a time: they start from the older screens (the default
    is the newest official preset, checked on its own below)."""
    portal = PortalState()
    portal.variants = OLDER
    return portal


@pytest.fixture
def client(state: PortalState) -> FlaskClient:
    return create_app(state).test_client()


def variants(client: FlaskClient, **settings: Any) -> None:
    answer = client.post("/__stub__/variants", json=settings)
    assert answer.status_code == 200, answer.text


def snapshot(client: FlaskClient) -> dict[str, Any]:
    result: dict[str, Any] = client.get("/__stub__/state").json  # type: ignore[assignment]
    return result


def account(client: FlaskClient, username: str) -> dict[str, Any]:
    result: dict[str, Any] = snapshot(client)["accounts"][username]
    return result


def whoami(client: FlaskClient, username: str, service: str | None = None) -> TestResponse:
    form = {"username": username, "whoamiSubmit": "Next"}
    if service:
        form |= {"service": service}
    return client.post("/cas/login", data=form)


def login_request_id(page: str) -> str:
    found = re.search(r'name="loginRequestId" value="(ECAS_LR-\w+)"', page)
    assert found, "not on the password step"
    return found.group(1)


def password(client: FlaskClient, lr: str, secret: str, strength: str = "PASSWORD") -> TestResponse:
    return client.post("/cas/login", data={"loginRequestId": lr, "password": secret, "loginStrength": strength,
                                           "_submit": "Sign in"})


def sign_in(client: FlaskClient, username: str, secret: str, service: str | None = None) -> TestResponse:
    started = whoami(client, username, service)
    return password(client, login_request_id(client.get(started.headers["Location"]).text), secret)


def seeded_passkey_answer(client: FlaskClient, lr: str, username: str) -> TestResponse:
    """What a browser's authenticator answers with the account's seeded passkey (seeded_keys.py):
    an ES256 assertion over the portal's challenge, for the relying party the test client visits."""
    import base64
    import hashlib
    import json

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    from automation.stub.seeded_keys import SEEDED_KEY_NAME, credential_id, private_key

    def b64url(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    options = client.get("/cas/login/webauthn/options", query_string={"loginRequestId": lr}).json
    assert options is not None and options["rpId"] == "localhost"
    client_data = json.dumps({"type": "webauthn.get", "challenge": options["challenge"],
                              "origin": "http://localhost", "crossOrigin": False}).encode()
    # rpIdHash, flags (user present and verified), the sign counter: one more than the portal last saw
    count = 1 + next(k["sign_count"] for k in account(client, username)["passkeys"] if k["name"] == SEEDED_KEY_NAME)
    authenticator_data = hashlib.sha256(b"localhost").digest() + bytes([0x05]) + count.to_bytes(4, "big")
    signature = private_key(username).sign(authenticator_data + hashlib.sha256(client_data).digest(),
                                           ec.ECDSA(hashes.SHA256()))
    raw_id = b64url(credential_id(username))
    assertion = {"id": raw_id, "rawId": raw_id, "type": "public-key", "clientExtensionResults": {},
                 "response": {"authenticatorData": b64url(authenticator_data), "clientDataJSON": b64url(client_data),
                              "signature": b64url(signature), "userHandle": b64url(username.encode())}}
    return client.post(f"/cas/login/webauthn?loginRequestId={lr}", data={"assertion": json.dumps(assertion)})


def sign_in_with_passkey(client: FlaskClient, username: str, secret: str, service: str | None = None) -> TestResponse:
    """Password, then the seeded passkey: the two factors TRACES wants from everyone (issue 20 section 2)."""
    started = whoami(client, username, service)
    lr = login_request_id(client.get(started.headers["Location"]).text)
    assert "webauthnForm" in password(client, lr, secret, "PASSWORD_WEBAUTHN").text
    return seeded_passkey_answer(client, lr, username)


def traces_session(client: FlaskClient, username: str, secret: str) -> None:
    answer = sign_in_with_passkey(client, username, secret, TRACES_SERVICE)
    fallback = re.search(r'<a id="fallbackLink"[^>]*href="([^"]+)"', answer.text)
    if fallback:  # the optional interstitial (fallback_interstitial): follow it on to the service
        answer = client.get(html.unescape(fallback.group(1)))
    ticket_url = answer.headers["Location"]
    assert "ticket=ST-" in ticket_url
    assert client.get(ticket_url.replace("http://localhost", "")).status_code == 302


def advance_minutes(client: FlaskClient, minutes: float) -> None:
    client.post("/__stub__/clock", json={"advance_days": minutes / (24 * 60)})


# --- the variant settings themselves -------------------------------------------------------------

def test_variants_are_set_through_the_control_api_and_reset_to_the_defaults(client: FlaskClient) -> None:
    """POST /__stub__/variants changes settings; /__stub__/reset puts every one back to DEFAULTS."""
    variants(client, save_label="save", lockout="auto_unlock")
    assert snapshot(client)["variants"]["save_label"] == "save"
    client.post("/__stub__/reset")
    assert snapshot(client)["variants"] == client.get("/__stub__/variants").json["variants"]  # type: ignore[index]
    assert Variants(**snapshot(client)["variants"]) == DEFAULTS


def test_unknown_settings_and_values_are_refused_and_change_nothing(client: FlaskClient) -> None:
    """A typo must not silently leave a test on the default variant."""
    for body in ({"save_lable": "save"}, {"save_label": "Save"}, {"remembered_user": 1},
                 {"preset": "newest"}, {"save_label": "save", "lockout": "never"}):
        assert client.post("/__stub__/variants", json=body).status_code == 400
    assert Variants(**snapshot(client)["variants"]) == OLDER  # what the fixture set


def test_the_newest_official_preset_and_the_differences_list(client: FlaskClient) -> None:
    """The preset chooses every newest official value; GET lists where the defaults differ."""
    variants(client, preset="newest_official")
    assert Variants(**snapshot(client)["variants"]) == NEWEST_OFFICIAL
    variants(client, preset="older")
    listed = client.get("/__stub__/variants").json["differs_from_newest"]  # type: ignore[index]
    assert set(listed) == set(differences_from_newest(OLDER)) and "save_label" in listed
    client.post("/__stub__/reset")  # back to the default: the newest official source
    assert Variants(**snapshot(client)["variants"]) == NEWEST_OFFICIAL == DEFAULTS


# --- EU Login step 1 ----------------------------------------------------------------------------

def test_step_one_has_the_confirmed_dom(client: FlaskClient) -> None:
    """form#whoamiForm, label for input#username, the Next button as quoted, h1>strong, title with Login."""
    page = client.get("/cas/login").text
    assert re.search(r"<h1><strong>Sign in to continue</strong></h1>", page)
    assert re.search(r"<title>[^<]*Login[^<]*</title>", page)
    assert '<label for="username">Enter your e-mail address or unique identifier</label>' in page
    button = re.search(r"<button[^>]*whoamiSubmit[^>]*>", page, re.S)
    assert button
    for attribute in ('type="submit"', 'accesskey="S"', 'tabindex="3"', 'value="Next"',
                      'class="btn btn-primary btn-next mt-0"', 'title="Next"', "disabled"):
        assert attribute in button.group(0)


def test_an_unknown_email_is_refused_at_step_one_and_the_password_step_never_appears(client: FlaskClient) -> None:
    """EC-ITB: with the variant on, no login request is opened and no password form is shown."""
    variants(client, unknown_user_refused_at_step1=True)
    answer = whoami(client, "nobody@example.se")
    assert answer.status_code == 200 and 'id="whoamiForm"' in answer.text and 'id="loginForm"' not in answer.text
    assert "The user is not found" in answer.text
    state = snapshot(client)
    assert state["forms"].get("cas.whoami.unknown") == 1 and state["login_requests"] == 0
    assert "cas.password" not in state["forms"]
    assert whoami(client, LARS).status_code == 302  # a known user still goes on to step 2


def test_by_default_an_unknown_email_still_reaches_step_two(client: FlaskClient) -> None:
    """The older offline behaviour the toolkit passes with today: refused only after the password."""
    answer = whoami(client, "nobody@example.se")
    assert answer.status_code == 302 and snapshot(client)["login_requests"] == 1


# --- EU Login step 2 ----------------------------------------------------------------------------

def test_step_two_shows_external_the_method_label_and_sign_in(client: FlaskClient) -> None:
    """EUL-FAQ "(external)" under the identifier; EC-WIKI label; input[name=_submit] titled "Sign in"."""
    page = client.get(whoami(client, LARS).headers["Location"]).text
    assert re.search(r'class="identity">' + re.escape(LARS) + r".*?</p>\s*<p class=\"account-type\">\(external\)",
                     page, re.S)
    assert re.search(r'<label[^>]* for="loginStrength">Choose your verification method</label>', page)
    assert re.search(r'<option value="PASSWORD">Password</option>', page)
    assert re.search(r'<input type="submit" name="_submit"[^>]*title="Sign in"', page)


@pytest.mark.parametrize(("setting", "label"), [("lost", "Lost your password?"), ("forgot", "Forgot password?")])
def test_lost_password_link_in_either_wording(client: FlaskClient, setting: str, label: str) -> None:
    """Newest help "Lost your password?", older "Forgot password?"."""
    variants(client, lost_password_label=setting)
    assert f">{label}</a>" in client.get(whoami(client, LARS).headers["Location"]).text


def test_the_remembered_user_opens_on_step_two_and_anonymize_forgets_them(client: FlaskClient) -> None:
    """PO-EDIT, PO-ECAS: after signing out, EU Login opens on step 2 for the last user, with
    #anonymize "Sign in with a different e-mail address?" back to step 1."""
    variants(client, remembered_user=True)
    assert "Successful login" in sign_in(client, LARS, LARS_PW).text
    client.get("/cas/logout")
    page = client.get(f"/cas/login?service={TRACES_SERVICE}").text
    assert 'id="loginForm"' in page and LARS in page and 'id="whoamiForm"' not in page
    anonymize = re.search(r'<a id="anonymize" href="([^"]+)">Sign in with a different e-mail address\?</a>', page)
    assert anonymize and "service=" in anonymize.group(1)
    assert snapshot(client)["login_requests"] == 1  # the step-2 entry opened a request for the remembered user
    back = client.get(anonymize.group(1).replace("&amp;", "&")).text
    assert 'id="whoamiForm"' in back and 'name="service"' in back
    assert 'id="whoamiForm"' in client.get("/cas/login").text  # forgotten: step 1 from now on
    assert snapshot(client)["forms"]["cas.anonymize"] == 1


def test_the_remembered_user_signs_in_from_step_two(client: FlaskClient) -> None:
    """The step-2 entry is a real login request: the password signs in, counted once."""
    variants(client, remembered_user=True)
    sign_in(client, LARS, LARS_PW)
    client.get("/cas/logout")
    lr = login_request_id(client.get("/cas/login").text)
    assert "Successful login" in password(client, lr, LARS_PW).text
    assert account(client, LARS)["eulogin_signins"] == 2


def test_without_the_variant_a_returning_browser_starts_at_step_one(client: FlaskClient) -> None:
    sign_in(client, LARS, LARS_PW)
    client.get("/cas/logout")
    assert 'id="whoamiForm"' in client.get("/cas/login").text


# --- after sign-in ------------------------------------------------------------------------------

def test_success_and_logged_out_pages_have_the_confirmed_dom(client: FlaskClient) -> None:
    """<h1>Successful login</h1>, #content a.user-logout-link; the logged-out page's a[title=Login].btn-primary."""
    page = sign_in(client, LARS, LARS_PW).text
    assert re.search(r'<div id="content">\s*<h1>Successful login</h1>.*class="user-logout-link"', page, re.S)
    out = client.get("/cas/logout").text
    assert "You have logged out of EU Login" in out
    assert re.search(r'<a class="btn btn-primary" title="Login" href="/cas/login">', out)
    assert snapshot(client)["sessions"]["eulogin"] == 0


def test_the_fallback_interstitial_issues_the_ticket_only_when_followed(client: FlaskClient) -> None:
    """PO-ECAS: #fallbackLink after signing in; following it reaches the service with a ticket."""
    variants(client, fallback_interstitial=True)
    page = sign_in(client, LARS, LARS_PW, TRACES_SERVICE)
    link = re.search(r'<a id="fallbackLink"[^>]*href="([^"]+)"', page.text)
    assert page.status_code == 200 and link and not snapshot(client)["tickets"]
    followed = client.get(link.group(1).replace("&amp;", "&"))
    assert followed.headers["Location"].startswith(TRACES_SERVICE + "?ticket=ST-")
    state = snapshot(client)
    assert (state["forms"]["cas.fallback_shown"], state["tickets"]) == (1, 1)
    assert account(client, LARS)["eulogin_signins"] == 1


def test_the_gear_menu_opens_on_hover_in_that_variant(client: FlaskClient) -> None:
    """EC-AGM: no disclosure to click; the menu is shown by :hover (the stylesheet says so)."""
    assert "<details>" in sign_in(client, LARS, LARS_PW).text
    variants(client, gear_menu="hover")
    page = client.get("/cas/userdata/myAccount.cgi").text
    assert 'class="user-menu gear-hover"' in page and "<summary" not in page
    assert 'aria-label="Account settings"' in page and 'href="/cas/userdata/myAccount.cgi"' in page
    assert ".gear-hover:hover .gear-menu" in client.get("/static/portal.css").text


def test_my_account_lists_the_confirmed_menu(client: FlaskClient) -> None:
    sign_in(client, LARS, LARS_PW)
    page = client.get("/cas/userdata/myAccount.cgi").text
    for entry in ("Configure my account", "Manage my mobile devices", "Manage my mobile phone numbers",
                  "Manage my Security Keys and Trusted Platforms", "Delete all my devices and eID (PANIC)",
                  "Link my eID"):
        assert f">{entry}</a>" in page


def test_configure_my_account_always_mfa_removes_password(client: FlaskClient) -> None:
    """EUL-OPTIONS, EUL-ISSUES: the two options; after Submit the message; "Password" disappears."""
    sign_in(client, LARS, LARS_PW)
    page = client.get("/cas/userdata/configureMyAccount.cgi").text
    assert "Always require multi-factor authentication" in page
    assert "View my EU Login account details after logging me in" in page
    answer = client.post("/cas/userdata/configureMyAccount.cgi", data={"alwaysMfa": "on"})
    assert "Your account has been successfully updated." in answer.text
    assert (account(client, LARS)["always_mfa"], account(client, LARS)["details_after_login"]) == (True, False)
    client.get("/cas/logout")
    step_two = client.get(whoami(client, LARS).headers["Location"]).text
    assert 'value="PASSWORD"' not in step_two
    refused = password(client, login_request_id(step_two), LARS_PW, "PASSWORD")
    assert "requires two-factor" in refused.text and account(client, LARS)["eulogin_signins"] == 1


# --- lockout ------------------------------------------------------------------------------------

def five_wrong(client: FlaskClient) -> str:
    page = ""
    for _ in range(5):
        page = sign_in(client, LARS, "wrong").text
    return page


def test_lockout_until_reset_outlasts_any_wait(client: FlaskClient) -> None:
    """Guide I2: five in a row block until a new password is requested, however long one waits."""
    assert "Request a new password" in five_wrong(client)
    advance_minutes(client, 60 * 24 * 3)
    assert "has been blocked" in sign_in(client, LARS, LARS_PW).text
    assert (account(client, LARS)["blocked"], account(client, LARS)["eulogin_signins"]) == (True, 0)


def test_lockout_auto_unlock_lifts_after_fifteen_minutes_on_the_portal_clock(client: FlaskClient) -> None:
    """EUL-HELP: "wait 15 minutes until the account is unlocked automatically"."""
    variants(client, lockout="auto_unlock")
    assert "Wait 15 minutes until the account is unlocked automatically" in five_wrong(client)
    advance_minutes(client, 14)
    assert "has been blocked" in sign_in(client, LARS, LARS_PW).text
    assert (account(client, LARS)["blocked"], account(client, LARS)["failed_passwords"]) == (True, 5)
    advance_minutes(client, 1.5)
    assert account(client, LARS)["blocked"] is False
    assert "Successful login" in sign_in(client, LARS, LARS_PW).text
    assert (account(client, LARS)["eulogin_signins"], account(client, LARS)["failed_in_row"]) == (1, 0)


def test_a_locked_account_cannot_reset_its_password_under_auto_unlock(client: FlaskClient) -> None:
    """EUL-HELP: "you can't reset your password if your account is locked": no e-mail is sent."""
    variants(client, lockout="auto_unlock")
    five_wrong(client)
    answer = client.post("/cas/lostpassword", data={"email": LARS})
    assert answer.status_code == 423 and "can't reset your password" in html.unescape(answer.text)
    assert client.get(f"/__stub__/mailbox?to={LARS}").json == []
    client.post("/__stub__/variants", json={"lockout": "until_reset"})
    client.post("/cas/lostpassword", data={"email": LARS})
    assert len(client.get(f"/__stub__/mailbox?to={LARS}").json) == 1  # type: ignore[arg-type]


# --- security keys ------------------------------------------------------------------------------

def test_add_a_security_key_then_a_name_then_submit_then_the_prompt(client: FlaskClient) -> None:
    """EUL-PASSKEY: "Add a Security Key" -> a name -> "Submit" -> the browser's prompt."""
    variants(client, passkey_enrolment="named_submit")
    sign_in(client, LARS, LARS_PW)
    keys = client.get("/cas/userdata/webauthn/manageMySecurityKeys.cgi").text
    add = re.search(r'<a [^>]*href="([^"]+)">Add a Security Key</a>', keys)
    assert add and "navigator.credentials.create" not in keys
    form = client.get(add.group(1)).text
    assert '<label for="keyName">' in form and re.search(r'<button type="submit"[^>]*>Submit</button>', form)
    empty = client.post(add.group(1), data={"name": " "})
    assert empty.status_code == 400 and snapshot(client)["pending_key_names"] == {}
    prompt = client.post(add.group(1), data={"name": "Work laptop"})
    assert "navigator.credentials.create" in prompt.text
    state = snapshot(client)
    assert state["pending_key_names"] == {LARS: "Work laptop"} and state["forms"]["webauthn.name"] == 2
    # nothing registered before the browser answers: only the passkey Lars was seeded with
    assert [key["name"] for key in account(client, LARS)["passkeys"]] == ["Offline portal key"]


def test_by_default_the_one_step_security_key_screen_stays(client: FlaskClient) -> None:
    sign_in(client, LARS, LARS_PW)
    keys = client.get("/cas/userdata/webauthn/manageMySecurityKeys.cgi").text
    assert "Add a Security Key or Trusted Platform" in keys and 'id="keyName"' in keys


# --- TRACES -------------------------------------------------------------------------------------

def test_tracesnt_root_is_never_a_404(client: FlaskClient) -> None:
    assert client.get("/tracesnt/").headers["Location"].endswith("/tracesnt/login")
    traces_session(client, LARS, LARS_PW)
    assert client.get("/tracesnt/").headers["Location"].endswith("/tracesnt/home")


@pytest.mark.parametrize(("setting", "en", "sv"), [("sign_up", "Sign up for TRACES", "Registrera dig för TRACES"),
                                                    ("request_access", "Request an access", "Begär åtkomst")])
def test_the_newcomer_box_in_either_wording(client: FlaskClient, setting: str, en: str, sv: str) -> None:
    variants(client, signup_label=setting)
    assert en in client.get("/tracesnt/login?lang=en").text
    assert sv in client.get("/tracesnt/login?lang=sv").text
    assert "Log into Traces" in client.get("/tracesnt/login?lang=en").text


def test_users_menu_actors_individuals_or_older_organisations(client: FlaskClient) -> None:
    traces_session(client, ANNA, ANNA_PW)
    page = client.get("/tracesnt/home").text
    assert "<summary>Actors</summary>" in page and "Individuals" in page
    variants(client, users_menu="organisations")
    page = client.get("/tracesnt/home").text
    assert "<summary>Organisations</summary>" in page and "Individuals" not in page


def pending_ids(state: PortalState, username: str) -> dict[int, int]:
    """operator id -> request id of `username`'s requests."""
    return {r.operator_id: r.id for r in state.traces.roles_of(username)}


@pytest.mark.parametrize(("setting", "save", "approved"), [("save_changes", "Save changes", "Authorised"),
                                                           ("save", "Save", "Valid")])
def test_approve_then_save_in_either_wording_and_the_approved_status(
        client: FlaskClient, state: PortalState, setting: str, save: str, approved: str) -> None:
    """Save changes (guide, older help) vs Save (newest help); status Valid (TNT-HELP) when chosen."""
    variants(client, save_label=setting, approved_status="valid" if setting == "save" else "authorised")
    traces_session(client, ANNA, ANNA_PW)
    page = client.get(f"/tracesnt/actors/user?username={ERIK}").text
    assert re.search(rf'<button type="submit" class="btn btn-primary">{save}</button>', page)
    box = pending_ids(state, ERIK)[1]
    client.post("/tracesnt/actors/user", data={"username": ERIK, f"decision_{box}": "approve", f"admin_{box}": "0"})
    assert [r["status"] for r in snapshot(client)["role_requests"] if r["username"] == ERIK] == ["authorised"]
    assert snapshot(client)["user_actions"] == {f"approve:{ERIK}:1": 1}
    assert f'<span class="status">{approved}</span>' in client.get(f"/tracesnt/actors/user?username={ERIK}").text


def test_valid_status_in_swedish_and_on_the_profile(client: FlaskClient) -> None:
    """sv "Giltig" is inferred (German help "Gültig"); the profile shows the same word."""
    variants(client, approved_status="valid", save_label="save")
    traces_session(client, LARS, LARS_PW)
    assert "<td>Giltig</td>" in client.get("/tracesnt/profile?lang=sv").text
    assert "<td>Valid</td>" in client.get("/tracesnt/profile?lang=en").text
    traces_session(client, ANNA, ANNA_PW)
    assert ">Spara</button>" in client.get(f"/tracesnt/actors/user?username={ERIK}&lang=sv").text


def test_unsuspend_user_needs_a_save_afterwards(client: FlaskClient) -> None:
    """TNT-HELP: "Unsuspend User" and then save. The button only marks the page; the save unsuspends."""
    variants(client, unsuspend_needs_save=True)
    traces_session(client, ANNA, ANNA_PW)
    page = client.get(f"/tracesnt/actors/user?username={SVEN}").text
    start = page.index('<form id="userForm"')
    form = page[start:page.index("</form>", start)]
    assert re.search(r'<button type="button" id="unsuspendUser"[^>]*>Unsuspend User</button>', form)
    assert client.post("/tracesnt/actors/user/unsuspend", data={"username": SVEN}).status_code == 404
    client.post("/tracesnt/actors/user", data={"username": SVEN, "unsuspend": ""})
    assert account(client, SVEN)["suspended"] is True and snapshot(client)["user_actions"] == {}
    client.post("/tracesnt/actors/user", data={"username": SVEN, "unsuspend": "1"})
    assert account(client, SVEN)["suspended"] is False
    assert snapshot(client)["user_actions"] == {f"unsuspend:{SVEN}": 1}


def test_by_default_unsuspend_acts_at_once(client: FlaskClient) -> None:
    traces_session(client, ANNA, ANNA_PW)
    client.post("/tracesnt/actors/user/unsuspend", data={"username": SVEN})
    assert account(client, SVEN)["suspended"] is False


def test_view_and_the_name_both_open_the_request(client: FlaskClient) -> None:
    """TNT-HELP: click the user's name or "View"; both reach the same user page."""
    variants(client, users_view_link=True)
    traces_session(client, ANNA, ANNA_PW)
    page = client.get("/tracesnt/actors/users?pending=1").text
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if ERIK in r)
    by_name = re.search(r'<td><a href="([^"]+)">Erik Eriksson</a></td>', row)
    by_view = re.search(r'<a class="view" href="([^"]+)">View</a>', row)
    assert by_name and by_view and "<th>View</th>" in page
    for link in (by_name.group(1), by_view.group(1)):
        opened = client.get(link.replace("&amp;", "&"))
        assert opened.status_code == 200 and "User: Erik Eriksson" in opened.text
    assert snapshot(client)["user_actions"] == {}  # opening changes nothing


def test_the_as_chooser_shows_one_profile_at_a_time(client: FlaskClient, state: PortalState) -> None:
    """TNT-HELP: a user with several profiles is first given "As"; the save touches the chosen one only."""
    state.traces.requests.append(RoleRequest(next(state.traces.ids), ERIK, 2, "pending"))
    variants(client, profile_chooser=True)
    traces_session(client, ANNA, ANNA_PW)
    page = client.get(f"/tracesnt/actors/user?username={ERIK}").text
    assert '<label for="profileAs">As</label>' in page and 'class="authority' not in page
    assert "Grönt Export AB</option>" in page and "Grönt Export Skåne AB</option>" in page
    ids = pending_ids(state, ERIK)
    chosen = client.get(f"/tracesnt/actors/user?username={ERIK}&as={ids[2]}").text
    assert 'aria-label="Grönt Export Skåne AB"' in chosen and 'aria-label="Grönt Export AB"' not in chosen
    client.post("/tracesnt/actors/user", data={"username": ERIK, "as": str(ids[2]),
                                               f"decision_{ids[2]}": "approve", f"admin_{ids[2]}": "0"})
    statuses = {r["operator_id"]: r["status"] for r in snapshot(client)["role_requests"] if r["username"] == ERIK}
    assert statuses == {1: "pending", 2: "authorised"}


def test_without_the_chooser_every_box_is_shown(client: FlaskClient, state: PortalState) -> None:
    state.traces.requests.append(RoleRequest(next(state.traces.ids), ERIK, 2, "pending"))
    traces_session(client, ANNA, ANNA_PW)
    page = client.get(f"/tracesnt/actors/user?username={ERIK}").text
    assert page.count('<section class="authority') == 2 and "profileAs" not in page


# --- operator search and creation ---------------------------------------------------------------

def test_select_tick_boxes_request_each_ticked_operator_once(client: FlaskClient) -> None:
    """TNT-HELP: a "Select" tick box per row (uncertain), then "Request Authorisation"."""
    variants(client, operator_select="checkbox")
    traces_session(client, "nils.ny@vaxtexport.se", "Nils-Ny-2025!")
    page = client.get("/tracesnt/registration/operator/search?country=SE&name=Grönt").text
    assert re.search(r'<input type="checkbox" name="operator_id" value="1"', page)
    client.post("/tracesnt/registration/operator/request", data={"operator_id": ["1", "2", "2"]})
    mine = [r["operator_id"] for r in snapshot(client)["role_requests"] if r["username"] == "nils.ny@vaxtexport.se"]
    assert mine == [1, 2]


OPERATOR = {"name": "Ny Firma AB", "street": "Gatan 1", "postal_code": "25220", "city": "Helsingborg",
            "country": "SE", "phone": "+46 42 1", "email": "a@b.se", "identifier_type": "NATIONAL_REGISTRATION_NUMBER",
            "identifier": "556000-0001", "identification_code": "556000-0001", "activity_address": "Gatan 1"}
ACTIVITY = {"PLANT_HEALTH": ("EUPO", "EUPO_OPERATOR"), "ANIMAL": ("ANIMAL_TRANSPORT", "ANIMAL_TRANSPORTER"),
            "FOOD": ("FOOD_ESTABLISHMENT", "FOOD_PRODUCER"), "OTHER": ("CONSIGNMENT", "RESPONSIBLE_FOR_LOAD"),
            "FISHING": ("FISHING_VESSEL", "FISHING_OPERATOR"), "EU_CITES": ("CITES", "CITES_TRADER")}


def create(client: FlaskClient, chapter: str, authority: str = "", section: str = "") -> TestResponse:
    default_section, activity = ACTIVITY.get(chapter, ("", ""))
    return client.post("/tracesnt/registration/operator/new", data={
        **OPERATOR, "chapter": chapter, "section": section or default_section,
        "activity": activity if not section else f"{section}_OPERATOR", "authority_id": authority})


def created(client: FlaskClient) -> list[list[Any]]:
    return [o["activities"][0] for o in snapshot(client)["operators"] if o["name"] == OPERATOR["name"]]


@pytest.mark.parametrize("chapter", ["ANIMAL", "FOOD", "OTHER", "FISHING"])
def test_these_chapters_need_the_authority_search(client: FlaskClient, chapter: str) -> None:
    """TNT-HELP: "Search responsible authorities" is needed for Animal, Food, Other and Fishing."""
    traces_session(client, "nils.ny@vaxtexport.se", "Nils-Ny-2025!")
    refused = create(client, chapter)
    assert refused.status_code == 400 and "Designated competent authorities" in refused.text and created(client) == []
    assert create(client, chapter, authority="2").status_code == 302
    assert created(client) == [[chapter, ACTIVITY[chapter][0], ACTIVITY[chapter][1], 2]]


@pytest.mark.parametrize("chapter", ["PLANT_HEALTH", "EU_CITES"])
def test_plant_health_and_cites_get_their_authority_automatically(client: FlaskClient, chapter: str) -> None:
    """TNT-HELP: assigned automatically; a chosen authority is not what decides it."""
    traces_session(client, "nils.ny@vaxtexport.se", "Nils-Ny-2025!")
    assert create(client, chapter, authority="5").status_code == 302
    assert created(client) == [[chapter, ACTIVITY[chapter][0], ACTIVITY[chapter][1], 1]]
    form = client.get("/tracesnt/registration/operator/new?searched=1").text
    assert 'id="authorityAutomatic" hidden' in form and '"PLANT_HEALTH"' in form


def test_oper_029_refuses_a_list_managed_section_and_qua_conf_is_requestable(client: FlaskClient) -> None:
    """TNT-HELP quotes the error; TNT-PH: it hits sections managed through national lists, and QUA-CONF
    is requestable. Which section is list-managed here is inferred (control points, CP)."""
    traces_session(client, "nils.ny@vaxtexport.se", "Nils-Ny-2025!")
    refused = create(client, "PLANT_HEALTH", section="CONTROL_POINT")
    assert refused.status_code == 400 and "OPER-029 Data input source in TNT user registration not allowed " \
        "for classification section CP" in refused.text
    assert created(client) == [] and snapshot(client)["forms"]["traces.create_operator"] == 1
    assert create(client, "PLANT_HEALTH", section="QUA_CONF").status_code == 302
    assert created(client) == [["PLANT_HEALTH", "QUA_CONF", "QUA_CONF_OPERATOR", 1]]


@pytest.mark.parametrize(("setting", "label"), [("competent", "Search competent authorities"),
                                                ("responsible", "Search responsible authorities")])
def test_the_authority_search_button_in_either_english_wording(client: FlaskClient, setting: str, label: str) -> None:
    variants(client, authority_search_label=setting)
    traces_session(client, "nils.ny@vaxtexport.se", "Nils-Ny-2025!")
    assert f">{label}</button>" in client.get("/tracesnt/registration/operator/new?searched=1").text
    assert ">Sök ansvariga myndigheter</button>" in client.get(
        "/tracesnt/registration/operator/new?searched=1&lang=sv").text


# --- inactivity: the portal's own rule ----------------------------------------------------------

def test_inactive_after_four_whole_months_by_the_portals_own_rule() -> None:
    """Guide I3, read independently of the toolkit: four whole calendar months."""
    last = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    assert not inactive_at(last, datetime(2025, 7, 10, 12, 0, tzinfo=UTC))  # exactly four months: not yet
    assert inactive_at(last, datetime(2025, 7, 10, 12, 1, tzinfo=UTC))
    end_of_october = datetime(2025, 10, 31, 9, 0, tzinfo=UTC)
    assert months_elapsed(end_of_october, datetime(2026, 2, 28, 23, 59, tzinfo=UTC)) == 3
    assert inactive_at(end_of_october, datetime(2026, 3, 1, 0, 0, tzinfo=UTC))
    assert not inactive_at(last, last)


def test_the_portal_clock_moves_an_account_into_inactivity(client: FlaskClient) -> None:
    client.post(f"/__stub__/accounts/{LARS}", json={"last_use_days_ago": 0})
    client.post("/__stub__/clock", json={"advance_days": 119})
    assert account(client, LARS)["inactive"] is False
    client.post("/__stub__/clock", json={"advance_days": 5})
    assert account(client, LARS)["inactive"] is True


# --- create an account --------------------------------------------------------------------------

def sign_up(client: FlaskClient, email: str) -> TestResponse:
    client.get("/cas/eim/external/register.cgi")
    captcha = client.get("/__stub__/captcha").json
    assert captcha
    client.post("/cas/eim/external/register.cgi", data={
        "firstName": "Ny", "lastName": "Person", "email": email, "emailConfirm": email, "emailLanguage": "en",
        "captchaId": captcha["id"], "captcha": captcha["code"], "privacy": "on"})
    link = client.get(f"/__stub__/mailbox?to={email}").json[-1]["link"]  # type: ignore[index]
    token = link.split("token=")[1]
    return client.post("/cas/init/initialisePasswordLogin.cgi", data={
        "token": token, "new_password": "Ny-Person-2025!", "confirm_password": "Ny-Person-2025!"})


def test_after_sign_up_you_are_now_authenticated_in_that_variant(client: FlaskClient) -> None:
    """EUL-CREATE: "click Submit. You are now authenticated": the EU Login session is open."""
    variants(client, signup_authenticates=True)
    done = sign_up(client, "ny.person@example.se")
    assert "You are now authenticated" in done.text and snapshot(client)["sessions"]["eulogin"] == 1
    assert "Successful login" in client.get("/cas/login").text  # single sign-on from the new session


def test_by_default_sign_up_ends_without_a_session(client: FlaskClient) -> None:
    done = sign_up(client, "ny.person@example.se")
    assert "You can now sign in" in done.text and snapshot(client)["sessions"]["eulogin"] == 0


def test_password_is_hidden_for_a_two_factor_service_in_that_variant(client: FlaskClient) -> None:
    """EUL-ISSUES: no "Password" method when the service demands two factors; the test-fixture
    accounts allowed the password alone keep it."""
    accept = "PASSWORD_MOBILE_APP,PASSWORD_SOFTWARE_TOKEN,PASSWORD_WEBAUTHN"
    variants(client, hide_password_for_two_factor_services=True)
    started = client.post("/cas/login", data={"username": "olle.app@vaxtexport.se", "whoamiSubmit": "Next",
                                               "service": TRACES_SERVICE, "acceptStrengths": accept})
    page = client.get(started.headers["Location"]).text
    assert 'value="PASSWORD"' not in page and 'value="PASSWORD_SOFTWARE_TOKEN"' in page
    refused = password(client, login_request_id(page), "Olle-App-2025!", "PASSWORD")
    assert "requires two-factor" in refused.text and account(client, "olle.app@vaxtexport.se")["eulogin_signins"] == 0
    lars = client.post("/cas/login", data={"username": LARS, "whoamiSubmit": "Next", "service": TRACES_SERVICE,
                                           "acceptStrengths": accept})
    assert 'value="PASSWORD"' in client.get(lars.headers["Location"]).text


# --- the audit table and the screens in both languages ------------------------------------------

def test_facts_md_lists_every_variant_with_its_default_and_newest_value() -> None:
    """FACTS.md's settings table and variants.py cannot drift apart."""
    from pathlib import Path

    import automation.stub

    text = (Path(automation.stub.__file__).parent / "FACTS.md").read_text()
    rows = {m.group(1): (m.group(2), m.group(3))
            for m in re.finditer(r"^\| `(\w+)` \| `([^`]+)`[^|]*\| `([^`]+)`", text, re.M)}
    expected = {name: (repr(getattr(OLDER, name)).replace("'", '"'),
                       repr(getattr(NEWEST_OFFICIAL, name)).replace("'", '"'))
                for name in Variants.__dataclass_fields__}
    assert rows == expected


ANONYMOUS_SCREENS = ["/cas/login", "/cas/lostpassword", "/cas/eim/external/register.cgi", "/tracesnt/login"]
SCREENS = ["/cas/login", "/cas/userdata/myAccount.cgi", "/cas/userdata/configureMyAccount.cgi",
           "/cas/userdata/webauthn/manageMySecurityKeys.cgi", "/cas/userdata/webauthn/addSecurityKey.cgi",
           "/tracesnt/home",
           "/tracesnt/profile", "/tracesnt/actors/users?pending=1", f"/tracesnt/actors/user?username={ERIK}",
           f"/tracesnt/actors/user?username={SVEN}", "/tracesnt/registration/organisation-type",
           "/tracesnt/registration/operator/search?country=SE&name=AB",
           "/tracesnt/registration/operator/new?searched=1"]


@pytest.mark.parametrize("preset", ["defaults", "newest_official"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_screen_renders_in_both_languages_under_both_presets(
        client: FlaskClient, state: PortalState, preset: str, lang: str) -> None:
    """Every label a variant can choose exists in sv and en (a missing one would be a 500)."""
    state.traces.requests.append(RoleRequest(next(state.traces.ids), ERIK, 2, "pending"))  # "As" has two
    variants(client, preset=preset)
    for screen in ANONYMOUS_SCREENS:
        answer = client.get(f"{screen}?lang={lang}")
        assert answer.status_code == 200, f"{screen}: {answer.status_code}"
    traces_session(client, ANNA, ANNA_PW)
    for screen in SCREENS:
        answer = client.get(f"{screen}{'&' if '?' in screen else '?'}lang={lang}")
        assert answer.status_code == 200, f"{screen}: {answer.status_code}"
    assert snapshot(client)["user_actions"] == {}  # looking changed nothing


def test_panic_deletes_every_device_and_suspends_the_traces_user(client: FlaskClient) -> None:
    """EUL-OPTIONS' PANIC entry; TNT-HELP: after a PANIC reset the TRACES user is suspended."""
    olle = "olle.app@vaxtexport.se"
    before = account(client, olle)
    assert before["devices"] and before["suspended"] is False
    sign_in(client, olle, "Olle-App-2025!")  # directly at EU Login: no service demands two factors
    assert "PANIC" in client.get("/cas/userdata/panic.cgi").text
    done = client.post("/cas/userdata/panic.cgi")
    assert "All your devices have been deleted." in done.text
    after = account(client, olle)
    assert (after["devices"], after["passkeys"], after["suspended"]) == ([], [], True)
    assert snapshot(client)["forms"]["cas.panic"] == 1
