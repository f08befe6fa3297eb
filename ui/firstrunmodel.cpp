#include "firstrunmodel.h"

#include "appcontroller.h"
#include "verification/usernames.h"

namespace gh::ui {

FirstRunModel::FirstRunModel(AppController* app) : QObject(app), m_app(app) {
    auto check = [app](const QString& text, const QString& context) {
        return app->facade().checkPassword(text, context);
    };
    m_password = new PasswordEntry(check, this);
    m_passphrase = new PasswordEntry(check, this);
    connect(m_password, &PasswordEntry::changed, this, &FirstRunModel::canCreateChanged);
    connect(m_passphrase, &PasswordEntry::changed, this, &FirstRunModel::canCreateChanged);
    connect(this, &FirstRunModel::usernameChanged, this, &FirstRunModel::canCreateChanged);
    connect(this, &FirstRunModel::keyModeChanged, this, &FirstRunModel::canCreateChanged);
    connect(app, &AppController::busyChanged, this, &FirstRunModel::canCreateChanged);
}

QString FirstRunModel::keyLocation() const {
    switch (m_keyMode) {
    case Checking:
        return tr("Looking for the system keychain…");
    case Keychain:
        return tr("System keychain (Secret Service)");
    case Passphrase:
        return tr("A vault passphrase (no system keychain answered)");
    }
    return {};
}

void FirstRunModel::setUsername(const QString& username) {
    if (m_username == username)
        return;
    m_username = username;
    // The username is a context word for the password policy.
    m_password->setContext(normaliseUsername(username).value_or(username));
    Q_EMIT usernameChanged();
}

bool FirstRunModel::usernameValid() const { return normaliseUsername(m_username).has_value(); }

bool FirstRunModel::canCreate() const {
    if (m_app->busy() || m_keyMode == Checking || !usernameValid() || !m_password->ready())
        return false;
    if (!m_vaultReady && m_keyMode == Passphrase && !m_passphrase->ready())
        return false;
    return true;
}

void FirstRunModel::setError(const QString& error) {
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void FirstRunModel::probeKeychain() {
    m_app->run([](Gatehouse& gh) { return gh.keychainAvailable(); },
               [this](bool available) {
                   m_keyMode = available ? Keychain : Passphrase;
                   Q_EMIT keyModeChanged();
               });
}

void FirstRunModel::setVaultReady(KeySource source) {
    m_vaultReady = true;
    m_keyMode = source == KeySource::Passphrase ? Passphrase : Keychain;
    m_passphrase->clear();
    Q_EMIT keyModeChanged();
}

void FirstRunModel::create() {
    if (!canCreate())
        return;
    setError({});
    struct Outcome {
        Status status;
        bool vaultOpen = false;
        KeySource source = KeySource::Keychain;
        QString keyLocation;
    };
    const bool createVault = !m_vaultReady;
    const bool withPassphrase = m_keyMode == Passphrase;
    const QString path = m_app->vaultPath();
    const QString username = normaliseUsername(m_username).value_or(m_username);
    // Copies for the worker; the entries keep theirs until the whole step has succeeded.
    auto password = std::make_shared<SecureBuffer>(m_password->password().clone());
    auto passphrase = std::make_shared<SecureBuffer>(m_passphrase->password().clone());
    m_app->run(
        [=](Gatehouse& gh) -> Outcome {
            if (createVault) {
                Status made = gh.createVault(path, withPassphrase ? passphrase.get() : nullptr);
                if (!made)
                    return {made};
            }
            Status admin = gh.createFirstAdmin(username, *password);
            return {admin, true, gh.keySource(), gh.keyLocation()};
        },
        [this, username](Outcome outcome) {
            if (outcome.vaultOpen && !m_vaultReady) {
                // The vault exists now even if the administrator step failed: keep it and ask
                // only for the administrator again.
                setVaultReady(outcome.source);
                m_app->setVaultOpen(outcome.keyLocation);
            }
            if (!outcome.status) {
                setError(describe(outcome.status.error()));
                return;
            }
            m_password->clear();
            m_app->firstAdminCreated(username);
        });
}

} // namespace gh::ui
