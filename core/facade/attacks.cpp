// The facade's side of the attacks the model names (issue 13, ATK-01, ATK-02): the source of an
// attempt, pacing password sign-ins while credential stuffing is in progress, what a trip, a
// flagged sign-in and the end of an attack record and tell, and folding repeated events.
#include "core.h"
#include "loginservice.h"

#include <QStringList>

namespace gh {

namespace {
constexpr const char* kStuffingNamesKey = "stuffing_names";
constexpr const char* kStuffingWindowKey = "stuffing_window_secs";
constexpr const char* kStuffingBaseKey = "stuffing_base_delay_secs";
constexpr const char* kStuffingMaxKey = "stuffing_max_delay_secs";

QString sourcesText(const StuffingSnapshot& s, const QHash<QString, QString>& names) {
    QList<std::pair<QString, int>> sorted;
    for (auto it = s.sources.constBegin(); it != s.sources.constEnd(); ++it)
        sorted.append({it.key(), it.value()});
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    QStringList out;
    for (const auto& [key, n] : sorted.mid(0, 5))
        out << QStringLiteral("%1 ×%2").arg(names.value(key, key)).arg(n);
    if (sorted.size() > 5)
        out << QStringLiteral("%1 more").arg(sorted.size() - 5);
    return out.join(u", ");
}

QString countsText(const StuffingSnapshot& s) {
    return QStringLiteral("%1 password failures against %2 names (%3 unknown, %4 accounts)")
        .arg(s.failures)
        .arg(s.distinctNames)
        .arg(s.unknownNames)
        .arg(s.distinctNames - s.unknownNames);
}
} // namespace

QString Core::sourceKey(const QString& client) {
    const CallerOrigin& o = currentOrigin();
    const QString key = o.known ? QStringLiteral("uid %1").arg(o.uid) : QStringLiteral("client %1").arg(client);
    sourceNames.insert(
        key, o.known
                 ? QStringLiteral("%1 (uid %2)").arg(o.program.isEmpty() ? QStringLiteral("?") : o.program).arg(o.uid)
                 : key);
    return key;
}

QString Core::sourceText(const QString& client) const {
    const CallerOrigin& o = currentOrigin();
    // record() appends the bus's account of the caller; an in-process caller names itself.
    return o.known ? QString() : QStringLiteral("; source: client %1").arg(client);
}

Result<StuffingPolicy> Core::readStuffingPolicy() {
    auto st = vault->db().prepare("SELECT key, value FROM meta WHERE key IN ('stuffing_names', "
                                  "'stuffing_window_secs', 'stuffing_base_delay_secs', 'stuffing_max_delay_secs')");
    if (!st)
        return st.error();
    StuffingPolicy p;
    while (st->step()) {
        const QString key = st->text(0);
        const qint64 v = st->text(1).toLongLong();
        if (key == QLatin1String(kStuffingNamesKey))
            p.names = static_cast<int>(v);
        else if (key == QLatin1String(kStuffingWindowKey))
            p.windowSecs = v;
        else if (key == QLatin1String(kStuffingBaseKey))
            p.baseDelaySecs = v;
        else if (key == QLatin1String(kStuffingMaxKey))
            p.maxDelaySecs = v;
    }
    if (st->failed())
        return st->error();
    if (!p.valid())
        return StuffingPolicy{}; // damaged values: the defaults, never none
    return p;
}

Status Core::writeStuffingPolicy(const StuffingPolicy& p) {
    for (const auto& [key, value] :
         {std::pair{kStuffingNamesKey, qint64(p.names)}, std::pair{kStuffingWindowKey, p.windowSecs},
          std::pair{kStuffingBaseKey, p.baseDelaySecs}, std::pair{kStuffingMaxKey, p.maxDelaySecs}}) {
        auto st = vault->db().prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
        if (!st)
            return st.error();
        st->bind(1, QString::fromLatin1(key)).bind(2, QString::number(value));
        if (Status s = st->done(); !s)
            return s;
    }
    stuffing.setPolicy(p);
    return ok();
}

Status Core::paceSignIn(const QString& client) {
    pollStuffing();
    if (!stuffing.active())
        return ok();
    const QString key = sourceKey(client);
    const qint64 nowMs = clock->monotonicMs();
    if (const qint64 wait = stuffing.waitSecs(key, nowMs)) {
        stuffing.refused(key, nowMs);
        (void)recordRepeated(QStringLiteral("login.slowed|") + key, QStringLiteral("-"), QStringLiteral("login.slowed"),
                             Layer::Verification, Outcome::Denied, FactorCategory::Knowledge, QString(),
                             QStringLiteral("credential stuffing in progress: password sign-ins paced, retry in %1 s%2")
                                 .arg(wait)
                                 .arg(sourceText(client)));
        return Error{Errc::Throttled,
                     QStringLiteral("Sign-ins are slowed down while an attack on this computer's accounts is in "
                                    "progress; try again in %1 s.")
                         .arg(wait),
                     wait};
    }
    stuffing.admitted(key, nowMs);
    return ok();
}

void Core::stuffingFailure(const QString& name, bool unknownName, const QString& client) {
    const QString key = sourceKey(client);
    if (stuffing.failure(name, unknownName, key, clock->monotonicMs()) != StuffingDetector::Change::Started)
        return;
    const StuffingSnapshot& s = stuffing.snapshot();
    const StuffingPolicy& p = stuffing.policy();
    QString detail = QStringLiteral("%1 within %2 s (threshold %3 names); sources: %4")
                         .arg(countsText(s))
                         .arg(p.windowSecs)
                         .arg(p.names)
                         .arg(sourcesText(s, sourceNames));
    if (!s.signedIn.isEmpty())
        detail += QStringLiteral("; signed in with a right password meanwhile: %1").arg(s.signedIn.join(u", "));
    (void)record(QStringLiteral("system"), QStringLiteral("attack.credential_stuffing"), Layer::Verification,
                 Outcome::Denied, FactorCategory::Knowledge, QStringLiteral("password sign-ins"), detail);
    (void)noticeAdministrators(
        QStringLiteral("Credential stuffing in progress since %1 UTC: %2 from %3. Password sign-ins are slowed down "
                       "until it subsides. Accounts that sign in with a right password meanwhile are listed in the "
                       "audit log (attack.*) and told to change their password.")
            .arg(clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm")), countsText(s),
                 sourcesText(s, sourceNames)),
        QStringLiteral("attack.credential_stuffing"));
    for (const QString& account : s.signedIn) {
        auto u = findUser(QStringLiteral("username"), account);
        if (u && u->has_value())
            stuffingSuccess(**u, client, true); // flagged by the trip: recorded and told now
    }
}

void Core::stuffingSuccess(const UserRow& u, const QString& client, bool flaggedAlready) {
    if (!flaggedAlready && !stuffing.success(u.username, sourceKey(client), clock->monotonicMs()))
        return;
    (void)record(u.username, QStringLiteral("attack.signed_in_during"), Layer::Verification, Outcome::Info,
                 FactorCategory::Knowledge, u.username,
                 QStringLiteral("the password proved right during a credential-stuffing attack: it is probably "
                                "leaked%1")
                     .arg(sourceText(client)),
                 self(u.id));
    const QString when = clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    (void)notices->add(u.id,
                       QStringLiteral("At %1 UTC your password was used to sign in while someone was trying leaked "
                                      "passwords against this computer's accounts. It is probably known to others: "
                                      "change it now (and use it nowhere else).")
                           .arg(when),
                       clock->nowSecs(), true, QStringLiteral("attack.password_leaked"));
    (void)noticeAdministrators(
        QStringLiteral("%1 signed in with a right password during the credential-stuffing attack (%2 UTC); the "
                       "password is probably leaked and %1 was told to change it.")
            .arg(u.username, when),
        QStringLiteral("attack.signed_in:%1").arg(u.username));
}

void Core::pollStuffing() {
    if (stuffing.poll(clock->monotonicMs()) != StuffingDetector::Change::Ended)
        return;
    const StuffingSnapshot s = stuffing.lastAttack();
    const qint64 secs = (clock->monotonicMs() - s.startedMs) / 1000;
    (void)record(QStringLiteral("system"), QStringLiteral("attack.credential_stuffing_ended"), Layer::Verification,
                 Outcome::Info, FactorCategory::Knowledge, QStringLiteral("password sign-ins"),
                 QStringLiteral("subsided after %1 s: %2; sources: %3; signed in during it: %4")
                     .arg(secs)
                     .arg(countsText(s), sourcesText(s, sourceNames),
                          s.signedIn.isEmpty() ? QStringLiteral("nobody") : s.signedIn.join(u", ")));
}

Result<QList<qint64>> Core::administratorIds() {
    auto st = vault->db().prepare("SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id "
                                  "JOIN role_permissions p ON p.role = r.role "
                                  "WHERE u.enabled = 1 AND p.permission IN ('users.manage', 'roles.assign') "
                                  "ORDER BY u.id");
    if (!st)
        return st.error();
    QList<qint64> ids;
    while (st->step())
        ids << st->int64(0);
    if (st->failed())
        return st->error();
    return ids;
}

Status Core::noticeAdministrators(const QString& text, const QString& topic) {
    auto ids = administratorIds();
    if (!ids)
        return ids.error();
    for (qint64 id : *ids)
        if (Status s = notices->add(id, text, clock->nowSecs(), true, topic); !s)
            return s;
    return ok();
}

Status Core::recordRepeated(const QString& key, const QString& actor, const QString& action, Layer layer,
                            Outcome outcome, FactorCategory factor, const QString& subject, const QString& detail,
                            Parties ids) {
    const qint64 nowMs = clock->monotonicMs();
    auto it = repeats.find(key);
    if (it != repeats.end() && nowMs - it->firstMs < kRepeatWindowSecs * 1000) {
        ++it->folded;
        return ok();
    }
    QString text = detail;
    if (it != repeats.end() && it->folded > 0)
        text += QStringLiteral("; %1 more like it in the %2 s before were not recorded one by one")
                    .arg(it->folded)
                    .arg(kRepeatWindowSecs);
    if (repeats.size() > 10000) // keys of long-gone floods
        repeats.clear();
    repeats.insert(key, Repeat{nowMs, 0});
    return record(actor, action, layer, outcome, factor, subject, text, ids);
}

Result<StuffingPolicy> LoginService::stuffingPolicy(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::AuditRead);
    if (!caller)
        return caller.error();
    return m_core.stuffing.policy();
}

Status LoginService::setStuffingPolicy(const Session& session, const StuffingPolicy& policy) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PolicyManage);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("changing the credential-stuffing thresholds")); !f)
        return f;
    if (!policy.valid())
        return Error{Errc::InvalidArgument,
                     QStringLiteral("The threshold is %1 to %2 names, the window %3 s to %4 s, and the longest delay "
                                    "at least the base delay.")
                         .arg(StuffingPolicy::kMinNames)
                         .arg(StuffingPolicy::kMaxNames)
                         .arg(StuffingPolicy::kMinWindowSecs)
                         .arg(StuffingPolicy::kMaxWindowSecs),
                     0};
    return m_core.vault->transaction([&]() -> Status {
        if (Status w = m_core.writeStuffingPolicy(policy); !w)
            return w;
        return m_core.record(caller->user.username, QStringLiteral("policy.stuffing"), Layer::Access, Outcome::Allowed,
                             FactorCategory::None, QStringLiteral("credential-stuffing thresholds"),
                             QStringLiteral("%1 names in %2 s; delay %3 s, at most %4 s")
                                 .arg(policy.names)
                                 .arg(policy.windowSecs)
                                 .arg(policy.baseDelaySecs)
                                 .arg(policy.maxDelaySecs),
                             Core::by(caller->user.id));
    });
}

} // namespace gh
