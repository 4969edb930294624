"""Issue 22, guide-check in CI: a known drift can be accepted (`--baseline FILE`, written by
`--update-baseline`), so it reports but does not fail, while a new or changed drift still does;
the report names toolkit drift rightly ("gone; nearest on screen")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.guide import default_guide, load_guide
from flows.cli.main import main
from flows.jobs.guide_check import GuideOutcome, LabelResult, StepResult
from flows.reports.guide import exit_code
from flows.reports.guide_baseline import AcceptedDrift, apply_baseline
from flows.reports.guide_html import _finding
from tests.helpers import SEEDED, Portal, run_cli, traces_account_toml

ADMIN = "anna.admin@vaxtexport.se"
GUIDE = load_guide(default_guide())


def step(step_id: str) -> StepResult:
    found = next(s for s in GUIDE.steps if s.id == step_id)
    return StepResult(found, GuideOutcome.GUIDE_DRIFT, labels=[
        LabelResult("Spara ändringar", "button", GuideOutcome.GUIDE_DRIFT, suggestion="Spara")])


def test_an_accepted_drift_reports_but_does_not_fail_and_a_changed_one_does() -> None:
    accepted = {AcceptedDrift("E4", "Spara ändringar", "guide drift", "Spara")}
    same = [step("E4")]
    assert apply_baseline(same, accepted) == 1
    assert same[0].outcome == GuideOutcome.ACCEPTED_DRIFT and exit_code(same) == 0

    changed = [step("E4")]
    changed[0].labels[0].suggestion = "Spara nu"  # the screen moved on: a new drift
    assert apply_baseline(changed, accepted) == 0
    assert exit_code(changed) == 20


def test_toolkit_drift_of_a_label_that_is_gone_says_so_in_the_report() -> None:
    gone = LabelResult("Aktiviteter", "columnheader", GuideOutcome.TOOLKIT_DRIFT, suggestion="Verksamheter",
                       catalog="traces.search.activities_column")
    assert _finding(gone).startswith("gone; nearest on screen: “Verksamheter”")
    there = LabelResult("Aktiviteter", "columnheader", GuideOutcome.TOOLKIT_DRIFT,
                        catalog="traces.search.activities_column", on_screen=True)
    assert _finding(there).startswith("on screen, but")


def test_a_baseline_that_is_not_one_is_refused_before_any_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import playwright.sync_api

    monkeypatch.setattr(playwright.sync_api, "sync_playwright", lambda: pytest.fail("a browser was started"))
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[accounts.anna]\nemail = "{ADMIN}"\npassword_env = "PW"\nfactor = "password"\n')
    monkeypatch.setenv("PW", SEEDED[ADMIN])
    bad = tmp_path / "baseline.json"
    bad.write_text('{"accepted": []}')
    assert main(["--accounts", str(accounts), "guide-check", "--baseline", str(bad)]) == 2
    assert "write one with --update-baseline" in capsys.readouterr().err


@pytest.mark.e2e
def test_the_baseline_accepts_the_known_drift_and_the_next_one_fails(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In process, against the offline portal: --update-baseline writes the run's drift; with
    --baseline that drift alone is reported as accepted and the check exits 0; a new drift since fails."""
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("anna", ADMIN, tmp_path, "sv", password_var="PW"))
    monkeypatch.chdir(tmp_path)
    baseline = tmp_path / "baseline.json"

    def check(*args: str) -> tuple[int, str]:
        # Each run withdraws the password variable from the process before its browser starts
        # (automation.secrets): set again for the next run in the same process.
        monkeypatch.setenv("PW", SEEDED[ADMIN])
        code = run_cli(["--accounts", str(accounts), "--base-url", stub.base_url, "guide-check", *args])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    portal.call("variants", {"preset": "older"})  # the screens as the guide's edition drew them
    portal.call("drift", {"locale": "sv", "key": "op.authorities", "label": "Utsedda behöriga myndigheter"})
    code, out = check("--update-baseline", str(baseline))
    assert code == 20 and f"baseline: 1 drift(s) written to {baseline}" in out, out
    accepted = json.loads(baseline.read_text())["accepted"]
    assert [(d["step"], d["outcome"]) for d in accepted] == [("C14", "guide drift")]

    code, out = check("--baseline", str(baseline))
    assert code == 0, out
    assert "baseline: 1 drift(s) accepted" in out and "C14" in out and "accepted drift" in out

    portal.call("drift", {"locale": "sv", "key": "user.save", "label": "Spara"})  # a new drift since
    code, out = check("--baseline", str(baseline), "--report", str(tmp_path / "report"))
    assert code == 20, out
    assert "baseline: 1 drift(s) accepted" in out and "accepted drift" in out
    assert f"report: {tmp_path / 'report' / 'guide-check.html'}" in out
    html = (tmp_path / "report" / "guide-check.html").read_text()
    assert "What drifted" in html and "accepted by the baseline" in html
    steps = {s["id"]: s["outcome"] for s in json.loads((tmp_path / "report" / "guide-check.json").read_text())["steps"]}
    assert (steps["C14"], steps["E4"]) == ("accepted drift", "guide drift")
