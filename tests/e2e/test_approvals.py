"""approve end to end: policy decisions, dry run, apply and verify, administrators only after saving,
unsuspend, refusal for non-administrators, vanished requests, kill and resume, audit export."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.config import Settings
from automation.errors import NotAdministratorError
from automation.factors import build_factor
from automation.ledger import Ledger
from automation.policy import Policy
from flows.jobs.approvals import Approvals, Decision, run_exit_code
from tests.helpers import PASSWORD_USER, Portal, traces_account, traces_account_toml
from tests.postgres import ON_BOTH_LEDGERS, both_ledgers

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The ledger in SQLite; in PostgreSQL too for the tests marked ON_BOTH_LEDGERS (tests/postgres.py)."""
    return both_ledgers(request, monkeypatch)

ADMIN, BULK = "anna.admin@vaxtexport.se", "bertil.bulk@vaxtexport.se"
ERIK, FRIDA, GUSTAV, SVEN = ("erik.eriksson@grontexport.se", "frida.fors@grontexport.se",
                             "gustav.gran@konsult.example.com", "sven.susp@vaxtexport.se")
POLICY = Policy(approve_emails=frozenset(), approve_domains=frozenset({"grontexport.se"}),
                administrators=frozenset({FRIDA}), unsuspend=frozenset({SVEN}), operators=frozenset())


def approvals(page: Page, settings: Settings, email: str = ADMIN, locale: str = "sv") -> Approvals:
    """An administrator's approvals, signing in with the seeded passkey (its file beside the test's home)."""
    return Approvals(page, settings, traces_account(email, locale, settings.home.parent),
                     Ledger.open(settings))


def run(page: Page, settings: Settings, environ: dict[str, str], apply: bool, email: str = ADMIN,
        locale: str = "sv", policy: Policy = POLICY, limit: int | None = None) -> list[Decision]:
    flow = approvals(page, settings, email, locale)
    return flow.run(flow.account.password(environ), build_factor(flow.account, environ), policy, apply, limit)


def table(decisions: list[Decision]) -> list[tuple[str, str, str]]:
    return [(d.email, d.action, d.summary) for d in decisions]


@pytest.mark.parametrize("locale", ["en"])  # one language per flow (docs/development.md: Tests)
def test_dry_run_lists_every_pending_request_with_its_decision_and_touches_nothing(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, locale: str
) -> None:
    decisions = run(page, settings, environ, apply=False, locale=locale)
    assert table(decisions) == [
        (ERIK, "approve", "planned"), (FRIDA, "approve+admin", "planned"), (GUSTAV, "leave", "left pending"),
        (SVEN, "unsuspend", "planned"),
    ]
    assert portal.state()["user_actions"] == {} and portal.form_count("traces.users.save") == 0


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_apply_acts_once_verifies_and_audits(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, locale: str
) -> None:
    decisions = run(page, settings, environ, apply=True, locale=locale)
    assert [d.outcome for d in decisions] == ["done", "done", "left pending", "done"]
    assert portal.state()["user_actions"] == {
        f"approve:{ERIK}:1": 1, f"approve:{FRIDA}:1": 1, f"admin:{FRIDA}:1": 1, f"unsuspend:{SVEN}": 1}
    requests = {r["username"]: r for r in portal.state()["role_requests"] if r["operator_id"] == 1}
    assert (requests[ERIK]["status"], requests[ERIK]["administrator"]) == ("authorised", False)
    assert (requests[FRIDA]["status"], requests[FRIDA]["administrator"]) == ("authorised", True)
    assert requests[GUSTAV]["status"] == "pending"
    assert portal.account(SVEN)["suspended"] is False
    audit = Ledger.open(settings).audit_trail()
    assert [(a.target, a.action, a.outcome) for a in audit] == [
        (ERIK, "approve", "verified"), (FRIDA, "approve", "verified"), (FRIDA, "make-admin", "verified"),
        (SVEN, "unsuspend", "verified")]


def test_a_second_run_acts_on_nobody_twice(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    run(page, settings, environ, apply=True)
    page.context.clear_cookies()
    again = run(page, settings, environ, apply=True)
    assert table(again) == [(GUSTAV, "leave", "left pending"), (FRIDA, "admin", "skipped: already administrator"),
                            (SVEN, "unsuspend", "skipped: not suspended")]
    assert set(portal.state()["user_actions"].values()) == {1}


def test_the_administrator_icon_works_only_once_the_check_is_saved(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    """Guide F1 and E4 on the screen itself (the guide's screens, "Spara ändringar"): icon disabled
    until approved and saved; then the check is."""
    portal.call("variants", {"preset": "older"})
    run(page, settings, environ, apply=False)
    page.goto(f"{settings.traces_url}/actors/user?username={ERIK}")
    box = page.get_by_role("region", name="Grönt Export AB")
    admin_icon = box.get_by_role("button", name="Administratör för Grönt Export AB")
    check = box.get_by_role("button", name="Godkänn Grönt Export AB")
    expect(admin_icon).to_be_disabled()
    check.click()
    expect(box).to_have_class("authority pending approved")  # the whole box turns green
    expect(admin_icon).to_be_disabled()
    page.reload()  # nothing is kept without "Spara ändringar"
    expect(page.get_by_role("region", name="Grönt Export AB")).to_have_attribute("data-status", "pending")
    page.get_by_role("button", name="Godkänn Grönt Export AB").click()
    page.get_by_role("button", name="Spara ändringar").click()
    expect(page.get_by_text("Dina ändringar har sparats")).to_be_visible()
    expect(page.get_by_role("button", name="Godkänn Grönt Export AB")).to_be_disabled()
    expect(page.get_by_role("button", name="Administratör för Grönt Export AB")).to_be_enabled()


def test_a_non_administrator_is_refused(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    with pytest.raises(NotAdministratorError):
        run(page, settings, environ, apply=True, email=PASSWORD_USER, locale="en")
    expect(page.get_by_role("alert")).to_contain_text("Only administrators of the operator")
    assert portal.state()["user_actions"] == {}


def test_a_vanished_request_is_reported_and_the_run_goes_on(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    flow = approvals(page, settings)
    from flows.jobs.signin import sign_in_to_traces

    sign_in_to_traces(page, settings, flow.account, flow.account.password(environ), build_factor(flow.account, environ))
    decisions = flow.plan(POLICY)
    portal.call("traces/withdraw", {"username": ERIK, "operator_id": 1})
    flow.carry_out([d for d in decisions if d.action != "leave"], POLICY)
    assert [d.summary for d in decisions] == ["skipped: the request vanished", "done", "left pending", "done"]
    assert f"approve:{ERIK}:1" not in portal.state()["user_actions"]


def test_many_pending_requests_are_read_across_every_page(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    policy = Policy(frozenset(), frozenset({"nordicplant.se"}), frozenset(), frozenset(), frozenset())
    decisions = run(page, settings, environ, apply=False, email=BULK, policy=policy)
    assert len(decisions) == 210 and {d.action for d in decisions} == {"approve"}
    assert decisions[-1].email == "user210@nordicplant.se"


def cli(*args: str, env: dict[str, str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env, "TRACESCTL_HOME": str(home)}, check=False)


@ON_BOTH_LEDGERS
def test_a_killed_run_resumes_without_acting_on_anyone_twice(
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    users = [f"user{n:03d}@nordicplant.se" for n in range(1, 9)]
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("bertil", BULK, tmp_path, "sv"))
    policy = tmp_path / "policy.toml"
    policy.write_text("[approve]\nemails = [" + ", ".join(f'"{u}"' for u in users) + "]\n")
    portal.call("faults", {"latency_ms": 100})
    command = [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
               "approve", "--policy", str(policy), "--apply"]
    home = tmp_path / "home"
    process = subprocess.Popen(command, env={**os.environ, **environ, "TRACESCTL_HOME": str(home)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(portal.state()["user_actions"]) < 2:
        threading.Event().wait(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = portal.state()["user_actions"]
    assert 2 <= len(before) < 8, "killed part-way"

    portal.call("faults", {"latency_ms": 0})
    again = cli("--accounts", str(accounts), "--base-url", stub.base_url, "approve", "--policy", str(policy),
                "--apply", "--json", env=environ, home=home)
    assert again.returncode == 0, again.stderr
    actions = portal.state()["user_actions"]
    assert actions == {f"approve:{u}:6": 1 for u in users}
    resumed = {d["email"] for d in json.loads(again.stdout)}
    assert resumed.isdisjoint(k.split(":")[1] for k in before)  # the resumed run never saw the done ones

    exported = cli("audit", "--format", "json", env={}, home=home)
    rows = json.loads(exported.stdout)
    # One audit row per approval the portal made, whether its answer was read by the killed run
    # or by the next one; none left as an unconfirmed intent.
    made = sorted(r["target"] for r in rows if r["outcome"] in {"verified", "verified-after-the-fact"})
    assert made == sorted(users)
    assert all(r["outcome"] != "intent" and r["os_user"] for r in rows)
    csv_export = cli("audit", "--since", "2000-01-01", env={}, home=home)
    assert csv_export.stdout.splitlines()[0] == ("at,os_user,account,operator,target,action,outcome,detail,plan,"
                                                 "planned_by,applied_by")
    assert cli("audit", "--since", "2999-01-01", "--format", "json", env={}, home=home).stdout.strip() == "[]"


def audited_actions(settings: Settings) -> list[tuple[str, str]]:
    """The audit rows of changes the portal shows as made, as (action, target)."""
    names = {"approve": "approve", "make-admin": "admin", "unsuspend": "unsuspend"}
    return sorted((names[a.action], a.target) for a in Ledger.open(settings).audit_trail()
                  if a.outcome in {"verified", "verified-after-the-fact"})


def portal_actions(portal: Portal) -> list[tuple[str, str]]:
    actions = []
    for key, count in portal.state()["user_actions"].items():
        action, user = key.split(":")[:2]
        actions += [(action, user)] * count
    return sorted(actions)


@ON_BOTH_LEDGERS
def test_an_approval_whose_answer_is_lost_is_done_once_and_audited_once(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    """The portal saves, then answers 503 (every submission of the run): the retry reads the page,
    finds the change made, and completes the audit row written before the submission; the table
    says "done (answer lost, verified)", not "skipped", and the exit code is 0."""
    portal.call("faults", {"fail_after_submit": 4})
    decisions = run(page, settings, environ, apply=True)
    assert table(decisions) == [
        (ERIK, "approve", "done: answer lost, verified"), (FRIDA, "approve+admin", "done: answer lost, verified"),
        (GUSTAV, "leave", "left pending"), (SVEN, "unsuspend", "done: answer lost, verified")]
    assert run_exit_code(decisions) == 0
    assert set(portal.state()["user_actions"].values()) == {1}
    assert audited_actions(settings) == portal_actions(portal)
    assert "intent" not in {a.outcome for a in Ledger.open(settings).audit_trail()}


@ON_BOTH_LEDGERS
def test_an_intent_left_open_by_a_killed_run_is_completed_by_the_next(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    """A run killed between the portal's save and the read-back leaves its intent row open; the
    next run reads the user back first and completes that row: one row per action, none missing.
    An intent the portal never took is closed as failed, and the request is approved anew."""
    flow = approvals(page, settings)
    ledger = Ledger.open(settings)
    operator = "Grönt Export AB"
    ledger.open_intent(flow.account.name, operator, ERIK, "approve")  # what the killed run wrote...
    portal.call("traces/approve", {"username": ERIK})  # ...and what the portal did before the kill
    ledger.open_intent(flow.account.name, operator, FRIDA, "approve")  # killed before the portal took it
    decisions = flow.run(flow.account.password(environ), build_factor(flow.account, environ), POLICY, True, None)
    assert ERIK not in {d.email for d in decisions}  # no longer pending
    rows = [(a.target, a.action, a.outcome) for a in ledger.audit_trail() if a.action == "approve"]
    assert rows == [(ERIK, "approve", "verified-after-the-fact"), (FRIDA, "approve", "failed"),
                    (FRIDA, "approve", "verified")]
    assert "intent" not in {a.outcome for a in ledger.audit_trail()}


def test_approve_signs_in_again_once_when_the_portal_ends_the_session(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal
) -> None:
    """TRACES drops the session after the plan: one sign-in more, then every decision is carried
    out (before, each remaining decision timed out)."""
    flow = approvals(page, settings)
    flow.sign_in(flow.account.password(environ), build_factor(flow.account, environ))
    decisions = flow.plan(POLICY)
    portal.call("sessions/end", {})
    flow.carry_out([d for d in decisions if d.action != "leave"], POLICY)
    assert [d.outcome for d in decisions] == ["done", "done", "left pending", "done"]
    assert audited_actions(settings) == portal_actions(portal)
