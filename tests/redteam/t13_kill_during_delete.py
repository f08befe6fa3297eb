# kill -9 of gatehoused while DeleteUser / ResetPassword / ConfirmRecoveryCodes is in flight:
# afterwards the account is either whole or gone, and the audit chain verifies.
import sys, os, json, signal, time, threading, random
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

def state(e):
    r = e.as_("alice", ["--json", "user", "list"])
    users = [u["username"] for u in json.loads(r[1])["users"]] if r[0] == 0 else ("ERR", r)
    f = e.as_("alice", ["--json", "factor", "list", "--user", "bob"])
    factors = [x["kind"] for x in json.loads(f[1])["factors"]] if f[0] == 0 else f[2].strip()[:60]
    a = e.as_("alice", ["--json", "audit", "list", "--user", "bob", "--limit", "500"])
    acts = [x["action"] for x in json.loads(a[1])["events"]] if a[0] == 0 else a[2][:60]
    v = e.as_("alice", ["audit", "verify"])
    return users, factors, (acts.count("user.deleted") if isinstance(acts, list) else acts), v[0], v[2].strip()[-120:]

random.seed(7)
e = Env("kill")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
for rnd in range(16):
    e.add_user("alice", "bob", role="operator"); e.enroll_totp("bob")
    vv = V(Bus(), e.vault)
    ta, _ = vv.login("alice", PW["alice"], 1, e.totp("alice"))
    before = state(e)[2]
    pid = own_daemon_pid()
    delay = random.uniform(0.0, 0.02)
    res = {}
    t = threading.Thread(target=lambda: res.setdefault("r", vv("Accounts", "DeleteUser", "ays", ta, "bob", timeout=5000)))
    t.start(); time.sleep(delay); os.kill(pid, signal.SIGKILL); t.join()
    time.sleep(0.3)
    users, factors, deleted_event, vrc, verr = state(e)
    whole = "bob" in users and "totp" in factors and deleted_event == before
    gone = "bob" not in users and deleted_event == before + 1
    print("round %2d delay %.4f reply=%s -> users=%s factors=%s deletedEvent=%s verify=%s %s  %s" % (
        rnd, delay, str(res["r"])[:40], users, factors, deleted_event, vrc, verr if vrc else "",
        "OK" if (whole or gone) else "!!! INCONSISTENT"))
    if "bob" in users:
        e.as_("alice", ["user", "delete", "bob", "--yes"])
    e.secrets.pop("bob", None); e.last_step.pop("bob", None)
