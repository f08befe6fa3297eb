#include "keychainwait.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace gh {

QDBusMessage keyringPromptQuery() {
    QDBusMessage introspect = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets/prompt"),
        QStringLiteral("org.freedesktop.DBus.Introspectable"), QStringLiteral("Introspect"));
    // Never start a Secret Service just to ask (activation would start one with no prompt open).
    introspect.setAutoStartService(false);
    return introspect;
}

bool keyringPromptIn(const QDBusMessage& reply) {
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return false;
    // A pending prompt is a child node: <node name="p3"/> (gnome-keyring: /…/prompt/p3).
    return reply.arguments().constFirst().toString().contains(QLatin1String("<node name="));
}

bool keyringPromptOpen(int timeoutMs) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return false;
    return keyringPromptIn(bus.call(keyringPromptQuery(), QDBus::Block, timeoutMs));
}

bool waitForKeychain(const std::function<void(std::function<void()> done)>& start, const KeychainWaitPolicy& policy) {
    // The job may finish after this returns (a wait given up): its done() then finds no loop.
    struct State {
        bool finished = false;
        QEventLoop* loop = nullptr;
    };
    auto state = std::make_shared<State>();
    QEventLoop loop;
    state->loop = &loop;

    bool prompting = false;
    QElapsedTimer total;
    QElapsedTimer quiet; // time waited with no prompt open
    total.start();
    quiet.start();
    QTimer tick;
    tick.setInterval(std::max(1, policy.pollMs));
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (state->finished)
            return;
        const bool open = policy.promptOpen && policy.promptOpen();
        if (open != prompting) {
            prompting = open;
            if (!open)
                quiet.restart(); // answered: the job gets its usual time to finish
            if (policy.onPrompt)
                policy.onPrompt(open);
        }
        if (state->finished)
            return;
        if (open ? total.elapsed() >= policy.promptLimitMs : quiet.elapsed() >= policy.timeoutMs)
            loop.quit();
    });

    start([state] {
        state->finished = true;
        if (state->loop)
            state->loop->quit();
    });
    if (!state->finished) {
        tick.start();
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    state->loop = nullptr;
    if (prompting && policy.onPrompt)
        policy.onPrompt(false);
    return state->finished;
}

} // namespace gh
