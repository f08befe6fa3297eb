#!/usr/bin/env bash
# Runs a command inside the services the tests need, and stops them afterwards:
#   - a private D-Bus session bus (dbus-run-session),
#   - a gnome-keyring daemon on it, unlocked, providing the real Secret Service,
#   - an Xvfb display (xvfb-run) for real Qt Quick windows.
# Everything lives in a throw-away HOME so the developer's own keyring is never touched.
# Usage: tests/support/with-services.sh COMMAND [ARGS...]
set -euo pipefail

if [ -z "${GATEHOUSE_IN_SERVICES:-}" ]; then
    scratch=$(mktemp -d /tmp/gatehouse-test.XXXXXX)
    trap 'rm -rf "$scratch"' EXIT
    export GATEHOUSE_IN_SERVICES=1
    export HOME="$scratch/home" XDG_DATA_HOME="$scratch/home/.local/share" \
           XDG_CONFIG_HOME="$scratch/home/.config" XDG_CACHE_HOME="$scratch/home/.cache" \
           XDG_RUNTIME_DIR="$scratch/run"
    mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    # xvfb-run owns the X server's lifetime, dbus-run-session owns the bus and everything started on it.
    status=0
    xvfb-run -a -s "-screen 0 1280x900x24 -nolisten tcp" \
        dbus-run-session -- "$0" "$@" || status=$?
    exit $status
fi

# Inside the bus: start gnome-keyring with an unlocked login keyring (the password only protects
# this throw-away keyring; an empty one makes gnome-keyring ask through a prompter instead).
keyring_out=$(printf 'gatehouse-test-keyring' | gnome-keyring-daemon --unlock --components=secrets --daemonize 2>&1) || true
eval "$(printf '%s\n' "$keyring_out" | grep '^GNOME_KEYRING_CONTROL=' | sed 's/^/export /')" || true
# gnome-keyring exits with the bus when dbus-run-session ends; nothing else to stop here.
# Wait until the Secret Service answers on the bus.
for _ in $(seq 1 50); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
        string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
        break
    fi
    sleep 0.1
done
"$@"
