// Security keys in the GUI (issue 4): one view-model for the wizard step "Security key" and the
// login step "Use security key". It lists the keys plugged in (asking Client::securityKeys() on the
// worker about twice a second while a step shows it, paused while the key is busy), runs the
// enrollment or the login step on the worker thread (the key waits for a touch there, up to
// Client::kKeyTimeoutMs) and cancels it from the GUI thread (Client::cancelSecurityKey).
//
// The PIN is write-only from QML (setPin); it is asked for only after the key said it needs one,
// kept in a SecureBuffer for the next attempt and wiped after it. Nothing else is secret here.
#pragma once

#include "crypto/securebuffer.h"
#include "gatehouseclient.h"

#include "secretinput.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace gh::ui {

class AppController;

class SecurityKeyModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.securityKey")
    // [{path, title}] of the keys plugged in now.
    Q_PROPERTY(QVariantList devices READ devices NOTIFY devicesChanged)
    Q_PROPERTY(int deviceCount READ deviceCount NOTIFY devicesChanged)
    Q_PROPERTY(int selected READ selected WRITE setSelected NOTIFY devicesChanged)
    Q_PROPERTY(bool enrolling READ enrolling NOTIFY purposeChanged) // else: the login step
    Q_PROPERTY(QString relyingParty READ relyingParty NOTIFY relyingPartyChanged)
    Q_PROPERTY(bool waiting READ waiting NOTIFY stateChanged) // the key waits for a touch
    Q_PROPERTY(bool needsPin READ needsPin NOTIFY stateChanged)
    Q_PROPERTY(bool pinEntered READ pinEntered NOTIFY stateChanged)
    Q_PROPERTY(QString error READ error NOTIFY stateChanged)
    Q_PROPERTY(bool canStart READ canStart NOTIFY stateChanged)

public:
    explicit SecurityKeyModel(AppController* app);
    ~SecurityKeyModel() override;

    QVariantList devices() const;
    int deviceCount() const { return static_cast<int>(m_devices.size()); }
    int selected() const { return m_selected; }
    void setSelected(int index);
    bool enrolling() const { return m_enrolling; }
    QString relyingParty() const { return m_relyingParty; }
    bool waiting() const { return m_waiting; }
    bool needsPin() const { return m_needsPin; }
    bool pinEntered() const { return !m_pin.isEmpty(); }
    QString error() const { return m_error; }
    bool canStart() const;

    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).

    Q_INVOKABLE void setPin(gh::ui::SecretInput* pin);

    void setPin(const QString& pin); // write-only
    // Enroll (with `name`) or complete the login with the selected key.
    Q_INVOKABLE void start(const QString& name = {});
    Q_INVOKABLE void cancel();  // stops a key that waits for a touch
    Q_INVOKABLE void refresh(); // asks for the devices once (the timer does it twice a second)

    // EnrollModel / SecondFactorModel: show for enrolling, or for the pending login `pendingId`.
    void beginEnroll();
    void beginLogin(const QString& pendingId);
    void stop(); // the step is no longer shown: stop polling, forget PIN and errors

Q_SIGNALS:
    void devicesChanged();
    void purposeChanged();
    void relyingPartyChanged();
    void stateChanged();
    void enrolled(const gh::FactorInfo& key);
    void failed(); // QML clears the PIN field

private:
    void setError(const QString& error);
    void startPolling();
    void setDevices(const QList<Fido2DeviceInfo>& now);
    void finished(const Error* error); // common handling of a failed attempt

    AppController* m_app;
    QTimer m_poll;
    QList<Fido2DeviceInfo> m_devices;
    int m_selected = 0;
    bool m_enrolling = true;
    QString m_pendingId;
    QString m_relyingParty;
    bool m_waiting = false;
    bool m_listing = false; // a device list is being asked for
    bool m_needsPin = false;
    SecureBuffer m_pin;
    QString m_error;
};

} // namespace gh::ui
