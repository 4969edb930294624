"""request-access end to end: every branch of guide sections C, C-exists, C-new and G, each in one
language (both across the module; creating an exporter in both), asserting what the offline portal recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.catalog import Catalog
from automation.company import Company
from automation.config import Settings
from automation.errors import (
    AmbiguousOperatorError,
    OperatorElsewhereError,
    OperatorNotFoundError,
    PortalUnavailableError,
)
from automation.factors import build_factor
from automation.ledger import Ledger
from automation.pages.traces.home import TracesHomePage
from flows.jobs.request_access import AccessResult, RequestAccess
from flows.jobs.signin import sign_in_to_traces
from tests.helpers import PASSWORD_USER, Portal, traces_account

pytestmark = pytest.mark.e2e

NEW_USER, COI_USER = "nils.ny@vaxtexport.se", "cilla.coi@vaxtexport.se"
GRONT = Company("Grönt Export AB", "556677-8899", "Hamngatan 1", "25225", "Helsingborg", "+46 42 1", "a@b.se")
CARGO = Company("Öresund Last & Spedition AB", "556987-6542", "Hamntorget 3", "25220", "Helsingborg", "1", "c@d.se")
ORGANIC = Company("Gröna Ekogården AB", "556246-8131", "Bygatan 7", "55111", "Jönköping", "1", "e@f.se")
NEW = Company("Nya Plantor Helsingborg AB", "556321-9871", "Industrigatan 4", "25227", "Helsingborg",
              "+46 42 555 12 12", "kontakt@nyaplantor.se")


def request_access(page: Page, settings: Settings, environ: dict[str, str], tmp_path: Path, company: Company,
                   *, email: str = NEW_USER, locale: str = "sv", role: str = "exporter", create: bool = False,
                   apply: bool = True) -> AccessResult:
    account = traces_account(email, locale, tmp_path)
    flow = RequestAccess(page, settings, account, Ledger.in_home(settings.home))
    return flow.run(account.password(environ), build_factor(account, environ), company, role, create, apply)


def requests_of(portal: Portal, email: str) -> list[dict[str, object]]:
    return [r for r in portal.state()["role_requests"] if r["username"] == email]


def submissions(portal: Portal) -> int:
    return portal.form_count("traces.request_authorisation") + portal.form_count("traces.create_operator")


@pytest.mark.parametrize("locale", ["en"])  # one language per flow (docs/development.md: Tests)
def test_dry_run_plans_the_request_and_submits_nothing(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    result = request_access(page, settings, environ, tmp_path, GRONT, locale=locale, apply=False)
    assert result.outcome == "plan-request" and "(EURPO)" in " ".join(result.plan)
    assert submissions(portal) == 0 and requests_of(portal, NEW_USER) == []


@pytest.mark.parametrize("locale", ["sv"])  # one language per flow (docs/development.md: Tests)
def test_an_existing_exporter_gets_one_authorisation_request(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """Of two operators named "Grönt Export AB" the organisation number picks the right one (id 1)."""
    result = request_access(page, settings, environ, tmp_path, GRONT, locale=locale)
    assert result.outcome == "requested"
    assert [(r["operator_id"], r["status"]) for r in requests_of(portal, NEW_USER)] == [(1, "pending")]
    assert portal.form_count("traces.request_authorisation") == 1
    audit = Ledger.in_home(settings.home).audit_trail()
    assert [(a.action, a.outcome, a.target) for a in audit] == [("request-authorisation", "verified", NEW_USER)]


def test_the_profile_shows_the_pending_request_with_a_green_message(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """Right after "Skicka ansökan om godkännande" the profile says so (guide C7)."""
    account = traces_account(NEW_USER, "sv", tmp_path)
    flow = RequestAccess(page, settings, account, Ledger.in_home(settings.home))
    sent: list[bool] = []
    original = flow._request_recorded

    def spy(company: Company) -> bool:
        sent.append(page.get_by_text("Din ansökan om godkännande har skickats").is_visible())
        return original(company)

    flow._request_recorded = spy  # type: ignore[method-assign]
    flow.run(account.password(environ), build_factor(account, environ), GRONT, "exporter", False, True)
    assert sent == [True]
    expect(page.get_by_role("table", name="Dina roller")).to_contain_text("Väntar på godkännande")


@pytest.mark.parametrize("locale", ["en"])  # one language per flow (docs/development.md: Tests)
def test_an_existing_cargo_responsible_gets_a_request(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    result = request_access(page, settings, environ, tmp_path, CARGO, locale=locale, role="cargo")
    assert result.outcome == "requested"
    assert [r["operator_id"] for r in requests_of(portal, NEW_USER)] == [4]


@pytest.mark.parametrize("locale", ["sv"])  # one language per flow (docs/development.md: Tests)
def test_an_operator_only_with_another_authority_stops_with_the_guides_advice(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    with pytest.raises(OperatorElsewhereError, match="exportkontroll@jordbruksverket.se") as error:
        request_access(page, settings, environ, tmp_path, ORGANIC, locale=locale)
    assert error.value.exit_code == 9
    assert submissions(portal) == 0 and requests_of(portal, NEW_USER) == []


def test_an_exporter_request_on_a_cargo_only_operator_is_not_sent(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    with pytest.raises(OperatorElsewhereError):
        request_access(page, settings, environ, tmp_path, CARGO, role="exporter")
    assert submissions(portal) == 0


def test_same_named_operators_without_numbers_are_ambiguous(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    company = Company("Blomsterhandel Syd AB", "556321-9871", "Södergatan 2", "21119", "Malmö", "1", "g@h.se")
    with pytest.raises(AmbiguousOperatorError, match="2 operators match.*Södergatan 2.*Norra vägen 9"):
        request_access(page, settings, environ, tmp_path, company, locale="en")
    assert submissions(portal) == 0


def test_a_missing_operator_is_not_created_without_being_asked(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    with pytest.raises(OperatorNotFoundError, match="--create-if-missing"):
        request_access(page, settings, environ, tmp_path, NEW)
    assert submissions(portal) == 0


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_a_new_exporter_is_created_per_the_guide(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """Plants / EUPO / its one activity; number as national registration number and identification code;
    a postal code the portal lacks (252 27) replaced by the nearest, the real one kept with the street."""
    plan = request_access(page, settings, environ, tmp_path, NEW, locale=locale, create=True, apply=False)
    assert plan.outcome == "plan-create" and any("real 25227" in line for line in plan.plan)
    assert submissions(portal) == 0
    result = request_access(page, settings, environ, tmp_path, NEW, locale=locale, create=True)
    assert result.outcome == "created"
    operator = portal.state()["operators"][-1]
    assert operator["name"] == NEW.name and operator["status"] == "pending"
    assert operator["activities"] == [["PLANT_HEALTH", "EUPO", "EUPO_OPERATOR", 1]]
    assert operator["identifiers"] == [["NATIONAL_REGISTRATION_NUMBER", "556321-9871"]]
    assert (operator["postal_code"], operator["street"]) == ("25226", "Industrigatan 4, 252 27")
    assert portal.form_count("traces.create_operator") == 1
    assert [r["status"] for r in requests_of(portal, NEW_USER)] == ["pending"]


def test_the_creator_becomes_administrator_once_the_authority_approves(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    request_access(page, settings, environ, tmp_path, NEW, create=True)
    portal.call("traces/approve", {"username": NEW_USER})
    assert [(r["status"], r["administrator"]) for r in requests_of(portal, NEW_USER)] == [("authorised", True)]


@pytest.mark.parametrize("locale", ["en"])  # one language per flow (docs/development.md: Tests)
def test_a_new_cargo_responsible_is_created_in_plant_health_and_gets_the_helsingborg_authority(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """TNT-PH: "Responsible for the consignment" is a Plant Health activity (Part I of a CHED-PP); Plant
    Health has no authority step, the authority comes from the address (Helsingborg's, as guide C14 wants)."""
    result = request_access(page, settings, environ, tmp_path, NEW, locale=locale, role="cargo", create=True)
    assert not any("competent authority chosen" in line for line in result.plan)  # no step was there to take
    assert any("assigned by TRACES from the address" in line for line in result.plan)
    operator = portal.state()["operators"][-1]
    assert operator["activities"] == [["PLANT_HEALTH", "PH_CONSIGNMENT", "RESPONSIBLE_FOR_CONSIGNMENT", 2]]


def test_the_operator_form_shows_the_authority_step_only_where_the_help_says(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """TNT-PH: Plant Health has no authority step (the button was on screen: `hidden` lost to `.btn`'s
    display), Other has the search, Organic its "Control Body / Control Authority" box; TNT-HELP: a
    green "+ Add address", red stars, and the identifier "if possible"."""
    account = traces_account(NEW_USER, "en", tmp_path)
    home = sign_in_to_traces(page, settings, account, account.password(environ), build_factor(account, environ)).home
    form = home.role_selection().choose_operator().search("").create_new_operator().add_identifier()
    form.choose_chapter("cargo")
    expect(form.authority_search_button).to_be_hidden()
    expect(form.authority_assigned_note).to_be_visible()
    expect(form.control_body).to_be_hidden()
    form.choose_chapter("cargo_other")
    expect(form.authority_search_button).to_be_visible()
    expect(form.authority_assigned_note).to_be_hidden()
    form.choose_chapter("organic")
    expect(form.control_body).to_be_visible()
    expect(form.authority_search_button).to_be_hidden()
    expect(form.add_address_button).to_be_visible()
    expect(form.identifier_hint).to_be_visible()
    expect(form.mandatory_stars.first).to_have_css("color", "rgb(204, 0, 0)")
    assert portal.form_count("traces.create_operator") == 0


def test_a_session_from_before_the_validation_is_not_trusted(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """TNT-HELP "Getting started": once validated, the user must sign in to TRACES again. The portal keeps
    the old status in the browser's open session; request-access signs it out and reads a new one."""
    request_access(page, settings, environ, tmp_path, GRONT)
    portal.call("traces/approve", {"username": NEW_USER})
    stale = TracesHomePage(page, Catalog("sv"), settings.timeout_ms, email=NEW_USER).open(settings.traces_url)
    assert [r.status for r in stale.open_profile().roles()] == ["pending"]  # what the old session still shows
    signins = portal.state()["accounts"][NEW_USER]["traces_signins"]
    again = request_access(page, settings, environ, tmp_path, GRONT)
    assert again.outcome == "already-authorised"
    assert portal.state()["accounts"][NEW_USER]["traces_signins"] == signins + 1
    assert portal.state()["sessions"]["traces"] == 1  # the old session was signed out, not left open
    assert portal.form_count("traces.request_authorisation") == 1


def test_a_second_run_reports_the_pending_request_and_submits_nothing(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    request_access(page, settings, environ, tmp_path, GRONT)
    page.context.clear_cookies()
    again = request_access(page, settings, environ, tmp_path, GRONT)
    assert again.outcome == "already-pending"
    assert portal.form_count("traces.request_authorisation") == 1


def test_an_authorised_user_is_told_so(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    nordic = Company("Nordic Plant Trade AB", "556135-7921", "Kungsgatan 20", "11122", "Stockholm", "1", "i@j.se")
    result = request_access(page, settings, environ, tmp_path, nordic, email=PASSWORD_USER, locale="en")
    assert (result.outcome, result.operator) == ("already-authorised", "Nordic Plant Trade AB")
    assert submissions(portal) == 0


@pytest.mark.parametrize("locale", ["sv"])  # one language per flow (docs/development.md: Tests)
def test_a_user_in_traces_for_organics_goes_through_request_new_role(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """Guide G: e-mail top right → Edit Your Profile → Request new role → Operator → the search."""
    result = request_access(page, settings, environ, tmp_path, GRONT, email=COI_USER, locale=locale)
    assert result.outcome == "requested"
    assert sorted((r["operator_id"], r["status"]) for r in requests_of(portal, COI_USER)) == [
        (1, "pending"), (5, "authorised")]


@pytest.mark.parametrize(("company", "create", "form"), [
    (GRONT, False, "traces.request_authorisation"),
    (NEW, True, "traces.create_operator"),
])
def test_a_fault_right_after_the_submit_still_leaves_exactly_one_request(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path,
    company: Company, create: bool, form: str,
) -> None:
    """The portal takes the submission but the answer is a 503: the flow reads the profile, finds the
    request there, and never submits again."""
    portal.call("faults", {"fail_after_submit": 1})
    result = request_access(page, settings, environ, tmp_path, company, create=create)
    assert result.outcome in {"requested", "created"}
    assert portal.form_count(form) == 1
    assert len(requests_of(portal, NEW_USER)) == 1
    assert [a.outcome for a in Ledger.in_home(settings.home).audit_trail()] == ["verified"]


def test_a_request_whose_answer_and_read_back_are_lost_is_audited_once_by_the_rerun(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """The portal takes the request, then fails the answer and the read-back: the run ends
    unavailable with its intent row open; the rerun finds the request pending, completes that row
    (verified after the fact) and says so, submitting nothing."""
    account = traces_account(NEW_USER, "sv", tmp_path)
    ledger = Ledger.in_home(settings.home)
    flow = RequestAccess(page, settings, account, ledger)

    def portal_down(company: Company) -> bool:
        raise PortalUnavailableError("the portal answered 503")

    portal.call("faults", {"fail_after_submit": 1})
    flow._request_recorded = portal_down  # type: ignore[method-assign]
    with pytest.raises(PortalUnavailableError):
        flow.run(account.password(environ), build_factor(account, environ), GRONT, "exporter", False, True)
    assert [a.outcome for a in ledger.audit_trail()] == ["intent"]

    page.context.clear_cookies()
    again = request_access(page, settings, environ, tmp_path, GRONT)
    assert again.outcome == "verified-late"
    assert portal.form_count("traces.request_authorisation") == 1 and len(requests_of(portal, NEW_USER)) == 1
    assert [(a.action, a.outcome) for a in ledger.audit_trail()] == [
        ("request-authorisation", "verified-after-the-fact")]
