// Unlock (passphrase-protected vault): used when the vault's key is derived from a passphrase
// because no system keychain was reachable when it was created. gatehoused derives the key; the
// passphrase goes there once and is never readable here. After a service restart the notice says
// why the vault asks again.
#pragma once

#include "secretinput.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace gh::ui {

class AppController;

class UnlockModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.unlock")
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY errorChanged)

public:
    explicit UnlockModel(AppController* app);

    QString error() const { return m_error; }
    QString notice() const { return m_notice; }
    void setNotice(const QString& notice);
    // The passphrase goes in and is never readable again.
    // QML hands over the field itself; the secret goes from C++ to C++ (write-only).
    Q_INVOKABLE void submitPassphrase(gh::ui::SecretInput* passphrase);
    void submitPassphrase(const QString& passphrase);

Q_SIGNALS:
    void errorChanged();
    void failed();

private:
    AppController* m_app;
    QString m_error;
    QString m_notice;
};

} // namespace gh::ui
