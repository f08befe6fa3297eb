#include "firstrunmodel.h"

#include "appcontroller.h"
#include "verification/usernames.h"

namespace gh::ui {

FirstRunModel::FirstRunModel(AppController* app) : QObject(app), m_app(app) {
    auto check = [app](const QString& text, const QString& context) {
        return app->client().checkPassword(text, context);
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

bool FirstRunModel::usernameValid() const {
    return normaliseUsername(m_username).has_value();
}

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
    // gatehoused asks its key store (the Secret Service in session mode).
    m_app->run([](Client& gh) { return gh.keychainAvailable(); },
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
    if (m_vaultReady) {
        createAdmin();
        return;
    }
    struct Made {
        Status status;
        KeySource source = KeySource::Keychain;
        QString keyLocation;
    };
    const QString path = m_app->vaultPath();
    auto afterVault = [this](Made made) {
        if (!made.status) {
            setError(describe(made.status.error()));
            return;
        }
        // The vault exists from here on. The screen says so (title, no passphrase, focus on the
        // username) only if the administrator step fails and is to be retried alone: while it
        // works, the title and the focus stay where they are.
        m_passphrase->clear();
        m_app->setVaultOpen(made.keyLocation);
        createAdmin(made.source);
    };
    auto makeVault = [path](Client& gh, const SecureBuffer* passphrase) -> Made {
        Status status = gh.createVault(path, passphrase);
        if (!status)
            return {status, KeySource::Keychain, {}};
        return {status, gh.keySource(), gh.keyLocation()};
    };
    // gatehoused derives the key from the passphrase (Argon2id) or puts a random one in its key
    // store; either way a slow call, on the worker thread.
    std::shared_ptr<SecureBuffer> passphrase;
    if (m_keyMode == Passphrase)
        passphrase = std::make_shared<SecureBuffer>(m_passphrase->password().clone());
    m_app->run([makeVault, passphrase](Client& gh) { return makeVault(gh, passphrase.get()); }, afterVault);
}

void FirstRunModel::createAdmin(std::optional<KeySource> vaultJustMade) {
    const QString username = normaliseUsername(m_username).value_or(m_username);
    auto password = std::make_shared<SecureBuffer>(m_password->password().clone());
    struct Created {
        Status status;
        Result<Session> session = Errc::Internal;
    };
    // Hashing: the worker thread. Set-up goes on with the administrator signed in (with the
    // password just typed) to bind a second factor with set-up's grant, as `gatehousectl init` does.
    m_app->run(
        [username, password](Client& gh) {
            Created c{gh.createFirstAdmin(username, *password)};
            if (c.status)
                c.session = gh.login(username, *password, QStringLiteral("gatehouse (set-up)"));
            return c;
        },
        [this, username, vaultJustMade](Created created) {
            if (!created.status) {
                if (vaultJustMade)
                    setVaultReady(*vaultJustMade);
                setError(describe(created.status.error()));
                return;
            }
            m_password->clear();
            if (!created.session) { // the account exists: its first sign-in finishes set-up
                m_app->firstAdminCreated(username);
                return;
            }
            m_app->setupSignedIn(std::move(created.session).value());
        });
}

} // namespace gh::ui
