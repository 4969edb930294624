#!/usr/bin/env bash
# Make sure Playwright has a Chromium to drive, in this order:
#   1. BROWSER_EXECUTABLE, when it is set and runs;
#   2. Playwright's own Chromium (`playwright install chromium`), where browser downloads work;
#   3. a system Chromium on PATH;
#   4. Debian's `chromium` package, installed with apt-get when we are root.
# With a system Chromium, Debian's `chromium-headless-shell` too (best effort): the build Playwright's
# own headless launches use, about half the CPU of a full Chromium; headless runs prefer it.
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

# shellcheck source=apt-install.sh
. "$(dirname "$0")/apt-install.sh"

headless_shell() {
  command -v chromium-headless-shell >/dev/null 2>&1 || apt_install chromium-headless-shell \
    || echo "chromium: no headless shell (Debian: chromium-headless-shell); headless runs use the full one"
  if command -v chromium-headless-shell >/dev/null 2>&1; then
    echo "chromium: headless runs use $(command -v chromium-headless-shell)"
  fi
  return 0
}

for name in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "${name}" >/dev/null 2>&1; then
    echo "chromium: using $(command -v "${name}")"
    headless_shell
    exit 0
  fi
done

if apt_install chromium; then
  command -v chromium >/dev/null && { echo "chromium: using $(command -v chromium)"; headless_shell; exit 0; }
fi

echo "chromium: none found. Install one (Debian: sudo apt-get install chromium) or set BROWSER_EXECUTABLE." >&2
exit 1
