import sys, os, json, time
sys.path.insert(0, os.path.dirname(__file__))
from rt import *

e = Env("reset")
e.init()
e.enroll_totp("alice")
e.add_recovery("alice")
print("alice codes", len(e.codes["alice"]))
e.add_user("alice", "bob")
e.enroll_totp("bob")
# bob opens a session that stays (login leaves it open)
r = e.as_("bob", ["--json", "login"]); show("bob login", r)
r = e.as_("alice", ["--json", "sessions", "list", "--all"]); show("sessions before", r)
r = e.as_("alice", ["user", "reset-password", "bob"]); show("reset", r)
temp = r[1].strip().splitlines()[-1]
r = e.as_("alice", ["--json", "sessions", "list", "--all"]); show("sessions after", r)
r = e.as_("bob", ["login"]); show("bob old pw", r)
r = e.as_("bob", ["login"], pw=temp); show("bob temp pw login", r)
r = e.as_("bob", ["user", "list"], pw=temp); show("bob temp pw user list", r)
# expiry: advance 72h+1s
e.advance(72*3600 + 5)
r = e.as_("bob", ["login"], pw=temp); show("bob temp pw after 72h", r)
r = e.as_("bob", ["passwd"], pw=temp, extra_stdin="a brand new passphrase here\n"); show("bob passwd after 72h", r)
