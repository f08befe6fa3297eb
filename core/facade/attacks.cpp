// The facade's side of the attacks the model names (issue 13, ATK-01, ATK-02): the source of an
// attempt, pacing password sign-ins while credential stuffing is in progress, what a trip, a
// flagged sign-in and the end of an attack record and tell, and folding repeated events.
#include "accountsservice.h"
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
    sourceNames.insert(key, o.known ? QStringLiteral("%1 (uid %2)").arg(o.programName()).arg(o.uid) : key);
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
                            Parties ids, qint64 windowSecs) {
    const qint64 nowMs = clock->monotonicMs();
    auto it = repeats.find(key);
    if (it != repeats.end() && nowMs - it->firstMs < it->windowSecs * 1000) {
        ++it->folded;
        it->last = auditEvent(actor, action, layer, outcome, factor, subject, detail, ids);
        return ok();
    }
    if (it != repeats.end())
        endWindow(it);
    if (repeats.size() >= kMaxRepeatKeys) // keys of long-gone floods
        flushRepeats(true);
    repeats.insert(key, Repeat{nowMs, windowSecs, 0, {}});
    return record(actor, action, layer, outcome, factor, subject, detail, ids); // writes the count first
}

void Core::flushRepeats(bool all) {
    if (!repeats.isEmpty()) {
        const qint64 nowMs = clock->monotonicMs();
        if (all || nowMs - repeatsScannedMs >= 1000 || nowMs < repeatsScannedMs) {
            repeatsScannedMs = nowMs;
            for (auto it = repeats.begin(); it != repeats.end();)
                it = all || nowMs - it->firstMs >= it->windowSecs * 1000 ? endWindow(it) : std::next(it);
        }
    }
    if (foldedCounts.isEmpty() || !audit)
        return;
    QList<AuditEvent> rows = std::exchange(foldedCounts, {});
    const auto keepForTheNextTry = [this, rows] { foldedCounts = rows + foldedCounts; };
    if (Status s = audit->appendBatch(rows); !s) {
        qCWarning(lcCore) << "audit: the counts of" << rows.size()
                          << "folded kinds could not be written:" << s.error().detail;
        keepForTheNextTry();
        return;
    }
    // Written inside a caller's transaction, they go if it rolls back (a sign-in refused by the
    // session limit after its success was recorded): then they wait for the next write.
    if (vault->inTransaction())
        vault->whenTransactionEnds([keepForTheNextTry](bool committed) {
            if (!committed)
                keepForTheNextTry();
        });
}

QHash<QString, Core::Repeat>::iterator Core::endWindow(QHash<QString, Repeat>::iterator it) {
    if (it->folded > 0) {
        if (foldedCounts.size() < kMaxRepeatKeys)
            foldedCounts.append(foldedCountRow(*it));
        else
            qCWarning(lcCore) << "audit: a count of folded events was dropped (" << foldedCounts.size()
                              << "wait for a write)";
    }
    return repeats.erase(it);
}

AuditEvent Core::foldedCountRow(const Repeat& r) {
    AuditEvent e = r.last;
    const QString head = QStringLiteral("%1 more like it in the %2 s after the one recorded were not recorded one by "
                                        "one; the last: ")
                             .arg(r.folded)
                             .arg(r.windowSecs);
    // The row keeps the last one's origin (its own field). A detail too long for the row keeps its
    // start, which says what happened, and "…" marks the cut (never between the halves of a pair).
    const qsizetype room = AuditLog::kMaxFieldUnits - head.size();
    QString detail = r.last.detail;
    if (detail.size() > room) {
        qsizetype keep = room - 1;
        if (detail.at(keep - 1).isHighSurrogate())
            --keep;
        detail = detail.left(keep) + u'…';
    }
    e.detail = head + detail;
    return e;
}

void Core::auditForeignRead(const Caller& caller, Permission permission, const QString& what, const QString& owner,
                            qint64 ownerId) {
    if (ownerId == caller.user.id)
        return;
    auto granting = roleStore->rolesGranting(caller.user.id, permission);
    const QStringList roleNames = granting ? *granting : QStringList{};
    const QString through = roleNames.size() == 1 ? QStringLiteral("role %1").arg(roleNames.first())
                                                  : QStringLiteral("roles %1").arg(roleNames.join(u", "));
    (void)recordRepeated(QStringLiteral("read|%1|%2|%3").arg(caller.user.id).arg(permissionName(permission), what),
                         caller.user.username, QStringLiteral("access.read_other"), Layer::Access, Outcome::Allowed,
                         FactorCategory::None, owner.isEmpty() ? QStringLiteral("every account") : owner,
                         QStringLiteral("read %1 through %2 (%3)").arg(what, through, permissionName(permission)),
                         {caller.user.id, ownerId}, kReadRepeatSecs);
}

Status Core::grantEnrollment(qint64 userId, qint64 expiresAt, const QString& how) {
    auto st = vault->db().prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
    if (!st)
        return st.error();
    st->bind(1, QStringLiteral("enrollment_grant.%1").arg(userId))
        .bind(2, QStringLiteral("%1;%2").arg(expiresAt).arg(how));
    return st->done();
}

Result<std::optional<QString>> Core::enrollmentGrant(qint64 userId) {
    auto st = vault->db().prepare("SELECT value FROM meta WHERE key = ?");
    if (!st)
        return st.error();
    st->bind(1, QStringLiteral("enrollment_grant.%1").arg(userId));
    if (!st->step())
        return st->failed() ? Result<std::optional<QString>>(st->error()) : std::optional<QString>();
    const QString value = st->text(0);
    const qint64 expires = value.section(QLatin1Char(';'), 0, 0).toLongLong();
    if (expires <= clock->nowSecs())
        return std::optional<QString>();
    return std::optional<QString>(value.section(QLatin1Char(';'), 1));
}

Status Core::consumeEnrollmentGrant(qint64 userId) {
    auto st = vault->db().prepare("DELETE FROM meta WHERE key = ?");
    if (!st)
        return st.error();
    st->bind(1, QStringLiteral("enrollment_grant.%1").arg(userId));
    return st->done();
}

Status Core::requireEnrollmentGrant(const Caller& caller, const QString& what) {
    if (!requiresSecondFactor(caller.permissions))
        return ok();
    auto held = holdsSecondFactor(caller.user.id);
    if (!held)
        return held.error();
    if (*held)
        return ok(); // not the first: binding more needs a step-up with the one held (requireBindingStrength)
    auto grant = enrollmentGrant(caller.user.id);
    if (!grant)
        return grant.error();
    if (grant->has_value())
        return ok();
    const QString why = QStringLiteral("%1: a first second factor of an account that reaches other people's data is "
                                       "bound only with an enrollment grant (set-up, a temporary password, or an "
                                       "administrator's gatehousectl user allow-enrollment %2)")
                            .arg(what, caller.user.username);
    (void)record(caller.user.username, QStringLiteral("factor.binding_refused"), Layer::Access, Outcome::Denied,
                 FactorCategory::Possession, caller.user.username, why, self(caller.user.id));
    return Error{Errc::NotPermitted,
                 QStringLiteral("A password alone cannot add the first second factor to an account that reaches other "
                                "people's data. Ask an administrator for an enrollment grant (gatehousectl user "
                                "allow-enrollment %1), then sign in and enroll again.")
                     .arg(caller.user.username),
                 0};
}

void Core::announceFactorChange(const UserRow& owner, const QString& text) {
    auto ids = administratorIds();
    if (!ids)
        return;
    for (qint64 id : *ids)
        if (id != owner.id)
            (void)notices->add(id, QStringLiteral("%1: %2").arg(owner.username, text), clock->nowSecs(), true);
}

Status AccountsService::allowEnrollment(const Session& session, const QString& rawName) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::UsersManage, rawName);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("granting an enrollment")); !f) // AC-06
        return f;
    const auto name = normaliseUsername(rawName);
    if (!name)
        return Errc::InvalidUsername;
    return m_core.vault->transaction([&]() -> Status {
        auto target = m_core.existingUser(*name);
        if (!target)
            return target.error();
        const qint64 now = m_core.clock->nowSecs();
        if (Status g = m_core.grantEnrollment(target->id, now + Core::kEnrollmentGrantSecs,
                                              QStringLiteral("granted by %1").arg(caller->user.username));
            !g)
            return g;
        if (Status n = m_core.notices->add(
                target->id,
                QStringLiteral("%1 allowed this account to add its first second factor (until %2 UTC). If you did not "
                               "ask for it, tell an administrator.")
                    .arg(caller->user.username, m_core.clock->nowUtc()
                                                    .addSecs(Core::kEnrollmentGrantSecs)
                                                    .toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                now);
            !n)
            return n;
        return m_core.record(caller->user.username, QStringLiteral("factor.enrollment_granted"), Layer::Access,
                             Outcome::Allowed, FactorCategory::None, *name,
                             QStringLiteral("single use, %1 h").arg(Core::kEnrollmentGrantSecs / 3600),
                             {caller->user.id, target->id});
    });
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
