// Waiting for the keychain (issue 15 item 7). A Secret Service job can wait on a person: on a
// fresh desktop gnome-keyring first asks for a password for the new "login" keyring, in its own
// window, and the job answers only when that prompt is done. A fixed timeout gave up while the
// prompt was still open and said the key "cannot be read". Here the timeout counts only while no
// prompt is open; while one is (keyringPromptOpen), the wait goes on, up to a longer limit. The
// GUI looks for the same prompt (keyringPromptOpen) while the vault opens and says "Waiting for
// the keyring's password prompt…".
//
// Only QtCore and QtDBus: gatehoused's key store and the clients (the GUI's status line) share it.
#pragma once

#include <QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QDBusMessage;
QT_END_NAMESPACE

namespace gh {

// True while the Secret Service on the session bus has a prompt open: a child node under
// /org/freedesktop/secrets/prompt (gnome-keyring and KeePassXC export each pending prompt there
// until it completes or is dismissed). Reads the bus's introspection only; never prompts.
// False when no Secret Service answers within `timeoutMs`.
bool keyringPromptOpen(int timeoutMs = 1000);
// The same, for callers that ask without blocking (the GUI): the question, and what its reply says.
QDBusMessage keyringPromptQuery();
bool keyringPromptIn(const QDBusMessage& reply);

struct KeychainWaitPolicy {
    int timeoutMs = 10000;      // the most to wait while no prompt is open
    int promptLimitMs = 100000; // the most to wait in all while a prompt is open (below the
                                // clients' 120 s D-Bus call timeout, so an answer still arrives)
    int pollMs = 500;           // how often the prompt is looked for
    std::function<bool()> promptOpen = [] { return keyringPromptOpen(); };
    // Told true when a prompt is seen open during the wait, false when it is gone again.
    std::function<void(bool)> onPrompt;
};

// Starts a job with `start(done)` (the job calls done() when it finishes) and runs a local event
// loop until it does, or until the policy gives up: `timeoutMs` without an open prompt (the timer
// starts again from zero when a prompt closes), and `promptLimitMs` in all. True when the job
// finished. Must run on a thread with an event dispatcher (the keychain thread).
bool waitForKeychain(const std::function<void(std::function<void()> done)>& start, const KeychainWaitPolicy& policy);

} // namespace gh
