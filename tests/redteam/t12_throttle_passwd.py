# Five wrong guesses by anyone against a name, then the owner (right password) can no longer run
# `passwd` through the CLI: the sign-in's own (refunded) charge restarts the delay.
import sys, os
sys.path.insert(0, os.path.dirname(__file__))
from rt import *

e = Env("thr")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
temp = e.add_user("alice", "bob", activate=False)
r = e.as_("alice", ["user", "reset-password", "bob"]); temp = r[1].strip().splitlines()[-1]
for i in range(5):
    e.run(["--as", "bob", "--password-stdin", "login"], "guess %d is wrong\n" % i); e.advance(60)
e.advance(24 * 3600)   # a day later: every delay long over
for t in range(3):
    r = e.run(["--as", "bob", "--password-stdin", "passwd"], "%s\n%s\n" % (temp, "bob finally picks a passphrase")); show("bob passwd with the right temporary password, try %d" % t, r)
    e.advance(3600)
