// Light or dark (issue 15). The window follows the desktop's colour scheme: the XDG desktop
// portal's org.freedesktop.appearance color-scheme, read at start (asynchronously: the first
// frame never waits for the portal) and followed live through Settings.SettingChanged. Without a
// portal, or when the desktop states no preference, the person's own choice is used, remembered
// in QSettings (appearance/dark; nothing secret is ever stored there). The header's toggle is
// that choice; a later change of the desktop's scheme wins again.
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <QDBusVariant>

namespace gh::ui {

class ColorScheme : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool dark READ dark NOTIFY darkChanged)
    // True while the desktop states a preference and the palette follows it.
    Q_PROPERTY(bool followsDesktop READ followsDesktop NOTIFY darkChanged)
public:
    explicit ColorScheme(QObject* parent = nullptr);

    bool dark() const { return m_dark; }
    bool followsDesktop() const { return m_followsDesktop; }
    // The person's choice: applied at once and remembered for the next start.
    Q_INVOKABLE void toggle();

    static constexpr const char* kSettingsKey = "appearance/dark";

Q_SIGNALS:
    void darkChanged();

private Q_SLOTS:
    void onSettingChanged(const QString& ns, const QString& key, const QDBusVariant& value);

private:
    // color-scheme: 0 no preference, 1 prefer dark, 2 prefer light.
    void applyDesktop(uint scheme);
    void set(bool dark, bool followsDesktop);
    bool m_dark = false;
    bool m_followsDesktop = false;
};

} // namespace gh::ui
