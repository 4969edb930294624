"""Every flow against both sides of every disagreement between public sources (issue 11): the
offline portal's `older` preset and its default, the newest official source. In Swedish and
English, with the portal's counters proving nothing was sent twice and no password tried twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.config import Settings
from automation.errors import AccountBlockedError, CredentialsRejectedError, UnknownUserError
from automation.factors import build_factor
from automation.ledger import Ledger
from automation.policy import Policy
from automation.stub.server import StubServer
from automation.stub.traces_data import RoleRequest
from flows.jobs.approvals import Approvals
from flows.jobs.enroll import enroll_passkey
from flows.jobs.request_access import RequestAccess
from flows.jobs.signin import sign_in_to_traces
from tests.e2e.test_request_access import CARGO, GRONT, NEW_USER
from tests.helpers import PASSKEY_USER, PASSWORD_USER, Portal, make_account, password_env, traces_account

pytestmark = pytest.mark.e2e

ADMIN, ERIK, FRIDA, SVEN = ("anna.admin@vaxtexport.se", "erik.eriksson@grontexport.se", "frida.fors@grontexport.se",
                            "sven.susp@vaxtexport.se")


# A flow walked in full on every preset and in both languages, without every product of the two: each
# preset in one language, and the next flow the other way round (PAIRS, CROSSED), so that every preset
# meets both languages across the module.
PAIRS = pytest.mark.parametrize(("preset", "locale"), [("older", "sv"), ("newest_official", "en")],
                                indirect=["preset"])
CROSSED = pytest.mark.parametrize(("preset", "locale"), [("older", "en"), ("newest_official", "sv")],
                                  indirect=["preset"])


@pytest.fixture(params=["older", "newest_official"])
def preset(request: pytest.FixtureRequest, portal: Portal) -> str:
    """The preset the portal shows; a test parametrized with PAIRS or CROSSED names it with its language."""
    portal.call("variants", {"preset": request.param})
    return str(request.param)


@PAIRS
def test_a_passkey_is_added_and_then_signs_in_to_traces(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, preset: str, locale: str
) -> None:
    """Older screens: name, then the add button prompts. Newest: "Add a Security Key", the name,
    "Submit", then the prompt; the gear menu opens on hover; EU Login then remembers the user, so
    the TRACES sign-in starts on step 2 ("Sign in with a different e-mail address?"); the method
    chooser is the drop-down (newest) or the native select (older)."""
    account = make_account(PASSKEY_USER, "passkey", locale, tmp_path)
    enroll_passkey(page, settings, account, account.password(environ))
    # The same browser profile (EU Login remembers the user); a new tab, with its own authenticator.
    tab = page.context.new_page()
    signed_in = sign_in_to_traces(tab, settings, account, account.password(environ), build_factor(account, environ))
    assert signed_in.home.is_shown()
    state = portal.account(PASSKEY_USER)
    assert (state["traces_signins"], state["failed_passwords"], len(state["passkeys"])) == (1, 0, 1)


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_an_unknown_address_is_refused_where_the_portal_refuses_it(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, preset: str, locale: str
) -> None:
    """Newest (EC-ITB): refused at step 1, before any password. Older: refused after the password."""
    nobody = "nobody@vaxtexport.se"
    account = traces_account(nobody, locale, tmp_path)  # a passkey for an account EU Login does not have
    expected = UnknownUserError if preset == "newest_official" else CredentialsRejectedError
    with pytest.raises(expected):
        sign_in_to_traces(page, settings, account, account.password({password_env(nobody): "Some-Password-1"}),
                          build_factor(account, environ))
    assert portal.form_count("cas.password") == (0 if preset == "newest_official" else 1)


def test_a_blocked_account_gets_the_advice_its_portal_gives(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, preset: str
) -> None:
    """The guide: blocked until a new password is requested. EU Login's help: wait 15 minutes."""
    portal.call(f"accounts/{PASSWORD_USER}", {"blocked": True})
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    with pytest.raises(AccountBlockedError) as refused:
        sign_in_to_traces(page, settings, account, account.password(environ), build_factor(account, environ))
    advice = "15 minutes" if preset == "newest_official" else "request a new password"
    assert advice in str(refused.value)
    assert portal.account(PASSWORD_USER)["traces_signins"] == 0


@CROSSED
def test_approvals_are_carried_out_once_each(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, stub: StubServer, preset: str,
    locale: str, tmp_path: Path
) -> None:
    """Newest: "Save", status "Valid", a "View" link, a user with two profiles picked under "As",
    "Unsuspend User" then save. Each change once, each with its one audit row."""
    with stub.state.lock:  # Erik asks for a second operator of the administrator: two profiles
        stub.state.traces.requests.append(RoleRequest(9001, ERIK, 2, "pending"))
    policy = Policy(approve_emails=frozenset(), approve_domains=frozenset({"grontexport.se"}),
                    administrators=frozenset({FRIDA}), unsuspend=frozenset({SVEN}), operators=frozenset())
    account = traces_account(ADMIN, locale, tmp_path)
    flow = Approvals(page, settings, account, Ledger.in_home(settings.home))
    decisions = flow.run(account.password(environ), build_factor(account, environ), policy, True, None)
    assert {d.summary for d in decisions if d.action != "leave"} == {"done"}
    actions = portal.state()["user_actions"]
    assert actions == {f"approve:{ERIK}:1": 1, f"approve:{ERIK}:2": 1, f"approve:{FRIDA}:1": 1,
                       f"admin:{FRIDA}:1": 1, f"unsuspend:{SVEN}": 1}
    audit = [(a.action, a.target) for a in Ledger.in_home(settings.home).audit_trail() if a.outcome == "verified"]
    assert len(audit) == sum(actions.values())
    assert portal.account(SVEN)["suspended"] is False


@PAIRS
def test_access_is_requested_and_a_cargo_operator_is_created(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, preset: str, locale: str
) -> None:
    """Newest: the row's "Select" tick box, "Search responsible authorities" for the Other chapter."""
    account = traces_account(NEW_USER, locale, tmp_path)
    flow = RequestAccess(page, settings, account, Ledger.in_home(settings.home))
    assert flow.run(account.password(environ), build_factor(account, environ), GRONT, "exporter", False,
                    True).outcome == "requested"
    page.context.clear_cookies()
    cargo = CARGO.__class__("Hamnlast Öresund AB", "556789-0123", "Hamngatan 9", "25225", "Helsingborg", "1",
                           "h@l.se")
    created = flow.run(account.password(environ), build_factor(account, environ), cargo, "cargo", True, True)
    assert created.outcome == "created"
    assert (portal.form_count("traces.request_authorisation"), portal.form_count("traces.create_operator")) == (1, 1)
