"""approve --plan / --apply-plan end to end, against the offline portal: the plan carries exactly the
reviewed decisions, skips (saying why) what changed in the portal since, refuses a changed, old or
another policy's plan before anything is sent, and the audit trail names both people."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from automation.errors import ExitCode
from automation.ledger import Ledger, utc_now
from automation.plans import load_plan, plan_key, write_plan
from tests.helpers import Portal, traces_account_toml

pytestmark = pytest.mark.e2e

ADMIN = "anna.admin@vaxtexport.se"
ERIK, FRIDA, GUSTAV, SVEN = ("erik.eriksson@grontexport.se", "frida.fors@grontexport.se",
                             "gustav.gran@konsult.example.com", "sven.susp@vaxtexport.se")
POLICY = f"""[approve]
domains = ["grontexport.se"]
emails = ["{GUSTAV}"]
[administrators]
emails = ["{FRIDA}"]
[unsuspend]
emails = ["{SVEN}"]
"""


class Approver:
    """The approve command of one home, accounts file and policy, run as a separate process."""

    def __init__(self, stub: Any, environ: dict[str, str], tmp_path: Path) -> None:
        self.home = tmp_path / "home"
        self.accounts = tmp_path / "accounts.toml"
        self.accounts.write_text(traces_account_toml("anna", ADMIN, tmp_path, "sv"))
        self.policy = tmp_path / "policy.toml"
        self.policy.write_text(POLICY)
        self.plan = tmp_path / "plan.json"
        self.base_url = stub.base_url
        self.env = {**os.environ, **environ, "TRACESCTL_HOME": str(self.home)}

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "flows", "--accounts", str(self.accounts), "--base-url",
                               self.base_url, *args], capture_output=True, text=True, timeout=300, env=self.env,
                              check=False)

    def make_plan(self, reviewer: str = "rita.reviewer") -> dict[str, Any]:
        made = self("approve", "--policy", str(self.policy), "--plan", str(self.plan), "--reviewer", reviewer)
        assert made.returncode == 0, made.stderr
        return dict(json.loads(self.plan.read_text()))

    def apply_plan(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return self("approve", "--policy", str(self.policy), "--apply-plan", str(self.plan), "--json", *extra)


@pytest.fixture
def approver(stub, environ: dict[str, str], tmp_path: Path) -> Approver:  # type: ignore[no-untyped-def]
    return Approver(stub, environ, tmp_path)


def test_the_plan_records_each_decision_with_what_the_portal_showed(approver: Approver, portal: Portal) -> None:
    """--plan is a dry run: the decisions, the portal's status for each, the policy's digest, account, time, person."""
    plan = approver.make_plan()
    assert portal.state()["user_actions"] == {}
    assert [(d["user"], d["action"]) for d in plan["decisions"]] == [
        (ERIK, "approve"), (FRIDA, "approve+admin"), (GUSTAV, "approve"), (SVEN, "unsuspend")]
    first = plan["decisions"][0]
    assert first["operator"] and first["status"] and first["name"]
    assert plan["account"] == "anna" and plan["made_by"] == "rita.reviewer" and len(plan["policy_sha256"]) == 64
    assert approver.plan.stat().st_mode & 0o777 == 0o600


def test_a_plan_applied_after_the_portal_changed_acts_on_the_rest_only(approver: Approver, portal: Portal) -> None:
    """One request withdrawn, one approved by someone else since the plan: both skipped with the reason; the
    others carried out once; the audit rows name the plan, who made it and who applied it."""
    plan = approver.make_plan("rita.reviewer")
    portal.call("traces/withdraw", {"username": ERIK, "operator_id": 1})
    portal.call("traces/approve", {"username": FRIDA, "operator_id": 1})

    applied = approver.apply_plan("--reviewer", "anders.applier")

    assert applied.returncode == 0, applied.stderr
    outcomes = {d["email"]: (d["outcome"], d["detail"]) for d in json.loads(applied.stdout)}
    assert outcomes[ERIK] == ("skipped", "changed since the plan: the request was withdrawn")
    assert outcomes[FRIDA] == ("skipped", "changed since the plan: approved by someone else")
    assert outcomes[GUSTAV] == ("done", "") and outcomes[SVEN] == ("done", "")
    assert portal.state()["user_actions"] == {f"approve:{GUSTAV}:1": 1, f"unsuspend:{SVEN}": 1}
    rows = [r for r in Ledger.in_home(approver.home).audit_trail() if r.outcome == "verified"]
    assert sorted(r.target for r in rows) == [GUSTAV, SVEN]
    assert {(r.plan, r.planned_by, r.applied_by) for r in rows} == {(plan["digest"], "rita.reviewer",
                                                                     "anders.applier")}
    exported = json.loads(approver("audit", "--format", "json").stdout)
    assert {(r["planned_by"], r["applied_by"]) for r in exported} == {("rita.reviewer", "anders.applier")}

    again = approver.apply_plan("--reviewer", "anders.applier")  # the same plan once more: nothing twice
    assert again.returncode == 0, again.stderr
    assert {d["email"]: d["detail"] for d in json.loads(again.stdout)}[GUSTAV] == "already carried out by this plan"
    assert portal.state()["user_actions"] == {f"approve:{GUSTAV}:1": 1, f"unsuspend:{SVEN}": 1}


def test_a_tampered_plan_is_refused_before_anything_is_sent(approver: Approver, portal: Portal) -> None:
    """A decision edited after the plan was made (its HMAC no longer matches): exit 17, no password posted."""
    plan = approver.make_plan()
    posted = portal.form_count("cas.password")
    plan["decisions"].append({"user": "mallory@evil.example", "name": "M", "operator": "Växtexport AB",
                              "status": "pending", "action": "approve"})
    approver.plan.write_text(json.dumps(plan))

    refused = approver.apply_plan()

    assert refused.returncode == ExitCode.PLAN_REFUSED, refused.stderr
    assert "changed after it was made" in refused.stderr
    assert portal.form_count("cas.password") == posted and portal.state()["user_actions"] == {}


def test_an_old_plan_is_refused(approver: Approver, portal: Portal) -> None:
    """A plan older than --max-plan-age (signed with the right key, so only its age is wrong): exit 17."""
    approver.make_plan()
    key = plan_key(approver.home, {})
    plan = load_plan(approver.plan, key)
    from dataclasses import replace

    write_plan(approver.plan, replace(plan, made_at=utc_now() - timedelta(hours=25)), key)

    refused = approver.apply_plan()
    assert refused.returncode == ExitCode.PLAN_REFUSED and "more than --max-plan-age 24.0 h" in refused.stderr
    assert approver.apply_plan("--max-plan-age", "2d").returncode == 0  # a longer limit takes it
    assert portal.state()["user_actions"]


def test_a_plan_made_with_another_policy_is_refused(approver: Approver, portal: Portal) -> None:
    """The policy file changed since the plan (its SHA-256 differs): exit 17, nothing done."""
    approver.make_plan()
    approver.policy.write_text(POLICY.replace(f'emails = ["{GUSTAV}"]', "emails = []"))
    refused = approver.apply_plan()
    assert refused.returncode == ExitCode.PLAN_REFUSED and "another policy" in refused.stderr
    assert portal.state()["user_actions"] == {}
