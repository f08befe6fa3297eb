# Attacks the folded audit counts of a quiet service (red team t26 follow-up, AUD-01): a flood of
# wrong passwords for bob (throttled attempts fold into one row a minute), then nothing; the file
# clock moves an hour on, the service is left idle for 6 s (its 5 s timer writes the counts due),
# then kill -9. Before the timer, the count lived only in the service's memory and was lost.
# Usage: tests/support/with-services.sh /usr/bin/python3 tests/redteam/t28_idle_fold.py
import sys, os, json, time, signal
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rt import *
from rtbus import *

e = Env("idlefold"); e.init(); e.enroll_totp("alice"); e.add_user("alice", "bob")
v = V(Bus(), e.vault)
for i in range(30):
    v.login("bob", "wrong %d" % i)
e.advance(3600)
time.sleep(6)
os.kill(own_daemon_pid(), signal.SIGKILL)
time.sleep(1)
e.run(["status"])  # a new service
r = e.as_("alice", ["--json", "audit", "list", "--limit", "5000"])
assert r[0] == 0, r
counts = [x["detail"] for x in json.loads(r[1])["events"] if x["subject"] == "bob" and "more like it" in x["detail"]]
print("count rows for bob after an idle hour and kill -9: %d %s" % (len(counts), [c[:48] for c in counts]))
r = e.as_("alice", ["audit", "verify"])
print("audit verify rc=%d" % r[0])
sys.exit(0 if counts and r[0] == 0 else 1)
