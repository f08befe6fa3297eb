# Raw D-Bus calls to gatehoused (Gio), for attacks that must not rely on the CLI.
from gi.repository import Gio, GLib
SVC = "io.gatehouse.Gatehouse1"; ROOTP = "/io/gatehouse/Gatehouse1"; P = "io.gatehouse.Gatehouse1."

class Bus:
    def __init__(self):
        self.c = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    def call(self, path, iface, method, sig, args, timeout=60000):
        v = GLib.Variant("(%s)" % sig, tuple(args)) if sig else None
        try:
            r = self.c.call_sync(SVC, path, P + iface, method, v, None, Gio.DBusCallFlags.NONE, timeout, None)
            return True, r.unpack()
        except GLib.Error as e:
            return False, e.message
    def open(self, vault):
        ok, r = self.call(ROOTP, "Manager", "OpenVault", "sayb", [vault, b"", False])
        assert ok, r
        return r[0]

class V:
    def __init__(self, bus, vault):
        self.b = bus; self.path = bus.open(vault)
    def __call__(self, iface, method, sig, *args, **kw):
        return self.b.call(self.path, iface, method, sig, list(args), **kw)
    def login(self, user, pw, kind=None, code=None):
        # Login(username, password ay, client, secondKind i, second ay, hasSecond b) -> a{sv} info, ay token
        ok, r = self("Login", "Login", "saysiayb", user, pw.encode(), "redteam", kind or 0,
                     (code or "").encode(), code is not None)
        if not ok: return None, r
        return bytes(r[1]), r[0]
    def begin(self, user, pw):
        return self("Login", "BeginLogin", "says", user, pw.encode(), "redteam")
    def complete(self, pending, kind, code):
        return self("Login", "CompleteLogin", "siay", pending, kind, code.encode())
