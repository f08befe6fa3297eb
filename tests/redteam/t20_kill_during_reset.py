# kill -9 of gatehoused while ResetPassword is in flight: old password works and no reset event,
# or old password refused and exactly one more reset event.
import sys, os, json, signal, time, threading, random
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

random.seed(11)
e = Env("killreset")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob")
def resets():
    a = e.as_("alice", ["--json", "audit", "list", "--user", "bob", "--limit", "1000"])
    return [x["action"] for x in json.loads(a[1])["events"]].count("user.password_reset")
for rnd in range(12):
    before = resets()
    vv = V(Bus(), e.vault)
    ta, _ = vv.login("alice", PW["alice"], 1, e.totp("alice"))
    pid = own_daemon_pid(); res = {}
    delay = random.uniform(0.0, 0.6)   # Argon2id of the temporary password runs first
    t = threading.Thread(target=lambda: res.setdefault("r", vv("Accounts", "ResetPassword", "ays", ta, "bob", timeout=5000)))
    t.start(); time.sleep(delay); os.kill(pid, signal.SIGKILL); t.join(); time.sleep(0.3)
    old_ok = e.run(["--as", "bob", "--password-stdin", "login"], PW["bob"] + "\n")[0] == 0
    after = resets()
    v = e.as_("alice", ["audit", "verify"])[0]
    good = (old_ok and after == before) or (not old_ok and after == before + 1)
    print("round %2d delay %.3f reply=%-8s oldPasswordWorks=%s resets %d->%d verify=%d %s" % (
        rnd, delay, str(res["r"][0]), old_ok, before, after, v, "OK" if good else "!!! INCONSISTENT"))
    if not old_ok:   # put the password back: reset as alice and replace it
        r = e.as_("alice", ["user", "reset-password", "bob"]); temp = r[1].strip().splitlines()[-1]
        e.run(["--as", "bob", "--password-stdin", "passwd"], "%s\n%s\n" % (temp, PW["bob"]))
    e.advance(120)
