# Both administrators already hold fresh sessions; DeleteUser / SetUserEnabled / RevokeRole of each
# other are fired at the same instant over D-Bus from two threads (two bus connections), 15 rounds.
import sys, os, json, threading
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

def round_(kind, i):
    e = Env("mut%s%d" % (kind, i))
    e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
    e.add_user("alice", "bob", role="admin"); e.enroll_totp("bob")
    va = V(Bus(), e.vault); vb = V(Bus(), e.vault)
    ta, _ = va.login("alice", PW["alice"], 1, e.totp("alice"))
    tb, _ = vb.login("bob", PW["bob"], 1, e.totp("bob"))
    assert ta and tb
    calls = {"delete": (lambda: va("Accounts", "DeleteUser", "ays", ta, "bob"), lambda: vb("Accounts", "DeleteUser", "ays", tb, "alice")),
             "disable": (lambda: va("Accounts", "SetUserEnabled", "aysb", ta, "bob", False), lambda: vb("Accounts", "SetUserEnabled", "aysb", tb, "alice", False)),
             "revoke": (lambda: va("Roles", "RevokeRole", "ayss", ta, "bob", "admin"), lambda: vb("Roles", "RevokeRole", "ayss", tb, "alice", "admin")),
             "selfdelete": (lambda: va("Accounts", "DeleteUser", "ays", ta, "alice"), lambda: vb("Accounts", "DeleteUser", "ays", tb, "bob")),
             "selfrevoke": (lambda: va("Roles", "RevokeRole", "ayss", ta, "alice", "admin"), lambda: vb("Roles", "RevokeRole", "ayss", tb, "bob", "admin")),
             }[kind]
    res = [None, None]
    bar = threading.Barrier(2)
    def go(k):
        bar.wait(); res[k] = calls[k]()
    ts = [threading.Thread(target=go, args=(k,)) for k in (0, 1)]
    [t.start() for t in ts]; [t.join() for t in ts]
    # who is left as an enabled admin?
    left = []
    for u in ("alice", "bob"):
        r = e.as_(u, ["--json", "role", "list"])
        if r[0] == 0:
            left.append(u)
    return [(ok, str(r)[:90]) for ok, r in res], left

for kind in ["delete", "disable", "revoke", "selfdelete", "selfrevoke"]:
    for i in range(4):
        res, left = round_(kind, i)
        flag = "" if left else "   !!! ZERO ADMINS"
        print(kind, i, res, "usable admins:", left, flag)
