#!/usr/bin/env bash
# The metrics tests push to a real Prometheus Pushgateway that they start themselves
# (tests/pushgateway.py, on a free loopback port). Only the program is needed here; the package's
# own service is not used.
set -euo pipefail

found() { command -v prometheus-pushgateway >/dev/null 2>&1 || [ -x /usr/bin/prometheus-pushgateway ]; }

if found; then
  echo "pushgateway: installed"
  exit 0
fi

# shellcheck source=apt-install.sh
. "$(dirname "$0")/apt-install.sh"
if apt_install prometheus-pushgateway; then
  found && { echo "pushgateway: installed"; exit 0; }
fi

echo "pushgateway: not found. Install it (Debian: sudo apt-get install prometheus-pushgateway) to run the metrics tests." >&2
exit 1
