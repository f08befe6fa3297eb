#include "keychainwait.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QXmlStreamReader>

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

QStringList keyringPromptsIn(const QDBusMessage& reply) {
    QStringList names;
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return names;
    // The children of the node: <node name="p3"/> (gnome-keyring: /org/freedesktop/secrets/prompt/p3).
    QXmlStreamReader xml(reply.arguments().constFirst().toString());
    int depth = 0;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            ++depth;
            if (depth == 2 && xml.name() == QLatin1String("node"))
                names << xml.attributes().value(QLatin1String("name")).toString();
        } else if (token == QXmlStreamReader::EndElement) {
            --depth;
        }
    }
    return names;
}

QStringList keyringPrompts(int timeoutMs) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return {};
    return keyringPromptsIn(bus.call(keyringPromptQuery(), QDBus::Block, timeoutMs));
}

bool newKeyringPrompt(const QStringList& before, const QStringList& now) {
    for (const QString& name : now)
        if (!before.contains(name))
            return true;
    return false;
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

    // By default a prompt is one made since this wait began (keyringPrompts).
    std::function<bool()> promptOpen = policy.promptOpen;
    if (!promptOpen)
        promptOpen = [before = keyringPrompts()] { return newKeyringPrompt(before, keyringPrompts()); };
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
        const bool open = promptOpen();
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
