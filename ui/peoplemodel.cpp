#include "peoplemodel.h"

#include "appcontroller.h"
#include "factortext.h"
#include "homemodel.h"
#include "rolesmodel.h"
#include "secretinput.h"
#include "stepupmodel.h"
#include "verification/usernames.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHash>

#include <map>

namespace gh::ui {

namespace {
const QString kUsername = QStringLiteral("username");

QString factorsPhrase(int n) {
    return PeopleModel::tr("%n second factor(s)", nullptr, n);
}
QString sessionsPhrase(int n) {
    return PeopleModel::tr("%n open session(s)", nullptr, n);
}
// "45 s", "4 min": how long a throttled account still waits, rounded up.
QString waitPhrase(qint64 secs) {
    if (secs < 60)
        return PeopleModel::tr("%1 s").arg(secs);
    return PeopleModel::tr("%1 min").arg((secs + 59) / 60);
}
} // namespace

PeopleModel::PeopleModel(AppController* app) : QObject(app), m_app(app) {
    m_clipboardTimer.setSingleShot(true);
    m_clipboardTimer.setInterval(kClipboardClearMs);
    connect(&m_clipboardTimer, &QTimer::timeout, this, &PeopleModel::clearClipboardIfOurs);
    m_throttleTimer.setInterval(kThrottleRefreshMs);
    connect(&m_throttleTimer, &QTimer::timeout, this, [this] {
        refreshThrottled();
        Q_EMIT loaded();
    });
}

// A throttled account's wait counts down from the answer's time (this process's clock, so a
// daemon whose clock differs does not matter); when it is over the account reads Enabled again.
void PeopleModel::refreshThrottled() {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool any = false;
    for (QVariant& p : m_people) {
        QVariantMap row = p.toMap();
        const qint64 until = row.value(QStringLiteral("throttledUntilMs")).toLongLong();
        if (until == 0)
            continue;
        const qint64 left = (until - now + 999) / 1000;
        if (left > 0) {
            any = true;
            row[QStringLiteral("throttled")] = true;
            row[QStringLiteral("state")] = QStringLiteral("throttled");
            row[QStringLiteral("stateText")] =
                tr("Throttled after wrong passwords · next try in %1").arg(waitPhrase(left));
        } else {
            row[QStringLiteral("throttledUntilMs")] = 0;
            row[QStringLiteral("throttled")] = false;
            row[QStringLiteral("state")] = row.value(QStringLiteral("baseState"));
            row[QStringLiteral("stateText")] = row.value(QStringLiteral("baseStateText"));
        }
        p = row;
    }
    if (any)
        m_throttleTimer.start();
    else
        m_throttleTimer.stop();
}

PeopleModel::~PeopleModel() {
    wipe(m_issuedPassword);
    wipe(m_onClipboard);
}

void PeopleModel::setError(const QString& error) {
    m_error = error;
    if (!error.isEmpty())
        m_notice.clear();
    Q_EMIT messageChanged();
}

void PeopleModel::setNotice(const QString& notice) {
    m_notice = notice;
    if (!notice.isEmpty())
        m_error.clear();
    Q_EMIT messageChanged();
}

QVariantList PeopleModel::people() const {
    const QString wanted = m_search.trimmed().toCaseFolded();
    if (wanted.isEmpty())
        return m_people;
    QVariantList out;
    for (const QVariant& p : m_people) {
        const QVariantMap person = p.toMap();
        const QString haystack =
            (person.value(kUsername).toString() + u' ' + person.value(QStringLiteral("rolesText")).toString() + u' ' +
             person.value(QStringLiteral("stateText")).toString())
                .toCaseFolded();
        if (haystack.contains(wanted))
            out << p;
    }
    return out;
}

void PeopleModel::setSearch(const QString& search) {
    if (search == m_search)
        return;
    m_search = search;
    Q_EMIT searchChanged();
    Q_EMIT loaded();
}

QString PeopleModel::issuedExpires() const {
    return m_issuedExpires.isValid() ? HomeModel::formatTime(m_issuedExpires) : QString();
}

void PeopleModel::applyPermissions(const Result<QStringList>& held) {
    m_available = held && held->contains(permissionName(Permission::UsersRead));
    Q_EMIT availableChanged();
}

void PeopleModel::unload() {
    m_throttleTimer.stop();
    m_people.clear();
    m_roleNames.clear();
    m_roles.clear();
    m_held.clear();
    m_available = false;
    m_error.clear();
    m_notice.clear();
    m_search.clear();
    m_adding = false;
    dismissIssued();
    Q_EMIT loaded();
    Q_EMIT availableChanged();
    Q_EMIT messageChanged();
    Q_EMIT searchChanged();
    Q_EMIT addingChanged();
}

void PeopleModel::load() {
    auto session = m_app->session();
    if (!session)
        return unload();
    m_loading = true;
    Q_EMIT loaded();
    struct Facts {
        Result<QStringList> held = Errc::Internal;
        Result<QList<UserInfo>> users = Errc::Internal;
        Result<QList<RoleInfo>> roles = Errc::Internal;
        std::optional<Result<QList<SessionInfo>>> sessions;
        std::map<QString, Result<QList<FactorInfo>>> factors;
    };
    m_app->run(
        [session](Client& gh) {
            auto f = std::make_shared<Facts>();
            f->held = gh.permissionsOf(*session);
            f->users = gh.listUsers(*session);
            if (!f->held || !f->users)
                return f;
            f->roles = gh.listRoles(*session);
            if (f->held->contains(permissionName(Permission::SessionsReadAll)))
                f->sessions = gh.listSessions(*session, true);
            // Another account's factors need factors.manage_any; one's own are always readable.
            const bool anyFactors = f->held->contains(permissionName(Permission::FactorsManageAny));
            for (const UserInfo& u : *f->users)
                if (anyFactors || u.username == session->info.username)
                    f->factors.emplace(u.username, gh.listFactors(*session, u.username));
            return f;
        },
        [this, session](std::shared_ptr<Facts> facts) {
            if (session != m_app->session())
                return;
            m_loading = false;
            m_people.clear();
            const Error* failure = !facts->held    ? &facts->held.error()
                                   : !facts->users ? &facts->users.error()
                                                   : nullptr;
            if (failure) {
                if (failure->code == Errc::SessionInvalid)
                    return m_app->signOut(describe(*failure));
                m_held.clear();
                setError(describe(*failure));
                Q_EMIT loaded();
                return;
            }
            m_held = *facts->held;
            m_available = m_held.contains(permissionName(Permission::UsersRead));
            m_roles = facts->roles ? *facts->roles : QList<RoleInfo>{};
            m_roleNames.clear();
            for (const RoleInfo& r : std::as_const(m_roles))
                m_roleNames << r.name;
            QHash<QString, int> open;
            const bool sessionsKnown = facts->sessions && *facts->sessions;
            if (sessionsKnown)
                for (const SessionInfo& s : **facts->sessions)
                    if (s.active)
                        ++open[s.username];
            for (const UserInfo& u : *facts->users) {
                QVariantList factors;
                QStringList factorTexts;
                const auto found = facts->factors.find(u.username);
                const bool factorsKnown = found != facts->factors.end() && found->second.ok();
                if (factorsKnown) {
                    for (const FactorInfo& f : *found->second) {
                        if (f.kind == FactorKind::Password || f.pending)
                            continue;
                        QString detail;
                        if (f.kind == FactorKind::RecoveryCode)
                            detail = tr("%n code(s) left", nullptr, f.codesLeft);
                        else if (!f.label.isEmpty() && f.label != factortext::kindTitle(f.kind))
                            detail = f.label;
                        const QString title = factortext::kindTitle(f.kind);
                        const QString category = factortext::categoryTitle(f.category);
                        factors << QVariantMap{{QStringLiteral("id"), f.id},
                                               {QStringLiteral("title"), title},
                                               {QStringLiteral("category"), category},
                                               {QStringLiteral("detail"), detail}};
                        factorTexts << (detail.isEmpty() ? tr("%1 (%2)").arg(title, category.toLower())
                                                         : tr("%1 “%2” (%3)").arg(title, detail, category.toLower()));
                    }
                }
                QString state = QStringLiteral("enabled");
                QString stateText = tr("Enabled");
                if (!u.enabled) {
                    state = QStringLiteral("disabled");
                    stateText = tr("Disabled");
                } else if (u.locked) {
                    state = QStringLiteral("locked");
                    stateText = tr("Locked after too many failed sign-ins");
                } else if (u.mustChangePassword) {
                    state = QStringLiteral("temporary");
                    stateText = tr("Enabled · must choose a new password at sign-in");
                }
                const int sessions = open.value(u.username);
                const bool throttled = u.enabled && !u.locked && u.throttledSecs > 0;
                m_people << QVariantMap{
                    {kUsername, u.username},
                    {QStringLiteral("self"), u.username == session->info.username},
                    {QStringLiteral("enabled"), u.enabled},
                    {QStringLiteral("locked"), u.locked},
                    {QStringLiteral("mustChange"), u.mustChangePassword},
                    {QStringLiteral("state"), state},
                    {QStringLiteral("stateText"), stateText},
                    {QStringLiteral("baseState"), state},
                    {QStringLiteral("baseStateText"), stateText},
                    {QStringLiteral("throttled"), throttled},
                    {QStringLiteral("throttledUntilMs"),
                     throttled ? QDateTime::currentMSecsSinceEpoch() + u.throttledSecs * 1000 : qint64(0)},
                    {QStringLiteral("roles"), u.roles},
                    {QStringLiteral("rolesText"), u.roles.isEmpty() ? tr("no role") : u.roles.join(u", ")},
                    {QStringLiteral("lastLogin"),
                     u.lastLogin.isValid() ? HomeModel::formatTime(u.lastLogin) : tr("never")},
                    {QStringLiteral("factors"), factors},
                    {QStringLiteral("factorsKnown"), factorsKnown},
                    {QStringLiteral("factorsText"), !factorsKnown       ? tr("not shown to you")
                                                    : factors.isEmpty() ? tr("none (password only)")
                                                                        : factorTexts.join(u", ")},
                    {QStringLiteral("factorCount"), static_cast<int>(factors.size())},
                    {QStringLiteral("sessionsKnown"), sessionsKnown},
                    {QStringLiteral("sessionCount"), sessions},
                    {QStringLiteral("sessionsText"), !sessionsKnown  ? tr("not shown to you")
                                                     : sessions == 0 ? tr("none")
                                                                     : sessionsPhrase(sessions)},
                };
            }
            refreshThrottled();
            Q_EMIT availableChanged();
            Q_EMIT loaded();
        });
}

QVariantMap PeopleModel::personNamed(const QString& username) const {
    for (const QVariant& p : m_people)
        if (p.toMap().value(kUsername).toString() == username)
            return p.toMap();
    return {};
}

// --- Add a person ---

QString PeopleModel::nameProblem(const QString& typed) const {
    if (typed.trimmed().isEmpty())
        return tr("Type a username.");
    const auto name = normaliseUsername(typed);
    if (!name)
        return tr("Use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
    if (!personNamed(*name).isEmpty())
        return tr("%1 already exists.").arg(*name);
    return {};
}

QString PeopleModel::normalisedName(const QString& typed) const {
    return normaliseUsername(typed).value_or(QString());
}

void PeopleModel::openAdd() {
    m_adding = true;
    Q_EMIT addingChanged();
}

void PeopleModel::closeAdd() {
    m_adding = false;
    Q_EMIT addingChanged();
}

void PeopleModel::addPerson(const QString& typed, const QString& role) {
    auto session = m_app->session();
    if (!session || m_app->busy())
        return;
    if (const QString problem = nameProblem(typed); !problem.isEmpty())
        return setError(problem);
    const QString username = *normaliseUsername(typed);
    m_app->run([session, username, role](Client& gh) { return gh.addUser(*session, username, role); },
               [this, username, role](Result<SecureBuffer> temp) {
                   if (!temp) {
                       if (temp.code() == Errc::SessionInvalid)
                           return m_app->signOut(describe(temp.error()));
                       if (temp.code() == Errc::StepUpRequired) {
                           m_app->stepUp()->request(
                               [this, username, role] { addPerson(username, role); },
                               role.isEmpty() ? tr("Add the account %1").arg(username)
                                              : tr("Add the account %1 with the role %2").arg(username, role));
                           return;
                       }
                       return setError(describe(temp.error()));
                   }
                   m_adding = false;
                   Q_EMIT addingChanged();
                   Q_EMIT added();
                   issue(username, std::move(temp).value(),
                         tr("%1 is added. Hand over this temporary password in person or by another channel; "
                            "%1 must replace it at the first sign-in.")
                             .arg(username));
                   setNotice(role.isEmpty() ? tr("Added %1 with no role.").arg(username)
                                            : tr("Added %1 with the role %2.").arg(username, role));
                   load();
               });
}

void PeopleModel::issue(const QString& username, SecureBuffer password, const QString& text) {
    wipe(m_issuedPassword);
    m_issuedFor = username;
    m_issuedPassword = QString::fromUtf8(password.chars(), static_cast<qsizetype>(password.size()));
    m_issuedExpires = QDateTime::currentDateTimeUtc().addSecs(Client::kTempPasswordLifetimeSecs);
    m_issuedText = text;
    Q_EMIT issuedChanged();
}

void PeopleModel::copyIssued() {
    QClipboard* clipboard = QGuiApplication::clipboard();
    if (!clipboard || m_issuedPassword.isEmpty())
        return;
    wipe(m_onClipboard);
    m_onClipboard = m_issuedPassword;
    m_onClipboard.detach();
    clipboard->setText(m_onClipboard);
    m_clipboardTimer.start();
    setNotice(tr("Copied. The clipboard is cleared in %n seconds if it still holds the password.", nullptr,
                 m_clipboardTimer.interval() / 1000));
}

void PeopleModel::clearClipboardIfOurs() {
    if (m_onClipboard.isEmpty())
        return;
    QClipboard* clipboard = QGuiApplication::clipboard();
    if (clipboard && clipboard->text() == m_onClipboard)
        clipboard->clear();
    wipe(m_onClipboard);
    m_onClipboard.clear();
}

void PeopleModel::dismissIssued() {
    wipe(m_issuedPassword);
    m_issuedPassword.clear();
    m_issuedFor.clear();
    m_issuedExpires = {};
    m_issuedText.clear();
    Q_EMIT issuedChanged();
}

// --- Changes ---

void PeopleModel::change(Action action, const QString& done, const QString& what) {
    auto session = m_app->session();
    if (!session || m_app->busy())
        return;
    m_app->run([session, action](Client& gh) { return action(gh, *session); },
               [this, action, done, what](Status status) {
                   if (!status) {
                       if (status.code() == Errc::SessionInvalid)
                           return m_app->signOut(describe(status.error()));
                       if (status.code() == Errc::StepUpRequired) {
                           m_app->stepUp()->request([this, action, done, what] { change(action, done, what); }, what);
                           return;
                       }
                       setError(RolesModel::guardText(status.error()));
                       load();
                       return;
                   }
                   setNotice(done);
                   load();
               });
}

void PeopleModel::setAccountEnabled(const QString& username, bool enabled) {
    change([username, enabled](Client& gh, const Session& s) { return gh.setUserEnabled(s, username, enabled); },
           enabled ? tr("%1 is enabled again and can sign in.").arg(username)
                   : tr("%1 is disabled; their open sessions have ended.").arg(username),
           enabled ? tr("Enable the account %1").arg(username) : tr("Disable the account %1").arg(username));
}

void PeopleModel::unlock(const QString& username) {
    change([username](Client& gh, const Session& s) { return gh.unlockUser(s, username); },
           tr("%1 is unlocked: the failed sign-ins are forgotten.").arg(username),
           tr("Unlock the account %1").arg(username));
}

void PeopleModel::endSessions(const QString& username) {
    change(
        [username](Client& gh, const Session& s) -> Status {
            auto ended = gh.revokeUserSessions(s, username);
            if (!ended)
                return ended.error();
            return ok();
        },
        tr("Ended the open sessions of %1.").arg(username), tr("End every open session of %1").arg(username));
}

void PeopleModel::resetPassword(const QString& username) {
    auto session = m_app->session();
    if (!session || m_app->busy())
        return;
    m_app->run([session, username](Client& gh) { return gh.resetPassword(*session, username); },
               [this, username](Result<SecureBuffer> temp) {
                   if (!temp) {
                       if (temp.code() == Errc::SessionInvalid)
                           return m_app->signOut(describe(temp.error()));
                       if (temp.code() == Errc::StepUpRequired) {
                           m_app->stepUp()->request([this, username] { resetPassword(username); },
                                                    tr("Reset the password of %1").arg(username));
                           return;
                       }
                       return setError(RolesModel::guardText(temp.error()));
                   }
                   issue(username, std::move(temp).value(),
                         tr("The password of %1 is reset and their sessions have ended. Hand over this temporary "
                            "password in person or by another channel; %1 must replace it at the next sign-in "
                            "and is told it was reset.")
                             .arg(username));
                   setNotice(tr("Reset the password of %1.").arg(username));
                   load();
               });
}

void PeopleModel::deletePerson(const QString& username) {
    change([username](Client& gh, const Session& s) { return gh.deleteUser(s, username); },
           tr("Deleted %1. Their audit history stays under their name.").arg(username),
           tr("Delete the account %1").arg(username));
}

void PeopleModel::removeFactor(const QString& username, qint64 factorId, const QString& reason) {
    const QString trimmed = reason.trimmed();
    if (trimmed.isEmpty())
        return setError(tr("Say why the factor is removed: its owner is told."));
    change([username, factorId,
            trimmed](Client& gh, const Session& s) { return gh.removeUserFactor(s, username, factorId, trimmed); },
           tr("Removed the factor of %1; they are told why at their next sign-in.").arg(username),
           tr("Remove a factor of %1").arg(username));
}

// --- Confirmations ---

bool PeopleModel::canAssignRolesThrough(const QString& username, const QString& exceptRole) const {
    const QStringList held = personNamed(username).value(QStringLiteral("roles")).toStringList();
    for (const RoleInfo& r : m_roles)
        if (r.name != exceptRole && held.contains(r.name) &&
            r.permissions.contains(permissionName(Permission::RolesAssign)))
            return true;
    return false;
}

QString PeopleModel::guardFor(const QString& action, const QString& username) const {
    if (action != QLatin1String("delete") && action != QLatin1String("disable"))
        return {};
    if (!canAssignRolesThrough(username))
        return {};
    for (const QVariant& p : m_people) {
        const QVariantMap other = p.toMap();
        const QString name = other.value(kUsername).toString();
        if (name != username && other.value(QStringLiteral("enabled")).toBool() && canAssignRolesThrough(name))
            return {};
    }
    return action == QLatin1String("delete")
               ? tr("%1 is the only administrator — make someone else one first, then delete %1.").arg(username)
               : tr("%1 is the only administrator — make someone else one first, then disable %1.").arg(username);
}

QString PeopleModel::confirmText(const QString& action, const QString& username, qint64 factorId) const {
    const QVariantMap person = personNamed(username);
    const int factors = person.value(QStringLiteral("factorCount")).toInt();
    const int sessions = person.value(QStringLiteral("sessionCount")).toInt();
    const bool sessionsKnown = person.value(QStringLiteral("sessionsKnown")).toBool();
    const QString sessionsPart = !sessionsKnown  ? tr("Any open session of %1 ends at once.").arg(username)
                                 : sessions == 0 ? tr("%1 has no open session.").arg(username)
                                 : sessions == 1 ? tr("%1's open session ends at once.").arg(username)
                                                 : tr("%1's %2 open sessions end at once.").arg(username).arg(sessions);
    if (action == QLatin1String("disable"))
        return tr("Disable %1? %2 %1 cannot sign in until enabled again; nothing else changes.")
            .arg(username, sessionsPart);
    if (action == QLatin1String("endSessions"))
        return tr("End every open session of %1? %2 %1 can sign in again.").arg(username, sessionsPart);
    if (action == QLatin1String("reset"))
        return tr("Reset the password of %1? The current password stops working. %2 You get a one-time "
                  "temporary password to hand over, valid 72 hours; %1 must replace it at the next sign-in.")
            .arg(username, sessionsPart);
    if (action == QLatin1String("delete")) {
        QStringList going;
        const bool factorsKnown = person.value(QStringLiteral("factorsKnown")).toBool();
        if (factorsKnown && factors > 0)
            going << factorsPhrase(factors);
        if (sessionsKnown && sessions > 0)
            going << sessionsPhrase(sessions);
        QString what;
        if (!factorsKnown || !sessionsKnown)
            what = tr("Its second factors and open sessions go with it.");
        else if (going.isEmpty())
            what = tr("It holds no second factor and no open session.");
        else
            what = tr("Going with it: %1.").arg(going.join(tr(" and ")));
        return tr("Delete %1? %2 The audit history stays under the name %1. This cannot be undone.")
            .arg(username, what);
    }
    if (action == QLatin1String("removeFactor")) {
        QString title = tr("this factor");
        for (const QVariant& f : person.value(QStringLiteral("factors")).toList())
            if (f.toMap().value(QStringLiteral("id")).toLongLong() == factorId)
                title = f.toMap().value(QStringLiteral("title")).toString();
        QString after;
        if (factors <= 1)
            after = canAssignRolesThrough(username)
                        ? tr(" It is %1's last second factor: as an administrator, %1 then signs in to a session "
                             "restricted to adding a new one.")
                              .arg(username)
                        : tr(" It is %1's last second factor: %1 then signs in with the password alone.").arg(username);
        return tr("Remove %1 from %2? The sessions that used it end, and %2 is told why at the next sign-in.%3")
            .arg(title, username, after);
    }
    return {};
}

void PeopleModel::back() {
    m_app->showHome();
}

} // namespace gh::ui
