# factor remove --user: authorization in the service, wrong owner, reasons; reach of custom roles.
import sys, os, json
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

e = Env("frm")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob"); bob_totp = e.enroll_totp("bob")
e.add_user("alice", "carol", role="operator"); carol_totp = e.enroll_totp("carol")
e.add_user("alice", "dave", role="admin"); dave_totp = e.enroll_totp("dave")
r = e.as_("alice", ["--json", "factor", "list", "--user", "bob"]); print("bob factors:", r[1].replace("\n", "")[:300])
v = V(Bus(), e.vault)
tb, _ = v.login("bob", PW["bob"], 1, e.totp("bob"))
tc, _ = v.login("carol", PW["carol"], 1, e.totp("carol"))
ta, _ = v.login("alice", PW["alice"], 1, e.totp("alice"))
ta1, _ = v.login("alice", PW["alice"])  # password only: restricted? / AAL1
print("alice password-only login:", ta1 if ta1 is None else "token", _ if ta1 is None else "")
# non-admins over D-Bus
print("bob(no role) RemoveUserFactor carol:", v("Factors", "RemoveUserFactor", "aysxs", tb, "carol", carol_totp, "x"))
print("carol(operator) RemoveUserFactor bob:", v("Factors", "RemoveUserFactor", "aysxs", tc, "bob", bob_totp, "x"))
print("carol(operator) ResetPassword bob:", v("Accounts", "ResetPassword", "ays", tc, "bob"))
print("carol(operator) DeleteUser bob:", v("Accounts", "DeleteUser", "ays", tc, "bob"))
print("bob ResetPassword with garbage token:", v("Accounts", "ResetPassword", "ays", b"\0"*32, "bob"))
# factor id of someone else than NAME
print("alice removes CAROL's factor id naming bob:", v("Factors", "RemoveUserFactor", "aysxs", ta, "bob", carol_totp, "phone lost"))
print("alice removes factor id 999999 of bob:", v("Factors", "RemoveUserFactor", "aysxs", ta, "bob", 999999, "phone lost"))
print("alice removes factor -1 of bob:", v("Factors", "RemoveUserFactor", "aysxs", ta, "bob", -1, "phone lost"))
print("alice removes her own via --user:", v("Factors", "RemoveUserFactor", "aysxs", ta, "alice", 1, "phone lost"))
print("alice removes nonexistent user's factor:", v("Factors", "RemoveUserFactor", "aysxs", ta, "nosuchuser", 1, "phone lost"))
# reasons
reasons = {"RLO bidi": "phone lost \u202egnp.exe", "LRI": "a\u2066b", "ZWJ": "a\u200db", "newline": "line1\nline2",
           "CR": "a\rb", "tab": "a\tb", "NUL": "a\x00b", "ESC": "a\x1b[31mred", "U+2028": "a\u2028b", "BOM": "\ufeffhi",
           "10kB": "x" * 10240, "200 chars": "y" * 200, "201 chars": "y" * 201, "emoji 100": "\U0001F4F1" * 100,
           "emoji 101": "\U0001F4F1" * 101, "combining flood": "a" + "\u0301" * 199, "spaces only": "    ",
           "private use": "\ue000", "unassigned": "\U000E0001tag", "noncharacter": "\ufffe", "C1 NEL": "a\u0085b",
           "soft hyphen": "a\u00adb", "tag chars": "a\U000E0041b", "variation sel": "a\ufe0fb", "lone combining": "\u0301"}
for k, reason in reasons.items():
    ok, r = v("Factors", "RemoveUserFactor", "aysxs", ta, "bob", 999999, reason)
    print("  reason %-16s -> %s" % (k, "accepted (then factor check)" if "FactorNotFound" in str(r) else str(r)[:110]))
