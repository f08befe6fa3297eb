# A deleted account's hard lock (100 failures) is inherited by a new account of the same name.
import sys, os, json
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

e = Env("lock")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob")
v = V(Bus(), e.vault)
for i in range(100):
    v.login("bob", "wrong guess %d" % i); e.advance(901)
r = e.as_("alice", ["--json", "user", "list"]); print("before delete:", [(u["username"], u["locked"]) for u in json.loads(r[1])["users"]])
e.as_("alice", ["user", "delete", "bob", "--yes"])
temp = e.add_user("alice", "bob", activate=False)
r = e.as_("alice", ["--json", "user", "list"]); print("new bob just added:", [(u["username"], u["locked"]) for u in json.loads(r[1])["users"]])
r = e.run(["--as", "bob", "--password-stdin", "login"], temp + "\n"); show("new bob signs in with his temporary password", r)
