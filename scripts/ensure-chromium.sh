#!/usr/bin/env bash
# Make sure Playwright has a Chromium to drive, in this order:
#   1. BROWSER_EXECUTABLE, when it is set and runs;
#   2. Playwright's own Chromium (`playwright install chromium`), where browser downloads work;
#   3. a system Chromium on PATH;
#   4. Debian's `chromium` package, installed with apt-get when we are root.
# tracesctl finds the same browser at run time (automation/browser.py), so nothing is recorded.
set -euo pipefail
bin="${1:?usage: ensure-chromium.sh VENV_BIN}"

if [ -n "${BROWSER_EXECUTABLE:-}" ] && [ -x "${BROWSER_EXECUTABLE}" ]; then
  echo "chromium: using BROWSER_EXECUTABLE=${BROWSER_EXECUTABLE}"
  exit 0
fi

if "${bin}/python" - <<'PY'
import os, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if os.path.exists(p.chromium.executable_path) else 1)
PY
then
  echo "chromium: Playwright's own is installed"
  exit 0
fi

if timeout 600 "${bin}/playwright" install chromium >/dev/null 2>&1; then
  echo "chromium: installed Playwright's own"
  exit 0
fi
echo "chromium: Playwright's download failed; looking for a system Chromium"

for name in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "${name}" >/dev/null 2>&1; then
    echo "chromium: using $(command -v "${name}")"
    exit 0
  fi
done

# shellcheck source=apt-install.sh
. "$(dirname "$0")/apt-install.sh"
if apt_install chromium; then
  command -v chromium >/dev/null && { echo "chromium: using $(command -v chromium)"; exit 0; }
fi

echo "chromium: none found. Install one (Debian: sudo apt-get install chromium) or set BROWSER_EXECUTABLE." >&2
exit 1
