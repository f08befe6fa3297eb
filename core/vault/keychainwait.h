// Waiting for the keychain (issue 15 item 7). A Secret Service job can wait on a person: on a
// fresh desktop gnome-keyring first asks for a password for the new "login" keyring, in its own
// window, and the job answers only when that prompt is done. A fixed timeout gave up while the
// prompt was still open and said the key "cannot be read". Here the timeout counts only while no
// prompt is open; while one is (a prompt made since the job started), the wait goes on, up to a
// longer limit. The GUI looks for new prompts the same way while it waits on the service and says
// "Waiting for the keyring's password prompt…".
//
// Only QtCore and QtDBus: gatehoused's key store and the clients (the GUI's status line) share it.
#pragma once

#include <QString>
#include <QStringList>

#include <functional>

QT_BEGIN_NAMESPACE
class QDBusMessage;
QT_END_NAMESPACE

namespace gh {

// The prompts the Secret Service on the session bus has made: the child nodes of
// /org/freedesktop/secrets/prompt ("p1", "p2"…; gnome-keyring numbers each new prompt and keeps
// its object a while after it is answered, so a node says a prompt was made, not that it is still
// open). A prompt that appears while a keychain job waits is that job's prompt (or one made at the
// same time): the job waits for a person. Reads the bus's introspection only; never prompts and
// never starts a Secret Service. Empty when none answers within `timeoutMs`.
QStringList keyringPrompts(int timeoutMs = 1000);
// The same, for callers that ask without blocking (the GUI): the question, and what its reply says.
QDBusMessage keyringPromptQuery();
QStringList keyringPromptsIn(const QDBusMessage& reply);
// True when `now` holds a prompt that `before` did not.
bool newKeyringPrompt(const QStringList& before, const QStringList& now);

struct KeychainWaitPolicy {
    int timeoutMs = 10000;      // the most to wait while no prompt is open
    int promptLimitMs = 100000; // the most to wait in all while a prompt is open (below the
                                // clients' 120 s D-Bus call timeout, so an answer still arrives)
    int pollMs = 500;           // how often the prompt is looked for
    // Whether the job waits on a prompt. Empty: a prompt that appeared since the wait began
    // (keyringPrompts before the job starts, then at each poll).
    std::function<bool()> promptOpen;
    // Told true when a prompt is seen open during the wait, false when it is gone again.
    std::function<void(bool)> onPrompt;
};

// Starts a job with `start(done)` (the job calls done() when it finishes) and runs a local event
// loop until it does, or until the policy gives up: `timeoutMs` without an open prompt (the timer
// starts again from zero when a prompt closes), and `promptLimitMs` in all. True when the job
// finished. Must run on a thread with an event dispatcher (the keychain thread).
bool waitForKeychain(const std::function<void(std::function<void()> done)>& start, const KeychainWaitPolicy& policy);

} // namespace gh
