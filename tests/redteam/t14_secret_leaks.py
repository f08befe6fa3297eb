# Where do the temporary password, new recovery codes and the typed-back code end up?
# gatehoused-test is started by hand with every Qt log category on, stderr to a file.
import sys, os, json, subprocess, time, glob
sys.path.insert(0, os.path.dirname(__file__))
from rt import *

e = Env("leak")
log = os.path.join(e.dir, "daemon.log")
env = dict(e.env); env["QT_LOGGING_RULES"] = "*.debug=true"
d = subprocess.Popen([DTEST], stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env)
time.sleep(1.0)
e.init(); e.enroll_totp("alice"); codes = e.add_recovery("alice")
e.add_user("alice", "bob")
r = e.as_("alice", ["user", "reset-password", "bob"]); temp = r[1].strip().splitlines()[-1]
r2 = e.as_("alice", ["--json", "user", "reset-password", "bob"]); temp2 = json.loads(r2[1])["temporaryPassword"]
secrets = {"temp": temp, "temp(json)": temp2, "recovery code": codes[0], "totp secret": e.secrets["alice"]}
a = e.as_("alice", ["--json", "audit", "list", "--limit", "1000"])
time.sleep(0.5)
blobs = {"audit json": a[1], "daemon log": open(log, errors="replace").read()}
for f in glob.glob(os.environ.get("HOME", "/root") + "/**", recursive=True) + glob.glob(e.dir + "/**", recursive=True):
    if os.path.isfile(f) and not f.endswith("vault.db") and os.path.getsize(f) < 50_000_000:
        try: blobs[f] = open(f, "rb").read().decode("latin1")
        except Exception: pass
for name, s in secrets.items():
    hits = [k for k, b in blobs.items() if s in b or s.replace("-", "") in b]
    print("%-14s found in: %s" % (name, hits or "nowhere"))
print("daemon log lines:", blobs["daemon log"].count("\n"), "| reset audit detail:",
      [x["detail"] for x in json.loads(a[1])["events"] if x["action"] == "user.password_reset"][:1])
# argv of the CLI never carries it (it is output); the daemon's cmdline/environ neither
print("daemon cmdline:", open("/proc/%d/cmdline" % d.pid, "rb").read().replace(b"\0", b" ")[:200])
d.terminate(); d.wait()
