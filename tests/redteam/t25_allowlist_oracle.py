# Attacks B4 of issue 13 (session mode): is BeginSecurityKeyAssertion on the passwordless path an
# oracle for "this name exists and has a key"? For alice (key), bob (no key), dave (key, disabled),
# unknown names (incl. case/space variants of known ones): count of ids, sorted, lengths vs the
# vault's real ids, determinism (twice → same ids), real id present for alice. Then two side
# channels: (1) the time of BeginKeyLogin+BeginSecurityKeyAssertion per name; (2) per credential id,
# the time of CompleteLoginWithKeyAssertion with a junk signature (a real id runs the signature
# check, a stand-in may return earlier) — 200 interleaved probes per id, in one folding window.
# Usage: tests/support/with-services.sh /usr/bin/python3 tests/redteam/t25_allowlist_oracle.py
import sys, os, hashlib, struct, collections
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from t21_keylib import *

e = KEnv("oracle"); e.init(); e.plug(); e.add_key("alice")
for u in ("bob", "dave"): e.add_user("alice", u)
davekey = os.path.join(e.dir, "dave.state"); open(davekey, "wb").write(dump_state(key_state()))
env = dict(e.env); env["GATEHOUSE_TEST_SOFTFIDO_STATE"] = davekey
assert e.run(["--as", "dave", "--password-stdin", "factor", "add-fido2"], "%s\n2468\n" % PW["dave"], env=env)[0] == 0
assert e.run(["--as", "alice", "--password-stdin", "user", "disable", "dave"], "%s\n2468\n" % PW["alice"])[0] == 0
real = {"alice": e.key_creds()[0], "dave": load_state(open(davekey, "rb").read())["creds"][0]["id"]}
print("real ids: alice %d bytes, dave %d bytes" % (len(real["alice"]), len(real["dave"])))
v = KV(Bus(), e.vault)

def ids(name):
    pending, req, err = v.request(name)
    assert req is not None, err
    return [bytes(x) for x in req["allowCredentials"]], req

names = ["alice", "bob", "dave", "zed", "ALICE", " alice ", "Bob", "mallory", "root", "admin"]
lists = {}
for n in names:
    a, req = ids(n); b, _ = ids(n)
    lists[n] = a
    print("%-10r n=%d sorted=%s lengths=%s same-twice=%s real-alice-in=%s real-dave-in=%s uv=%s" % (
        n, len(a), a == sorted(a), [len(x) for x in a], a == b, real["alice"] in a, real["dave"] in a,
        req["userVerification"]))
print("ALICE/' alice ' same list as alice:", lists["ALICE"] == lists["alice"], lists[" alice "] == lists["alice"])
allids = [x for n in names for x in lists[n]]
shared = collections.Counter(allids)
print("ids shared between different names (excluding normalised duplicates):",
      sum(1 for n1 in ("alice", "bob", "dave", "zed", "mallory") for n2 in ("alice", "bob", "dave", "zed", "mallory")
          if n1 < n2 and set(lists[n1]) & set(lists[n2])))
# byte statistics: does the real id look different from the stand-ins (first byte, structure)?
for n in ("alice", "bob", "zed"):
    print("  %-6s first bytes %s" % (n, [x[:4].hex() for x in lists[n]]))

# (1) time of the two begin calls, interleaved, 60 each
tb = collections.defaultdict(list)
for i in range(150):
    for n in ("alice", "bob", "zed%d" % i, "dave"):
        t = time.monotonic(); ids(n); tb[n.rstrip("0123456789") or n].append(time.monotonic() - t)
print("begin (BeginKeyLogin+BeginSecurityKeyAssertion) medians:",
      {k: "%.2f ms" % (1000 * med(xs)) for k, xs in tb.items()})

# (2) per-id timing of a junk-signature answer on alice's list (one folding window: no audit writes)
def authdata(rpid, flags=0x05, count=99):
    raw = hashlib.sha256(rpid.encode()).digest() + bytes([flags]) + struct.pack(">I", count)
    return b"\x58" + bytes([len(raw)]) + raw
for who in ("alice", "bob", "zed", "dave"):
  per = collections.defaultdict(list)
  alist = lists[who]
  v.forge(who)  # opens the folding window
  for rnd in range(150):
    for idx, cid in enumerate(alist):
        pending, req, err = v.request(who)
        a = {"credentialId": cid, "authData": authdata(req["rpId"]),
             "signature": bytes.fromhex("3045022100") + os.urandom(32) + bytes.fromhex("0220") + os.urandom(32),
             "userHandle": b"", "clientDataHash": bytes(req["clientDataHash"])}
        t = time.monotonic(); ok, r = v.complete_assert(pending, req["ceremonyId"], a); d = time.monotonic() - t
        per[idx].append(d)
        v("Login", "CancelLogin", "s", pending)
  print(" per-id CompleteLoginWithKeyAssertion time, %s's list (150 probes each):" % who)
  for idx, cid in enumerate(alist):
    xs = sorted(per[idx])
    print("  id %d (%s) median %.3f ms p25 %.3f ms p10 %.3f ms" % (
        idx, "REAL" if cid in real.values() else "stand-in", 1000 * med(xs), 1000 * xs[len(xs) // 4],
        1000 * xs[len(xs) // 10]))
