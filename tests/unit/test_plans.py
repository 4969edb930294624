"""Approval plans without a browser: the signature covers every field, and a plan for another account,
portal or policy, or past its age, is refused with exit 17."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation.errors import ExitCode, PlanRefusedError
from automation.plans import Plan, PlannedDecision, check_plan, load_plan, parse_max_age, plan_key, write_plan

MADE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PLAN = Plan("anna", "anna@example.se", "http://localhost:8700", "ab" * 32, MADE, "rita",
            (PlannedDecision("erik@example.se", "Erik", "Grönt Export AB", "Väntar", "approve"),))
CHECKS = {"account": "anna", "account_email": "anna@example.se", "portal": "http://localhost:8700",
          "policy_sha256": "ab" * 32, "now": MADE + timedelta(hours=1), "max_age": timedelta(hours=24)}


def test_a_plan_reads_back_as_written(tmp_path: Path) -> None:
    key = plan_key(tmp_path, {})
    write_plan(tmp_path / "plan.json", PLAN, key)
    assert load_plan(tmp_path / "plan.json", key) == PLAN
    assert (tmp_path / "plan.key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("field", ["made_at", "made_by", "policy_sha256", "account", "portal"])
def test_any_edited_field_breaks_the_signature(tmp_path: Path, field: str) -> None:
    """Not only the decisions: the time (the age limit), the person, the policy's digest are signed too."""
    key = plan_key(tmp_path, {})
    write_plan(tmp_path / "plan.json", PLAN, key)
    document = json.loads((tmp_path / "plan.json").read_text())
    document[field] = "2099-01-01T00:00:00+00:00" if field == "made_at" else "x"
    (tmp_path / "plan.json").write_text(json.dumps(document))
    with pytest.raises(PlanRefusedError, match="changed after it was made") as refused:
        load_plan(tmp_path / "plan.json", key)
    assert refused.value.exit_code == ExitCode.PLAN_REFUSED


def test_another_key_is_refused(tmp_path: Path) -> None:
    write_plan(tmp_path / "plan.json", PLAN, plan_key(tmp_path, {}))
    with pytest.raises(PlanRefusedError):
        load_plan(tmp_path / "plan.json", plan_key(tmp_path, {"TRACESCTL_PLAN_KEY": "another-key-0123456789"}))


@pytest.mark.parametrize(("change", "message"), [
    ({"account": "bertil"}, "made for account 'anna'"),
    ({"portal": "https://webgate.ec.europa.eu"}, "made against"),
    ({"policy_sha256": "cd" * 32}, "another policy"),
    ({"now": MADE + timedelta(hours=25)}, "more than --max-plan-age"),
])
def test_a_plan_for_another_account_portal_policy_or_too_old_is_refused(change: dict[str, object],
                                                                         message: str) -> None:
    with pytest.raises(PlanRefusedError, match=message):
        check_plan(PLAN, **{**CHECKS, **change})  # type: ignore[arg-type]


def test_a_plan_within_its_age_passes() -> None:
    check_plan(replace(PLAN), **CHECKS)  # type: ignore[arg-type]


@pytest.mark.parametrize(("raw", "hours"), [("24h", 24), ("90m", 1.5), ("2d", 48), ("1h30m", 1.5)])
def test_max_plan_age_reads_durations(raw: str, hours: float) -> None:
    assert parse_max_age(raw) == timedelta(hours=hours)


@pytest.mark.parametrize("raw", ["", "soon", "24", "0m", "100d", "1h x"])
def test_a_malformed_or_out_of_range_age_is_refused(raw: str) -> None:
    with pytest.raises(PlanRefusedError, match="--max-plan-age"):
        parse_max_age(raw)
