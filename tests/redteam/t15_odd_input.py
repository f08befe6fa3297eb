# Odd input to the new calls (D-Bus and CLI), exit codes, and what an unauthenticated caller learns.
import sys, os, json
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

e = Env("odd")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob"); e.enroll_totp("bob")
v = V(Bus(), e.vault)
ta, _ = v.login("alice", PW["alice"], 1, e.totp("alice"))
pid = own_daemon_pid()
big = "b" * (1 << 20)
tests = [
  ("DeleteUser 1 MiB name", lambda: v("Accounts", "DeleteUser", "ays", ta, big)),
  ("ResetPassword 1 MiB name", lambda: v("Accounts", "ResetPassword", "ays", ta, big)),
  ("ResetPassword name with NUL-ish/ctrl", lambda: v("Accounts", "ResetPassword", "ays", ta, "bob\x1b[2J")),
  ("ResetPassword 'BOB' (case)", lambda: v("Accounts", "ResetPassword", "ays", ta, "BOB")),
  ("ResetPassword ' bob ' (spaces)", lambda: v("Accounts", "ResetPassword", "ays", ta, " bob ")),
  ("ResetPassword fullwidth 'ｂｏｂ' (NFKC)", lambda: v("Accounts", "ResetPassword", "ays", ta, "\uff42\uff4f\uff42")),
  ("DeleteUser empty name", lambda: v("Accounts", "DeleteUser", "ays", ta, "")),
  ("RemoveUserFactor int64 min", lambda: v("Factors", "RemoveUserFactor", "aysxs", ta, "bob", -(1 << 63), "r")),
  ("RemoveUserFactor 1 MiB reason", lambda: v("Factors", "RemoveUserFactor", "aysxs", ta, "bob", 3, big)),
  ("ConfirmRecoveryCodes 1 MiB setId", lambda: v("Factors", "ConfirmRecoveryCodes", "aysay", ta, big, b"x")),
  ("ConfirmRecoveryCodes 16 MiB code", lambda: v("Factors", "ConfirmRecoveryCodes", "aysay", ta, "x", b"A" * (16 << 20))),
  ("CancelRecoveryCodes unknown set", lambda: v("Factors", "CancelRecoveryCodes", "ays", ta, "nope")),
  ("BeginRecoveryCodes x20 in a row", lambda: [v("Factors", "BeginRecoveryCodes", "ay", ta)[0] for _ in range(20)].count(True)),
  ("DeleteUser empty token", lambda: v("Accounts", "DeleteUser", "ays", b"", "bob")),
  ("DeleteUser 1 MiB token", lambda: v("Accounts", "DeleteUser", "ays", b"t" * (1 << 20), "bob")),
]
for name, f in tests:
    try: r = f()
    except Exception as ex: r = "EXC %s" % ex
    print("%-40s %s" % (name, str(r)[:150]))
print("daemon still the same pid:", own_daemon_pid() == pid)
# unauthenticated: reset/delete of a known vs an unknown name with a bogus token
for n in ("bob", "nosuchuser"):
    print("bogus token ResetPassword %-10s" % n, v("Accounts", "ResetPassword", "ays", b"\1" * 32, n)[1][:90])
    print("bogus token RemoveUserFactor %-10s" % n, v("Factors", "RemoveUserFactor", "aysxs", b"\1" * 32, n, 1, "r")[1][:90])
# CLI exit codes
for args in (["user", "reset-password", "nosuchuser"], ["user", "delete", "nosuchuser", "--yes"],
             ["factor", "remove", "999", "--user", "bob", "--reason", "x"], ["factor", "remove", "3", "--user", "nosuchuser", "--reason", "x"],
             ["user", "delete", "alice", "--yes"], ["user", "reset-password", "alice"],
             ["factor", "remove", "3", "--user", "bob", "--reason", ""], ["user", "reset-password", "Bad Name!"]):
    r = e.as_("alice", args); print("exit %s  %-55s %s" % (r[0], " ".join(args)[:55], r[2].strip().splitlines()[0][:110] if r[2].strip() else ""))
