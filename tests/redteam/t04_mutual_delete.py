# Two administrators delete each other at the same moment (real concurrent gatehousectl processes),
# repeated; then the same with disable, role revoke, and mixed. Never zero enabled admins.
import sys, os, json, threading
sys.path.insert(0, os.path.dirname(__file__))
from rt import *

def admins(e):
    r = e.as_("carol", ["--json", "user", "list"]) if "carol" in e.secrets else None
    return r

def race(e, a_cmd, b_cmd):
    # prepare stdin for both with fresh codes, start both, wait
    pa = e.popen(["--as", "alice", "--password-stdin", "--otp-stdin"] + a_cmd)
    pb = e.popen(["--as", "bob", "--password-stdin", "--otp-stdin"] + b_cmd)
    ia = ("%s\n%s\n" % (PW["alice"], e.totp("alice"))).encode()
    ib = ("%s\n%s\n" % (PW["bob"], e.totp("bob"))).encode()
    res = {}
    def go(name, p, i): res[name] = p.communicate(i, timeout=120)
    ta = threading.Thread(target=go, args=("a", pa, ia)); tb = threading.Thread(target=go, args=("b", pb, ib))
    ta.start(); tb.start(); ta.join(); tb.join()
    return (pa.returncode, res["a"][1].decode().strip()[-160:]), (pb.returncode, res["b"][1].decode().strip()[-160:])

def status(e):
    r = e.run(["--json", "status"])
    return r

for kind in ["delete", "disable", "revoke", "delete-vs-revoke", "disable-vs-delete"]:
    e = Env("mutual-" + kind)
    e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
    e.add_user("alice", "bob", role="admin"); e.enroll_totp("bob")
    cmds = {"delete": (["user", "delete", "bob", "--yes"], ["user", "delete", "alice", "--yes"]),
            "disable": (["user", "disable", "bob"], ["user", "disable", "alice"]),
            "revoke": (["role", "revoke", "bob", "admin"], ["role", "revoke", "alice", "admin"]),
            "delete-vs-revoke": (["user", "delete", "bob", "--yes"], ["role", "revoke", "alice", "admin"]),
            "disable-vs-delete": (["user", "disable", "bob"], ["user", "delete", "alice", "--yes"])}[kind]
    a, b = race(e, *cmds)
    print("==", kind, "alice:", a, "\n   bob:", b)
    # who can still administer? try alice then bob with recovery/otp
    ra = e.as_("alice", ["--json", "role", "list"]); rb = e.as_("bob", ["--json", "role", "list"])
    print("   alice role list rc", ra[0], ra[2].strip()[:120], "| bob role list rc", rb[0], rb[2].strip()[:120])
    holders = None
    for r in (ra, rb):
        if r[0] == 0:
            j = json.loads(r[1])
            holders = [x for x in j.get("roles", []) if x.get("name") == "admin"]
            print("   admin holders:", holders[0].get("holders") if holders else j)
            break
    if holders is None:
        print("   !!! NOBODY CAN ADMINISTER")
