#!/usr/bin/env python3
"""tst_gui_atspi: the GUI as a screen reader sees it (issue 14).

Covers: first run (Tab, Shift+Tab, Show/Hide, Enter) -> sign-in (a wrong password, the alert,
the right one) -> the administrator's second-factor wizard (an authenticator code typed into a
secret field, confirmed with Enter).

Starts the real `gatehouse` window with accessibility on, against gatehoused-test on a private
bus (like tests/support/privatebus.h), and drives it as a blind person's screen reader would:
only through the AT-SPI tree (pyatspi) -- find a control by role and name, give it focus, type
with synthesized key events, press buttons through their accessible action.

On every screen reached it asserts that each focusable, showing node has a name, that no two
focusable nodes share a name, that secret fields have the role password text, that disabled
buttons report it, and -- after every secret typed -- that no node of the application exposes
any typed secret through Text, EditableText (its text), Value, name or description while Show
is off.

Runs inside tests/support/with-services.sh (session bus, Xvfb); the AT-SPI bus is started on
demand on that session bus (org.a11y.Bus), or by this script when nothing provides it.
Usage: tst_gui_atspi.py --gui PATH/gatehouse --service PATH/gatehoused-test
"""
import argparse
import base64
import hashlib
import hmac
import struct
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

import pyatspi

ADMIN = "ada"
ADMIN_PASSWORD = "Larch-Quartz-Violin-Drum-88"
WRONG_PASSWORD = "Wrong-Tulip-Oboe-Kettle-17"
TIMEOUT = 30.0

failures = []
known_gaps = []  # Qt 6.4 bridge limits listed in the README; reported, not failed


def gap(condition, message):
    if not condition and message not in known_gaps:
        known_gaps.append(message)
        print("KNOWN GAP (Qt 6.4): " + message, flush=True)
    return condition


def totp(secret_base32, at=None):
    """RFC 6238 (SHA1, 6 digits, 30 s): what the person's authenticator app would show."""
    key = base64.b32decode(secret_base32.replace(" ", "").upper() + "=" * (-len(secret_base32.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, flush=True)
    return condition


def wait_for(predicate, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # the tree changes under us while screens switch
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


# ---- the tree -----------------------------------------------------------------------------------

def children(node):
    try:
        return [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:
        return []


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    for child in children(node):
        yield from walk(child, depth + 1)


def states(node):
    try:
        return node.getState()
    except Exception:
        return None


def showing(node):
    s = states(node)
    return s is not None and s.contains(pyatspi.STATE_SHOWING) and s.contains(pyatspi.STATE_VISIBLE)


def role(node):
    try:
        return node.getRole()
    except Exception:
        return None


def fresh_role(node):
    """The role asked of the application now, not the one libatspi cached when the node appeared
    (Qt Quick creates a node before QML has set its Accessible.role)."""
    try:
        node.clear_cache()
    except Exception:
        pass
    return role(node)


def name(node):
    try:
        return node.name or ""
    except Exception:
        return ""


def describe(node):
    return "%s %r" % (role(node) and node.getRoleName(), name(node))


def find(app, roles, label, visible=True):
    for node in walk(app):
        if role(node) in roles and name(node) == label and (not visible or showing(node)):
            return node
    return None


def field_after(app, label, previous):
    """The field named `label`, or -- so that an unnamed field (already a failure) is still
    checked for leaks -- the first entry shown after the field named `previous`."""
    found = find(app, ENTRY_ROLES, label)
    if found is not None:
        return found
    entries = [n for n in walk(app) if showing(n) and role(n) in ENTRY_ROLES]
    names = [name(n) for n in entries]
    if previous in names and names.index(previous) + 1 < len(entries):
        return entries[names.index(previous) + 1]
    return None


def wait_find(app, roles, label):
    return wait_for(lambda: find(app, roles, label), "%s named %r" % (roles, label))


ENTRY_ROLES = (pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT, pyatspi.ROLE_PASSWORD_TEXT)
BUTTON_ROLES = (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_BUTTON
                if hasattr(pyatspi, "ROLE_BUTTON") else pyatspi.ROLE_PUSH_BUTTON)


# ---- acting on it -------------------------------------------------------------------------------

def focus(node):
    component = node.queryComponent()
    component.grabFocus()
    if not wait_focused(node, 2.0):
        # Through the pointer, as a person at the screen: click the middle of the control.
        x, y, w, h = component.getExtents(pyatspi.DESKTOP_COORDS)
        pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, "b1c")
    check(wait_focused(node, 5.0), "%s takes focus" % describe(node))


def wait_focused(node, timeout):
    try:
        wait_for(lambda: states(node).contains(pyatspi.STATE_FOCUSED), "focus", timeout)
        return True
    except AssertionError:
        return False


def type_text(node, text):
    focus(node)
    for ch in text:
        pyatspi.Registry.generateKeyboardEvent(ord(ch), None, pyatspi.KEY_SYM)
        time.sleep(0.02)
    time.sleep(0.2)


TAB, RETURN, SHIFT_MASK = 0xff09, 0xff0d, 1


def key(keysym, shift=False):
    if shift:
        pyatspi.Registry.generateKeyboardEvent(SHIFT_MASK, None, pyatspi.KEY_LOCKMODIFIERS)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    if shift:
        pyatspi.Registry.generateKeyboardEvent(SHIFT_MASK, None, pyatspi.KEY_UNLOCKMODIFIERS)
    time.sleep(0.2)


def press(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i).lower() in ("press", "click", "activate"):
            action.doAction(i)
            return
    raise AssertionError("%s has no Press action" % describe(node))


def enabled(node):
    s = states(node)
    return s.contains(pyatspi.STATE_ENABLED) and s.contains(pyatspi.STATE_SENSITIVE)


# ---- the assertions -----------------------------------------------------------------------------

def exposed_strings(node):
    """Everything an AT-SPI client can read from a node: name, description, Text, Value."""
    out = [name(node)]
    try:
        out.append(node.description or "")
    except Exception:
        pass
    try:
        text = node.queryText()
        out.append(text.getText(0, -1) or "")
        count = text.characterCount
        for offset in range(min(count, 64)):  # character by character, as a caret walk reads it
            out.append(text.getTextAtOffset(offset, pyatspi.TEXT_BOUNDARY_CHAR)[0] or "")
    except NotImplementedError:
        pass
    except Exception:
        pass
    try:
        value = node.queryValue()
        out.append(str(value.currentValue))
        out.append(value.text if hasattr(value, "text") else "")
    except NotImplementedError:
        pass
    except Exception:
        pass
    return out


def assert_no_secret(app, secrets, where):
    """No typed secret (nor any 4-character piece of one) is readable anywhere in the app."""
    pieces = set()
    for secret in secrets:
        pieces.add(secret)
        pieces.update(secret[i:i + 6] for i in range(0, max(1, len(secret) - 5)))
    leaks = []
    for node in walk(app):
        for s in exposed_strings(node):
            for piece in pieces:
                if piece and piece in s:
                    leaks.append("%s exposes %r" % (describe(node), piece))
                    break
    check(not leaks, "%s: secrets readable over AT-SPI: %s" % (where, "; ".join(sorted(set(leaks))[:6])))


def dump(app, where):
    if not os.environ.get("ATSPI_DUMP"):
        return
    print("---- " + where)
    for n in walk(app):
        if showing(n):
            st = states(n)
            flags = [k for k, v in (("focusable", pyatspi.STATE_FOCUSABLE), ("enabled", pyatspi.STATE_ENABLED),
                                    ("sensitive", pyatspi.STATE_SENSITIVE)) if st.contains(v)]
            print("  %s %r desc=%r %s" % (n.getRoleName(), name(n), n.description, flags))


# Qt 6.4 reports every node focusable; these are the ones a person can operate.
PASSIVE_ROLES = (pyatspi.ROLE_LABEL, pyatspi.ROLE_HEADING, pyatspi.ROLE_STATIC, pyatspi.ROLE_TOOL_BAR,
                 pyatspi.ROLE_FRAME, pyatspi.ROLE_APPLICATION, pyatspi.ROLE_FILLER, pyatspi.ROLE_PANEL,
                 pyatspi.ROLE_ALERT, pyatspi.ROLE_IMAGE, pyatspi.ROLE_PROGRESS_BAR)


def assert_screen(app, where, secret_fields=()):
    print("screen: " + where, flush=True)
    dump(app, where)
    focusable = [n for n in walk(app) if showing(n) and states(n).contains(pyatspi.STATE_FOCUSABLE)
                 and role(n) not in PASSIVE_ROLES]
    check(focusable, "%s: something can take focus" % where)
    unnamed = [describe(n) for n in focusable if not name(n).strip()]
    check(not unnamed, "%s: focusable nodes without a name: %s" % (where, unnamed))
    seen = {}
    for n in focusable:
        seen.setdefault((name(n), role(n)), []).append(n)
    dupes = ["%r x%d" % (k[0], len(v)) for k, v in seen.items() if len(v) > 1 and k[0]]
    check(not dupes, "%s: focusable nodes share a name: %s" % (where, dupes))
    for label in secret_fields:
        field = find(app, ENTRY_ROLES, label)
        if check(field is not None, "%s: a field named %r" % (where, label)):
            check(role(field) == pyatspi.ROLE_PASSWORD_TEXT,
                  "%s: %r has the role password text (has %s)" % (where, label, field.getRoleName()))
            check(bool((field.description or "").strip()), "%s: %r has a description" % (where, label))
    headings = [n for n in walk(app) if showing(n) and fresh_role(n) == pyatspi.ROLE_HEADING]
    check(headings, "%s: the screen has a heading" % where)


# ---- the processes ------------------------------------------------------------------------------

def ensure_atspi_bus(procs):
    ok = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus", "/org/a11y/bus",
                         "org.a11y.Bus.GetAddress"], capture_output=True, timeout=20).returncode == 0
    if ok:
        return
    launcher = "/usr/libexec/at-spi-bus-launcher"
    procs.append(subprocess.Popen([launcher, "--launch-immediately"]))
    wait_for(lambda: subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus",
                                     "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
                                    capture_output=True).returncode == 0, "the AT-SPI bus")


def start_private_bus(procs):
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
                           stdout=subprocess.PIPE, text=True)
    procs.append(bus)
    return bus.stdout.readline().strip()


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in children(desktop):
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:
            pass
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gui", required=True)
    parser.add_argument("--service", required=True)
    parser.add_argument("--screenshots", default="")
    args = parser.parse_args()

    procs = []
    scratch = tempfile.mkdtemp(prefix="gatehouse-atspi.")
    gui = None
    try:
        ensure_atspi_bus(procs)
        env = dict(os.environ)
        env.update({
            "GATEHOUSE_BUS_ADDRESS": start_private_bus(procs),
            "GATEHOUSED": args.service,
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "QT_ACCESSIBILITY": "1",
            "QT_QPA_PLATFORM": "xcb",
        })
        # The display may still be starting when this is the first test of a run.
        wait_for(lambda: subprocess.run(["xdpyinfo"], capture_output=True).returncode == 0, "the X display")
        for attempt in range(3):
            gui = subprocess.Popen([args.gui, "--vault", os.path.join(scratch, "vault.db")], env=env)
            procs.append(gui)
            time.sleep(1.0)
            if gui.poll() is None:
                break
        app = wait_for(lambda: find_app(gui.pid), "the gatehouse application on the AT-SPI bus")
        secrets = []

        # ---- first run
        username = wait_find(app, ENTRY_ROLES, "Username")
        password = wait_for(lambda: field_after(app, "Password", "Username"), "the password field")
        repeat = wait_find(app, ENTRY_ROLES, "Repeat the password")
        create = wait_for(lambda: next((n for n in walk(app) if showing(n) and role(n) == pyatspi.ROLE_PUSH_BUTTON
                                        and name(n).startswith("Create")), None), "the Create button")
        assert_screen(app, "first run", secret_fields=("Password", "Repeat the password"))
        check(not enabled(create), "first run: %s reports disabled before the form is complete" % describe(create))
        press(create)  # a disabled button's Press does nothing
        time.sleep(0.5)
        check(find(app, ENTRY_ROLES, "Repeat the password") is not None, "first run: a disabled Create did nothing")

        type_text(username, ADMIN)
        # Keyboard: Tab goes on to the password field, Shift+Tab back, Tab again.
        key(TAB)
        check(wait_focused(password, 5.0), "first run: Tab moves from Username to Password")
        key(TAB, shift=True)
        check(wait_focused(username, 5.0), "first run: Shift+Tab moves back to Username")
        key(TAB)
        secrets.append(ADMIN_PASSWORD)
        type_text(password, ADMIN_PASSWORD)
        check(password.queryText().characterCount == len(ADMIN_PASSWORD),
              "first run: the password field's text is one mask character per character typed")
        assert_no_secret(app, secrets, "first run, password typed")
        type_text(repeat, ADMIN_PASSWORD)
        assert_no_secret(app, secrets, "first run, repeat typed")

        # Show makes it readable, and says so; Hide takes it back.
        show = wait_find(app, (pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_CHECK_BOX),
                         "Show Password")
        press(show)
        wait_for(lambda: role(password) != pyatspi.ROLE_PASSWORD_TEXT, "Show to reveal the password")
        check(password.queryText().getText(0, -1) == ADMIN_PASSWORD, "Show: the revealed text is readable")
        check("shown" in (password.description or "").lower(), "Show: the field says it is shown")
        press(show)
        wait_for(lambda: role(password) == pyatspi.ROLE_PASSWORD_TEXT, "Hide to mask the password again")
        assert_no_secret(app, secrets, "first run, after Show and Hide")

        wait_for(lambda: enabled(create), "Create to become enabled")
        # Enter in the last field submits the screen, as a person at the keyboard would.
        focus(repeat)
        key(RETURN)

        # ---- sign in
        signin = wait_for(lambda: next((n for n in walk(app) if showing(n) and role(n) == pyatspi.ROLE_PUSH_BUTTON
                                        and name(n) == "Sign in"), None), "the sign-in screen", 60)
        assert_screen(app, "sign-in", secret_fields=("Password",))
        check(not enabled(signin), "sign-in: Sign in reports disabled with an empty password")
        password = wait_for(lambda: field_after(app, "Password", "Username"), "the password field")
        secrets.append(WRONG_PASSWORD)
        type_text(password, WRONG_PASSWORD)
        assert_no_secret(app, secrets, "sign-in, wrong password typed")
        wait_for(lambda: enabled(signin), "Sign in to become enabled")
        press(signin)
        alert = wait_for(lambda: next((n for n in walk(app) if showing(n) and name(n) == "Error"
                                       and (n.description or "").strip()), None), "the error message", 60)
        check(fresh_role(alert) == pyatspi.ROLE_ALERT, "sign-in: the error is announced as an alert, not %s"
            % alert.getRoleName())
        assert_no_secret(app, secrets, "sign-in, after the failure")

        password = wait_for(lambda: field_after(app, "Password", "Username"), "the password field")
        wait_for(lambda: password.queryText().characterCount == 0, "the password field to be cleared")
        type_text(password, ADMIN_PASSWORD)
        assert_no_secret(app, secrets, "sign-in, right password typed")
        wait_for(lambda: enabled(signin), "Sign in to become enabled")
        press(signin)

        # ---- home (or the administrator's second-factor wizard)
        wait_for(lambda: field_after(app, "Password", "Username") is None, "the sign-in screen to go", 60)
        time.sleep(1.0)
        assert_screen(app, "after sign-in")
        assert_no_secret(app, secrets, "after sign-in")

        # ---- the wizard: an authenticator app, the code typed into a secret field
        press(wait_find(app, BUTTON_ROLES, "Authenticator app"))
        manual = wait_for(lambda: next((n for n in walk(app) if showing(n)
                                        and name(n).startswith("Manual key")), None), "the manual key", 60)
        key_text = wait_for(lambda: (manual.description or "").strip(), "the manual key's text")
        code_field = wait_find(app, ENTRY_ROLES, "Code shown in the app")
        assert_screen(app, "wizard, authenticator app", secret_fields=("Code shown in the app",))
        code = totp(key_text)
        if time.time() % 30 > 25:  # not at the edge of a step
            time.sleep(6)
            code = totp(key_text)
        secrets.append(code)
        type_text(code_field, code)
        assert_no_secret(app, secrets, "wizard, authenticator code typed")
        confirm = wait_find(app, BUTTON_ROLES, "Confirm and turn on")
        wait_for(lambda: enabled(confirm), "Confirm to become enabled")
        key(RETURN)
        wait_for(lambda: find(app, ENTRY_ROLES, "Code shown in the app") is None, "the code to be accepted", 60)
        time.sleep(1.0)
        assert_screen(app, "wizard, done")
        assert_no_secret(app, secrets, "wizard, done")
    except Exception as error:  # a timeout or a dead tree: report with what we had
        traceback.print_exc()
        failures.append(str(error))
    finally:
        if args.screenshots and gui is not None and gui.poll() is None and shutil.which("import"):
            os.makedirs(args.screenshots, exist_ok=True)
            subprocess.run(["import", "-window", "root", os.path.join(args.screenshots, "atspi-last.png")],
                           capture_output=True)
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(scratch, ignore_errors=True)

    if known_gaps:
        print("known Qt 6.4 gaps (not failed): %d" % len(known_gaps))
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("PASS: tst_gui_atspi")
    return 0


if __name__ == "__main__":
    sys.exit(main())
