# Two-step recovery codes, attacked over D-Bus and through the CLI.
import sys, os, json, signal, time, subprocess
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

def codes_of(r):
    out = []
    for c in r[2]:
        out.append(bytes(c).decode() if not isinstance(c, str) else c)
    return out

e = Env("rc")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
old = e.codes["alice"]            # 9 unused old codes
v = V(Bus(), e.vault)
tok, _ = v.login("alice", PW["alice"], 1, e.totp("alice"))
ok, r = v("Factors", "BeginRecoveryCodes", "ay", tok); assert ok, r
set1, new1 = r[0], codes_of(r)
print("begin: set", set1[:8], "codes", len(new1), new1[0])
# (1) old code still signs in while pending
t2, i2 = v.login("alice", PW["alice"], 2, old.pop(0)); print("old code signs in while pending:", bool(t2), "" if t2 else i2)
# (2) new code does NOT sign in before confirmation
t3, i3 = v.login("alice", PW["alice"], 2, new1[0]); print("NEW code signs in before confirm:", bool(t3), "" if t3 else i3[:100])
# (3) confirm with an OLD code
print("confirm with an OLD code:", v("Factors", "ConfirmRecoveryCodes", "aysay", tok, set1, old[0].encode()))
# (4) confirm with garbage / huge / NUL
print("confirm with 100 kB:", v("Factors", "ConfirmRecoveryCodes", "aysay", tok, set1, b"A" * 100000)[1][:120])
print("confirm with NUL bytes:", v("Factors", "ConfirmRecoveryCodes", "aysay", tok, set1, b"\0" * 19)[1][:120])
# (5) another account's session confirming alice's set (bob)
e.add_user("alice", "bob")
tb, _ = v.login("bob", PW["bob"])
print("bob confirms alice's set:", v("Factors", "ConfirmRecoveryCodes", "aysay", tb, set1, new1[1].encode()))
# (6) second begin replaces the first; confirm of the first must fail
ok, r = v("Factors", "BeginRecoveryCodes", "ay", tok); set2, new2 = r[0], codes_of(r)
print("confirm set1 after begin set2:", v("Factors", "ConfirmRecoveryCodes", "aysay", tok, set1, new1[1].encode()))
print("confirm set2 with a code of set1:", v("Factors", "ConfirmRecoveryCodes", "aysay", tok, set2, new1[2].encode())[1][:100])
# (7) confirm set2 properly, typed code = new2[5]
print("confirm set2:", v("Factors", "ConfirmRecoveryCodes", "aysay", tok, set2, new2[5].encode()))
print("confirm set2 AGAIN (replay):", v("Factors", "ConfirmRecoveryCodes", "aysay", tok, set2, new2[5].encode())[1][:100])
t4, i4 = v.login("alice", PW["alice"], 2, old[1]); print("old code after confirm:", bool(t4), "" if t4 else i4[:80])
t5, i5 = v.login("alice", PW["alice"], 2, new2[5]); print("typed-back code signs in afterwards (design: stays usable):", bool(t5))
t6, i6 = v.login("alice", PW["alice"], 2, new2[5]); print("typed-back code a second time:", bool(t6), "" if t6 else i6[:80])
t7, i7 = v.login("alice", PW["alice"], 2, new1[3]); print("a code of the discarded set1:", bool(t7))
# (8) notices say it
r = e.as_("alice", ["notices"]); show("alice notices", r)
