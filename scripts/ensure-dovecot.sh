#!/usr/bin/env bash
# The IMAP tests read EU Login's e-mails from a real IMAP server: Debian's Dovecot, started by the
# tests themselves on a free loopback port (tests/dovecot.py). Only its program is needed here;
# the package's own service is not used.
set -euo pipefail

if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then
  echo "dovecot: installed"
  exit 0
fi

# shellcheck source=apt-install.sh
. "$(dirname "$0")/apt-install.sh"
if apt_install dovecot-imapd; then
  [ -x /usr/sbin/dovecot ] && { echo "dovecot: installed"; exit 0; }
fi

echo "dovecot: not found. Install it (Debian: sudo apt-get install dovecot-imapd) to run the IMAP tests." >&2
exit 1
