#!/usr/bin/env bash
# Runs its arguments inside a private D-Bus session with a fresh, unlocked, throw-away
# gnome-keyring (Secret Service), then removes every trace of it. Exits with the command's code.
#   test/with-keyring.sh npx vitest run --project integration
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || {
    echo "$0: $tool not found; install: apt-get install -y --no-install-recommends gnome-keyring dbus libsecret-tools" >&2
    exit 127
  }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/warren-keyring.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/data" "$tmp/runtime"
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime"
# tells the integration tests they may write to this keyring (it is not the user's)
export WARREN_TEST_KEYRING="$tmp"

# Inside the session: --unlock with a password on stdin creates the 'login' keyring (the
# default collection, so stored items persist for the session); then wait until the daemon
# owns org.freedesktop.secrets, so the command never races D-Bus activation of a second one.
# The bus's and the daemon's chatter goes to a log, shown only if the keyring fails to start
# (reported through a file, so any exit code of the command passes through untouched);
# the command keeps the caller's stderr (fd 3).
failed="$XDG_RUNTIME_DIR/keyring-failed"
set +e
dbus-run-session -- bash -c '
  fail() { echo "$1" >"$XDG_RUNTIME_DIR/keyring-failed"; exit 1; }
  printf %s warren-throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null 3>&- \
    || fail "gnome-keyring-daemon --unlock failed"
  for _ in $(seq 50); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q "boolean true" && exec "$@" 2>&3 3>&-
    sleep 0.1
  done
  fail "gnome-keyring-daemon never took org.freedesktop.secrets on the private bus"' with-keyring "$@" 3>&2 2>"$tmp/keyring.log"
rc=$?
if [ -e "$failed" ]; then
  echo "$0: $(cat "$failed"); its log:" >&2
  cat "$tmp/keyring.log" >&2
fi
exit "$rc"
