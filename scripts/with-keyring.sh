#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (the Secret
# Service), so the OS keystore the vault relies on is real in tests, CI and the demo.
# When a Secret Service is already reachable (a desktop session), the command runs as is.
set -eu
if [ "${WARDLINE_KEYRING_READY:-}" = "1" ]; then exec "$@"; fi
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "wardline: dbus-run-session and gnome-keyring-daemon are needed (apt-get install dbus gnome-keyring)" >&2
  exit 1
fi
export WARDLINE_KEYRING_READY=1
exec dbus-run-session -- sh -c '
  # A throwaway login password for this private keyring: it lives only as long as this session.
  head -c 24 /dev/urandom | od -An -tx1 | tr -d " \n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$@"' wardline-keyring "$@"
