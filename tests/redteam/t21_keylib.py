# Shared helpers for the issue-13 re-attack of passwordless security-key sign-in (t22–t27): a
# software key's state file (tests/support/softfido.cpp save format, SFT2) written from Python,
# gatehousectl-test (the CLI with the software key) against gatehoused-test (file clock), and raw
# D-Bus forgeries of BeginKeyLogin → BeginSecurityKeyAssertion → CompleteLoginWithKeyAssertion.
# Attacks nothing by itself. Not product code.
import os, struct, subprocess, time, json, statistics
from rt import *
from rtbus import *

CTLT = os.path.join(B, "tests/gatehousectl-test")
MAGIC = 0x53465432


def _qs(s):
    b = s.encode("utf-16-be"); return struct.pack(">I", len(b)) + b
def _qb(b):
    return struct.pack(">I", len(b)) + b
def _bool(v):
    return b"\x01" if v else b"\x00"


class Reader:
    def __init__(self, data): self.d = data; self.o = 0
    def u32(self):
        v = struct.unpack(">I", self.d[self.o:self.o + 4])[0]; self.o += 4; return v
    def i32(self):
        v = struct.unpack(">i", self.d[self.o:self.o + 4])[0]; self.o += 4; return v
    def b(self):
        v = self.d[self.o] != 0; self.o += 1; return v
    def ba(self):
        n = self.u32()
        if n == 0xFFFFFFFF: return b""
        v = self.d[self.o:self.o + n]; self.o += n; return v
    def qs(self):
        return self.ba().decode("utf-16-be")


OPTS = ["builtInUv", "pinSet"]
FLAGS = ["eddsa", "pinProtocol2", "assertionNeedsPin", "attached", "userDenies", "neverTouch", "clearUpFlag",
         "wrongRpIdHash", "corruptSignature", "malformedCbor"]


def key_state(pin=b"2468", builtInUv=False, pinSet=True, **flags):
    st = dict(path="softfido:0", attestation=1, builtInUv=builtInUv, pinSet=pinSet, pin=pin, pinRetries=8,
              eddsa=False, pinProtocol2=True, assertionNeedsPin=True, attached=True, userDenies=False,
              neverTouch=False, clearUpFlag=False, wrongRpIdHash=False, corruptSignature=False,
              malformedCbor=False, removeAfterMessages=-1, counter=0, attKeyDer=b"", attCertDer=b"", creds=[])
    st.update(flags)
    return st


def dump_state(st):
    out = struct.pack(">I", MAGIC) + _qs(st["path"]) + struct.pack(">i", st["attestation"])
    out += _bool(st["builtInUv"]) + _bool(st["pinSet"]) + _qb(st["pin"]) + struct.pack(">i", st["pinRetries"])
    for f in FLAGS: out += _bool(st[f])
    out += struct.pack(">i", st["removeAfterMessages"]) + struct.pack(">I", st["counter"])
    out += _qb(st["attKeyDer"]) + _qb(st["attCertDer"]) + struct.pack(">i", len(st["creds"]))
    for c in st["creds"]:
        out += _qb(c["id"]) + _qb(c["rpIdHash"]) + struct.pack(">i", c["alg"]) + _qb(c["keyDer"])
    return out


def load_state(data):
    r = Reader(data)
    assert r.u32() == MAGIC
    st = dict(path=r.qs(), attestation=r.i32(), builtInUv=r.b(), pinSet=r.b(), pin=r.ba(), pinRetries=r.i32())
    for f in FLAGS: st[f] = r.b()
    st["removeAfterMessages"] = r.i32(); st["counter"] = r.u32()
    st["attKeyDer"] = r.ba(); st["attCertDer"] = r.ba(); n = r.i32()
    st["creds"] = [dict(id=r.ba(), rpIdHash=r.ba(), alg=r.i32(), keyDer=r.ba()) for _ in range(n)]
    return st


class KEnv(Env):
    """Env whose CLI is gatehousectl-test with a software key (state file per key)."""
    ctl = CTLT
    def __init__(self, name="key"):
        super().__init__(name)
        self.keyfile = os.path.join(self.dir, "softfido.state")
        self.env["GATEHOUSE_TEST_SOFTFIDO_STATE"] = self.keyfile

    def plug(self, **kw):
        open(self.keyfile, "wb").write(dump_state(key_state(**kw)))
    def change_key(self, **kw):
        st = load_state(open(self.keyfile, "rb").read()); st.update(kw)
        open(self.keyfile, "wb").write(dump_state(st))
    def key_creds(self):
        return [c["id"] for c in load_state(open(self.keyfile, "rb").read())["creds"]]
    def save_key(self):
        return open(self.keyfile, "rb").read()
    def restore_key(self, data):
        open(self.keyfile, "wb").write(data)

    def add_key(self, user, pin="2468", name="Blue key"):
        r = self.run(["--as", user, "--password-stdin", "factor", "add-fido2", "--name", name],
                     "%s\n%s\n" % (PW[user], pin))
        assert r[0] == 0, r
        return r

    def key_login(self, user, pin="2468", extra=None):
        t = time.monotonic()
        r = self.run(["--as", user, "--security-key", "--json"] + (extra or ["login"]), pin + "\n")
        return r + (time.monotonic() - t,)

    def pw_login(self, user, pw=None, pin="2468"):
        """The password sign-in (then the key's touch + PIN when the account has a key)."""
        t = time.monotonic()
        r = self.run(["--as", user, "--password-stdin", "--json", "login"], (pw or PW[user]) + "\n" + pin + "\n")
        return r + (time.monotonic() - t,)


    def add_user(self, admin, name, role=None, activate=True):
        r = self.run(["--as", admin, "--password-stdin", "user", "add", name] + (["--role", role] if role else []),
                     "%s\n2468\n" % PW[admin])
        assert r[0] == 0, r
        temp = r[1].strip().splitlines()[-1]
        if activate:
            r = self.run(["--as", name, "--password-stdin", "passwd"], "%s\n%s\n" % (temp, PW[name]))
            assert r[0] == 0, r
        return temp


# ---- raw D-Bus forgeries -------------------------------------------------------------------
def av(d):
    return {k: (v if isinstance(v, GLib.Variant) else
                GLib.Variant.new_from_bytes(GLib.VariantType("ay"), GLib.Bytes.new(bytes(v)), True)
                if isinstance(v, (bytes, bytearray)) else
                GLib.Variant("s", v) if isinstance(v, str) else
                GLib.Variant("b", v) if isinstance(v, bool) else GLib.Variant("i", v)) for k, v in d.items()}


class KV(V):
    def begin_key(self, name, client="redteam"):
        return self("Login", "BeginKeyLogin", "ss", name, client)
    def begin_assert(self, pending):
        return self("Login", "BeginSecurityKeyAssertion", "s", pending)
    def complete_assert(self, pending, ceremony, assertion):
        return self("Login", "CompleteLoginWithKeyAssertion", "ssa{sv}", pending, ceremony, av(assertion))
    def abort_assert(self, pending, ceremony, error):
        return self("Login", "AbortSecurityKeyAssertion", "ssa{sv}", pending, ceremony, av(error))

    def request(self, name):
        ok, p = self.begin_key(name)
        if not ok: return None, None, p
        pending = p[0]
        ok, r = self.begin_assert(pending)
        if not ok: return pending, None, r
        return pending, r[0], None

    def forge(self, name, cred=None, auth=None, sig=None, pending=None):
        """One forged passwordless answer; returns (ok, reply, seconds)."""
        t = time.monotonic()
        if pending is None:
            ok, p = self.begin_key(name)
            if not ok: return ok, p, time.monotonic() - t
            pending = p[0]
        ok, r = self.begin_assert(pending)
        if not ok: return ok, r, time.monotonic() - t
        req = r[0]
        allow = [bytes(x) for x in req["allowCredentials"]]
        a = {"credentialId": cred if cred is not None else (allow[0] if allow else os.urandom(64)),
             "authData": auth if auth is not None else b"\x58\x25" + os.urandom(37),
             "signature": sig if sig is not None else os.urandom(72),
             "userHandle": b"", "clientDataHash": bytes(req["clientDataHash"])}
        ok, r = self.complete_assert(pending, req["ceremonyId"], a)
        return ok, r, time.monotonic() - t


def errname(msg):
    """io.gatehouse.Gatehouse1.Error.X: {json} -> (X, detail)"""
    if not isinstance(msg, str): return ("OK", "")
    m = msg.split("io.gatehouse.Gatehouse1.Error.", 1)
    if len(m) < 2: return ("?", msg)
    code, _, rest = m[1].partition(":")
    try: det = json.loads(rest.strip()).get("detail", "")
    except Exception: det = rest.strip()
    return code, det


def vm(pid):
    d = {}
    for line in open("/proc/%d/status" % pid):
        k, _, v = line.partition(":")
        if k in ("VmHWM", "VmRSS", "VmPeak"): d[k] = int(v.split()[0])
    return d


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def locked_state(e, admin="alice", second=None):
    """user list as the admin (via the key, so the owner's password path is not touched)."""
    return e.key_login(admin, extra=["user", "list"])
