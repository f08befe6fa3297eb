# Attacks B0/B2/Audit of issue 13 (session mode, private bus, file clock): rounds of 200 forged
# passwordless assertions (BeginKeyLogin(alice) → BeginSecurityKeyAssertion →
# CompleteLoginWithKeyAssertion with junk credential ids, alice's REAL credential id with a junk
# signature over well-formed authData, and stand-in ids), from 3 connections of the same uid, the
# file clock advanced 8 h between rounds (5 rounds = 40 h, past the day that hard-locks). After
# each round: alice signs in with her key at once, and with her password at once (timed, compared
# with before). Then 200 forged answers for 200 distinct unknown names (stuffing detector must not
# be fed; audit rows counted). Last: user list, status health, audit list counts, audit verify.
# Usage: tests/support/with-services.sh /usr/bin/python3 tests/redteam/t22_forged_flood.py
import sys, os, threading, hashlib, struct, collections
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from t21_keylib import *

e = KEnv("flood"); e.init(); e.plug(); e.add_key("alice")
e.add_user("alice", "bob")
real = e.key_creds()
print("alice's real credential id: %d bytes" % len(real[0]))

def times(fn, n=5):
    out = []
    for _ in range(n):
        r = fn(); out.append((r[0], r[3]))
    return out

pw0 = times(lambda: e.pw_login("alice")); k0 = times(lambda: e.key_login("alice"))
print("before: password rc=%s median %.3f s; key rc=%s median %.3f s" % (
    {x[0] for x in pw0}, med([x[1] for x in pw0]), {x[0] for x in k0}, med([x[1] for x in k0])))

def authdata(rpid, flags=0x05, count=1000):
    raw = hashlib.sha256(rpid.encode()).digest() + bytes([flags]) + struct.pack(">I", count)
    return b"\x58" + bytes([len(raw)]) + raw

def flood(name, n, threads=3, kinds=("junkcred", "realcred", "standin")):
    replies = collections.Counter(); durs = []; lock = threading.Lock()
    per = n // threads
    def work(tid):
        v = KV(Bus(), e.vault)
        for i in range(per):
            kind = kinds[(i + tid) % len(kinds)]
            nm = name(i, tid) if callable(name) else name
            if kind == "junkcred":
                ok, r, d = v.forge(nm, cred=os.urandom(64))
            elif kind == "realcred":
                pending, req, err = v.request(nm)
                if req is None:
                    ok, r, d = False, err, 0
                else:
                    t = time.monotonic()
                    ok, r = v.complete_assert(pending, req["ceremonyId"], {
                        "credentialId": real[0], "authData": authdata(req["rpId"]),
                        "signature": bytes.fromhex("3045022100") + os.urandom(32) + bytes.fromhex("0220") + os.urandom(32),
                        "userHandle": b"", "clientDataHash": bytes(req["clientDataHash"])})
                    d = time.monotonic() - t
            else:
                ok, r, d = v.forge(nm)  # first id of the request's list (a stand-in or the real id)
            with lock:
                replies[("OK" if ok else errname(r)[0], kind)] += 1; durs.append(d)
    ts = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    t0 = time.monotonic(); [t.start() for t in ts]; [t.join() for t in ts]
    return replies, time.monotonic() - t0, durs

for rnd in range(5):
    rep, wall, durs = flood("alice", 201)
    k = e.key_login("alice"); p = e.pw_login("alice")
    print("round %d: 201 forged in %.1f s (median call %.3f s) %s" % (rnd, wall, med(durs), dict(rep)))
    print("   then alice key: rc=%d %.3f s%s | password: rc=%d %.3f s%s" % (
        k[0], k[3], "" if k[0] == 0 else " " + k[2].strip()[:200], p[0], p[3], "" if p[0] == 0 else " " + p[2].strip()[:200]))
    e.advance(8 * 3600)

pw1 = times(lambda: e.pw_login("alice"))
print("after floods: password rc=%s median %.3f s" % ({x[0] for x in pw1}, med([x[1] for x in pw1])))

# 200 distinct unknown names (and bob, who has no key): feeds the stuffing detector if it is fed
rep, wall, durs = flood(lambda i, t: "ghost%d_%d" % (t, i), 201, kinds=("junkcred", "standin"))
print("distinct-name flood: %s in %.1f s" % (dict(rep), wall))
rep, wall, durs = flood("bob", 60)
print("bob (no key) flood: %s" % dict(rep))
t0 = time.monotonic()
pw2 = times(lambda: e.pw_login("alice")); bobpw = times(lambda: e.pw_login("bob"), 3)
print("after distinct-name flood: alice password rc=%s median %.3f s; bob password rc=%s median %.3f s" % (
    {x[0] for x in pw2}, med([x[1] for x in pw2]), {x[0] for x in bobpw}, med([x[1] for x in bobpw])))
k = e.key_login("alice"); print("alice key after all: rc=%d %.3f s" % (k[0], k[3]))

r = e.key_login("alice", extra=["user", "list"]); show("user list", r[:3])
r = e.run(["status"]); show("status", r)
r = e.key_login("alice", extra=["audit", "list", "--limit", "5000"])
try:
    ev = json.loads(r[1])["events"]
except Exception:
    ev = []; show("audit list", r[:3])
c = collections.Counter(x["action"] for x in ev)
print("audit events: %d total; %s" % (len(ev), {k: v for k, v in c.items() if "login" in k or "fido" in k or "stuff" in k}))
pl = [x for x in ev if x["action"] == "login.failed" and "passwordless" in x.get("detail", "")]
print("login.failed passwordless rows: %d; for alice: %d; unknown#: %d" % (
    len(pl), sum(1 for x in pl if x.get("actor") == "alice" or "alice" in str(x.get("subject"))),
    sum(1 for x in pl if "unknown#" in json.dumps(x))))
for x in pl[:3] + [y for y in pl if "alice" in json.dumps(y)][:3]:
    print("   ", json.dumps(x)[:400])
stuff = [x for x in ev if "stuff" in x["action"] or "paced" in x.get("detail", "") or "pacing" in x.get("detail", "")]
print("stuffing rows:", len(stuff), [json.dumps(x)[:200] for x in stuff[:3]])
r = e.key_login("alice", extra=["audit", "verify"]); show("audit verify", r[:3])
pid = own_daemon_pid(); print("daemon", pid, vm(pid))
