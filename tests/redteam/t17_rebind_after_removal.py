# (a) After an administrator's only authenticator is removed by another admin ("phone lost"),
#     whoever knows the password binds a new one with the password alone and is a full admin
#     (ATK-03 asks for an enrollment grant). (b) A temporary password replaced after it expired,
#     through a session opened before the expiry.
import sys, os, json
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

e = Env("rebind")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "dave", role="admin"); dave_totp = e.enroll_totp("dave")
r = e.as_("alice", ["factor", "remove", str(dave_totp), "--user", "dave", "--reason", "phone lost"]); show("alice removes dave's only authenticator", r)
# the attacker knows dave's password (phished earlier) but has no device of his
e.secrets.pop("dave"); e.last_step.pop("dave", None)
fid = e.enroll_totp("dave", second="none")
print("attacker bound a new authenticator to admin dave with the password alone: factor", fid)
r = e.as_("dave", ["role", "assign", "alice", "viewer"]); show("attacker, as dave, uses roles.assign", r)
r = e.as_("dave", ["user", "add", "mallory", "--role", "admin"]); show("attacker, as dave, adds an admin", r)
# (b)
e.add_user("alice", "bob", activate=False)
r = e.as_("alice", ["user", "reset-password", "bob"]); temp = r[1].strip().splitlines()[-1]
v = V(Bus(), e.vault)
e.advance(72 * 3600 - 120)
tok, info = v.login("bob", temp)
print("bob signs in with the temp password 2 min before expiry:", bool(tok), info.get("restricted") if tok else info)
for _ in range(3):
    e.advance(60); v("Login", "Touch", "ay", tok)
e.advance(60)
ok, r = v("Login", "ChangePassword", "ayayay", tok, temp.encode(), b"bob picks a passphrase late")
print("ChangePassword with the EXPIRED temporary password through that session:", ok, str(r)[:120])
