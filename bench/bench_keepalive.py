"""Keep-alive at scale, side by side with a hand-written async Playwright script.

For 20 and 40 accounts, with 200 ms of latency on every answer of the offline portal, it runs
`tracesctl keepalive` serially, with --parallel 5 and with --parallel 10, and the same clicks
written by hand with Playwright's async API and one browser (bench/baseline_keepalive.py) with 1, 5
and 10 workers. For each run it prints the wall time, the speedup over the serial run of the same
tool, the CPU seconds per sign-in and the peak memory of the whole process tree (the sum of PSS,
shared pages split between the processes sharing them; RSS beside it counts them again in each).

CPU time is the user + system time of the command and every one of its descendants, Chromium's and
Playwright's driver's included: the benchmark makes itself their subreaper, so the processes their
parents leave behind (Chromium's renderers, when the browser is closed) are reaped, and counted, here.

Targets (issues 14 and 21), checked at the end:
CPU seconds per sign-in at most 1.2x the script's; peak memory of --parallel 10 below 1.4 GB (what
--parallel 5 took when each worker had its own browser and driver); speedup at least 0.9x the
script's. `--parallel N` is N worker processes (each a Python interpreter and a Playwright driver)
sharing one local Playwright server's Chromium, so all of them count here.
BENCH_ACCOUNTS="20,40" and BENCH_PARALLEL="5,10" choose the sizes, BENCH_LATENCY_MS=200 the
portal's latency (the suite's smoke run: BENCH_ACCOUNTS=2 BENCH_PARALLEL=2 BENCH_LATENCY_MS=0).
Exit 1 when a run did not sign every account in: its figures would measure a failure.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from seeded import credential_now, file_now

from automation.portal_client import PortalClient
from automation.stub.server import StubServer

ACCOUNTS = [int(n) for n in os.environ.get("BENCH_ACCOUNTS", "20,40").split(",")]
PARALLEL = [int(n) for n in os.environ.get("BENCH_PARALLEL", "5,10").split(",")]
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "200"))
BEFORE_MB = 1.4 * 1024  # --parallel 5's peak PSS with a browser and a driver per worker (issue 14)
BASELINE = Path(__file__).with_name("baseline_keepalive.py")


@dataclass(frozen=True)
class Figures:
    seconds: float
    cpu_seconds: float
    pss_kb: int
    rss_kb: int
    ok: int


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


def measure(command: list[str], env: dict[str, str], stdin: str = "") -> tuple[Figures, str]:
    """Run `command`; its wall time, CPU time and peak memory, every descendant counted, and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            pss, rss = memory_kb(descendants(process.pid))
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    assert process.stdin is not None and process.stdout is not None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process.stdin.write(stdin)
    process.stdin.close()
    out = process.stdout.read()
    process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Figures(seconds, cpu, peak[0], peak[1], 0), out


def become_subreaper() -> None:
    """Descendants whose parent ends are handed to this process (not to init), so that their CPU
    time is counted in RUSAGE_CHILDREN once reaped (PR_SET_CHILD_SUBREAPER, Linux)."""
    if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def reap_orphans(grace_s: float = 15.0) -> None:
    """Reap the run's orphaned descendants as they end (each is waited for up to `grace_s` in all)."""
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            threading.Event().wait(0.05)  # some still run: look again shortly


def key_file(tmp: str, email: str) -> Path:
    return Path(tmp) / "passkeys" / f"{email.split('@')[0]}.json"


def tracesctl(stub: str, accounts_file: Path, credentials: list[tuple[str, str]], env: dict[str, str], home: str,
              parallel: int) -> Figures:
    portal = PortalClient(stub)
    for email, _ in credentials:  # each passkey file at EU Login's last counter, before the clock starts
        file_now(portal, email, key_file(str(accounts_file.parent), email))
    command = [sys.executable, "-m", "flows", "--accounts", str(accounts_file), "--base-url", stub,
               "keepalive", "--json"] + (["--parallel", str(parallel)] if parallel > 1 else [])
    figures, out = measure(command, {**env, "TRACESCTL_HOME": home})
    ok = sum(result["outcome"] == "ok" for result in json.loads(out))
    return Figures(figures.seconds, figures.cpu_seconds, figures.pss_kb, figures.rss_kb, ok)


def script(stub: str, credentials: list[tuple[str, str]], env: dict[str, str], parallel: int) -> Figures:
    portal = PortalClient(stub)  # each passkey with EU Login's last counter, read before the clock starts
    keys = {email: json.dumps(credential_now(portal, email), separators=(",", ":")) for email, _ in credentials}
    figures, out = measure([sys.executable, str(BASELINE), stub, str(parallel)], env,
                           "\n".join(f"{email} {password} {keys[email]}" for email, password in credentials))
    ok = int(out.split("/")[0]) if "/" in out else 0
    return Figures(figures.seconds, figures.cpu_seconds, figures.pss_kb, figures.rss_kb, ok)


def line(label: str, figures: Figures, serial: Figures, accounts: int) -> str:
    return (f"  {label:<24} {figures.seconds:7.1f} {serial.seconds / figures.seconds:8.2f}x "
            f"{figures.cpu_seconds / max(figures.ok, 1):10.2f} {figures.pss_kb / 1024:9.0f} "
            f"{figures.rss_kb / 1024:9.0f} {figures.ok:>4}/{accounts}")


def main() -> None:
    become_subreaper()
    verdicts: list[str] = []
    failed: list[str] = []  # the runs that did not sign every account in
    with StubServer() as stub, tempfile.TemporaryDirectory() as tmp:
        portal = PortalClient(stub.base_url)
        env = {**os.environ, "TRACESCTL_LOG_LEVEL": "warning"}
        print(f"keep-alive: {LATENCY_MS} ms per portal answer, {os.cpu_count()} CPUs; "
              "CPU s and peak memory count every process of the run")
        for count in ACCOUNTS:
            credentials, lines = [], []
            for n in range(count):
                email, password = f"bench{count}-{n:02d}@vaxtexport.se", f"Bench-{n:02d}-Pass!"
                # TRACES wants a second factor: both sides sign in with the account's seeded passkey (seeded.py).
                portal.call("accounts", {"username": email, "password": password, "seeded_passkey": True})
                credentials.append((email, password))
                env[f"BENCH_PW_{count}_{n}"] = password
                lines.append(f'[accounts.bench{n:02d}]\nemail = "{email}"\npassword_env = "BENCH_PW_{count}_{n}"\n'
                             f'factor = "passkey"\npasskey_file = "{key_file(tmp, email)}"\nlocale = "en"\n')
            accounts_file = Path(tmp) / f"accounts-{count}.toml"
            accounts_file.write_text("\n".join(lines))
            portal.call("faults", {"latency_ms": LATENCY_MS})
            print(f"\n{count} accounts{'':<15} wall s  speedup  CPU s/sign-in  PSS MB    RSS MB     ok")
            ours, theirs = {}, {}
            for n in [1, *PARALLEL]:  # in turns, so that a busy moment of the machine hits both alike
                ours[n] = tracesctl(stub.base_url, accounts_file, credentials, env, f"{tmp}/{count}-{n}", n)
                theirs[n] = script(stub.base_url, credentials, env, n)
            for n in [1, *PARALLEL]:
                print(line(f"tracesctl {'serial' if n == 1 else f'--parallel {n}'}", ours[n], ours[1], count))
            for n in [1, *PARALLEL]:
                print(line(f"async script, {n} worker{'s' if n > 1 else ''}", theirs[n], theirs[1], count))
            failed += [f"{who} with {n} of {count} accounts: {runs[n].ok} ok" for who, runs in
                       (("tracesctl", ours), ("the script", theirs)) for n in [1, *PARALLEL] if runs[n].ok != count]
            for n in PARALLEL:
                cpu = (ours[n].cpu_seconds / max(ours[n].ok, 1)) / (theirs[n].cpu_seconds / max(theirs[n].ok, 1))
                speedup = (ours[1].seconds / ours[n].seconds) / (theirs[1].seconds / theirs[n].seconds)
                verdicts.append(f"{count} accounts, --parallel {n}: CPU per sign-in {cpu:.2f}x the script's "
                                f"({'met' if cpu <= 1.2 else 'NOT met'}: <= 1.2x); speedup {speedup:.2f}x the "
                                f"script's ({'met' if speedup >= 0.9 else 'NOT met'}: >= 0.9x)")
            if 10 in ours:
                mb = ours[10].pss_kb / 1024
                verdicts.append(f"{count} accounts, --parallel 10: peak PSS {mb:.0f} MB "
                                f"({'met' if mb < BEFORE_MB else 'NOT met'}: below {BEFORE_MB:.0f} MB, --parallel 5 "
                                "with a browser per worker)")
    print("\ntargets")
    for verdict in verdicts:
        print(f"  {verdict}")
    if failed:
        print(f"not every account was signed in: {'; '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
