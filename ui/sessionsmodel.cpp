#include "sessionsmodel.h"

#include "appcontroller.h"
#include "factortext.h"
#include "homemodel.h"
#include "sessionfacts.h"

namespace gh::ui {

SessionsModel::SessionsModel(AppController* app) : QAbstractListModel(app), m_app(app) {
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &SessionsModel::tick);
}

int SessionsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QHash<int, QByteArray> SessionsModel::roleNames() const {
    return {{SessionIdRole, "sessionId"},       {UsernameRole, "username"},     {ClientRole, "client"},
            {CreatedRole, "created"},           {LastActiveRole, "lastActive"}, {IdleLeftRole, "idleLeft"},
            {AbsoluteLeftRole, "absoluteLeft"}, {FactorsRole, "factors"},       {AalRole, "aal"},
            {AssuranceRole, "assurance"},       {CurrentRole, "current"}};
}

QString SessionsModel::left(qint64 secs) {
    if (secs <= 0)
        return tr("expired");
    if (secs < 60)
        return tr("%1 s").arg(secs);
    if (secs < 3600)
        return tr("%1 min %2 s").arg(secs / 60).arg(secs % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(secs / 3600).arg((secs % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QVariant SessionsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const SessionInfo& s = m_rows.at(index.row());
    const qint64 elapsed = m_loadedAt.isValid() ? m_loadedAt.elapsed() / 1000 : 0;
    switch (role) {
    case SessionIdRole:
        return s.id;
    case UsernameRole:
        return s.username;
    case ClientRole:
        // The CLI names its pid in the client already.
        return s.client.contains(QLatin1String("pid")) ? tr("%1 on %2").arg(s.client, s.host)
                                                       : tr("%1 on %2 (pid %3)").arg(s.client, s.host).arg(s.pid);
    case CreatedRole:
        return HomeModel::formatTime(s.created);
    case LastActiveRole:
        return HomeModel::formatTime(s.lastActive);
    case IdleLeftRole:
        return left(s.idleLeftSecs - elapsed);
    case AbsoluteLeftRole:
        return left(s.absoluteLeftSecs - elapsed);
    case FactorsRole:
        return factortext::sessionFactors(factorsOf(s));
    case AalRole:
        return aalName(s.aal);
    case AssuranceRole:
        return factortext::aalTitle(s.aal);
    case CurrentRole:
        return s.current;
    default:
        return {};
    }
}

void SessionsModel::tick() {
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(static_cast<int>(m_rows.size()) - 1), {IdleLeftRole, AbsoluteLeftRole});
    if (m_loadedAt.isValid() && m_loadedAt.elapsed() >= 15000)
        load(); // other processes' activity and new sessions
}

void SessionsModel::load() {
    auto session = m_app->session();
    if (!session)
        return;
    m_loading = true;
    Q_EMIT changed();
    auto copy = AppController::copyOf(*session);
    m_app->run(
        [copy](Client& gh) {
            auto all = gh.listSessions(*copy, true);
            const bool everyone = all.ok();
            // Every account's sessions when this session may read them (the permission, and for
            // it a two-factor session); otherwise one's own, whatever the refusal said.
            if (!all && all.code() != Errc::SessionInvalid)
                all = gh.listSessions(*copy, false);
            return std::make_pair(std::move(all), everyone);
        },
        [this](std::pair<Result<QList<SessionInfo>>, bool> result) {
            m_loading = false;
            if (!result.first) {
                if (result.first.code() == Errc::SessionInvalid)
                    return m_app->sessionEnded(result.first.error());
                m_error = describe(result.first.error());
                Q_EMIT changed();
                return;
            }
            beginResetModel();
            m_rows = std::move(result.first).value();
            m_allUsers = result.second;
            m_loadedAt.start();
            endResetModel();
            m_timer.start();
            Q_EMIT changed();
        });
}

void SessionsModel::unload() {
    m_timer.stop();
    beginResetModel();
    m_rows.clear();
    endResetModel();
    m_error.clear();
    m_notice.clear();
    m_stepUpNeeded = false;
    m_stepUpError.clear();
    m_pending = {};
    m_loadedAt.invalidate();
    Q_EMIT changed();
}

void SessionsModel::perform(Action action, const QString& done) {
    auto session = m_app->session();
    if (!session)
        return;
    m_error.clear();
    m_notice.clear();
    Q_EMIT changed();
    auto copy = AppController::copyOf(*session);
    m_app->run([copy, action](Client& gh) { return action(gh, *copy); },
               [this, action, done](Status status) {
                   if (status) {
                       m_notice = done;
                       m_pending = {};
                       Q_EMIT changed();
                       return load();
                   }
                   switch (status.code()) {
                   case Errc::StepUpRequired: {
                       // Not a failure: ask who is there, then do it.
                       m_pending = action;
                       m_pendingDone = done;
                       m_stepUpNeeded = true;
                       const auto held = m_app->session();
                       m_stepUpNeedsCode = held && aalOf(held->info) >= Aal::Aal2;
                       m_stepUpError.clear();
                       break;
                   }
                   case Errc::SessionInvalid:
                       return m_app->sessionEnded(status.error());
                   default:
                       m_error = describe(status.error());
                       break;
                   }
                   Q_EMIT changed();
               });
}

void SessionsModel::revoke(const QString& sessionId) {
    const auto held = m_app->session();
    if (held && held->info.id == sessionId)
        return m_app->signOut(); // ending this session is signing out
    perform([sessionId](Client& gh, const Session& s) { return gh.revokeSession(s, sessionId); },
            tr("Session %1 was ended.").arg(sessionId.left(8)));
}

void SessionsModel::revokeOthers() {
    perform(
        [](Client& gh, const Session& s) -> Status {
            auto n = gh.revokeOtherSessions(s);
            return n ? ok() : Status(n.error());
        },
        tr("Your other sessions were ended."));
}

void SessionsModel::stepUp(const QString& password, const QString& code) {
    auto session = m_app->session();
    if (!session || !m_pending)
        return;
    auto copy = AppController::copyOf(*session);
    auto pw = std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(password));
    const QString trimmed = code.trimmed();
    auto second = trimmed.isEmpty() ? nullptr : std::make_shared<SecureBuffer>(SecureBuffer::fromUtf8(trimmed));
    bool digits = !trimmed.isEmpty();
    for (QChar c : trimmed)
        digits = digits && (c.isDigit() || c == QLatin1Char(' '));
    const FactorKind kind = digits ? FactorKind::Totp : FactorKind::RecoveryCode;
    m_app->run(
        [copy, pw, second, kind](Client& gh) -> Result<Session> {
            if (Status s = gh.stepUp(*copy, *pw, kind, second.get()); !s)
                return s.error();
            return Session{copy->info, copy->secret.clone()};
        },
        [this, session](Result<Session> renewed) {
            if (!renewed) {
                if (renewed.code() == Errc::SessionInvalid)
                    return m_app->sessionEnded(renewed.error());
                m_stepUpError = describe(renewed.error());
                if (renewed.code() == Errc::SecondFactorRequired)
                    m_stepUpNeedsCode = true;
                Q_EMIT changed();
                return;
            }
            m_app->replaceSession(session, std::move(renewed).value());
            m_app->sessionReissued();
            m_stepUpNeeded = false;
            m_stepUpError.clear();
            Q_EMIT changed();
            Action action = std::exchange(m_pending, {});
            perform(action, m_pendingDone);
        });
}

void SessionsModel::cancelStepUp() {
    m_stepUpNeeded = false;
    m_stepUpError.clear();
    m_pending = {};
    Q_EMIT changed();
}

void SessionsModel::back() {
    m_app->showHome();
}

void SessionsModel::stepUp(SecretInput* password, SecretInput* code) {
    QString passwordText = password ? password->secretString() : QString();
    QString codeText = code ? code->secretString() : QString();
    stepUp(passwordText, codeText);
    wipe(passwordText);
    wipe(codeText);
}

} // namespace gh::ui
