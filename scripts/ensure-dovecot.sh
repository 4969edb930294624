#!/usr/bin/env bash
# The IMAP tests read EU Login's e-mails from a real IMAP server: Debian's Dovecot, started by the
# tests themselves on a free loopback port (tests/dovecot.py). Only its program is needed here;
# the package's own service is not used.
set -euo pipefail

if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then
  echo "dovecot: installed"
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "dovecot: installing Debian's dovecot-imapd package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq dovecot-imapd >/dev/null || { apt-get update -qq && apt-get install -y -qq dovecot-imapd >/dev/null; }
  [ -x /usr/sbin/dovecot ] && { echo "dovecot: installed"; exit 0; }
fi

echo "dovecot: not found. Install it (Debian: sudo apt-get install dovecot-imapd) to run the IMAP tests." >&2
exit 1
