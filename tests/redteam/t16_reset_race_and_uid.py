# (a) Reset racing one-step sign-ins (bob without a second factor) with the old password: no
#     session of bob may be live afterwards. (b) A second uid (nobody) presenting bob's token.
import sys, os, json, threading, subprocess
sys.path.insert(0, os.path.dirname(__file__))
from rt import *
from rtbus import *

e = Env("race")
e.init(); e.enroll_totp("alice"); e.add_recovery("alice")
e.add_user("alice", "bob")
for rnd in range(5):
    stop = threading.Event(); oks = []
    def spin():
        vv = V(Bus(), e.vault)
        while not stop.is_set():
            t, _ = vv.login("bob", PW["bob"])
            if t: oks.append(t)
    ts = [threading.Thread(target=spin) for _ in range(3)]; [t.start() for t in ts]
    time.sleep(0.5)
    r = e.as_("alice", ["user", "reset-password", "bob"]); temp = r[1].strip().splitlines()[-1]
    time.sleep(0.5); stop.set(); [t.join() for t in ts]
    vv = V(Bus(), e.vault)
    live = [t for t in oks if vv("Accounts", "Notices", "ay", t)[0]]
    print("round", rnd, "old-password sign-ins:", len(oks), "still live after reset:", len(live))
    # put bob's password back for the next round
    e.run(["--as", "bob", "--password-stdin", "passwd"], "%s\n%s\n" % (temp, PW["bob"]))
    e.advance(120)
# (b) another uid
v = V(Bus(), e.vault)
tok, _ = v.login("bob", PW["bob"])
addr = os.environ["DBUS_SESSION_BUS_ADDRESS"]
code = ("import sys; sys.path.insert(0, %r)\nfrom rtbus import *\nb = Bus()\np = b.open(%r)\n"
        "print('nobody Notices with bob token:', b.call(p, 'Accounts', 'Notices', 'ay', [bytes.fromhex(%r)]))\n"
        "print('nobody DeleteUser with bob token:', b.call(p, 'Accounts', 'DeleteUser', 'ays', [bytes.fromhex(%r), 'alice']))\n") % (
        os.path.dirname(os.path.abspath(__file__)), e.vault, tok.hex(), tok.hex())
for wrap in (["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"], ["runuser", "-u", "nobody", "--"]):
    p = subprocess.run(wrap + ["env", "DBUS_SESSION_BUS_ADDRESS=" + addr, "/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=30)
    print(" ".join(wrap[:2]), "->", p.returncode, (p.stdout + p.stderr).strip()[-300:])
print("bob's token still works for bob:", v("Accounts", "Notices", "ay", tok)[0])
