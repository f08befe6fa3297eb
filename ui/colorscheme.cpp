#include "colorscheme.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QSettings>

namespace gh::ui {

namespace {
const QString kPortal = QStringLiteral("org.freedesktop.portal.Desktop");
const QString kPortalPath = QStringLiteral("/org/freedesktop/portal/desktop");
const QString kSettings = QStringLiteral("org.freedesktop.portal.Settings");
const QString kNamespace = QStringLiteral("org.freedesktop.appearance");
const QString kKey = QStringLiteral("color-scheme");

// Settings.Read answers v, and older portals wrap the value once more (v of v).
QVariant unwrap(QVariant v) {
    while (v.canConvert<QDBusVariant>() && v.userType() == qMetaTypeId<QDBusVariant>())
        v = v.value<QDBusVariant>().variant();
    return v;
}
} // namespace

ColorScheme::ColorScheme(QObject* parent) : QObject(parent) {
    m_dark = QSettings().value(QString::fromLatin1(kSettingsKey), false).toBool();
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    bus.connect(kPortal, kPortalPath, kSettings, QStringLiteral("SettingChanged"), this,
                SLOT(onSettingChanged(QString, QString, QDBusVariant)));
    QDBusMessage read = QDBusMessage::createMethodCall(kPortal, kPortalPath, kSettings, QStringLiteral("Read"));
    read << kNamespace << kKey;
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(read, 5000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher* w) {
        w->deleteLater();
        const QDBusPendingReply<QDBusVariant> reply = *w;
        if (reply.isError())
            return; // no portal, or no such setting: the remembered choice stays
        const QVariant value = unwrap(reply.argumentAt(0));
        bool ok = false;
        const uint scheme = value.toUInt(&ok);
        if (ok)
            applyDesktop(scheme);
    });
}

void ColorScheme::toggle() {
    QSettings().setValue(QString::fromLatin1(kSettingsKey), !m_dark);
    set(!m_dark, false);
}

void ColorScheme::onSettingChanged(const QString& ns, const QString& key, const QDBusVariant& value) {
    if (ns != kNamespace || key != kKey)
        return;
    bool ok = false;
    const uint scheme = unwrap(value.variant()).toUInt(&ok);
    if (ok)
        applyDesktop(scheme);
}

void ColorScheme::applyDesktop(uint scheme) {
    if (scheme == 1 || scheme == 2)
        set(scheme == 1, true);
    else // no preference: the person's own choice
        set(QSettings().value(QString::fromLatin1(kSettingsKey), false).toBool(), false);
}

void ColorScheme::set(bool dark, bool followsDesktop) {
    if (dark == m_dark && followsDesktop == m_followsDesktop)
        return;
    m_dark = dark;
    m_followsDesktop = followsDesktop;
    Q_EMIT darkChanged();
}

} // namespace gh::ui
