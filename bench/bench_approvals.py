"""`tracesctl approve --apply` for 200 pending requests in one session, against a hand-written
Playwright script doing the same clicks; prints the time per approval of each and their ratio
(target: tracesctl / hand-written <= 1.3). Whole processes, one after the other, same portal.
BENCH_APPROVALS chooses the number (the suite's smoke run: 1); a run that approves another number
stops the benchmark (exit 1): its time per approval would be a failure's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from seeded import credential_now, file_now

from automation.portal_client import PortalClient
from automation.stub.server import StubServer

APPROVALS = int(os.environ.get("BENCH_APPROVALS", "200"))
ADMIN, PASSWORD, DOMAIN = "bertil.bulk@vaxtexport.se", "Bertil-Bulk-2025!", "nordicplant.se"
HERE = Path(__file__).resolve().parent


def reset(base_url: str) -> None:
    """The seed again, on the portal's default screens (the newest wording, which the hand-written
    script clicks: bench/baseline_approve.py)."""
    PortalClient(base_url).reset()


def approvals_made(base_url: str) -> int:
    return sum(1 for key in PortalClient(base_url).state()["user_actions"] if key.startswith("approve:"))


def main() -> None:
    with StubServer() as stub, tempfile.TemporaryDirectory() as tmp:
        users = [f"user{n:03d}@{DOMAIN}" for n in range(1, APPROVALS + 1)]
        policy = Path(tmp) / "policy.toml"
        policy.write_text("[approve]\nemails = [" + ", ".join(f'"{u}"' for u in users) + "]\n")
        key = Path(tmp) / "passkeys" / "bertil.json"  # both sides sign in with Bertil's seeded passkey
        accounts = Path(tmp) / "accounts.toml"
        accounts.write_text(f'[accounts.bertil]\nemail = "{ADMIN}"\npassword_env = "BENCH_PW"\nfactor = "passkey"\n'
                            f'passkey_file = "{key}"\n')
        env = {**os.environ, "BENCH_PW": PASSWORD, "BASELINE_PASSWORD": PASSWORD, "TRACESCTL_HOME": tmp,
               "TRACESCTL_LOG_LEVEL": "warning"}
        tool = [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
                "approve", "--policy", str(policy), "--apply", "--json"]
        # The baseline approves every pending request of the domain: both runs see the same APPROVALS.
        baseline = [sys.executable, str(HERE / "baseline_approve.py"), stub.base_url, ADMIN, DOMAIN]
        figures = {}
        runs = (("tracesctl", tool, {}), ("hand-written", baseline, {}),
                ("tracesctl, TRACESCTL_TRACES=off", tool, {"TRACESCTL_TRACES": "off"}))
        for label, command, extra_env in runs:
            reset(stub.base_url)
            if APPROVALS < 210:
                for extra in range(APPROVALS + 1, 211):
                    PortalClient(stub.base_url).withdraw_request(f"user{extra:03d}@{DOMAIN}", 6)
            portal = PortalClient(stub.base_url)
            file_now(portal, ADMIN, key)
            extra_env = {**extra_env, "BASELINE_PASSKEY": json.dumps(credential_now(portal, ADMIN))}
            started = time.perf_counter()
            subprocess.run(command, env={**env, **extra_env}, check=True, capture_output=True, timeout=3600)
            seconds = time.perf_counter() - started
            made = approvals_made(stub.base_url)
            if made != APPROVALS:
                sys.exit(f"{label} approved {made} of {APPROVALS} pending requests")
            figures[label] = seconds / made
            print(f"{label:<32} {seconds:7.1f} s for {made} approvals: {seconds / made * 1000:6.0f} ms per approval",
                  flush=True)
    for label in ("tracesctl", "tracesctl, TRACESCTL_TRACES=off"):
        ratio = figures[label] / figures["hand-written"]
        print(f"ratio {label:<26} {ratio:.2f}  (target <= 1.30: {'met' if ratio <= 1.3 else 'NOT met'})")


if __name__ == "__main__":
    main()
