#!/bin/sh
# Runs a command inside a private D-Bus session with its own gnome-keyring (the Secret Service),
# so the OS keystore the vault relies on is real in tests, CI, benchmarks and the demo. The keyring
# lives in a fresh temporary folder, unlocked with a random password that is never written down,
# and is deleted afterwards: keys stored during the run do not outlive it.
set -eu
if [ "${WARDLINE_KEYRING_READY:-}" = "1" ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "wardline: $tool is needed for the OS keystore (apt-get install dbus gnome-keyring)" >&2
    exit 1
  fi
done
keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/wardline-keyring.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT INT TERM
status=0
WARDLINE_KEYRING_READY=1 WARDLINE_KEYRING_HOME="$keyring_home" dbus-run-session -- sh -c '
  head -c 24 /dev/urandom | od -An -tx1 | tr -d " \n" |
    XDG_DATA_HOME="$WARDLINE_KEYRING_HOME" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  unset WARDLINE_KEYRING_HOME
  exec "$@"' wardline-keyring "$@" || status=$?
exit $status
