# Reach of custom roles and restricted administrators, and the owner reading the reason.
import sys, os, json
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *
PW["erin"] = "erin has a long passphrase too"; PW["frank"] = "frank also owns a long passphrase"

e = Env("reach")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob"); bob_totp = e.enroll_totp("bob")
e.add_user("alice", "dave", role="admin"); dave_totp = e.enroll_totp("dave")
r = e.as_("alice", ["role", "create", "helpdesk", "--permissions", "users.read,users.manage,factors.manage_any"]); show("create helpdesk", r)
e.add_user("alice", "carol", role="helpdesk"); e.enroll_totp("carol")
e.add_user("alice", "erin", role="admin")   # admin without a second factor
# password-only admin
r = e.as_("erin", ["factor", "remove", str(bob_totp), "--user", "bob", "--reason", "x"]); show("erin (admin, password only) factor remove bob", r)
r = e.as_("erin", ["user", "reset-password", "bob"]); show("erin (admin, password only) reset bob", r)
r = e.as_("erin", ["user", "delete", "bob", "--yes"]); show("erin (admin, password only) delete bob", r)
# helpdesk (users.manage + factors.manage_any, no roles.assign) against an administrator
r = e.as_("carol", ["factor", "remove", str(dave_totp), "--user", "dave", "--reason", "x"]); show("helpdesk removes admin dave's factor", r)
r = e.as_("carol", ["user", "reset-password", "dave"]); show("helpdesk resets admin dave", r)
r = e.as_("carol", ["user", "delete", "dave", "--yes"]); show("helpdesk deletes admin dave", r)
r = e.as_("carol", ["user", "disable", "dave"]); show("helpdesk DISABLES admin dave", r)
r = e.as_("alice", ["user", "disable", "dave"]); show("alice disables dave (suspected compromise)", r)
r = e.as_("carol", ["user", "enable", "dave"]); show("helpdesk RE-ENABLES admin dave", r)
r = e.as_("carol", ["user", "unlock", "dave"]); show("helpdesk unlocks admin dave", r)
# helpdesk on bob (no role): allowed
r = e.as_("carol", ["factor", "remove", str(bob_totp), "--user", "bob", "--reason", "phone lost \U000E0041\U000E0042 in the taxi"]); show("helpdesk removes bob's totp", r)
r = e.as_("bob", ["login"]); show("bob signs in and reads the reason", r)
r = e.as_("bob", ["--json", "notices"]); print("bob notices json:", r[1][-400:])
