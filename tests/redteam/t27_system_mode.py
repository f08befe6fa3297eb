# Attacks B0/B1/B2/Audit of issue 13 in SYSTEM mode: the production gatehoused --system (real
# clock) on a dbus-daemon of our own that every uid may use (like tst_trustboundary). alice (the
# owner, uid 0 CLI with a software key) vs attackers uid 65534 (nobody) and uid 1 (daemon) sending
# forged passwordless answers (200 each, 3 connections), 200 distinct names, a BeginKeyLogin flood
# (does it evict the owner's pending sign-in from another uid?), CBOR bombs, and big D-Bus
# arguments from several connections at once (service RSS). The owner signs in with key and with
# password before, during and after; user list, audit rows per source, audit verify.
# Run as root, outside with-services.sh:  /usr/bin/python3 tests/redteam/t27_system_mode.py
import sys, os, subprocess, tempfile, time, json, threading, collections, shutil, signal
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

if len(sys.argv) > 1 and sys.argv[1] == "--attacker":
    # ---- runs as another uid: raw D-Bus on the given bus address --------------------------------
    from gi.repository import Gio, GLib
    import hashlib, struct
    addr, vault, what, n = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    SVC = "io.gatehouse.Gatehouse1"; P = "io.gatehouse.Gatehouse1."
    def conn():
        return Gio.DBusConnection.new_for_address_sync(
            addr, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    def call(c, path, iface, method, sig, args, timeout=60000):
        try:
            r = c.call_sync(SVC, path, P + iface, method, GLib.Variant("(%s)" % sig, tuple(args)), None, 0, timeout, None)
            return True, r.unpack()
        except GLib.Error as e:
            return False, e.message
    def ay(b): return GLib.Variant.new_from_bytes(GLib.VariantType("ay"), GLib.Bytes.new(b), True)
    def code(m): return "OK" if not isinstance(m, str) else (m.split("Error.", 1)[-1].split(":")[0] if "Error." in m else m[:60])
    out = collections.Counter(); lock = threading.Lock(); durs = []
    def one(c, path, name, auth=None, bigarg=None):
        ok, p = call(c, path, "Login", "BeginKeyLogin", "ss", [name, "attacker"])
        if not ok: return code(p)
        ok, r = call(c, path, "Login", "BeginSecurityKeyAssertion", "s", [p[0]])
        if not ok: return code(r)
        req = r[0]; allow = [bytes(x) for x in req["allowCredentials"]]
        raw = hashlib.sha256(req["rpId"].encode()).digest() + b"\x05" + struct.pack(">I", 5)
        a = {"credentialId": ay(allow[int.from_bytes(os.urandom(1), "big") % 4]),
             "authData": ay(auth if auth is not None else b"\x58\x25" + raw),
             "signature": ay(bigarg or os.urandom(70)), "userHandle": ay(bigarg or b""),
             "clientDataHash": ay(bytes(req["clientDataHash"]))}
        t = time.monotonic()
        ok, r = call(c, path, "Login", "CompleteLoginWithKeyAssertion", "ssa{sv}", [p[0], req["ceremonyId"], a])
        with lock: durs.append(time.monotonic() - t)
        return code(r)
    def worker(tid, per):
        c = conn()
        ok, r = call(c, "/io/gatehouse/Gatehouse1", "Manager", "OpenVault", "sayb", [vault, b"", False])
        if not ok:
            with lock: out["open:" + code(r)] += per
            return
        path = r[0]
        for i in range(per):
            if what == "forge":
                res = one(c, path, "alice")
            elif what == "names":
                res = one(c, path, "ghost-%d-%d-%s" % (tid, i, os.urandom(2).hex()))
            elif what == "bombs":
                bomb = [b"\x9a\xff\xff\xff\xff" + b"\x00" * 8, b"\x58\x30" + b"\x00" * 32 + b"\x85\x00\x00\x00\x01\xba\xff\xff\xff\xff",
                        b"\x81" * 3000, b"\x99\x0f\xa0" + b"\x00" * 4000][i % 4]
                res = one(c, path, "alice", auth=bomb)
            elif what == "big":
                res = one(c, path, "alice", bigarg=os.urandom(10 << 20))
            elif what == "begin":
                ok, p = call(c, path, "Login", "BeginKeyLogin", "ss", ["alice", "attacker"]); res = code(p)
            with lock: out[res] += 1
    threads = int(os.environ.get("RT_THREADS", "3"))
    ts = [threading.Thread(target=worker, args=(t, n // threads)) for t in range(threads)]
    t0 = time.monotonic(); [t.start() for t in ts]; [t.join() for t in ts]
    durs.sort()
    print(json.dumps({"uid": os.getuid(), "what": what, "replies": out, "wall": round(time.monotonic() - t0, 2),
                      "median_ms": round(1000 * durs[len(durs) // 2], 2) if durs else None,
                      "max_ms": round(1000 * durs[-1], 2) if durs else None}))
    sys.exit(0)

# ---- orchestrator (root) ----------------------------------------------------------------------
from t21_keylib import CTLT, DREAL, dump_state, key_state, vm, med, PW
root = tempfile.mkdtemp(prefix="rt-sys-", dir="/tmp"); os.chmod(root, 0o755)
state = os.path.join(root, "state"); os.makedirs(state); os.chmod(state, 0o700)
os.makedirs(os.path.join(root, "permissions"))
sock = os.path.join(root, "bus.socket"); conf = os.path.join(root, "bus.conf")
open(conf, "w").write('<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" '
                      '"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">\n<busconfig><type>custom</type>'
                      '<listen>unix:path=%s</listen><auth>EXTERNAL</auth><policy context="default"><allow user="*"/>'
                      '<allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>\n' % sock)
bus = subprocess.Popen(["dbus-daemon", "--config-file=" + conf, "--nofork", "--print-address=1"], stdout=subprocess.PIPE)
addr = bus.stdout.readline().decode().strip()
env = dict(os.environ); env["GATEHOUSE_BUS_ADDRESS"] = addr; env.pop("DBUS_SESSION_BUS_ADDRESS", None)
env["HOME"] = root
daemon = subprocess.Popen([DREAL, "--system", "--state-directory", state, "--permissions-directory",
                           os.path.join(root, "permissions")], env=env, stderr=open(os.path.join(root, "daemon.err"), "w"))
keyfile = os.path.join(root, "alice.key"); open(keyfile, "wb").write(dump_state(key_state()))
env["GATEHOUSE_TEST_SOFTFIDO_STATE"] = keyfile
vault = os.path.join(state, "vault.db")

def ctl(args, stdin=""):
    t = time.monotonic()
    p = subprocess.run([CTLT] + args, input=stdin.encode(), capture_output=True, env=env, timeout=120, cwd=root)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), time.monotonic() - t
def key_login(extra=None): return ctl(["--as", "alice", "--security-key", "--json"] + (extra or ["login"]), "2468\n")
def pw_login(): return ctl(["--as", "alice", "--password-stdin", "--json", "login"], PW["alice"] + "\n2468\n")
def attack(uid, what, n, threads=3):
    e2 = dict(os.environ); e2["RT_THREADS"] = str(threads)
    p = subprocess.run(["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--clear-groups", "--",
                        "/usr/bin/python3", os.path.abspath(__file__), "--attacker", addr, vault, what, str(n)],
                       capture_output=True, text=True, timeout=600, env=e2, cwd="/tmp")
    return p.stdout.strip() or p.stderr.strip()[-600:]

try:
    for _ in range(100):
        if subprocess.run(["dbus-send", "--bus=" + addr, "--print-reply", "--dest=io.gatehouse.Gatehouse1",
                           "/io/gatehouse/Gatehouse1", "org.freedesktop.DBus.Peer.Ping"], capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    r = ctl(["init", "--admin", "alice"], PW["alice"] + "\n"); assert r[0] == 0, r
    r = ctl(["--as", "alice", "--password-stdin", "factor", "add-fido2"], PW["alice"] + "\n2468\n"); assert r[0] == 0, r
    dpid = daemon.pid
    print("system-mode gatehoused pid %d on %s; %s" % (dpid, addr, vm(dpid)))
    k = [key_login() for _ in range(5)]; p = [pw_login() for _ in range(5)]
    print("before: key rc=%s median %.3f s | password rc=%s median %.3f s" % (
        {x[0] for x in k}, med([x[3] for x in k]), {x[0] for x in p}, med([x[3] for x in p])))

    for uid in (65534, 1):
        print("uid %d forge x201:" % uid, attack(uid, "forge", 201))
        k = key_login(); p = pw_login()
        print("   then alice key rc=%d %.3f s%s | password rc=%d %.3f s%s" % (
            k[0], k[3], "" if k[0] == 0 else " " + k[2][-200:], p[0], p[3], "" if p[0] == 0 else " " + p[2][-200:]))
    # owner during a flood
    side = []
    th = threading.Thread(target=lambda: side.append(attack(65534, "forge", 300)))
    th.start(); time.sleep(1.0)
    during = [key_login() for _ in range(3)] + [pw_login() for _ in range(2)]
    th.join()
    print("during a nobody flood:", side[0])
    print("   alice key rc=%s %s | password rc=%s %s" % ([x[0] for x in during[:3]], ["%.3f" % x[3] for x in during[:3]],
                                                       [x[0] for x in during[3:]], ["%.3f" % x[3] for x in during[3:]]))
    print("uid 65534 distinct names x201:", attack(65534, "names", 201))
    k = [key_login() for _ in range(3)]; p = [pw_login() for _ in range(3)]
    print("after: key rc=%s median %.3f s | password rc=%s median %.3f s" % (
        {x[0] for x in k}, med([x[3] for x in k]), {x[0] for x in p}, med([x[3] for x in p])))

    # BeginKeyLogin flood from nobody vs the owner's pending sign-in (begun by root over D-Bus)
    from gi.repository import Gio, GLib
    c = Gio.DBusConnection.new_for_address_sync(addr, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
                                                Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    def call(path, iface, method, sig, args):
        try:
            return True, c.call_sync("io.gatehouse.Gatehouse1", path, "io.gatehouse.Gatehouse1." + iface, method,
                                     GLib.Variant("(%s)" % sig, tuple(args)), None, 0, 30000, None).unpack()
        except GLib.Error as ex:
            return False, ex.message
    ok, r = call("/io/gatehouse/Gatehouse1", "Manager", "OpenVault", "sayb", [vault, b"", False]); vpath = r[0]
    ok, r = call(vpath, "Login", "BeginKeyLogin", "ss", ["alice", "owner"]); owner_pending = r[0]
    print("uid 65534 BeginKeyLogin(alice) x400:", attack(65534, "begin", 400))
    ok, r = call(vpath, "Login", "BeginSecurityKeyAssertion", "s", [owner_pending])
    print("   owner's (uid 0) pending sign-in after it:", "alive" if ok else r[:150])

    # CBOR bombs and big arguments from nobody
    before = vm(dpid)
    print("uid 65534 CBOR bombs x40:", attack(65534, "bombs", 40, threads=2))
    print("   daemon", before, "->", vm(dpid))
    before = vm(dpid)
    print("uid 65534 big args (2x10 MiB per call) x8 from 8 connections at once:", attack(65534, "big", 8, threads=8))
    print("   daemon", before, "->", vm(dpid))
    before = vm(dpid)
    side = []; owner = []
    th = threading.Thread(target=lambda: side.append(attack(65534, "big", 24, threads=24)))
    th.start(); time.sleep(0.5)
    while th.is_alive():
        owner.append(key_login()); time.sleep(0.2)
    th.join()
    print("uid 65534 big args x24 from 24 connections at once:", side[0])
    print("   daemon", before, "->", vm(dpid), "alive:", daemon.poll() is None)
    print("   owner's key sign-ins meanwhile: %d tries, rc %s, times %s" % (
        len(owner), dict(collections.Counter(x[0] for x in owner)), ["%.2f" % x[3] for x in owner][:12]))
    for x in owner:
        if x[0] != 0: print("     failed:", x[2].strip().splitlines()[-1][:200]); break

    k = key_login(); print("alice key after all: rc=%d %.3f s" % (k[0], k[3]))
    r = key_login(["user", "list"]); print("user list:", r[0], json.dumps([{k2: u[k2] for k2 in ("username", "locked", "throttledSecs")} for u in json.loads(r[1])["users"]]))
    r = ctl(["status"]); print("status rc=%d:" % r[0], " | ".join(l.strip() for l in r[1].splitlines() if "ealth" in l or "L1" in l or "L2" in l or "L3" in l or "L4" in l)[:600])
    r = key_login(["audit", "list", "--limit", "5000"])
    ev = json.loads(r[1])["events"]
    bysrc = collections.Counter()
    for x in ev:
        if x["action"] in ("login.failed", "fido2.login_failed") and "passwordless" in x.get("detail", "") or x["action"] == "fido2.login_failed":
            src = (x.get("origin") or x["detail"].rsplit("; from ", 1)[-1]).split(",")[0]
            bysrc[(x["action"], x["actor"] if not x["actor"].startswith("unknown#") else "unknown#…", src)] += 1
    print("audit rows (action, actor, source):")
    for kk, vv in sorted(bysrc.items(), key=lambda t: -t[1]): print("   ", vv, kk)
    print("rows with 'more like it':", [x["detail"][-160:] for x in ev if "more like it" in x.get("detail", "")][:4])
    r = key_login(["audit", "verify"]); print("audit verify rc=%d" % r[0], r[2].strip().splitlines()[-2:])
finally:
    for p in (daemon, bus):
        if p.poll() is None:
            p.terminate()
            try: p.wait(10)
            except Exception: p.kill()
    err = open(os.path.join(root, "daemon.err")).read()
    print("daemon stderr tail:", err[-800:])
    shutil.rmtree(root, ignore_errors=True)
