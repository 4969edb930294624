"""Every benchmark runs once in the suite, at its smallest (issue 21 §4): one round, tiny sizes, no
latency, so that none can break unseen (`make bench` was broken by a baseline that no longer matched
the offline portal's screens). Each runs as `make bench` runs it, a process of its own, and must exit
0 and print its figure lines; the figures themselves are not judged here (a loaded machine's are not
the README's)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
BENCH = Path(__file__).resolve().parents[2] / "bench"

# benchmark -> (its smallest run's settings, the figure lines it must print)
SMOKE: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "bench_help.py": ({"BENCH_ROUNDS": "1"}, (
        r"^  tracesctl --help +\d+ +\d+ +[\d.]+x$", r"^  tracesctl completion +\d+ +\d+ +[\d.]+x$",
        r"^  tracesctl --version: [\d.]+x \((met|NOT met): <= 5x\)$")),
    "bench_login.py": ({"BENCH_ROUNDS": "1", "BENCH_WARMUP": "0"}, (
        r"^tracesctl login +median [\d.]+ s", r"^hand-written +median [\d.]+ s", r"^ratio of medians +[\d.]+ ")),
    "bench_approvals.py": ({"BENCH_APPROVALS": "1"}, (
        r"^tracesctl +[\d.]+ s for 1 approvals: +\d+ ms per approval$", r"^hand-written +[\d.]+ s for 1 approvals",
        r"^tracesctl, TRACESCTL_TRACES=off +[\d.]+ s for 1 approvals", r"^ratio tracesctl +[\d.]+ ")),
    "bench_keepalive.py": ({"BENCH_ACCOUNTS": "2", "BENCH_PARALLEL": "2", "BENCH_LATENCY_MS": "0"}, (
        r"^  tracesctl serial +[\d.]+ +[\d.]+x +[\d.]+ +\d+ +\d+ +2/2$",
        r"^  tracesctl --parallel 2 +[\d.]+ +[\d.]+x +[\d.]+ +\d+ +\d+ +2/2$",
        r"^  async script, 2 workers +[\d.]+ +[\d.]+x +[\d.]+ +\d+ +\d+ +2/2$",
        r"^  2 accounts, --parallel 2: CPU per sign-in [\d.]+x the script's")),
}


@pytest.mark.parametrize("benchmark", list(SMOKE))
def test_the_benchmark_runs_at_its_smallest_and_prints_its_figures(benchmark: str, tmp_path: Path) -> None:
    settings, figure_lines = SMOKE[benchmark]
    run = subprocess.run([sys.executable, str(BENCH / benchmark)], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, **settings}, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    missing = [line for line in figure_lines if not re.search(line, run.stdout, re.MULTILINE)]
    assert missing == [], run.stdout
