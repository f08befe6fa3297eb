#!/usr/bin/env bash
# Checks the system-mode files from installer/system as they are in the source tree:
#   1. `systemd-analyze security --offline=yes UNIT` succeeds, warns about nothing (an unknown or
#      malformed directive is ignored with a warning, silently dropping its hardening) and rates
#      the overall exposure at most 2.0 (DESIGN.md, "Trust boundary and processes");
#   2. the D-Bus policy is well-formed XML, lets only user gatehouse own names and lets any local
#      process send to io.gatehouse.Gatehouse1.
# Usage: unit_security.sh UNIT POLICY   (ctest: tests/installer/CMakeLists.txt)
set -euo pipefail

unit=$1 policy=$2
max_exposure=2.0
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v systemd-analyze >/dev/null || fail "systemd-analyze not found (package systemd, installer/deps.sh)"
command -v xmllint >/dev/null || fail "xmllint not found (package libxml2-utils, installer/deps.sh)"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# --- 1. the unit's exposure level -------------------------------------------------------------
rc=0
systemd-analyze security --offline=yes --no-pager "$unit" >"$scratch/out" 2>"$scratch/err" || rc=$?
cat "$scratch/out"
if [ "$rc" -ne 0 ]; then
    cat "$scratch/err" >&2
    fail "systemd-analyze security exited with $rc"
fi
if [ -s "$scratch/err" ]; then
    cat "$scratch/err" >&2
    fail "systemd-analyze warned about $unit (a directive it ignores hardens nothing)"
fi
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9]*\.[0-9]*\).*/\1/p' "$scratch/out")
[ -n "$exposure" ] || fail "no 'Overall exposure level' in the output of systemd-analyze"
if awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e > m) }'; then
    fail "exposure level $exposure is above $max_exposure"
fi
echo "ok: exposure level $exposure <= $max_exposure"

# --- 2. the bus policy --------------------------------------------------------------------------
xmllint --noout "$policy" || fail "$policy is not well-formed XML"
count() { xmllint --xpath "count($1)" "$policy"; }
for name in io.gatehouse.Gatehouse1 io.gatehouse.Authority1; do
    [ "$(count "/busconfig/policy[@user='gatehouse']/allow[@own='$name']")" = 1 ] \
        || fail "$policy does not let user gatehouse own $name"
    [ "$(count "/busconfig/policy[@context='default']/allow[@send_destination='$name']")" = 1 ] \
        || fail "$policy does not let every local process send to $name"
done
[ "$(count "//allow[@own or @own_prefix][not(parent::policy[@user='gatehouse'])]")" = 0 ] \
    || fail "$policy lets someone other than user gatehouse own a name"
echo "ok: $policy"
