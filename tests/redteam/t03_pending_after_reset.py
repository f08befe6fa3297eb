# A two-step sign-in begun with the OLD password survives a reset (and the owner's replacement
# of the temporary password): completed afterwards it yields a live, then unrestricted, session.
import sys, os
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

e = Env("pending")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob"); e.enroll_totp("bob")
b = Bus(); v = V(b, e.vault)
# attacker knows bob's (compromised) password and can get one code
ok, step = v.begin("bob", PW["bob"]); pending = step[0]["pendingId"]
print("attacker: BeginLogin with old password ->", ok, "pending", pending)
r = e.as_("alice", ["user", "reset-password", "bob"]); show("alice resets bob (compromise)", r)
temp = r[1].strip().splitlines()[-1]
e.advance(60)
r = e.run(["--as", "bob", "--password-stdin", "--otp-stdin", "passwd"],
          "%s\n%s\n%s\n" % (temp, e.totp("bob"), "a completely new bob passphrase"))
show("bob replaces the temporary password", r)
e.advance(60)
ok, r2 = v.complete(pending, 1, e.totp("bob"))
print("attacker: CompleteLogin after reset + passwd ->", ok)
if ok:
    info, tok = r2
    print("   restricted:", info["restricted"], "aal:", info["aal"], "user:", info["username"])
    ok3, n = v("Accounts", "Notices", "ay", bytes(tok)); print("   attacker reads notices:", ok3, [x["text"][:60] for x in n[0]] if ok3 else n)
    if ok3:
        for x in n[0]:
            print("   dismiss", x["id"], v("Accounts", "DismissNotice", "ayx", bytes(tok), x["id"]))
    print("   attacker lists bob's factors:", v("Factors", "ListFactors", "ays", bytes(tok), "")[0])
    r = e.run(["--as", "bob", "--password-stdin", "--otp-stdin", "notices"], "%s\n%s\n" % ("a completely new bob passphrase", e.totp("bob")))
    show("bob's notices afterwards", r)
else:
    print("   ", r2)
