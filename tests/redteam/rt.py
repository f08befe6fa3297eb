# Red-team harness: drives the real gatehousectl against gatehoused-test (file clock) on the
# private bus of tests/support/with-services.sh. Not product code.
import base64, hashlib, hmac, json, os, struct, subprocess, sys, time, tempfile, signal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the checkout
B = os.path.join(ROOT, "build")
CTL = os.path.join(B, "app/gatehousectl/gatehousectl")
DTEST = os.path.join(B, "tests/gatehoused-test")
DREAL = os.path.join(B, "app/gatehoused/gatehoused")

PW = {"alice": "correct horse battery staple", "bob": "quiet harbour lantern evening",
      "carol": "purple elephant dancing slowly", "dave": "seven orange kites above town"}

_CLOCK = None

class Env:
    ctl = CTL  # the CLI it drives (t21_keylib.KEnv: gatehousectl-test, with a software key)
    def __init__(self, name="rt", real=False):
        self.dir = tempfile.mkdtemp(prefix="rt-%s-" % name, dir="/tmp")
        self.vault = os.path.join(self.dir, "vault.db")
        # one clock per bus: the daemon reads the file it was started with
        global _CLOCK
        if _CLOCK is None:
            _CLOCK = os.path.join(self.dir, "clock")
            self.clock = _CLOCK
            # 2026-01-01 12:00 UTC, monotonic 0 (like FileClock::reset)
            self.write_clock(1767268800000, 0)
        self.clock = _CLOCK
        self.real = real
        self.secrets = {}   # user -> base32 secret
        self.last_step = {} # user -> last used step
        self.codes = {}     # user -> list of unused recovery codes
        self.env = dict(os.environ)
        if not real:
            self.env["GATEHOUSED"] = DTEST
            self.env["GATEHOUSE_TEST_CLOCK"] = self.clock
        else:
            self.env["GATEHOUSED"] = DREAL

    def read_clock(self):
        w, m = open(self.clock).read().split()
        return int(w), int(m)
    def write_clock(self, w, m):
        tmp = self.clock + ".tmp"
        open(tmp, "w").write("%d %d\n" % (w, m)); os.rename(tmp, self.clock)
    def advance(self, secs):
        w, m = self.read_clock(); self.write_clock(w + secs * 1000, m + secs * 1000)
    def now(self):
        return self.read_clock()[0] // 1000

    def run(self, args, stdin="", timeout=60, user=None, env=None, wrap=None):
        cmd = [self.ctl, "--vault", self.vault] + args
        if wrap: cmd = wrap + cmd
        p = subprocess.run(cmd, input=stdin.encode() if isinstance(stdin, str) else stdin,
                           capture_output=True, timeout=timeout, env=env or self.env)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def popen(self, args, wrap=None, env=None):
        cmd = [self.ctl, "--vault", self.vault] + args
        if wrap: cmd = wrap + cmd
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env or self.env)

    # TOTP
    def totp(self, user, step=None):
        key = base64.b32decode(self.secrets[user] + "=" * (-len(self.secrets[user]) % 8))
        if step is None:
            step = self.next_step(user)
        mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
        o = mac[-1] & 0x0F
        v = (struct.unpack(">I", mac[o:o+4])[0] & 0x7FFFFFFF) % 1000000
        return "%06d" % v
    def next_step(self, user):
        cur = self.now() // 30
        last = self.last_step.get(user, -10)
        if last >= cur + 1:
            self.advance(31); cur = self.now() // 30
        s = max(last + 1, cur - 1)
        self.last_step[user] = s
        return s

    def as_(self, user, args, pw=None, second="otp", extra_stdin="", **kw):
        pw = PW.get(user) if pw is None else pw
        if second == "otp" and user in self.secrets:
            return self.run(["--as", user, "--password-stdin", "--otp-stdin"] + args,
                            "%s\n%s\n%s" % (pw, self.totp(user), extra_stdin), **kw)
        if second == "rc":
            c = self.codes[user].pop(0)
            return self.run(["--as", user, "--password-stdin", "--recovery-code-stdin"] + args,
                            "%s\n%s\n%s" % (pw, c, extra_stdin), **kw)
        return self.run(["--as", user, "--password-stdin"] + args, "%s\n%s" % (pw, extra_stdin), **kw)

    def init(self, admin="alice"):
        r = self.run(["init", "--admin", admin], PW[admin] + "\n")
        assert r[0] == 0, r
    def enroll_totp(self, user, second=None):
        r = self.as_(user, ["--json", "factor", "add-totp", "--label", "phone"], second=second or "none")
        assert r[0] == 0, r
        j = json.loads(r[1])
        self.secrets[user] = j["secret"].replace(" ", "")
        fid = j["factorId"]
        code = self.totp(user)
        r = self.run(["--as", user, "--password-stdin", "factor", "confirm", str(fid), "--code-stdin"],
                     "%s\n%s\n" % (PW[user], code))
        assert r[0] == 0, r
        return fid
    def add_recovery(self, user, second="otp"):
        # begin, read codes, type one back
        args = ["--as", user, "--password-stdin"]
        pre = PW[user] + "\n"
        if second == "otp":
            args += ["--otp-stdin"]; pre += self.totp(user) + "\n"
        elif second == "rc":
            args += ["--recovery-code-stdin"]; pre += self.codes[user].pop(0) + "\n"
        p = self.popen(args + ["factor", "add-recovery"])
        p.stdin.write(pre.encode()); p.stdin.flush()
        codes = []
        while len(codes) < 10:
            line = p.stdout.readline()
            if not line: break
            codes.append(line.decode().strip())
        p.stdin.write((codes[3] + "\n").encode()); p.stdin.close(); p.stdin = None
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, (p.returncode, err)
        codes.pop(3)  # typed back (design says it stays usable); keep it aside
        self.codes[user] = codes
        return codes
    def add_user(self, admin, name, role=None, activate=True):
        args = ["user", "add", name] + (["--role", role] if role else [])
        r = self.as_(admin, args)
        assert r[0] == 0, r
        temp = r[1].strip().splitlines()[-1]
        if activate:
            r = self.run(["--as", name, "--password-stdin", "passwd"], "%s\n%s\n" % (temp, PW[name]))
            assert r[0] == 0, r
        return temp

    def sql(self, q):
        """No direct vault access (SQLCipher); left out on purpose."""
        raise NotImplementedError

def show(title, r):
    print("== %s: rc=%s" % (title, r[0]))
    if r[1].strip(): print("   out:", r[1].strip()[:2000].replace("\n", "\n        "))
    if r[2].strip(): print("   err:", r[2].strip()[:2000].replace("\n", "\n        "))

def own_daemon_pid():
    """The pid of gatehoused on THIS private bus (never a name search across the machine)."""
    from gi.repository import Gio, GLib
    c = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    pid = c.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                      "GetConnectionUnixProcessID", GLib.Variant("(s)", ("io.gatehouse.Gatehouse1",)),
                      None, 0, 5000, None).unpack()[0]
    exe = os.readlink("/proc/%d/exe" % pid)
    assert exe.startswith(ROOT), exe
    return pid
