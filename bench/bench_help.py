"""Wall time of `tracesctl --help` as a whole process (target < 0.3 s: Playwright is imported lazily)."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = 15


def main() -> None:
    script = shutil.which("tracesctl") or str(Path(sys.executable).parent / "tracesctl")
    times = []
    for _ in range(ROUNDS + 1):
        started = time.perf_counter()
        subprocess.run([script, "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    times = times[1:]  # the first run warms the disk cache
    median = statistics.median(times)
    print(f"tracesctl --help  median {median * 1000:.0f} ms over {ROUNDS} runs "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); target < 300 ms: "
          f"{'met' if median < 0.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
