# Reset vs. open tokens and a two-step sign-in begun before the reset.
import sys, os
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

e = Env("reset2")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob"); e.enroll_totp("bob")
b = Bus(); v = V(b, e.vault)
tok, info = v.login("bob", PW["bob"], 1, e.totp("bob"))
print("bob token", tok and len(tok), info if tok is None else info.get("aal"))
print("notices with token before:", v("Accounts", "Notices", "ay", tok)[0])
ok, step = v.begin("bob", PW["bob"]); print("begin pending (old password):", ok, step[0] if ok else step)
pending = step[0]["pendingId"]
r = e.as_("alice", ["user", "reset-password", "bob"]); show("reset", r)
temp = r[1].strip().splitlines()[-1]
print("use old token after reset:", v("Accounts", "Notices", "ay", tok))
print("old token Sessions.List:", v("Sessions", "ListSessions", "ayb", tok, False))
ok, r2 = v.complete(pending, 1, e.totp("bob"))
print("COMPLETE pending begun with OLD password after reset:", ok, (r2[0] if ok else r2))
if ok:
    tok2 = bytes(r2[1])
    print("  -> notices with it:", v("Accounts", "Notices", "ay", tok2))
    r = e.as_("alice", ["--json", "sessions", "list", "--all"]); show("sessions list --all", r)
