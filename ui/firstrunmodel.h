// First run (DESIGN.md GUI screen 1): create the vault, say where its key is kept (system
// keychain, or a passphrase when no Secret Service answers), and create the first administrator.
// No default accounts exist (PW-12).
#pragma once

#include "passwordentry.h"

#include "types.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>
#include <optional>

namespace gh::ui {

class AppController;

class FirstRunModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.firstRun")
    Q_PROPERTY(KeyMode keyMode READ keyMode NOTIFY keyModeChanged)
    Q_PROPERTY(QString keyLocation READ keyLocation NOTIFY keyModeChanged)
    // True when the vault exists already (created, but no administrator yet): only the
    // administrator part of the form remains.
    Q_PROPERTY(bool vaultReady READ vaultReady NOTIFY keyModeChanged)
    Q_PROPERTY(QString username READ username WRITE setUsername NOTIFY usernameChanged)
    Q_PROPERTY(bool usernameValid READ usernameValid NOTIFY usernameChanged)
    Q_PROPERTY(gh::ui::PasswordEntry* password READ password CONSTANT)
    Q_PROPERTY(gh::ui::PasswordEntry* passphrase READ passphrase CONSTANT)
    Q_PROPERTY(bool canCreate READ canCreate NOTIFY canCreateChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    enum KeyMode { Checking, Keychain, Passphrase };
    Q_ENUM(KeyMode)

    explicit FirstRunModel(AppController* app);

    KeyMode keyMode() const { return m_keyMode; }
    QString keyLocation() const;
    bool vaultReady() const { return m_vaultReady; }
    QString username() const { return m_username; }
    void setUsername(const QString& username);
    bool usernameValid() const;
    PasswordEntry* password() const { return m_password; }
    PasswordEntry* passphrase() const { return m_passphrase; }
    bool canCreate() const;
    QString error() const { return m_error; }

    // Creates the vault (unless it exists) and the first administrator from the held entries.
    Q_INVOKABLE void create();

    // AppController: probe the keychain (no vault yet) or continue with an open, empty vault.
    void probeKeychain();
    void setVaultReady(KeySource source);

Q_SIGNALS:
    void keyModeChanged();
    void usernameChanged();
    void canCreateChanged();
    void errorChanged();

private:
    void setError(const QString& error);
    // vaultJustMade: create() made the vault a moment ago (the screen learns it on a failure).
    void createAdmin(std::optional<KeySource> vaultJustMade = std::nullopt);

    AppController* m_app;
    KeyMode m_keyMode = Checking;
    bool m_vaultReady = false;
    QString m_username;
    PasswordEntry* m_password;
    PasswordEntry* m_passphrase;
    QString m_error;
};

} // namespace gh::ui
