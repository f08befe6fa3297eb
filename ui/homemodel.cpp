#include "homemodel.h"

#include "appcontroller.h"
#include "factortext.h"
#include "sessionfacts.h"

#include <QLocale>

namespace gh::ui {

HomeModel::HomeModel(AppController* app) : QObject(app), m_app(app) {
    m_clock.setInterval(15 * 1000);
    connect(&m_clock, &QTimer::timeout, this, &HomeModel::updateTimeLeft);
}

QString HomeModel::created() const {
    return formatTime(m_created);
}
QString HomeModel::expires() const {
    return formatTime(m_expires);
}

QString HomeModel::formatTime(const QDateTime& time) {
    if (!time.isValid())
        return {};
    const QDateTime local = time.toLocalTime();
    const QDate today = QDate::currentDate();
    const QString clock = local.toString(QStringLiteral("HH:mm"));
    if (local.date() == today)
        return tr("today at %1").arg(clock);
    if (local.date() == today.addDays(1))
        return tr("tomorrow at %1").arg(clock);
    return QLocale().toString(local.date(), QLocale::ShortFormat) + u' ' + clock;
}

QString HomeModel::formatDuration(qint64 secs) {
    if (secs <= 0)
        return tr("expired");
    const qint64 minutes = (secs + 59) / 60;
    if (minutes < 60)
        return tr("%n min left", nullptr, static_cast<int>(minutes));
    if (minutes % 60 == 0)
        return tr("%1 h left").arg(minutes / 60);
    return tr("%1 h %2 min left").arg(minutes / 60).arg(minutes % 60);
}

void HomeModel::load() {
    const auto& session = m_app->session();
    if (!session)
        return unload();
    const SessionInfo& info = session->info;
    m_username = info.username;
    m_role = info.role.isEmpty() ? tr("no role") : info.role;
    m_factors = factortext::sessionFactors(factorsOf(info));
    m_factor = m_factors;
    const Aal aal = aalOf(info);
    m_aal = aalName(aal);
    m_assurance = factortext::aalTitle(aal);
    m_aalText = factortext::aalDetail(aal);
    m_multiFactor = aal >= Aal::Aal2;
    m_accountMultiFactor = true; // no "only a password" hint until the account's assurance is known
    m_sessionId = info.id;
    // What the session proved at sign-in may be more than the account holds now (its last second
    // factor removed since): show the lower of the two, as My security and the wizard do.
    const QString id = info.id;
    m_app->runQuietly(
        [held = m_app->session()](Client& gh) { return gh.assurance(*held); },
        [this, id, aal](Result<AccountAssurance> account) {
            if (!account || id != m_sessionId)
                return;
            m_accountMultiFactor = account->reachable >= Aal::Aal2;
            if (account->reachable < aal) {
                m_aal = aalName(account->reachable);
                m_assurance =
                    tr("%1 — your account holds no second factor now").arg(factortext::aalTitle(account->reachable));
                m_aalText = factortext::aalDetail(account->reachable);
                m_multiFactor = false;
            } else if (account->reachable > aal) {
                // A factor added in this session: the account reaches more, this session does not.
                m_assurance = tr("%1 — from your next sign-in: %2")
                                  .arg(factortext::aalTitle(aal), factortext::aalTitle(account->reachable));
                m_aalText = tr("%1 — your account reaches %2 at your next sign-in")
                                .arg(factortext::aalDetail(aal), aalName(account->reachable));
            }
            Q_EMIT sessionChanged();
        });
    m_created = info.created;
    m_expires = info.expires;
    m_notice = info.noticeForUser;
    m_absoluteLeftSecs = info.absoluteLeftSecs;
    m_loadedAt.start();
    Q_EMIT sessionChanged();
    m_clock.start();
    updateTimeLeft();
}

void HomeModel::unload() {
    m_clock.stop();
    m_username.clear();
    m_role.clear();
    m_factor.clear();
    m_factors.clear();
    m_aal.clear();
    m_assurance.clear();
    m_aalText.clear();
    m_multiFactor = false;
    m_accountMultiFactor = false;
    m_sessionId.clear();
    m_created = {};
    m_expires = {};
    m_notice.clear();
    m_timeLeft.clear();
    Q_EMIT sessionChanged();
    Q_EMIT timeLeftChanged();
}

void HomeModel::updateTimeLeft() {
    const qint64 secs = m_absoluteLeftSecs - (m_loadedAt.isValid() ? m_loadedAt.elapsed() / 1000 : 0);
    const QString text = formatDuration(secs);
    if (text != m_timeLeft) {
        m_timeLeft = text;
        Q_EMIT timeLeftChanged();
    }
}

void HomeModel::signOut() {
    m_app->signOut();
}

void HomeModel::openSecurity() {
    m_app->showSecurity();
}

} // namespace gh::ui
