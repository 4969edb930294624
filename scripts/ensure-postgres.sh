#!/usr/bin/env bash
# The ledger's PostgreSQL tests start their own throwaway cluster (tests/postgres.py: initdb in a temp
# folder, postgres on a free loopback port). Only the server's programs are needed here; the
# package's own cluster and service are not used.
set -euo pipefail

found() { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

if found; then
  echo "postgresql: installed"
  exit 0
fi

# shellcheck source=apt-install.sh
. "$(dirname "$0")/apt-install.sh"
if apt_install postgresql; then
  found && { echo "postgresql: installed"; exit 0; }
fi

echo "postgresql: not found. Install it (Debian: sudo apt-get install postgresql) to run the ledger's PostgreSQL tests." >&2
exit 1
