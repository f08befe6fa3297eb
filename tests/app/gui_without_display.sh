#!/usr/bin/env bash
# The GUI started where there is no display to show it on (over ssh, from a cron job, in a plain
# console): it says so in two lines and exits with status 1. Qt alone aborts (status 134) with a
# page about platform plugins that ends "Reinstalling the application may fix this problem".
# An unknown option is reported as such, a display or not.
# Usage: gui_without_display.sh GATEHOUSE
set -uo pipefail
gui=$1
fail=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# No display, no platform chosen.
# No session bus either: nothing here may reach the test run's gatehoused or its single-instance name.
run() { env -u DISPLAY -u WAYLAND_DISPLAY -u XDG_SESSION_TYPE -u QT_QPA_PLATFORM -u DBUS_SESSION_BUS_ADDRESS HOME="$scratch" XDG_RUNTIME_DIR="$scratch" \
            timeout 20 "$gui" "$@" >"$scratch/out" 2>"$scratch/err"; }

run; status=$?
[ "$status" -eq 1 ] || { echo "FAIL: 'gatehouse' without a display exited $status, not 1"; fail=1; }
grep -q "no display" "$scratch/err" || { echo "FAIL: 'gatehouse' without a display did not say so:"; cat "$scratch/err"; fail=1; }
grep -q "gatehousectl" "$scratch/err" || { echo "FAIL: the message does not point to gatehousectl"; fail=1; }
grep -qi "reinstall\|platform plugin" "$scratch/err" && { echo "FAIL: Qt's platform-plugin page was printed:"; cat "$scratch/err"; fail=1; }
[ "$(wc -l <"$scratch/err")" -le 2 ] || { echo "FAIL: more than two lines on stderr:"; cat "$scratch/err"; fail=1; }

run --vault "$scratch/other.db"; status=$?
[ "$status" -eq 1 ] && grep -q "no display" "$scratch/err" ||
    { echo "FAIL: 'gatehouse --vault PATH' without a display exited $status:"; cat "$scratch/err"; fail=1; }

run --bogus; status=$?
[ "$status" -eq 1 ] || { echo "FAIL: 'gatehouse --bogus' without a display exited $status, not 1"; fail=1; }
grep -q "Unknown option 'bogus'" "$scratch/err" || { echo "FAIL: 'gatehouse --bogus' did not name the option:"; cat "$scratch/err"; fail=1; }

# A platform the caller chose is left alone: here one that needs no display, so the window opens
# (offscreen) and stays until it is stopped.
env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS HOME="$scratch" XDG_RUNTIME_DIR="$scratch" QT_QPA_PLATFORM=offscreen \
    timeout 3 "$gui" --vault "$scratch/chosen.db" >"$scratch/out" 2>"$scratch/err"; status=$?
[ "$status" -eq 124 ] || { echo "FAIL: with QT_QPA_PLATFORM=offscreen it exited $status instead of running:"; cat "$scratch/err"; fail=1; }
grep -q "no display" "$scratch/err" && { echo "FAIL: with a platform chosen it still said 'no display'"; fail=1; }

[ "$fail" -eq 0 ] && echo "PASS: without a display, a clear message and status 1"
exit $fail
