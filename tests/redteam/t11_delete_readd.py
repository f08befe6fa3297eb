# Delete, then re-add the same name: nothing inherited (factors, roles, throttle, notices, audit).
import sys, os, json
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

e = Env("readd")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob", role="operator"); e.enroll_totp("bob")
v = V(Bus(), e.vault)
tb, _ = v.login("bob", PW["bob"], 1, e.totp("bob"))
ok, pend = v.begin("bob", PW["bob"]); pending = pend[0]["pendingId"]
# bob piles up failures: hard lock needs 100; use 12 wrong passwords (advance past delays)
for i in range(12):
    r = e.run(["--as", "bob", "--password-stdin", "login"], "wrong password number %d\n" % i); e.advance(3700)
print("bob after failures:", r[0], r[2].strip()[:100])
tb, _ = v.login("bob", PW["bob"], 1, e.totp("bob")) if False else (tb, None)
r = e.as_("alice", ["--json", "user", "list"]); print("user list before delete:", [ (u["username"], u.get("locked"), u.get("failures")) for u in json.loads(r[1])["users"]])
r = e.as_("alice", ["user", "delete", "bob", "--yes"]); show("delete bob", r)
print("old bob token after delete:", v("Accounts", "Notices", "ay", tb))
print("old bob pending login completed after delete:", v.complete(pending, 1, e.totp("bob"))[1])
r = e.as_("alice", ["--json", "sessions", "list", "--all", "--ended"]); print("sessions of bob after delete:", r[1].count('"username": "bob"'))
r = e.as_("alice", ["--json", "audit", "list", "--user", "bob", "--limit", "500"]); ev = json.loads(r[1])["events"]
print("audit --user bob after delete:", len(ev), "events; actions:", sorted(set(x["action"] for x in ev))[:12])
# re-add
temp = e.add_user("alice", "bob", activate=False)
r = e.run(["--as", "bob", "--password-stdin", "login"], temp + "\n"); show("new bob first sign-in with temp password", r)
r = e.as_("alice", ["--json", "user", "list"]); print("user list after re-add:", [(u["username"], u.get("roles"), u.get("locked"), u.get("failures")) for u in json.loads(r[1])["users"]])
r = e.as_("alice", ["--json", "factor", "list", "--user", "bob"]); print("new bob factors:", [f["kind"] for f in json.loads(r[1])["factors"]])
r = e.run(["--as", "bob", "--password-stdin", "passwd"], "%s\n%s\n" % (temp, "a new bob passphrase two")); show("new bob passwd (first try)", r)
e.advance(3700)
r = e.run(["--as", "bob", "--password-stdin", "passwd"], "%s\n%s\n" % (temp, "a new bob passphrase two")); show("new bob passwd (after waiting)", r)
e.advance(3700)
PW["bob"] = "a new bob passphrase two"
r = e.as_("bob", ["--json", "notices"]); print("new bob notices:", r[1][:300])
r = e.as_("bob", ["--json", "audit", "list", "--limit", "500"]); 
if r[0] == 0:
    ev = json.loads(r[1])["events"]; print("new bob reads own audit:", len(ev), "events; old events visible:", [x["action"] for x in ev if x["action"] in ("user.deleted", "factor.confirmed", "totp.confirmed", "factor.added")][:5])
else: show("new bob audit list", r)
r = e.as_("alice", ["--json", "audit", "list", "--user", "bob", "--limit", "500"]); ev = json.loads(r[1])["events"]
print("alice audit --user bob after re-add:", len(ev), "events")
