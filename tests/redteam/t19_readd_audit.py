# A re-added name reads only its own history; the administrator's --user NAME shows both, merged.
import sys, os, json
sys.path.insert(0, os.path.dirname(__file__))
from rt import *

e = Env("readd2")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob"); e.enroll_totp("bob")
r = e.as_("bob", ["login"])
e.as_("alice", ["user", "delete", "bob", "--yes"])
e.secrets.pop("bob"); e.last_step.pop("bob", None)
e.add_user("alice", "bob")
r = e.as_("bob", ["--json", "audit", "list", "--limit", "500"])
if r[0] == 0:
    ev = json.loads(r[1])["events"]
    print("new bob reads own audit:", len(ev), "events; any from before the re-add (factor.added / user.deleted):",
          [x["action"] for x in ev if x["action"] in ("factor.added", "user.deleted", "factor.enrollment_started")])
else: show("new bob audit", r)
r = e.as_("alice", ["--json", "audit", "list", "--user", "bob", "--limit", "500"]); ev = json.loads(r[1])["events"]
print("alice audit --user bob:", len(ev), "events, two accounts merged under one name; fields of one event:", sorted(ev[0].keys()))
