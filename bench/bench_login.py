"""`tracesctl login` against a minimal hand-written Playwright script doing the same clicks.

Both run as whole processes, in turns, against one offline portal; prints the median wall time
of each and their ratio (target: tracesctl / baseline <= 1.3). BENCH_ROUNDS (7) chooses the rounds;
BENCH_WARMUP=0 skips the first, unmeasured run of each (the suite's smoke run: one round, no warm-up).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from seeded import credential_now, file_now

from automation.portal_client import PortalClient
from automation.stub.server import StubServer

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
WARMUP = os.environ.get("BENCH_WARMUP", "1") != "0"
EMAIL, PASSWORD = "lars.losen@vaxtexport.se", "Lars-Losen-2025!"
HERE = Path(__file__).resolve().parent


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, **env}, timeout=120)
    return time.perf_counter() - started


def main() -> None:
    with StubServer() as stub, tempfile.TemporaryDirectory() as tmp:
        portal, key = PortalClient(stub.base_url), Path(tmp) / "passkeys" / "lars.json"
        accounts = Path(tmp) / "accounts.toml"
        accounts.write_text(f'[accounts.lars]\nemail = "{EMAIL}"\npassword_env = "BENCH_PW"\nfactor = "passkey"\n'
                            f'passkey_file = "{key}"\n')
        tool = [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url, "login"]
        baseline = [sys.executable, str(HERE / "baseline_login.py"), stub.base_url, EMAIL]
        env = {"BENCH_PW": PASSWORD, "BASELINE_PASSWORD": PASSWORD, "TRACESCTL_HOME": tmp,
               "TRACESCTL_LOG_LEVEL": "warning"}

        def run_tool() -> float:
            file_now(portal, EMAIL, key)  # both sides sign in with Lars's seeded passkey (seeded.py)
            return timed(tool, env)

        def run_baseline() -> float:
            return timed(baseline, {**env, "BASELINE_PASSKEY": json.dumps(credential_now(portal, EMAIL))})

        if WARMUP:
            run_tool(), run_baseline()  # warm the disk cache for both
        tool_times, baseline_times = [], []
        for _ in range(ROUNDS):
            tool_times.append(run_tool())
            baseline_times.append(run_baseline())
    tool_median, baseline_median = statistics.median(tool_times), statistics.median(baseline_times)
    ratio = tool_median / baseline_median
    print(f"rounds: {ROUNDS}")
    print(f"tracesctl login   median {tool_median:.3f} s  (min {min(tool_times):.3f}, max {max(tool_times):.3f})")
    spread = f"min {min(baseline_times):.3f}, max {max(baseline_times):.3f}"
    print(f"hand-written      median {baseline_median:.3f} s  ({spread})")
    print(f"ratio of medians  {ratio:.2f}  (target <= 1.30: {'met' if ratio <= 1.3 else 'NOT met'})")


if __name__ == "__main__":
    main()
