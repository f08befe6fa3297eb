#!/usr/bin/env bash
# Runs every benchmark program of a build, prints their output and then their result lines
# together; exits non-zero if one fails.
# Usage: bench/run.sh BUILD_DIR     (make bench runs it inside tests/support/with-services.sh,
#                                    which provides the Xvfb display and D-Bus bench_startup needs)
set -uo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd) || exit 2
results=$(mktemp)
trap 'rm -f "$results"' EXIT

status=0
run() {
    local name=$1 exe="$build/bench/$1" out
    echo "== $name"
    if [ ! -x "$exe" ]; then
        echo "bench/run.sh: $exe is missing (build the project first)" >&2
        status=1
        return
    fi
    out=$(mktemp)
    "$exe" | tee "$out"
    if [ "${PIPESTATUS[0]}" -ne 0 ]; then
        echo "bench/run.sh: $name failed" >&2
        status=1
    else
        tail -n 1 "$out" >>"$results"
    fi
    rm -f "$out"
    echo
}

run bench_login
run bench_startup
run bench_desktop
run bench_frames
run bench_audit
run bench_sessions
run bench_dbus
run bench_authority

echo "== results"
cat "$results"
exit $status
