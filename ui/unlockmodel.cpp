#include "unlockmodel.h"

#include "appcontroller.h"

namespace gh::ui {

UnlockModel::UnlockModel(AppController* app) : QObject(app), m_app(app) {}

void UnlockModel::setNotice(const QString& notice) {
    m_notice = notice;
    Q_EMIT errorChanged();
}

void UnlockModel::submitPassphrase(const QString& passphrase) {
    if (m_app->busy() || passphrase.isEmpty())
        return;
    m_error.clear();
    m_notice.clear();
    Q_EMIT errorChanged();
    auto secret = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(passphrase));
    m_app->run(
        [path = m_app->vaultPath(), secret](Client& gh) { return AppController::openOn(gh, path, secret.get()); },
        [this](AppController::OpenOutcome outcome) {
            if (!outcome.status) {
                m_error = describe(outcome.status.error());
                Q_EMIT errorChanged();
                Q_EMIT failed();
                return;
            }
            m_app->vaultOpenedWith(outcome);
        });
}

void UnlockModel::submitPassphrase(SecretInput* passphrase) {
    QString passphraseText = passphrase ? passphrase->secretString() : QString();
    submitPassphrase(passphraseText);
    wipe(passphraseText);
}

} // namespace gh::ui
