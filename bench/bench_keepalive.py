"""Keep-alive at scale: 20 accounts, 200 ms of latency on every portal answer, serial against
--parallel 5. Prints the speedup (target >= 3.5x) and the peak memory of the whole run, every
process of it counted (target < 1.5 GB): the sum of PSS (shared pages split between the processes
sharing them) and, for comparison, the sum of RSS (shared pages counted again in each process).

It also prints this machine's ceiling: the same parallel run with no latency at all is bound by
CPU alone (Chromium's), so no parallel run with latency can beat serial-time / that-time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from automation.portal_client import PortalClient
from automation.stub.server import StubServer

ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "20"))
PARALLEL = int(os.environ.get("BENCH_PARALLEL", "5"))
LATENCY_MS = 200


def control(base_url: str, path: str, body: dict[str, object]) -> None:
    PortalClient(base_url).call(path, body)


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def memory_kb(pids: list[int]) -> tuple[int, int]:
    pss = rss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
        except OSError:
            continue  # the process ended between listing and reading
    return pss, rss


def run(command: list[str], env: dict[str, str]) -> tuple[float, int, int, list[dict[str, object]]]:
    """Wall time, peak PSS and peak RSS (kB) of the command and all its children, and its JSON output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            pss, rss = memory_kb(descendants(process.pid))
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = process.communicate()
    done.set()
    sampler.join()
    return time.perf_counter() - started, peak[0], peak[1], json.loads(out)


def main() -> None:
    with StubServer() as stub, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TRACESCTL_LOG_LEVEL": "warning"}
        lines = []
        for n in range(ACCOUNTS):
            email, password = f"bench{n:02d}@vaxtexport.se", f"Bench-{n:02d}-Pass!"
            control(stub.base_url, "accounts", {"username": email, "password": password,
                                                "password_only_allowed": True})
            env[f"BENCH_PW_{n}"] = password
            lines.append(f'[accounts.bench{n:02d}]\nemail = "{email}"\npassword_env = "BENCH_PW_{n}"\n'
                         'factor = "password"\nlocale = "en"\n')
        accounts = Path(tmp) / "accounts.toml"
        accounts.write_text("\n".join(lines))
        control(stub.base_url, "faults", {"latency_ms": LATENCY_MS})
        base = [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
                "keepalive", "--json"]
        figures = {}
        parallel = f"--parallel {PARALLEL}"
        runs = (("serial", [], LATENCY_MS), (parallel, ["--parallel", str(PARALLEL)], LATENCY_MS),
                ("cpu-bound", ["--parallel", str(PARALLEL)], 0))
        for label, extra, latency in runs:
            control(stub.base_url, "faults", {"latency_ms": latency})
            seconds, pss, rss, results = run(base + extra, {**env, "TRACESCTL_HOME": f"{tmp}/{label}"})
            ok = sum(r["outcome"] == "ok" for r in results)
            figures[label] = seconds
            print(f"{label:<12} {seconds:6.1f} s  {ok}/{ACCOUNTS} ok  latency {latency} ms  "
                  f"peak memory: PSS {pss / 1024:.0f} MB, RSS {rss / 1024:.0f} MB")
    speedup = figures["serial"] / figures[parallel]
    ceiling = figures["serial"] / figures["cpu-bound"]
    print(f"speedup      {speedup:.2f}x  (target >= 3.5x: {'met' if speedup >= 3.5 else 'NOT met'}); "
          f"{ACCOUNTS} accounts, {LATENCY_MS} ms per answer")
    print(f"ceiling      {ceiling:.2f}x  on this machine ({os.cpu_count()} CPUs): serial time / CPU-bound time")


if __name__ == "__main__":
    main()
