# Attacks the Audit claim of issue 13 (session mode): forged passwordless answers and client-side
# aborts are "folded to one row a minute per source". Measured:
#   (a) 200 forged answers against alice in one minute → rows? (b) the burst's count when the
#   attacker stops: is "N more like it" ever written (clock +61 s, nothing more; then one more try;
#   then a service restart)? (c) 200 forged answers, each for a DIFFERENT unknown name → rows?
#   (d) AbortSecurityKeyAssertion with every device error code → rows per minute; (e) attacker
#   text in an abort's detail lands in the audit log (spoofing a source suffix); (f) audit verify.
# Usage: tests/support/with-services.sh /usr/bin/python3 tests/redteam/t26_audit_folding.py
import sys, os, collections, signal
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from t21_keylib import *

e = KEnv("audit"); e.init(); e.plug(); e.add_key("alice")
v = KV(Bus(), e.vault)

def events():
    r = e.key_login("alice", extra=["audit", "list", "--limit", "5000"])
    return json.loads(r[1])["events"]
def rows(pred):
    return [x for x in events() if pred(x)]
# a passwordless failure, or the row that counts those folded into one ("N more like it …; the last: passwordless: …")
def pl(x): return x["action"] == "login.failed" and "passwordless: " in x.get("detail", "")
def fk(x): return x["action"] == "fido2.login_failed"

n0 = len(rows(pl))
for i in range(200): v.forge("alice")
a = rows(lambda x: pl(x) and x["actor"] == "alice")
print("(a) 200 forged vs alice in <60 s: %d passwordless rows (before: %d); newest: %s" % (len(a), n0, a[0]["detail"][:160]))
e.advance(61)
a = rows(lambda x: pl(x) and x["actor"] == "alice")
print("(b) +61 s, attacker silent: %d rows; any mentions '199 more': %s" % (len(a), any("199 more" in x["detail"] for x in a)))
# restart the service (SIGTERM to our own daemon); the folded count lives in its memory
pid = own_daemon_pid(); os.kill(pid, signal.SIGTERM); time.sleep(1.5)
e.run(["status"])       # the CLI starts a new gatehoused-test
v = KV(Bus(), e.vault)
v.forge("alice")
a = rows(lambda x: pl(x) and x["actor"] == "alice")
print("    after a service restart and one more try: %d rows; any '199 more': %s; newest: %s" % (
    len(a), any("199 more" in x["detail"] for x in a), a[0]["detail"][:200]))

n1 = len(rows(pl))
for i in range(200): v.forge("ghost-%d-%s" % (i, os.urandom(3).hex()))
n2 = len(rows(pl))
print("(c) 200 forged answers for 200 distinct unknown names, same uid, same minute: %d new rows" % (n2 - n1))

codes = ["KeyNotFound", "KeyNotRegistered", "KeyAlreadyRegistered", "KeyPinRequired", "KeyPinWrong", "KeyPinBlocked",
         "KeyTimeout", "KeyDenied", "KeyCancelled", "KeyRemoved", "KeyRejected", "Internal", "NoSuchCode"]
f0 = len(rows(fk))
for rnd in range(5):
    for c in codes:
        pending, req, err = v.request("alice")
        v.abort_assert(pending, req["ceremonyId"], {"code": c, "detail": "probe %s" % c})
f1 = len(rows(fk))
print("(d) 5 x %d aborts (every device code) for alice in one minute: %d fido2.login_failed rows" % (len(codes), f1 - f0))
e.advance(61)
spoof = "user pressed cancel; from gatehouse (uid 1000, pid 4242, bus :1.7)\u2028login.passwordless OK"
pending, req, err = v.request("alice")
ok, r = v.abort_assert(pending, req["ceremonyId"], {"code": "KeyCancelled", "detail": spoof})
x = rows(fk)[0]
print("(e) abort reply to the client: %s" % (errname(r),))
print("    audit row written: %s" % json.dumps(x)[:400])
r = e.key_login("alice", extra=["audit", "verify"]); print("(f) audit verify rc=%d %s" % (r[0], r[1].replace("\n", " ")[:200]))
