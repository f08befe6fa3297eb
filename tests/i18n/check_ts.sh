#!/usr/bin/env bash
# The translations are complete (issue 15 item 5): lupdate over today's sources, run on copies of
# resources/i18n/*.ts, leaves no message unfinished — a string added or changed in the code without
# its German (or, in gatehouse_en.ts, its English plural forms) fails here.
#   check_ts.sh LUPDATE TS_DIR SOURCE...
set -euo pipefail
lupdate=$1
ts_dir=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
check() { # name, extra lupdate options…
    local name=$1
    shift
    cp "$ts_dir/$name" "$work/$name"
    "$lupdate" -silent -no-obsolete -locations none "$@" "${sources[@]}" -ts "$work/$name" >"$work/$name.log" 2>&1 || {
        cat "$work/$name.log"
        echo "check_ts: lupdate failed on $name"
        status=1
        return
    }
    local unfinished
    unfinished=$(grep -c 'type="unfinished"' "$work/$name" || true)
    if [ "$unfinished" -ne 0 ]; then
        echo "check_ts: $name has $unfinished unfinished message(s); run the update_translations target and translate:"
        # The source text of each unfinished message (the line(s) before its translation).
        python3 - "$work/$name" <<'PY'
import sys, xml.etree.ElementTree as ET
for ctx in ET.parse(sys.argv[1]).getroot().iter("context"):
    for m in ctx.iter("message"):
        t = m.find("translation")
        if t is not None and t.get("type") == "unfinished":
            print("  [%s] %s" % (ctx.findtext("name"), m.findtext("source")))
PY
        status=1
    elif ! cmp -s "$ts_dir/$name" "$work/$name"; then
        # Complete but out of date (a string gone from the code): not a failure, a reminder.
        echo "check_ts: $name is complete; lupdate would drop or reorder entries (run update_translations)"
    fi
    echo "check_ts: $name: $(grep -c '<message' "$work/$name") messages, $unfinished unfinished"
}
sources=("$@")
check gatehouse_de.ts
check gatehouse_en.ts -pluralonly
exit $status
