"""Approval plans: `approve --plan FILE` saves the dry run, `approve --apply-plan FILE` carries it out.

A plan names every decision with what the portal showed for it (user, name, operator, status), the
account it was made as, the portal, a SHA-256 of the policy file, when and by whom it was made. It is
signed with HMAC-SHA256 over its canonical JSON, with a key only tracesctl's user holds
(TRACESCTL_PLAN_KEY, else a 0600 file `plan.key` in TRACESCTL_HOME, made on first use).

What the HMAC protects against: a plan edited after it was made (a user added to it, an action
changed, its time moved to pass the age limit), in transit or in a shared folder, by anyone without
the key, a reviewer included. It does not protect against someone who holds the key (they could make
a plan of their own with tracesctl anyway; the audit trail names who made and who applied each plan).
The digest (SHA-256 of the signed content) names the plan in the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from automation.errors import PlanRefusedError
from automation.files import read_input_bytes, read_input_text, write_private
from automation.secrets import Secret, register_variable

PLAN_FORMAT = "tracesctl-approval-plan/1"
KEY_VARIABLE = "TRACESCTL_PLAN_KEY"
DEFAULT_MAX_AGE = timedelta(hours=24)
MAX_AGE_LIMIT = timedelta(days=90)
AGE = re.compile(r"([0-9]+)\s*([smhd])")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class PlannedDecision:
    """One decision as the plan records it: what the portal showed, and what is to be done."""

    user: str
    name: str
    operator: str
    status: str
    action: str


@dataclass(frozen=True)
class Plan:
    account: str
    account_email: str
    portal: str  # the base URL the plan was made against
    policy_sha256: str
    made_at: datetime
    made_by: str
    decisions: tuple[PlannedDecision, ...]

    def body(self) -> dict[str, Any]:
        return {"format": PLAN_FORMAT, "account": self.account, "account_email": self.account_email,
                "portal": self.portal, "policy_sha256": self.policy_sha256, "made_at": self.made_at.isoformat(),
                "made_by": self.made_by, "decisions": [asdict(d) for d in self.decisions]}

    @property
    def digest(self) -> str:
        return hashlib.sha256(_canonical(self.body())).hexdigest()


@dataclass(frozen=True)
class PlanRef:
    """What an audit row says of the plan it carried out: its digest and the two people."""

    digest: str = ""
    planned_by: str = ""
    applied_by: str = ""


def _canonical(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def policy_digest(path: Path) -> str:
    from automation.errors import PolicyFileError

    return hashlib.sha256(read_input_bytes(path, "policy file", PolicyFileError)).hexdigest()


def plan_key(home: Path, environ: Mapping[str, str]) -> Secret:
    """The signing key: TRACESCTL_PLAN_KEY (several hosts, one key), else the home's plan.key (made once)."""
    register_variable(KEY_VARIABLE)
    given = environ.get(KEY_VARIABLE, "").strip()
    if given:
        if len(given) < 16:
            raise PlanRefusedError(f"{KEY_VARIABLE} must be at least 16 characters (a random key)")
        return Secret(given)
    path = home / "plan.key"
    if not path.exists():
        write_private(path, secrets.token_hex(32) + "\n")
    mode = path.stat().st_mode
    if mode & 0o077:
        raise PlanRefusedError(f"the plan key {path} is readable by others (mode {oct(mode & 0o777)}); chmod 600 it")
    return Secret(read_input_text(path, "plan key", PlanRefusedError).strip())


def _signature(body: Mapping[str, Any], key: Secret) -> str:
    return hmac.new(key.reveal().encode(), _canonical(body), hashlib.sha256).hexdigest()


def write_plan(path: Path, plan: Plan, key: Secret) -> None:
    body = plan.body()
    document = {**body, "digest": plan.digest, "hmac": _signature(body, key)}
    write_private(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def load_plan(path: Path, key: Secret) -> Plan:
    """The plan in `path` if its HMAC is right; PlanRefusedError (exit 17) otherwise."""
    try:
        document = json.loads(read_input_text(path, "plan file", PlanRefusedError))
    except (ValueError, RecursionError):
        raise PlanRefusedError(f"plan file {path} is not JSON") from None
    if not isinstance(document, dict) or document.get("format") != PLAN_FORMAT:
        raise PlanRefusedError(f"plan file {path} is not a tracesctl approval plan ({PLAN_FORMAT})")
    signature = document.pop("hmac", None)
    document.pop("digest", None)  # derived from the body: recomputed, never trusted
    if not isinstance(signature, str) or not hmac.compare_digest(signature, _signature(document, key)):
        raise PlanRefusedError(f"plan file {path} was changed after it was made (its HMAC does not match), or made "
                               f"with another key ({KEY_VARIABLE} or TRACESCTL_HOME's plan.key): nothing was done")
    try:
        return Plan(str(document["account"]), str(document["account_email"]), str(document["portal"]),
                    str(document["policy_sha256"]), datetime.fromisoformat(str(document["made_at"])),
                    str(document["made_by"]),
                    tuple(PlannedDecision(**{k: str(v) for k, v in d.items()}) for d in document["decisions"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise PlanRefusedError(f"plan file {path} is signed but incomplete: made by another tracesctl?") from None


def check_plan(plan: Plan, *, account: str, account_email: str, portal: str, policy_sha256: str, now: datetime,
               max_age: timedelta) -> None:
    """Refuse a plan made for another account, portal or policy, or older than `max_age`."""
    if (plan.account, plan.account_email) != (account, account_email):
        raise PlanRefusedError(f"the plan was made for account {plan.account!r} ({plan.account_email}), not "
                               f"{account!r} ({account_email}): nothing was done")
    if plan.portal != portal:
        raise PlanRefusedError(f"the plan was made against {plan.portal}, not {portal}: nothing was done")
    if plan.policy_sha256 != policy_sha256:
        raise PlanRefusedError("the plan was made with another policy (its SHA-256 differs from --policy's): make "
                               "a new plan; nothing was done")
    age = now - plan.made_at
    if age > max_age:
        raise PlanRefusedError(f"the plan is {_hours(age)} old, more than --max-plan-age {_hours(max_age)}: the "
                               "portal has moved on since; make a new plan. Nothing was done")
    if age < -timedelta(minutes=5):
        raise PlanRefusedError(f"the plan was made in the future ({plan.made_at.isoformat()}): a clock is wrong")


def _hours(age: timedelta) -> str:
    return f"{age.total_seconds() / 3600:.1f} h"


def parse_max_age(raw: str) -> timedelta:
    """`90m`, `24h`, `2d`, `1h30m`: refused unless between a minute and 90 days."""
    text = raw.strip().lower()
    parts = AGE.findall(text)
    if not parts or AGE.sub("", text).strip():
        raise PlanRefusedError(f"--max-plan-age must be a duration such as 24h, 90m or 2d, not {raw!r}")
    age = sum((timedelta(**{UNITS[unit]: int(n)}) for n, unit in parts), timedelta())
    if not timedelta(minutes=1) <= age <= MAX_AGE_LIMIT:
        raise PlanRefusedError(f"--max-plan-age must be between 1m and 90d, not {raw!r}")
    return age


def os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's uid without a passwd entry
        return f"uid {os.getuid()}"
