#include "singleinstance.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcInstance, "gatehouse.instance", QtInfoMsg)

namespace gh::app {

SingleInstance::Claim SingleInstance::claim() {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return Claim::NoBus;
    // The object first, then the name: a second launch that sees the name can always call it.
    if (!bus.registerObject(QString::fromLatin1(kPath), this, QDBusConnection::ExportScriptableSlots))
        return Claim::NoBus;
    const auto reply =
        bus.interface()->registerService(QString::fromLatin1(kName), QDBusConnectionInterface::DontQueueService,
                                         QDBusConnectionInterface::DontAllowReplacement);
    if (reply.isValid() && reply.value() == QDBusConnectionInterface::ServiceRegistered)
        return Claim::First;
    bus.unregisterObject(QString::fromLatin1(kPath));

    // Someone else is Gatehouse here: ask it to come to the front, passing on this launch's
    // activation token so the window manager lets it take the focus.
    QVariantMap platformData;
    for (const auto& [env, key] :
         {std::pair{"XDG_ACTIVATION_TOKEN", "activation-token"}, std::pair{"DESKTOP_STARTUP_ID", "desktop-startup-id"}})
        if (const QByteArray token = qgetenv(env); !token.isEmpty())
            platformData.insert(QString::fromLatin1(key), QString::fromUtf8(token));
    QDBusMessage call =
        QDBusMessage::createMethodCall(QString::fromLatin1(kName), QString::fromLatin1(kPath),
                                       QStringLiteral("org.freedesktop.Application"), QStringLiteral("Activate"));
    call << platformData;
    const QDBusMessage answer = bus.call(call, QDBus::Block, 10000);
    if (answer.type() != QDBusMessage::ReplyMessage) {
        // The owner does not answer (hung, or quitting just now): better a second window than none.
        qCWarning(lcInstance, "the running Gatehouse did not answer (%s); opening a second window",
                  qPrintable(answer.errorMessage()));
        return Claim::NoBus;
    }
    return Claim::HandedOff;
}

void SingleInstance::Activate(const QVariantMap& platformData) {
    const QString token = platformData.value(QStringLiteral("activation-token")).toString();
    if (!token.isEmpty())
        qputenv("XDG_ACTIVATION_TOKEN", token.toUtf8()); // read by Qt's Wayland activation
    qCInfo(lcInstance, "activated by another launch: bringing the window to the front");
    raise();
}

void SingleInstance::Open(const QStringList&, const QVariantMap& platformData) {
    Activate(platformData); // Gatehouse opens no documents
}

void SingleInstance::ActivateAction(const QString&, const QVariantList&, const QVariantMap& platformData) {
    Activate(platformData); // no actions are exported
}

void SingleInstance::raise() {
    if (!m_window)
        return;
    if (m_window->windowStates() & Qt::WindowMinimized)
        m_window->setWindowStates(m_window->windowStates() & ~Qt::WindowMinimized);
    m_window->show();
    m_window->raise();
    m_window->requestActivate();
}

} // namespace gh::app
