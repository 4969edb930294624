"""The guide check against the offline portal: a clean run matches every checkable step; injected
drifts are found at their step with the right suggestion and change nothing else; nothing is
submitted; the reports parse."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.catalog import Catalog, selectors_dir
from automation.config import Settings
from automation.factors import build_factor
from automation.guide import default_guide, load_guide
from flows.jobs.guide_check import StepResult, walk_guide
from flows.reports.guide import exit_code
from flows.reports.guide_html import write_reports
from tests.helpers import PASSWORD_USER, Portal, traces_account

pytestmark = pytest.mark.e2e

ADMIN, NEW_USER = "anna.admin@vaxtexport.se", "nils.ny@vaxtexport.se"
GUIDE = load_guide(default_guide())
CHECKABLE = {s.id for s in GUIDE.steps if s.checkable}


def check(page: Page, settings: Settings, environ: dict[str, str], email: str = ADMIN, locale: str = "sv",
          report: Path | None = None, catalog: Catalog | None = None) -> dict[str, StepResult]:
    account = traces_account(email, locale, settings.home.parent)  # its passkey file beside the test's home
    results, notes, seconds = walk_guide(page, settings, account, account.password(environ),
                                         build_factor(account, environ), GUIDE, locale, report, catalog)
    if report is not None:
        write_reports(report, GUIDE, locale, results, notes, seconds)
    return {r.step.id: r for r in results}


@pytest.fixture(autouse=True)
def the_guides_screens(portal: Portal) -> None:
    """The 2025-03-18 guide describes the screens of its time: the offline portal's older preset.
    The newest official screens differ from it where the sources disagree (test below)."""
    portal.call("variants", {"preset": "older"})


def outcomes(results: dict[str, StepResult]) -> dict[str, str]:
    return {step_id: r.outcome for step_id, r in results.items()}


def nothing_submitted(portal: Portal) -> None:
    state = portal.state()
    assert {k for k in state["forms"] if not k.startswith("cas.")} == set(), state["forms"]
    assert state["user_actions"] == {}
    assert all(r["status"] == "pending" or r["username"] != NEW_USER for r in state["role_requests"])


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_a_clean_run_matches_every_checkable_step_and_submits_nothing(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    results = check(page, settings, environ, locale=locale, report=tmp_path / "report")
    assert {i for i, o in outcomes(results).items() if o == "match"} == CHECKABLE
    assert {o for i, o in outcomes(results).items() if i not in CHECKABLE} == {"not checkable"}
    assert exit_code(list(results.values())) == 0
    nothing_submitted(portal)


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_the_newest_screens_differ_from_the_guide_only_where_the_newest_help_does(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, locale: str
) -> None:
    """On the newest official screens the guide drifts where the newest help words things
    differently ("Spara" for "Spara ändringar"); the toolkit knows those wordings: no toolkit drift."""
    portal.call("variants", {"preset": "newest_official"})
    results = check(page, settings, environ, locale=locale)
    drifted = {i: r for i, r in results.items() if r.outcome not in {"match", "not checkable"}}
    assert {r.outcome for r in drifted.values()} == {"guide drift"}
    assert "E4" in drifted and next(lr for lr in drifted["E4"].labels).variant in {"Spara", "Save"}
    assert exit_code(list(results.values())) == 20
    nothing_submitted(portal)


# Renamed labels the page objects do not need (or know in the new wording): guide drift only.
GUIDE_DRIFTS = [
    ("user.save", "Spara", "E4", "Spara ändringar"),  # the catalogue knows the newer "Spara"
    ("op.authorities", "Utsedda behöriga myndigheter", "C14", "Angivna ansvariga myndigheter"),
]
# Renamed labels a page object needs: toolkit drift, naming it, since the flows would fail there too.
TOOLKIT_DRIFTS = [
    ("reg.col.activities", "Verksamheter", "C4", "Aktiviteter", "OperatorSearchPage",
     "traces.search.activities_column"),
    ("reg.request", "Begär behörighet", "C6", "Begär tillstånd", "OperatorSearchPage", "traces.search.request"),
    ("users.pending", "Sök väntande ansökningar", "E2", "Sök pågående ansökningar", "UsersPage",
     "traces.users.pending"),
]


def test_each_guide_drift_is_found_at_its_step_with_its_suggestion_and_nothing_else_changes(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    clean = outcomes(check(page, settings, environ))
    for key, label, _, _ in GUIDE_DRIFTS:
        portal.call("drift", {"locale": "sv", "key": key, "label": label})
    page.context.clear_cookies()
    results = check(page, settings, environ, report=tmp_path / "report")
    drifted = {step for _, _, step, _ in GUIDE_DRIFTS}
    for _key, label, step, guide_text in GUIDE_DRIFTS:
        finding = next(lr for lr in results[step].labels if lr.text == guide_text)
        assert (results[step].outcome, finding.outcome, finding.suggestion) == ("guide drift", "guide drift", label)
    assert next(lr for lr in results["E4"].labels).variant == "Spara"  # the variant the toolkit found
    assert {i: o for i, o in outcomes(results).items() if i not in drifted} == \
        {i: o for i, o in clean.items() if i not in drifted}
    assert exit_code(list(results.values())) == 20
    nothing_submitted(portal)

    report = json.loads((tmp_path / "report" / "guide-check.json").read_text())
    assert {s["id"] for s in report["steps"] if s["outcome"] == "guide drift"} == drifted
    suite = ET.parse(tmp_path / "report" / "guide-check.junit.xml").getroot()
    cases = suite.findall("testcase")
    assert len(cases) == len(GUIDE.steps) == int(suite.get("tests", "0"))
    assert len([c for c in cases if c.find("failure") is not None]) == len(drifted)
    page_html = (tmp_path / "report" / "guide-check.html").read_text()
    assert "Spara ändringar" in page_html and "traces.user_page.png" in page_html
    assert (tmp_path / "report" / "traces.user_page.png").stat().st_size > 1000


def test_a_renamed_label_a_page_object_needs_is_toolkit_drift_naming_it(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    """The walk goes through the flows' page objects: where they cannot find their label, the
    finding names the page object and the catalogue entry; the walk goes on past it."""
    for key, label, *_ in TOOLKIT_DRIFTS:
        portal.call("drift", {"locale": "sv", "key": key, "label": label})
    # Each renamed label costs one grace: 2 s instead of the default 5 (the offline portal's screens
    # come with their labels; the grace only covers labels a script draws).
    results = check(page, replace(settings, drift_grace_ms=2_000), environ)
    for _key, label, step, guide_text, page_object, entry in TOOLKIT_DRIFTS:
        finding = next(lr for lr in results[step].labels if lr.catalog == entry)
        assert (results[step].outcome, finding.outcome, finding.page_object) == \
            ("toolkit drift", "toolkit drift", page_object), step
        assert finding.text == guide_text and finding.suggestion == label
    assert results["C8"].outcome == "match"  # the walk went on to the operator form
    # Screens behind a missing way on are not reached, and say why.
    assert (results["C7"].outcome, results["E3"].outcome) == ("not reached", "not reached")
    assert "traces.search.request" in results["C7"].reason and "traces.users.pending" in results["E3"].reason
    assert exit_code(list(results.values())) == 21
    nothing_submitted(portal)


def test_a_broken_catalogue_entry_is_toolkit_drift_not_guide_drift(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """The UI still says "Spara ändringar" but the toolkit's catalogue looks for something else."""
    broken = tmp_path / "selectors"
    shutil.copytree(selectors_dir(), broken)
    toml = broken / "traces.toml"
    catalogued = 'sv = ["Spara", "Spara ändringar"]'
    assert catalogued in toml.read_text()
    toml.write_text(toml.read_text().replace(catalogued, 'sv = "Spara allt"'))
    results = check(page, settings, environ, catalog=Catalog("sv", broken))
    finding = next(lr for lr in results["E4"].labels if lr.text == "Spara ändringar")
    assert (results["E4"].outcome, finding.outcome, finding.catalog) == ("toolkit drift", "toolkit drift",
                                                                          "traces.user.save")
    assert exit_code(list(results.values())) == 21
    assert [i for i, r in results.items() if r.outcome not in {"match", "not checkable"}] == ["E4"]


def test_steps_the_account_cannot_reach_are_skipped_with_the_reason(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    """A user without a TRACES role: the profile steps (G) and the administrator steps (E, F) are skipped."""
    results = check(page, settings, environ, email=NEW_USER)
    skipped = {i for i, r in results.items() if r.outcome == "skipped"}
    assert skipped == {"E1", "E2", "E3", "E4", "F1", "G1", "G2"}
    assert "administrator" in results["E4"].reason and "role" in results["G1"].reason
    assert {i for i, r in results.items() if r.outcome == "match"} == CHECKABLE - skipped
    nothing_submitted(portal)


def test_a_user_who_is_not_administrator_gets_the_admin_steps_skipped(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    results = check(page, settings, environ, email=PASSWORD_USER, locale="en")
    assert {i for i, r in results.items() if r.outcome == "skipped"} == {"E1", "E2", "E3", "E4", "F1"}


def test_an_unreachable_side_screen_does_not_stop_the_walk(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """The catalogue cannot find "Create an account": toolkit drift on the sign-in page (whose page
    object needs the link), its screen "not reached", and the walk still signs in and checks
    everything after it."""
    broken = tmp_path / "selectors"
    shutil.copytree(selectors_dir(), broken)
    toml = broken / "eulogin.toml"
    toml.write_text(toml.read_text().replace(
        '[whoami.create_account]\nrole = "link"\nname = { en = "Create an account", sv = "Skapa konto" }',
        '[whoami.create_account]\ncss = "#no-such-link"'))
    results = check(page, settings, environ, catalog=Catalog("sv", broken))
    assert {i: r.outcome for i, r in results.items() if r.outcome not in {"match", "not checkable"}} == \
        {"A1": "toolkit drift", "A2": "not reached"}
    assert [lr.page_object for lr in results["A1"].labels] == ["WhoamiPage"]
    assert "eulogin.whoami.create_account" in results["A2"].reason
    assert exit_code(list(results.values())) == 21


def test_the_walk_tells_its_progress_screen_by_screen_with_the_guides_steps(
    page: Page, settings: Settings, environ: dict[str, str]
) -> None:
    """Issue 22: the job tells its caller each screen as it gets there, the guide's steps on it first,
    the sign-in as its own stage; the count rises to the total, and the last word is the end."""
    heard: list[tuple[int, int, str]] = []
    account = traces_account(ADMIN, "sv", settings.home.parent)
    walk_guide(page, settings, account, account.password(environ), build_factor(account, environ), GUIDE, "sv",
               None, progress=lambda done, total, current: heard.append((done, total, current)))
    counts = [done for done, _, _ in heard]
    assert counts == sorted(counts) and heard[-1] == (heard[0][1], heard[0][1], "")
    assert "signing in" in [current for _, _, current in heard]
    add_device = [s.id for s in GUIDE.steps if s.checkable and s.screen == "eulogin.add_device"]
    assert add_device and any(current.startswith(add_device[0]) and current.endswith("eulogin.add_device")
                              for _, _, current in heard), heard


def test_guide_check_draws_its_progress_on_a_terminal_only(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a terminal the command line draws the walk's progress ("guide-check · ..."); off one, stderr
    stays JSON lines. One run each, the same account and portal."""
    from tests.helpers import SEEDED, password_env, run_cli, traces_account_toml

    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("anna", ADMIN, tmp_path, locale="sv"))
    args = ["--accounts", str(accounts), "--base-url", settings.base_url, "guide-check"]
    monkeypatch.setenv(password_env(ADMIN), SEEDED[ADMIN])
    assert run_cli(args) == 0
    off = capsys.readouterr().err
    assert "guide-check ·" not in off and all(json.loads(line) for line in off.splitlines()), off
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich's switch: stderr is a terminal
    monkeypatch.setenv("TRACESCTL_LOG_FORMAT", "console")  # the log's (and so machine_reader's) terminal rule
    monkeypatch.setenv(password_env(ADMIN), SEEDED[ADMIN])  # the run before took it out of the environment
    assert run_cli(args) == 0
    on = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", capsys.readouterr().err)  # rich's styles and cursor moves
    assert "guide-check · signing in" in on and "traces.user_page" in on, on
    assert re.search(r"\b(\d+)/\1 ", on), on  # the walk's end: every screen counted
