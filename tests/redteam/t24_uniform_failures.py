# Attacks B3 of issue 13 (session mode): does a passwordless failure tell WHICH check failed?
# Five cases, 10 probes each, through the real CLI (gatehousectl-test --security-key login, a
# software key at the seat) and through raw D-Bus forged answers; reply text, error code, exit code
# and median time compared:
#   unknown name | known name without a key (bob) | wrong credential (carol's account, alice's key /
#   alice's credential id) | bad signature (alice's key with corruptSignature / carol's real id, junk
#   signature) | disabled account (dave, his genuine key; and a forged answer)
# Usage: tests/support/with-services.sh /usr/bin/python3 tests/redteam/t24_uniform_failures.py
import sys, os, hashlib, struct, collections
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from t21_keylib import *

e = KEnv("uniform"); e.init()
keys = {u: os.path.join(e.dir, "key-%s.state" % u) for u in ("alice", "carol", "dave")}
def with_key(u):
    env = dict(e.env); env["GATEHOUSE_TEST_SOFTFIDO_STATE"] = keys[u]; return env
for u, path in keys.items():
    open(path, "wb").write(dump_state(key_state()))
e.keyfile = keys["alice"]; e.env["GATEHOUSE_TEST_SOFTFIDO_STATE"] = keys["alice"]
e.add_key("alice")
for u in ("bob", "carol", "dave"):
    e.add_user("alice", u)
for u in ("carol", "dave"):
    r = e.run(["--as", u, "--password-stdin", "factor", "add-fido2"], "%s\n2468\n" % PW[u], env=with_key(u))
    assert r[0] == 0, r
r = e.run(["--as", "alice", "--password-stdin", "user", "disable", "dave"], "%s\n2468\n" % PW["alice"])
assert r[0] == 0, r
cred = {u: load_state(open(keys[u], "rb").read())["creds"][0]["id"] for u in keys}

def cli(name, keyof, **knobs):
    path = keys[keyof]; saved = open(path, "rb").read()
    if knobs:
        st = load_state(saved); st.update(knobs); open(path, "wb").write(dump_state(st))
    t = time.monotonic()
    r = e.run(["--as", name, "--security-key", "--json", "login"], "2468\n", env=with_key(keyof))
    d = time.monotonic() - t
    if knobs:
        restored = load_state_keep_counter(path, saved); open(path, "wb").write(restored)
    try: code = json.loads(r[1])["error"]["code"]
    except Exception: code = "-"
    return r[0], code, r[2].strip().splitlines()[-1] if r[2].strip() else "", d

def load_state_keep_counter(path, saved):
    st = load_state(open(path, "rb").read()); old = load_state(saved)
    old["counter"] = st["counter"]; return dump_state(old)

CLI = collections.OrderedDict([
    ("unknown name", lambda: cli("zed%d" % 7, "alice")),
    ("no key (bob)", lambda: cli("bob", "alice")),
    ("wrong credential (carol, alice's key)", lambda: cli("carol", "alice")),
    ("bad signature (alice, corrupt sig)", lambda: cli("alice", "alice", corruptSignature=True)),
    ("disabled (dave, genuine key)", lambda: cli("dave", "dave")),
    ("disabled (dave, alice's key)", lambda: cli("dave", "alice")),
    ("control: alice genuine", lambda: cli("alice", "alice")),
])
print("== CLI: exit code | JSON error code | last stderr line | median time (10 probes)")
for label, fn in CLI.items():
    res = [fn() for _ in range(10)]
    shapes = collections.Counter((r[0], r[1], r[2]) for r in res)
    print("%-40s median %.3f s  %s" % (label, med([r[3] for r in res]), dict(shapes)))

v = KV(Bus(), e.vault)
def authdata(rpid, flags=0x05, count=99):
    raw = hashlib.sha256(rpid.encode()).digest() + bytes([flags]) + struct.pack(">I", count)
    return b"\x58" + bytes([len(raw)]) + raw
def forged(name, credid, goodauth=True):
    pending, req, err = v.request(name)
    if req is None: return False, err, 0
    a = {"credentialId": credid, "authData": authdata(req["rpId"]) if goodauth else os.urandom(40),
         "signature": bytes.fromhex("3045022100") + os.urandom(32) + bytes.fromhex("0220") + os.urandom(32),
         "userHandle": b"", "clientDataHash": bytes(req["clientDataHash"])}
    t = time.monotonic(); ok, r = v.complete_assert(pending, req["ceremonyId"], a)
    return ok, r, time.monotonic() - t
DBUS = collections.OrderedDict([
    ("unknown name, junk id", lambda i: forged("zed%d" % i, os.urandom(48))),
    ("unknown name, alice's id", lambda i: forged("zed%d" % i, cred["alice"])),
    ("no key (bob), junk id", lambda i: forged("bob", os.urandom(48))),
    ("wrong credential (carol, alice's id)", lambda i: forged("carol", cred["alice"])),
    ("bad signature (carol's id, junk sig)", lambda i: forged("carol", cred["carol"])),
    ("bad authData (carol's id)", lambda i: forged("carol", cred["carol"], False)),
    ("disabled (dave's id, junk sig)", lambda i: forged("dave", cred["dave"])),
    ("disabled (dave, junk id)", lambda i: forged("dave", os.urandom(48))),
])
print("== D-Bus forged: error | detail | median CompleteLoginWithKeyAssertion time (10 probes)")
for label, fn in DBUS.items():
    res = [fn(i) for i in range(10)]
    shapes = collections.Counter(("OK",) if r[0] else errname(r[1]) for r in res)
    print("%-40s median %.2f ms  %s" % (label, 1000 * med([r[2] for r in res]), dict(shapes)))

# Fair timing: each probe in a fresh folding window (clock +61 s), so every case writes its row.
print("== D-Bus forged, each probe after clock +61 s (every failure writes its audit row)")
fair = collections.defaultdict(list)
for i in range(10):
    e.advance(61)
    for label, fn in (("unknown name (fresh), junk id", lambda: forged("nobody%d" % i, os.urandom(48))),
                      ("no key (bob), junk id", lambda: forged("bob", os.urandom(48))),
                      ("bad signature (carol's id)", lambda: forged("carol", cred["carol"])),
                      ("disabled (dave's id, junk sig)", lambda: forged("dave", cred["dave"]))):
        r = fn(); fair[label].append((r[2], ("OK",) if r[0] else errname(r[1])[0]))
for label, xs in fair.items():
    print("%-40s median %.2f ms  %s" % (label, 1000 * med([x[0] for x in xs]), dict(collections.Counter(x[1] for x in xs))))
