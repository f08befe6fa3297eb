#include "securitymodel.h"

#include "appcontroller.h"
#include "factortext.h"
#include "homemodel.h"

namespace gh::ui {

SecurityModel::SecurityModel(AppController* app) : QObject(app), m_app(app) {}

void SecurityModel::setError(const QString& error) {
    m_error = error;
    if (!error.isEmpty())
        m_notice.clear();
    Q_EMIT messageChanged();
}

void SecurityModel::setNotice(const QString& notice) {
    m_notice = notice;
    if (!notice.isEmpty())
        m_error.clear();
    Q_EMIT messageChanged();
}

void SecurityModel::clearMessages() {
    m_error.clear();
    m_notice.clear();
    Q_EMIT messageChanged();
}

void SecurityModel::unload() {
    m_username.clear();
    m_factors.clear();
    m_assurance.clear();
    m_assuranceDetail.clear();
    m_hasRecoveryCodes = false;
    m_error.clear();
    m_notice.clear();
    Q_EMIT loaded();
    Q_EMIT messageChanged();
}

void SecurityModel::load() {
    auto session = m_app->session();
    if (!session)
        return unload();
    m_username = session->info.username;
    m_loading = true;
    Q_EMIT loaded();
    struct Facts {
        Result<QList<FactorInfo>> factors;
        Result<AccountAssurance> assurance;
    };
    m_app->run(
        [session](Client& gh) {
            return std::make_shared<Facts>(Facts{gh.listFactors(*session), gh.assurance(*session)});
        },
        [this](std::shared_ptr<Facts> facts) {
            m_loading = false;
            m_factors.clear();
            m_hasRecoveryCodes = false;
            if (!facts->factors) {
                if (facts->factors.code() == Errc::SessionInvalid)
                    return m_app->signOut(describe(facts->factors.error()));
                setError(describe(facts->factors.error()));
                Q_EMIT loaded();
                return;
            }
            bool hasPassword = false;
            for (const FactorInfo& factor : *facts->factors)
                hasPassword = hasPassword || factor.kind == FactorKind::Password;
            if (!hasPassword) {
                m_factors << QVariantMap{
                    {QStringLiteral("id"), qint64(0)},
                    {QStringLiteral("kind"), factorKindName(FactorKind::Password)},
                    {QStringLiteral("title"), factortext::kindTitle(FactorKind::Password)},
                    {QStringLiteral("label"), QString()},
                    {QStringLiteral("category"), factortext::categoryTitle(FactorCategory::Knowledge)},
                    {QStringLiteral("added"), QString()},
                    {QStringLiteral("lastUsed"), QString()},
                    {QStringLiteral("detail"), tr("Always required")},
                    {QStringLiteral("codesLeft"), 0},
                    {QStringLiteral("pending"), false},
                    {QStringLiteral("removable"), false},
                };
            }
            for (const FactorInfo& factor : *facts->factors) {
                QString detail;
                if (factor.kind == FactorKind::Totp) {
                    detail = tr("%1 · %2 digits · %3 s")
                                 .arg(totpAlgorithmName(factor.totp.algorithm))
                                 .arg(factor.totp.digits)
                                 .arg(factor.totp.period);
                    if (factor.pending)
                        detail = tr("Not confirmed yet (expires %1)").arg(HomeModel::formatTime(factor.expires));
                } else if (factor.kind == FactorKind::SecurityKey) {
                    detail = tr("%1 · attestation %2").arg(factor.keyAlgorithm, factor.keyAttestation);
                    if (factor.keyUserVerifying)
                        detail += tr(" · PIN or fingerprint");
                } else if (factor.kind == FactorKind::RecoveryCode) {
                    m_hasRecoveryCodes = true;
                    detail = tr("%n code(s) left", nullptr, factor.codesLeft);
                }
                m_factors << QVariantMap{
                    {QStringLiteral("id"), factor.id},
                    {QStringLiteral("kind"), factorKindName(factor.kind)},
                    {QStringLiteral("title"), factortext::kindTitle(factor.kind)},
                    {QStringLiteral("label"), factor.label},
                    {QStringLiteral("category"), factortext::categoryTitle(factor.category)},
                    {QStringLiteral("added"), HomeModel::formatTime(factor.created)},
                    {QStringLiteral("lastUsed"),
                     factor.lastUsed.isValid() ? HomeModel::formatTime(factor.lastUsed) : tr("never")},
                    {QStringLiteral("detail"), detail},
                    {QStringLiteral("codesLeft"), factor.codesLeft},
                    {QStringLiteral("pending"), factor.pending},
                    {QStringLiteral("removable"), factor.kind != FactorKind::Password},
                };
            }
            if (facts->assurance) {
                const AccountAssurance& held = *facts->assurance;
                m_mfaRequired = held.mfaRequired;
                m_assurance = factortext::aalTitle(held.reachable);
                m_assuranceDetail = factortext::aalDetail(held.reachable);
                if (held.mfaRequired && held.reachable < Aal::Aal2)
                    m_assurance += u' ' + tr("(your role needs two steps)");
            } else {
                m_assurance.clear();
                m_assuranceDetail.clear();
            }
            Q_EMIT loaded();
        });
}

void SecurityModel::rename(qint64 id, const QString& label) {
    auto session = m_app->session();
    const QString trimmed = label.trimmed();
    if (!session || m_app->busy() || trimmed.isEmpty())
        return;
    m_app->run([session, id, trimmed](Client& gh) { return gh.renameFactor(*session, id, trimmed); },
               [this, trimmed](Status status) {
                   if (!status) {
                       if (status.code() == Errc::SessionInvalid)
                           return m_app->signOut(describe(status.error()));
                       setError(describe(status.error()));
                       return;
                   }
                   setNotice(tr("Renamed to “%1”.").arg(trimmed));
                   load();
               });
}

void SecurityModel::remove(qint64 id, const QString& password) {
    auto session = m_app->session();
    if (!session || m_app->busy() || password.isEmpty())
        return;
    auto secret = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(password));
    m_app->run(
        [session, id, secret](Client& gh) -> Result<std::optional<SessionInfo>> {
            Status removed = gh.removeFactor(*session, id, *secret);
            if (!removed)
                return removed.error();
            // Removing a factor ends the sessions that used it, perhaps this one; a session that
            // goes on may now be restricted or reach a lower level: take what core says of it.
            auto info = gh.validate(*session);
            if (!info)
                return std::optional<SessionInfo>();
            return std::optional<SessionInfo>(std::move(info).value());
        },
        [this, session](Result<std::optional<SessionInfo>> result) {
            if (!result) {
                if (result.code() == Errc::SessionInvalid)
                    return m_app->signOut(describe(result.error()));
                setError(result.code() == Errc::AuthenticationFailed
                             ? tr("That password is not right, so the factor was kept.")
                             : describe(result.error()));
                Q_EMIT removeFailed();
                return;
            }
            if (!*result)
                return m_app->signOut(tr("This session used the factor you removed, so it has ended. "
                                         "Sign in again."));
            if (session == m_app->session())
                session->info = std::move(**result);
            m_app->refreshGate(); // Home, and a session now restricted goes to the wizard
            if (m_app->screen() != AppController::Security)
                return;
            setNotice(tr("Factor removed."));
            load();
        });
}

QString SecurityModel::removalText(qint64 id) const {
    int others = 0;
    QString title;
    for (const QVariant& f : m_factors) {
        const QVariantMap factor = f.toMap();
        if (!factor.value(QStringLiteral("removable")).toBool() || factor.value(QStringLiteral("pending")).toBool())
            continue;
        if (factor.value(QStringLiteral("id")).toLongLong() == id)
            title = factor.value(QStringLiteral("title")).toString();
        else
            ++others;
    }
    QString text = tr("Removing it ends your other sessions that used it.");
    if (!title.isEmpty() && others == 0)
        text += u' ' + (m_mfaRequired
                            ? tr("It is your last second factor. Your role needs two steps, so this session drops "
                                 "to one-step sign-in and can only add a new factor, as can every sign-in "
                                 "until you do.")
                            : tr("It is your last second factor: this session drops to one-step sign-in and "
                                 "afterwards your password alone signs you in."));
    return text + u' ' + tr("Type your password to confirm.");
}

void SecurityModel::regenerateCodes() {
    setNotice({});
    m_app->openWizard(EnrollModel::Origin::Security, EnrollModel::Codes);
}

void SecurityModel::addFactor() {
    setNotice({});
    m_app->openWizard(EnrollModel::Origin::Security, EnrollModel::Choose);
}

void SecurityModel::back() {
    m_app->showHome();
}

void SecurityModel::remove(qint64 id, SecretInput* password) {
    QString passwordText = password ? password->secretString() : QString();
    remove(id, passwordText);
    wipe(passwordText);
}

} // namespace gh::ui
