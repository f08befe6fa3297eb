// The bus configuration and the shell script tst_keyring.cpp runs (kept apart from the test's
// source because moc cannot read past their raw strings).
#pragma once

namespace {

// A session bus that activates nothing: only what the script starts itself is on it.
const char* const kBusConfig = R"xml(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)xml";

// Inside the bus: a keyring, a vault made with `init` (its key in that keyring), the service
// stopped so the next command opens the vault afresh, then $GH_BREAK does its damage and
// `status` runs. Prints "status-rc=N" last; its stderr goes to the script's stderr.
const char* const kScript = R"sh(
set -u
unique_pid() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
        org.freedesktop.DBus.GetConnectionUnixProcessID "string:$1" 2>/dev/null | awk '/uint32/ {print $2}'
}
stop_owner() {
    pid=$(unique_pid "$1")
    [ -n "$pid" ] || return 0
    kill "$pid"
    i=0
    while [ "$i" -lt 100 ] && [ -n "$(unique_pid "$1")" ]; do sleep 0.05; i=$((i + 1)); done
}
printf 'gatehouse-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
i=0
while [ "$i" -lt 50 ] && [ -z "$(unique_pid org.freedesktop.secrets)" ]; do sleep 0.1; i=$((i + 1)); done
printf '%s\n%s\n' "$GH_PW" "$GH_PW" | "$GH_CLI" --vault "$GH_VAULT" init --admin alice --password-stdin >/dev/null \
    || { echo "init failed"; exit 90; }
stop_owner io.gatehouse.Gatehouse1
case "$GH_BREAK" in
    missing) secret-tool clear server Gatehouse user "vault:$GH_VAULT" ;;
    locked) gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
                --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/aliases/default']" >/dev/null ;;
    absent) stop_owner org.freedesktop.secrets ;;
esac
ls -l --time-style=+%s%N "$(dirname "$GH_VAULT")" > "$GH_BEFORE"
"$GH_CLI" --vault "$GH_VAULT" status >/dev/null
echo "status-rc=$?"
ls -l --time-style=+%s%N "$(dirname "$GH_VAULT")" > "$GH_AFTER"
stop_owner io.gatehouse.Gatehouse1
stop_owner org.freedesktop.secrets
)sh";

} // namespace

namespace {

// The README's break-glass step 1 with a symlinked $HOME (issue 17: it failed, because the entry
// is keyed by the canonical path): a vault at the default place, then the README's own line
// ($GH_STEP1, read from README.md) and the stock sqlcipher shell with the key it found.
const char* const kBreakGlassScript = R"sh(
set -u
printf 'gatehouse-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
i=0
while [ "$i" -lt 50 ] && ! dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
    sleep 0.1; i=$((i + 1))
done
printf '%s\n%s\n' "$GH_PW" "$GH_PW" | "$GH_CLI" init --admin alice --password-stdin >/dev/null \
    || { echo "init failed"; exit 90; }
eval "$GH_STEP1"
echo "key-length=${#KEY}"
printf 'PRAGMA key = "x'"'"'%s'"'"'";\nSELECT count(*) FROM users;\n' "$KEY" \
    | sqlcipher "$HOME/.local/share/gatehouse/vault.db" 2>&1 | sed 's/^/sqlcipher: /'
pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:io.gatehouse.Gatehouse1 2>/dev/null | awk '/uint32/ {print $2}')
[ -n "$pid" ] && kill "$pid"
)sh";

} // namespace
