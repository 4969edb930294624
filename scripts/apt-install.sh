#!/usr/bin/env bash
# Sourced by the ensure-*.sh scripts: `apt_install PACKAGE` installs one Debian package when we are
# root on a Debian-based machine; returns non-zero otherwise (the caller then says what to do).
#
# Why the lock timeout: on a fresh machine unattended-upgrades, or two `make` runs at once, can hold
# dpkg's lock; apt-get then fails at once ("Unable to acquire the dpkg frontend lock") and the setup
# with it. Waiting up to 10 minutes for the lock turns that into a pause.

apt_install() {
  local package=$1
  [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 || return 1
  echo "$package: installing Debian's $package package"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -qq)
  # The package lists of a fresh image may be missing or stale: update only when the install fails.
  "${apt[@]}" install "$package" >/dev/null || { "${apt[@]}" update && "${apt[@]}" install "$package" >/dev/null; }
}
