# The last-admin guard counts an administrator who can never act: one whose temporary password
# was never replaced (it expires after 72 h). alice deletes herself; 72 h later nobody administers.
import sys, os, json
sys.path.insert(0, os.path.dirname(__file__))
from rt import *

e = Env("guard")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
temp = e.add_user("alice", "bob", role="admin", activate=False)
r = e.as_("alice", ["user", "delete", "alice", "--yes"]); show("alice deletes herself (bob: admin, temp password never used)", r)
e.advance(72 * 3600 + 60)
r = e.run(["--as", "bob", "--password-stdin", "login"], temp + "\n"); show("bob signs in with his temp password after 72 h", r)
r = e.run(["--json", "status"]); print("status L4:", [l for l in r[1].splitlines() if "admin" in l.lower()][:6])
# variant: alice disables herself? (not allowed by design? check)
e2 = Env("guard2")
e2.init(); e2.enroll_totp("alice"); e2.add_recovery("alice")
temp2 = e2.add_user("alice", "bob", role="admin", activate=False)
r = e2.as_("alice", ["role", "revoke", "alice", "admin"]); show("alice revokes her own admin (bob never signed in)", r)
r = e2.as_("alice", ["user", "disable", "alice"]); show("alice disables herself", r)
