// One Gatehouse window per desktop session (issue 15). The first launch owns the application id
// io.gatehouse.Gatehouse on the session bus and serves org.freedesktop.Application there; a later
// launch calls its Activate (the first window is shown and brought to the front) and exits before
// it creates a window of its own. Without a session bus every launch runs on its own, as before.
#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantMap>
#include <QWindow>

namespace gh::app {

class SingleInstance : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Application")
public:
    static constexpr const char* kName = "io.gatehouse.Gatehouse";
    static constexpr const char* kPath = "/io/gatehouse/Gatehouse";

    enum class Claim {
        First,     // this process owns the name: run the window
        HandedOff, // another instance owns it and was asked to come to the front: exit
        NoBus,     // no session bus: run alone
    };
    Claim claim();
    // The window Activate brings to the front (set once it exists).
    void setWindow(QWindow* window) { m_window = window; }

public Q_SLOTS:
    // org.freedesktop.Application (the Desktop Entry specification's D-Bus activation).
    Q_SCRIPTABLE void Activate(const QVariantMap& platformData);
    Q_SCRIPTABLE void Open(const QStringList& uris, const QVariantMap& platformData);
    Q_SCRIPTABLE void ActivateAction(const QString& name, const QVariantList& parameter,
                                     const QVariantMap& platformData);

private:
    void raise();
    QPointer<QWindow> m_window; // none yet: the window shows on its own when it is created
};

} // namespace gh::app
