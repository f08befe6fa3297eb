# Red team, audit origin (schema 11, AUD-04, commit a69ae59): the calling process as the bus
# vouched for it is now the `origin` column, apart from the client-chosen detail.
#   (a) every place a client's own text lands in a row (abort detail, the claimed client name of
#       Login/BeginLogin, usernames, a factor label) carrying a forged "; from …" / whole origin;
#   (b) the parts of origin the caller chooses itself: /proc/PID/comm (prctl PR_SET_NAME) and
#       XDG_SEAT in /proc/PID/environ, shaped like the vouched-for part ("(uid 0, pid 1", "bus :1.1)");
#   (c) the CLI table: SOURCE comes before DETAIL (client text, up to 512 units), so a detail padded
#       with wide characters cannot put a forged source under the SOURCE header (it could when SOURCE
#       was last);
#   (d) chain: origin edited / NULL / moved into detail / actor_id NULL on a new row, each must
#       break `audit verify` at that event (sqlcipher CLI with the key from the Secret Service);
#   migrate (below): a vault of the build before (548bb82) opened by this one.
# Usage: tests/support/with-services.sh /usr/bin/python3 tests/redteam/t29_audit_origin.py [migrate [OLD_BUILD]]
import sys, os, re, json, subprocess, textwrap
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from t21_keylib import *

# ---- migrate: a vault written by the build before schema 11 (548bb82), opened by this one -------------
#   tests/support/with-services.sh /usr/bin/python3 tests/redteam/t29_audit_origin.py migrate [OLD_BUILD_DIR]
#   (OLD_BUILD_DIR: default /work/wt-old/build, a worktree of 548bb82 with gatehousectl and
#   gatehoused-test built). (m1) old events keep their "; from" detail and NULL origin, verify intact;
#   (m2) two new services (two buses, one keyring) open the old vault at once; (m3) kill -9 of the new
#   service during its first open, at several delays, then open again and verify; (m4) the old
#   service refuses the migrated vault.
def migrate_mode(old):
    import threading, shutil
    from gi.repository import Gio, GLib
    OLDCTL = os.path.join(old, "app/gatehousectl/gatehousectl")
    OLDD = os.path.join(old, "tests/gatehoused-test")
    assert os.path.exists(OLDCTL) and os.path.exists(OLDD), "build the old worktree first"
    FAKE = "gatehousectl (uid 0, pid 1, pts/0, bus :1.1)"

    def bus_pid(conn, name="io.gatehouse.Gatehouse1"):
        try:
            return conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                  "GetConnectionUnixProcessID", GLib.Variant("(s)", (name,)), None, 0, 5000,
                                  None).unpack()[0]
        except GLib.Error:
            return None

    session = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    def stop(conn=session, sig=signal.SIGTERM):
        pid = bus_pid(conn)
        if pid:
            os.kill(pid, sig)
            for _ in range(100):
                if not os.path.exists("/proc/%d" % pid) or open("/proc/%d/stat" % pid).read().split()[2] == "Z":
                    break
                time.sleep(0.05)
            time.sleep(0.2)
        return pid

    def key_of(path):
        return subprocess.run(["secret-tool", "lookup", "user", "vault:" + os.path.realpath(path)],
                              capture_output=True, text=True).stdout.strip()

    def sql(path, q):
        p = subprocess.run(["sqlcipher", "-batch", path], input="PRAGMA key = \"x'%s'\";\n%s\n" % (key_of(path), q),
                           capture_output=True, text=True)
        return (p.stdout + p.stderr).strip()

    def state(path):
        cols = sql(path, "PRAGMA table_info(audit);")
        return "user_version=%s origin_column=%s rows(origin NULL/''/text)=%s" % (
            sql(path, "PRAGMA user_version;"), "|origin|" in cols,
            sql(path, "SELECT sum(origin IS NULL), sum(origin = ''), sum(length(origin) > 0) FROM audit;")
            if "|origin|" in cols else sql(path, "SELECT count(*) FROM audit;"))

    class OldEnv(Env):
        ctl = OLDCTL
        def __init__(self, name):
            super().__init__(name)
            self.env["GATEHOUSED"] = OLDD

    def make_old(name):
        o = OldEnv(name); o.init(); o.enroll_totp("alice"); o.add_user("alice", "bob")
        b = V(Bus(), o.vault)
        b("Login", "Login", "saysiayb", "alice", b"wrong", FAKE, 0, b"", False)
        b("Login", "BeginLogin", "says", "bob", b"wrong", "x; from " + FAKE)
        ok, r = b("Login", "Login", "saysiayb", "bob", PW["bob"].encode(), "gatehousectl via " + FAKE, 0, b"", False)
        return o

    def verify(env, tag):
        r = env.as_("alice", ["--json", "audit", "verify"])
        try:
            j = json.loads(r[1])
            s = "intact=%s events=%s firstBrokenId=%s anchor=%s" % (j.get("intact"), j.get("events"),
                                                                     j.get("firstBrokenId"), j.get("anchor"))
        except Exception:
            s = (r[1] + r[2]).replace("\n", " ")[:300]
        print("   %s: audit verify rc=%d %s" % (tag, r[0], s))
        return r[0]

    rc = 0
    print("(m0) old build (548bb82): vaults with events")
    olds = [make_old("old%d" % i) for i in range(12)]
    secrets = olds[0].secrets
    r = olds[0].as_("alice", ["--json", "audit", "verify"])
    print("   old verify rc=%d; old gatehousectl --json audit list keys: %s" % (
        r[0], sorted(json.loads(olds[0].as_("alice", ["--json", "audit", "list"])[1])["events"][0].keys())))
    stop()
    for o in olds[:1]:
        print("   %s" % state(o.vault))

    print("(m1) the new build opens vault 0")
    new = Env("new0"); new.vault = olds[0].vault; new.secrets = olds[0].secrets; new.last_step = olds[0].last_step
    rc |= verify(new, "first open")
    print("   %s" % state(new.vault))
    ev = json.loads(new.as_("alice", ["--json", "audit", "list", "--limit", "500"])[1])["events"]
    for x in sorted(ev, key=lambda x: x["id"]):
        if x["action"] in ("login.failed", "session.issued", "vault.created", "vault.migrated") or x["id"] <= 2:
            print("   #%-3d %-16s detail=%-110r origin=%r" % (x["id"], x["action"], x["detail"][:110], x["origin"]))
    r = new.as_("alice", ["audit", "list", "--limit", "200"])
    print("   table, rows with 'from' or 'via':")
    for l in r[1].splitlines():
        if l.startswith("ID") or " from " in l or " via " in l:
            print("   | " + l[:260])
    oldid = min(x["id"] for x in ev if x["action"] == "login.failed")
    newid = max(x["id"] for x in ev if x["origin"])
    for i in (oldid, newid):
        r = new.as_("alice", ["audit", "diagnose", str(i)])
        print("   diagnose #%d: %s" % (i, " / ".join(l.strip() for l in r[1].splitlines()[:3])))

    print("(m4) the old service on the migrated vault")
    stop()
    r = olds[0].as_("alice", ["audit", "verify"])
    print("   old build: rc=%d %s" % (r[0], (r[1] + r[2]).replace("\n", " ")[:200]))
    stop()

    print("(m2) two new services, one keyring, two buses: OpenVault of the old vault at once")
    p = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE, text=True)
    addr = p.stdout.readline().strip()
    env2 = dict(new.env); env2["GATEHOUSE_BUS_ADDRESS"] = addr
    daemons = []
    for env in (new.env, env2):
        daemons.append(subprocess.Popen([DTEST], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    time.sleep(1.5)
    private = Gio.DBusConnection.new_for_address_sync(
        addr, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    conns = [session, private]
    print("   services: %s" % [bus_pid(c) for c in conns])

    def open_on(conn, path, out, i, go):
        go.wait()
        t = time.monotonic()
        try:
            r = conn.call_sync(SVC, ROOTP, P + "Manager", "OpenVault", GLib.Variant("(sayb)", (path, b"", False)),
                               None, 0, 60000, None)
            out[i] = ("ok", round(time.monotonic() - t, 3))
        except GLib.Error as x:
            out[i] = (x.message[:160], round(time.monotonic() - t, 3))

    for o in olds[1:5]:
        out = [None, None]; go = threading.Event()
        ts = [threading.Thread(target=open_on, args=(c, o.vault, out, i, go)) for i, c in enumerate(conns)]
        for t in ts: t.start()
        go.set()
        for t in ts: t.join()
        print("   %s: %s | %s" % (os.path.basename(o.dir), out, state(o.vault)))
    for d in daemons:
        d.terminate()
    for d in daemons:
        try: d.wait(10)
        except subprocess.TimeoutExpired: d.kill()
    time.sleep(0.5)
    for o in olds[1:5]:
        n = Env("chk"); n.vault = o.vault; n.secrets = o.secrets; n.last_step = o.last_step
        rc |= verify(n, "after the race, %s" % os.path.basename(o.dir))
        stop()

    print("(m3) kill -9 of the new service during its first open of an old vault")
    delays = [0.0, 0.02, 0.05, 0.1, 0.2]
    for o, delay in zip(olds[5:], [0.0, 0.036, 0.039, 0.042, 0.045, 0.048, 0.08]):
        d = subprocess.Popen([DTEST], env=new.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if bus_pid(session): break
            time.sleep(0.05)
        out = [None]; go = threading.Event()
        t = threading.Thread(target=open_on, args=(session, o.vault, out, 0, go)); t.start()
        go.set(); time.sleep(delay); d.kill(); d.wait(); t.join()
        mid = state(o.vault)
        n = Env("chk"); n.vault = o.vault; n.secrets = o.secrets; n.last_step = o.last_step
        v_rc = verify(n, "kill -9 after %.3f s (open: %s; file then: %s); reopened" % (delay, out[0], mid))
        rc |= v_rc
        print("      now: %s" % state(o.vault))
        stop()
    p.terminate()
    return rc


if len(sys.argv) > 1 and sys.argv[1] == "migrate":
    sys.exit(migrate_mode(sys.argv[2] if len(sys.argv) > 2 else "/work/wt-old/build"))

FAKE = "gatehousectl (uid 0, pid 1, pts/0, bus :1.1)"
e = KEnv("origin"); e.init(); e.plug(); e.add_key("alice")
v = KV(Bus(), e.vault)
me = os.getuid()


def events(n=5000):
    r = e.key_login("alice", extra=["audit", "list", "--limit", str(n)])
    assert r[0] == 0, r
    return json.loads(r[1])["events"]


def newest(pred):
    for x in events():
        if pred(x):
            return x
    return None


def top():
    return events(1)[0]["id"]


def since(before):
    """Rows written after id `before`, without those of the reading CLI's own sign-in (one origin)."""
    ev = events()
    reader = ev[0]["origin"]
    return [x for x in ev if x["id"] > before and x["origin"] != reader]


def vouched(origin):
    """What a reader who parses the first '(uid N, pid M' and the first 'bus :X' gets."""
    u = re.search(r"uid (\d+)", origin or "")
    p = re.search(r"pid (\d+)", origin or "")
    b = re.search(r"bus (:[0-9.]+)", origin or "")
    return "uid %s pid %s bus %s" % (u and u.group(1), p and p.group(1), b and b.group(1))


def report(tag, x):
    if x is None:
        print("   %s: no row" % tag); return
    print("   %s: id=%s action=%s actor=%r subject=%r" % (tag, x["id"], x["action"], x["actor"], x["subject"]))
    print("       detail=%r" % x["detail"][:300])
    print("       origin=%r  -> first (uid,pid)/bus a parser reads: %s" % (x.get("origin"), vouched(x.get("origin"))))


print("(a) client text shaped like a source")
# a1 abort detail
e.advance(61)
pending, req, err = v.request("alice")
ok, r = v.abort_assert(pending, req["ceremonyId"], {"code": "KeyCancelled", "detail": "cancel; from " + FAKE})
report("a1 abort detail", newest(lambda x: x["action"] == "fido2.login_failed"))
# a2 claimed client name (Login and BeginLogin, wrong password; then bob's right password)
n = top()
ok, r = v("Login", "Login", "saysiayb", "alice", b"wrong", FAKE, 0, b"", False)
ok, r = v("Login", "BeginLogin", "says", "alice", b"wrong2", "x; from " + FAKE)
for x in since(n): report("a2 wrong password, forged client", x)
e.add_user("alice", "bob")
n = top()
ok, r = v("Login", "Login", "saysiayb", "bob", PW["bob"].encode(), "gatehousectl via " + FAKE, 0, b"", False)
print("   bob Login with a forged client name:", ok, str(r)[:100])
for x in since(n): report("a2 bob signs in, forged client", x)
ok, sess = v("Sessions", "List", "ay", bytes(r[1])) if ok else (False, None)
# a3 usernames
n = top()
ok, r = v("Login", "BeginLogin", "says", "nobody; from " + FAKE, b"pw", "redteam")
ok, r = v.begin_key("ghost; from " + FAKE)
ok2, r2 = v.begin_assert(r[0]) if ok else (False, None)
if ok2:
    v.abort_assert(r[0], r2[0]["ceremonyId"], {"code": "KeyCancelled", "detail": "x"})
for x in since(n): report("a3 username", x)
# a4 factor label and key name
n = top()
r = e.run(["--as", "alice", "--password-stdin", "--json", "factor", "add-totp", "--label", "phone; from " + FAKE],
          PW["alice"] + "\n2468\n")
r = e.run(["--as", "alice", "--password-stdin", "factor", "add-fido2", "--name", "Red; from " + FAKE],
          PW["alice"] + "\n2468\n")
for x in since(n):
    if "from" in x["detail"] or x["action"].startswith("factor."): report("a4 label/name", x)

print("(b) the caller's own parts of origin: comm and XDG_SEAT, from a fresh process (new bus name)")
CHILD = textwrap.dedent(r'''
    import sys, os, ctypes
    sys.path.insert(0, %r)
    from t21_keylib import *
    comm = sys.argv[1].encode()
    if comm:
        ctypes.CDLL(None).prctl(15, ctypes.c_char_p(comm), 0, 0, 0)   # PR_SET_NAME
    v = KV(Bus(), sys.argv[2])
    pending, req, err = v.request("alice")
    v.abort_assert(pending, req["ceremonyId"], {"code": "KeyCancelled", "detail": sys.argv[3]})
    print(os.getpid())
''') % os.path.dirname(os.path.abspath(__file__))
cases = [("b1 comm only", "x (uid 0, pid 1", None),
         ("b1b comm claims uid 1000", "sshd (uid 1000,", None),
         ("b2 XDG_SEAT only", "", "seat0, bus :1.1) sshd (uid 0"),
         ("b3 both", "sshd (uid 0, pid", "1, bus :1.1)"),
         ("b4 seat with a newline", "", "seat0\nfake line")]
for case in cases:
    tag, comm, seat = case[:3]
    wrap = case[3] if len(case) > 3 else []
    e.advance(61)
    env = dict(e.env)
    env.pop("XDG_SEAT", None)
    if seat is not None:
        env["XDG_SEAT"] = seat
    p = subprocess.run(wrap + ["/usr/bin/python3", "-c", CHILD, comm, e.vault, "probe " + tag], env=env,
                       capture_output=True, text=True, timeout=60)
    pid = p.stdout.strip()
    x = newest(lambda x: x["action"] == "fido2.login_failed" and x["detail"].startswith("the client reports") and
               ("probe " + tag) in x["detail"]) or newest(lambda x: ("probe " + tag) in x["detail"])
    print("   real: uid %s pid %s" % ("nobody" if wrap else me, pid or "?  stderr=" + p.stderr[-300:]))
    report(tag, x)

print("(c) the CLI table (SOURCE before DETAIL)")
e.advance(61)
pad = "\uff3f" * (len(FAKE) + 2)   # FULLWIDTH LOW LINE: one UTF-16 unit, two terminal cells
pending, req, err = v.request("alice")
v.abort_assert(pending, req["ceremonyId"], {"code": "KeyCancelled", "detail": pad + FAKE})
r = e.run(["--as", "alice", "--security-key", "audit", "list", "--limit", "6"], "2468\n")
print(textwrap.indent(r[1], "   | "))
r = e.key_login("alice", extra=["audit", "verify"])
print("   audit verify rc=%d %s" % (r[0], r[1].replace("\n", " ")[:200]))


def display_col(line, sub):
    """Terminal cell where `sub` starts in `line` (East Asian wide/fullwidth: two cells)."""
    import unicodedata
    i = line.find(sub)
    return None if i < 0 else sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i])


print("(c2) a forged source in the detail, padded with wide characters, cannot stand under SOURCE")
PFX = "the client reports: "                # what the service puts before the client's text


def listing():
    r = e.run(["--as", "alice", "--security-key", "audit", "list", "--limit", "8"], "2468\n")
    return r[1].splitlines()


hdr = listing()[0]
H, D = display_col(hdr, "SOURCE"), display_col(hdr, "DETAIL")
e.advance(61)
pending, req, err = v.request("alice")
v.abort_assert(pending, req["ceremonyId"], {"code": "KeyCancelled", "detail": "\uff3f" * 40 + FAKE})
lines = listing()
hdr = lines[0]
row = next(l for l in lines if FAKE in l)
# The columns before SOURCE hold no wide characters, so cells and characters agree up to there.
under = row[display_col(hdr, "SOURCE"):]
ok_c2 = H < D and under.startswith("python3 (uid ") and display_col(row, FAKE) > display_col(hdr, "DETAIL")
print("   SOURCE at cell %d, DETAIL at cell %d; under SOURCE in the attacker's row: %r; forged text at cell %d -> %s" % (
    H, D, under[:44], display_col(row, FAKE), "held" if ok_c2 else "DEFECT"))

# ---- (d) chain integrity: edit the vault with the key (Secret Service) ------------------------------
print("(d) tampering with the vault (sqlcipher CLI, key from the Secret Service)")
key = subprocess.run(["secret-tool", "lookup", "user", "vault:" + os.path.realpath(e.vault)],
                     capture_output=True, text=True).stdout.strip()
if not re.fullmatch(r"[0-9a-fA-F]{64}", key):
    out = subprocess.run(["secret-tool", "search", "--all", "user", "vault:" + os.path.realpath(e.vault)],
                         capture_output=True, text=True)
    print("   no key found:", out.stdout[-400:], out.stderr[-200:]); sys.exit(1)


def stop_daemon():
    try:
        pid = own_daemon_pid(); os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if not os.path.exists("/proc/%d" % pid): break
            time.sleep(0.1)
    except Exception:
        pass


def sql(q):
    script = "PRAGMA key = \"x'%s'\";\n%s\n" % (key, q)
    p = subprocess.run(["sqlcipher", "-batch", "-bail", e.vault], input=script, capture_output=True, text=True)
    return (p.stdout.strip(), p.stderr.strip())


stop_daemon()
print("   schema:", sql("PRAGMA user_version;")[0], "| origin NULL/''/text:",
      sql("SELECT sum(origin IS NULL), sum(origin = ''), sum(length(origin) > 0) FROM audit;")[0])
tgt = sql("SELECT id FROM audit WHERE length(origin) > 0 ORDER BY id DESC LIMIT 1 OFFSET 5;")[0]
empty = sql("SELECT id FROM audit WHERE origin = '' ORDER BY id DESC LIMIT 1;")[0]
print("   target row with an origin: #%s; a row with origin '' (in-process): #%s" % (tgt, empty or "none"))
COLS = "detail, actor_id, subject_id, origin"
edits = [
    ("origin edited", tgt, "origin = replace(origin, 'uid 0', 'uid 1000')"),
    ("origin NULL", tgt, "origin = NULL"),
    ("origin ''", tgt, "origin = ''"),
    ("origin moved into detail", tgt, "detail = detail || '; from ' || origin, origin = NULL"),
    ("origin moved into detail, ''", tgt, "detail = detail || '; from ' || origin, origin = ''"),
    ("actor_id NULL (rest kept)", tgt, "actor_id = NULL"),
    ("actor_id, origin NULL", tgt, "actor_id = NULL, origin = NULL"),
    ("actor_id, subject_id, origin NULL", tgt, "actor_id = NULL, subject_id = NULL, origin = NULL"),
    ("origin '' -> NULL (in-process row)", empty or tgt, "origin = NULL"),
    ("origin taken from the next row", tgt, "origin = (SELECT origin FROM audit WHERE id = %s + 1)" % tgt),
    ("origin as BLOB of the same bytes", tgt, "origin = CAST(origin AS BLOB)"),
]
TRIG = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
for name, rid, setq in edits:
    orig = sql("SELECT quote(detail), quote(actor_id), quote(subject_id), quote(origin) FROM audit WHERE id = %s;" % rid)[0]
    o = sql("DROP TRIGGER audit_no_update; UPDATE audit SET %s WHERE id = %s; SELECT changes(); %s" % (setq, rid, TRIG))
    now = sql("SELECT quote(actor_id), quote(origin) FROM audit WHERE id = %s;" % rid)[0]
    r = e.key_login("alice", extra=["audit", "verify"])
    try:
        j = json.loads(r[1]); res = "intact=%s firstBrokenId=%s" % (j.get("intact"), j.get("firstBrokenId"))
    except Exception:
        res = (r[1] + r[2]).replace("\n", " ")[:200]
    print("   #%s %-36s -> %-40s rc=%d %s" % (rid, name, now[:40], r[0], res))
    stop_daemon()
    d0, a0, s0, o0 = orig.split("|")
    sql("DROP TRIGGER audit_no_update; UPDATE audit SET detail=%s, actor_id=%s, subject_id=%s, origin=%s WHERE id = %s; %s"
        % (d0, a0, s0, o0, rid, TRIG))
r = e.key_login("alice", extra=["audit", "verify"])
print("   reverted: rc=%d %s" % (r[0], r[1].replace("\n", " ")[:160]))
