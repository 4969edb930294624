"""Start-up cost of `tracesctl --help`, `--version` and shell completion, as a ratio to a bare
`python -c pass` measured alongside (issue 21: at most 5x). CPU time (user + system) of each whole
process, the median over ROUNDS runs taken in turns, so a busy moment of the machine hits all alike;
wall time beside it. BENCH_ROUNDS (15) chooses the rounds (the suite's smoke run: 1)."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
TARGET = 5.0
COMPLETION = {"_TRACESCTL_COMPLETE": "bash_complete", "COMP_WORDS": "tracesctl keep", "COMP_CWORD": "1"}


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def main() -> None:
    script = shutil.which("tracesctl") or str(Path(sys.executable).parent / "tracesctl")
    env = dict(os.environ)
    cases = {"python -c pass": ([sys.executable, "-c", "pass"], env),
             "tracesctl --help": ([script, "--help"], env),
             "tracesctl --version": ([script, "--version"], env),
             "tracesctl completion": ([script], {**env, **COMPLETION})}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    wall: dict[str, list[float]] = {name: [] for name in cases}
    for round_ in range(ROUNDS + 1):
        for name, (command, case_env) in cases.items():
            seconds, took = run_once(command, case_env)
            if round_:  # the first round warms the disk cache
                cpu[name].append(seconds)
                wall[name].append(took)
    bare = statistics.median(cpu["python -c pass"])
    print(f"start-up, median of {ROUNDS} runs in turns     CPU ms   wall ms   ratio to python -c pass (CPU)")
    verdicts = []
    for name in cases:
        median = statistics.median(cpu[name])
        ratio = median / bare if bare else float("inf")
        print(f"  {name:<40} {median * 1000:6.0f} {statistics.median(wall[name]) * 1000:8.0f}   {ratio:5.2f}x")
        if name != "python -c pass":
            verdicts.append(f"{name}: {ratio:.2f}x ({'met' if ratio <= TARGET else 'NOT met'}: <= {TARGET:.0f}x)")
    print("targets")
    for verdict in verdicts:
        print(f"  {verdict}")


if __name__ == "__main__":
    main()
