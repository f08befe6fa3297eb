# Attacks B1 of issue 13 (session mode): CBOR whose headers ask for 2^32 (or 2^64) items or bytes,
# nested depth, indefinite lengths, and the largest bounded-but-amplifying item (an array of ~4 K
# one-byte items, the 4 KiB authData cap; ~32 K items in the 32 KiB attestation cap), sent
#   (a) as authData through Login.CompleteLoginWithKeyAssertion (passwordless, alice's REAL
#       credential id so the answer reaches the parser; also bare-junk credential id),
#   (b) as authData (attested credential data: COSE key, extensions) and as the attestation
#       statement through Factors.FinishSecurityKeyEnrollment (bob's own session),
#   (c) as a huge D-Bus argument (8 MiB authData) — memory taken before any check.
# Each call is timed; gatehoused's VmHWM/VmRSS (/proc/PID/status) read before and after.
# Usage: tests/support/with-services.sh /usr/bin/python3 tests/redteam/t23_cbor_bombs.py
import sys, os, hashlib, struct
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from t21_keylib import *

e = KEnv("cbor"); e.init(); e.plug(); e.add_key("alice"); e.add_user("alice", "bob")
real = e.key_creds()[0]
v = KV(Bus(), e.vault)
pid = own_daemon_pid()

def wrap(raw):  # CBOR byte string around raw authData
    n = len(raw)
    if n < 24: return bytes([0x40 | n]) + raw
    if n < 256: return b"\x58" + bytes([n]) + raw
    return b"\x59" + struct.pack(">H", n) + raw

def fixed(rpid, flags, count=7):
    return hashlib.sha256(rpid.encode()).digest() + bytes([flags]) + struct.pack(">I", count)

BIG = {
    "array 2^32-1 (9a ffffffff)": b"\x9a\xff\xff\xff\xff" + b"\x00" * 16,
    "map 2^32-1 (ba ffffffff)": b"\xba\xff\xff\xff\xff" + b"\x00" * 16,
    "array 2^64-1 (9b ff*8)": b"\x9b" + b"\xff" * 8 + b"\x00" * 16,
    "map 2^40 (bb)": b"\xbb\x00\x00\x01\x00\x00\x00\x00\x00" + b"\x00" * 16,
    "bytes 2^32-1 (5a ffffffff)": b"\x5a\xff\xff\xff\xff" + b"\x00" * 16,
    "text 2^32-1 (7a ffffffff)": b"\x7a\xff\xff\xff\xff" + b"\x00" * 16,
    "indefinite array (9f …)": b"\x9f" + b"\x00" * 30,
    "depth 2000 (81*)": b"\x81" * 2000 + b"\x00",
    "tag chain 2000 (c6*)": b"\xc6" * 2000 + b"\x00",
    "amplifier 4000 items (99 0fa0 00*)": b"\x99\x0f\xa0" + b"\x00" * 4000,
    "amplifier 2000 maps (99 07d0 a0*)": b"\x99\x07\xd0" + b"\xa0" * 2000,
}

def measure(label, fn):
    before = vm(pid); t = time.monotonic(); ok, r = fn(); d = time.monotonic() - t; after = vm(pid)
    print("%-58s %6.3f s  HWM %6d→%6d kB  RSS %6d→%6d  %s" % (
        label[:58], d, before["VmHWM"], after["VmHWM"], before["VmRSS"], after["VmRSS"],
        "OK" if ok else "%s: %s" % errname(r)))
    return d, after["VmHWM"] - before["VmHWM"]

worst = [0, 0]
def note(x):
    worst[0] = max(worst[0], x[0]); worst[1] = max(worst[1], x[1])

print("== (a) CompleteLoginWithKeyAssertion, passwordless alice, real credential id")
for label, bomb in BIG.items():
    for where in ("bare", "extensions", "wrapped-bare"):
        pending, req, err = v.request("alice")
        rp = req["rpId"]
        if where == "bare":
            auth = bomb                                    # authData itself is the bomb
        elif where == "wrapped-bare":
            auth = wrap(bomb)                              # a byte string holding the bomb
        else:
            auth = wrap(fixed(rp, 0x85) + bomb)            # ED flag: extensions = the bomb
        a = {"credentialId": real, "authData": auth, "signature": b"\x30\x06\x02\x01\x01\x02\x01\x01",
             "userHandle": b"", "clientDataHash": bytes(req["clientDataHash"])}
        note(measure("assert %s [%s]" % (label, where),
                     lambda: v.complete_assert(pending, req["ceremonyId"], a)))

print("== (b) FinishSecurityKeyEnrollment, bob's session")
tok, info = v.login("bob", PW["bob"])
assert tok, info
def enrol(auth_fn, att, fmt="packed"):
    ok, r = v("Factors", "BeginSecurityKeyEnrollment", "ays", tok, "bomb")
    if not ok: return ok, r
    req = r[0]; rp = req["rpId"]
    m = {"format": fmt, "algorithm": -7, "authData": auth_fn(rp), "attestation": att,
         "clientDataHash": bytes(req["clientDataHash"]), "pinSet": False, "builtInUv": False}
    return v("Factors", "FinishSecurityKeyEnrollment", "aysa{sv}", tok, req["ceremonyId"], av(m))

cose_ok = bytes.fromhex("a5010203262001215820") + b"\x11" * 32 + b"\x22\x58\x20" + b"\x22" * 32
def attested(rp, cose, flags=0x45):
    cid = os.urandom(32)
    return wrap(fixed(rp, flags, 0) + b"\x00" * 16 + struct.pack(">H", len(cid)) + cid + cose)
good_att = bytes.fromhex("a263616c67266373696758") + b"\x30"   # alg -7, sig: truncated on purpose
for label, bomb in BIG.items():
    note(measure("enrol authData COSE key = %s" % label, lambda: enrol(lambda rp: attested(rp, bomb), b"")))
    note(measure("enrol authData bare = %s" % label, lambda: enrol(lambda rp: bomb, b"")))
    note(measure("enrol attStmt = %s" % label,
                 lambda: enrol(lambda rp: attested(rp, cose_ok), bomb)))
    # attStmt {alg:-7, sig:h'', x5c: BOMB}
    att = bytes.fromhex("a363616c6726637369674063783563") + bomb
    note(measure("enrol attStmt x5c = %s" % label, lambda: enrol(lambda rp: attested(rp, cose_ok), att)))
# the largest amplifier the 32 KiB attestation cap lets through
amp = b"\x99\x7f\xf0" + b"\xa0" * 0x7ff0
note(measure("enrol attStmt array of 32752 empty maps", lambda: enrol(lambda rp: attested(rp, cose_ok), amp[:32768])))
amp2 = bytes.fromhex("a363616c6726637369674063783563") + b"\x99\x7f\xe0" + b"\x40" * 0x7fe0
note(measure("enrol attStmt x5c of 32736 empty certs", lambda: enrol(lambda rp: attested(rp, cose_ok), amp2[:32768])))

print("== (c) huge D-Bus arguments (memory before any check)")
import threading
for mb in (1, 8):  # 3x the size in one message; the session bus closes the connection at 3x24 MiB
    big = os.urandom(mb << 20)
    for cred in (real, os.urandom(16)):
        pending, req, err = v.request("alice")
        a = {"credentialId": cred, "authData": big, "signature": big,
             "userHandle": big, "clientDataHash": bytes(req["clientDataHash"])}
        # alice signs in with her key while the big call is in the service
        side = []
        th = threading.Thread(target=lambda: (time.sleep(0.05), side.append(e.key_login("alice"))))
        th.start()
        note(measure("assert 3x%d MiB args, %s cred" % (mb, "real" if cred == real else "junk"),
                     lambda: v.complete_assert(pending, req["ceremonyId"], a)))
        th.join(); print("     alice key sign-in meanwhile: rc=%d %.3f s" % (side[0][0], side[0][3]))

print("worst: %.3f s, VmHWM +%d kB" % tuple(worst))
k = e.key_login("alice"); print("alice key sign-in after: rc=%d %.3f s" % (k[0], k[3]))
r = e.key_login("alice", extra=["audit", "verify"]); print("audit verify rc=%d" % r[0])
print("daemon still the same pid:", own_daemon_pid() == pid, vm(pid))
