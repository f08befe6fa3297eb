# Two-step recovery codes through the CLI: Ctrl-D, kill -9 of the CLI, kill -9 of gatehoused
# between the steps; two concurrent add-recovery runs.
import sys, os, json, signal, time, subprocess
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

def begin_cli(e, rc=None):
    if rc:
        p = e.popen(["--as", "alice", "--password-stdin", "--recovery-code-stdin", "factor", "add-recovery"])
        p.stdin.write(("%s\n%s\n" % (PW["alice"], rc)).encode()); p.stdin.flush()
    else:
        p = e.popen(["--as", "alice", "--password-stdin", "--otp-stdin", "factor", "add-recovery"])
        p.stdin.write(("%s\n%s\n" % (PW["alice"], e.totp("alice"))).encode()); p.stdin.flush()
    codes = []
    while len(codes) < 10:
        l = p.stdout.readline()
        if not l: break
        codes.append(l.decode().strip())
    return p, codes

def try_code(e, code):
    e.advance(300)
    r = e.run(["--as", "alice", "--password-stdin", "--recovery-code-stdin", "login"], "%s\n%s\n" % (PW["alice"], code))
    return r[0] == 0 or r[0]

def daemon_pid():
    # only the service that owns the name on THIS private bus, and only if it is our build
    pid = Bus().c.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "GetConnectionUnixProcessID", GLib.Variant("(s)", ("io.gatehouse.Gatehouse1",)),
                            None, 0, 5000, None).unpack()[0]
    exe = os.readlink("/proc/%d/exe" % pid)
    assert exe.startswith(ROOT), exe
    return [pid]

e = Env("rccli")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
old = e.codes["alice"]
# Ctrl-D
p, new = begin_cli(e); p.stdin.close(); p.stdin = None; out, err = p.communicate(timeout=30)
print("Ctrl-D: rc", p.returncode, err.decode().strip()[-120:])
print("  old code works:", try_code(e, old.pop(0)) , "| new code works:", try_code(e, new[0]) )
# empty line
p, new = begin_cli(e); out, err = p.communicate(b"\n", timeout=30)
print("empty line: rc", p.returncode, "| old works:", try_code(e, old.pop(0)) , "| new works:", try_code(e, new[1]) )
# kill -9 of the CLI between the steps
p, new = begin_cli(e); p.kill(); p.wait()
print("kill -9 CLI: old works:", try_code(e, old.pop(0)) , "| new works:", try_code(e, new[2]) )
# kill -9 of gatehoused between the steps, then the CLI types a new code back
p, new = begin_cli(e)
pids = daemon_pid(); print("daemon pids", pids)
for pid in pids: os.kill(pid, signal.SIGKILL)
time.sleep(0.5)
out, err = p.communicate((new[0] + "\n").encode(), timeout=60)
print("kill -9 gatehoused, then confirm: rc", p.returncode, err.decode().strip()[-200:])
print("  old works:", try_code(e, old.pop(0)) , "| new works:", try_code(e, new[3]) )
# wrong code typed back (a code of the OLD set)
p, new = begin_cli(e); out, err = p.communicate((old[0] + "\n").encode(), timeout=30)
print("typed an OLD code back: rc", p.returncode, err.decode().strip()[-160:])
print("  that old code still works:", try_code(e, old.pop(0)) , "| new works:", try_code(e, new[4]) )
# two concurrent add-recovery runs: both print codes; A confirms after B began
e.advance(300)
pa, na = begin_cli(e); e.advance(300); pb, nb = begin_cli(e, rc=old.pop(0))
print("A codes", len(na), "B codes", len(nb))
if not nb:
    o, er = pb.communicate(timeout=30); print("B failed:", pb.returncode, er.decode()[-300:]); nb = ["x", "y"]
oa, ea = pa.communicate((na[0] + "\n").encode(), timeout=30)
ob, eb = pb.communicate((nb[0] + "\n").encode(), timeout=30)
print("concurrent: A rc", pa.returncode, ea.decode().strip()[-140:])
print("            B rc", pb.returncode, eb.decode().strip()[-140:])
print("  old works:", try_code(e, old.pop(0)) , "| A works:", try_code(e, na[1]) , "| B works:", try_code(e, nb[1]) )
