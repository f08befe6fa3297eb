// The shared context of the facade's services (core.h): the helpers every concern uses.
#include "core.h"

#include "verification/throttle.h"
#include "verification/usernames.h"

namespace gh {

Q_LOGGING_CATEGORY(lcCore, "gatehouse.core")

namespace {
constexpr const char* kLimitKey = "session_limit";
} // namespace

QString Core::keyLocation() const {
    if (!vault)
        return {};
    if (vault->keySource() == KeySource::Passphrase)
        return QStringLiteral("vault passphrase (Argon2id; salt and parameters in %1)")
            .arg(Vault::kdfSidecarPath(vault->path()));
    return QStringLiteral("%1, entry \"%2\" of service \"%3\"")
        .arg(keys->describe(), Vault::keychainEntry(vault->path()),
             QString::fromLatin1(SecretServiceKeyStore::kService));
}

QString factorNames(const QList<FactorKind>& factors) {
    QStringList names;
    for (FactorKind k : factors)
        names << factorKindName(k);
    return names.join(QLatin1Char(','));
}

QList<FactorKind> parseFactors(const QString& names) {
    QList<FactorKind> out;
    for (const QString& n : names.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (const auto k = factorKindFromName(n))
            out << *k;
    }
    return out;
}

QString restrictionReason(Restriction restriction) {
    switch (restriction) {
    case Restriction::ChangePassword:
        return QStringLiteral("You signed in with a temporary password. Choose your own password to continue.");
    case Restriction::EnrollSecondFactor:
        return QStringLiteral(
            "Your roles let you administer or read other people's data, which needs two factors. Add an "
            "authenticator app or a security key to continue; until then this session can only manage your own "
            "factors and password.");
    case Restriction::None:
        break;
    }
    return {};
}
// Check-and-count in one IMMEDIATE transaction: the attempt is counted as a failure before the
// credential is verified (failures + 1, with the time). Two processes cannot both pass one
// throttle window, and an attempt that cannot be recorded is refused (fail closed).
Status Core::chargeAttempt(const QString& name, FactorCategory factor, qint64 userId, std::optional<qint64> exemptIfSeq,
                           qint64* seqOut, bool* inFlightOnly) {
    std::optional<Error> refused;
    Status s = vault->transaction(
        [&]() -> Status {
            auto t = throttleOf(name);
            if (!t)
                return t.error();
            const bool exempt = exemptIfSeq && *exemptIfSeq == t->seq;
            const qint64 now = clock->nowSecs();
            const auto blocked = [&](int failures) {
                return throttle::locked(failures) ||
                       (!exempt && throttle::remaining(failures, t->lastFailure, now) > 0);
            };
            if (const auto mine = inFlight.find(name); inFlightOnly && mine != inFlight.end() && blocked(t->failures) &&
                                                       !blocked(std::max(t->failures - mine->second, 0))) {
                *inFlightOnly = true;
                refused = Error{Errc::Throttled, {}, 1};
                return ok();
            }
            if (throttle::locked(t->failures)) {
                refused = Error{Errc::LockedOut, {}, 0};
                return recordRepeated(QStringLiteral("login.locked|") + name, name, QStringLiteral("login.locked"),
                                      Layer::Verification, Outcome::Denied, factor, name,
                                      QStringLiteral("%1 failures").arg(t->failures), self(userId));
            }
            if (const qint64 wait = exempt ? 0 : throttle::remaining(t->failures, t->lastFailure, now)) {
                refused = Error{Errc::Throttled, {}, wait};
                return recordRepeated(QStringLiteral("login.throttled|") + name, name,
                                      QStringLiteral("login.throttled"), Layer::Verification, Outcome::Denied, factor,
                                      name, QStringLiteral("retry in %1 s").arg(wait), self(userId));
            }
            if (seqOut)
                *seqOut = t->seq + 1;
            return countFailure(name);
        },
        // The outcome's Durable commit (a failure's audit event or
        // the success) syncs this charge to disk with it.
        Vault::Commit::Deferred);
    if (!s)
        return s;
    if (refused)
        return *refused;
    return ok();
}

// The attempt was already counted by chargeAttempt(); this only records what failed.
void Core::failAttempt(const QString& name, const QString& action, FactorCategory factor, const QString& detail,
                       Outcome outcome, qint64 userId) {
    (void)record(name, action, Layer::Verification, outcome, factor, name, detail, self(userId));
}

// RL-04: the same normalisation as usernames (NFKC, case folding, trimmed), keyed so the audit
// log never holds what was typed.
QString Core::maskedName(const QString& typed) {
    const QByteArray key = foldName(typed).toUtf8();
    return QStringLiteral("unknown#") +
           QString::fromLatin1(crypto::mac(vault->subkey(2, kNameMaskContext), key).toHex().left(12));
}

// A PHC string at the current parameters for a password nobody knows, kept in the vault so an
// unknown name costs exactly one verification, like a known one (computed once per policy).
Status Core::ensureDummyHash() {
    auto st = vault->db().prepare("SELECT value FROM meta WHERE key = 'dummy_hash'");
    if (!st)
        return st.error();
    if (st->step() && !passwordhash::needsRehash(st->text(0).toLatin1(), hashParams)) {
        dummy = st->text(0).toLatin1();
        return ok();
    }
    const SecureBuffer nobody = random->secret(32);
    const auto phc = passwordhash::hash(nobody, hashParams);
    if (!phc)
        return Error{Errc::Internal, QStringLiteral("hashing failed (out of memory?)"), 0};
    auto put = vault->db().prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('dummy_hash', ?)");
    if (!put)
        return put.error();
    put->bind(1, QString::fromLatin1(*phc));
    if (Status s = put->done(); !s)
        return s;
    dummy = *phc;
    return ok();
}

QByteArray Core::dummyHash() {
    if (dummy.isEmpty())
        (void)ensureDummyHash();
    return dummy;
}

Result<UserRow> Core::accountFor(const Session& session, Permission own, Permission any, const QString& username) {
    auto caller = authorize(session, own);
    if (!caller)
        return caller.error();
    const auto name = normaliseUsername(username);
    if (username.isEmpty() || name == caller->user.username)
        return caller->user;
    if (auto other = authorize(session, any, username); !other)
        return other.error();
    if (!name)
        return Errc::InvalidUsername;
    auto target = existingUser(*name);
    if (!target)
        return target.error();
    return *target;
}

Result<bool> Core::holdsSecondFactor(qint64 userId) {
    auto st = vault->db().prepare(
        "SELECT count(*) FROM factors WHERE user_id = ? AND kind IN ('totp', 'fido2') AND pending = 0");
    if (!st)
        return st.error();
    st->bind(1, userId);
    if (!st->step())
        return st->error();
    return st->int64(0) > 0;
}

void Core::fillSessionTimes(SessionInfo& info, const SessionRecord& r) const {
    info.host = r.host;
    info.pid = r.pid;
    info.lastActive = !r.ended.isValid() && sessions ? sessions->wallOf(r.lastActiveMono) : r.lastActive;
    info.lastAuthenticated = r.lastAuth;
    info.idleTimeoutSecs = r.idleSecs;
    info.ended = r.ended;
    info.endReason = r.endReason;
    info.endedBy = r.endedBy;
    info.active = !r.ended.isValid();
    if (info.active && sessions) {
        info.idleLeftSecs = sessions->idleLeftMs(r) / 1000;
        info.absoluteLeftSecs = sessions->absoluteLeftMs(r) / 1000;
        info.freshLeftSecs = sessions->freshLeftMs(r) / 1000;
    }
}

void Core::auditRejected(const Session& session, const Error& error) {
    if (error.code != Errc::SessionInvalid)
        return;
    if (!error.detail.isEmpty()) // the store has just ended it: idle timeout or absolute lifetime
        (void)recordRepeated(QStringLiteral("session.ended|") + session.info.id, session.info.username,
                             QStringLiteral("session.ended"), Layer::Session, Outcome::Info, FactorCategory::None,
                             session.info.id, error.detail);
    else
        (void)recordRepeated(QStringLiteral("session.rejected|") + session.info.id, session.info.username,
                             QStringLiteral("session.rejected"), Layer::Session, Outcome::Denied, FactorCategory::None,
                             session.info.id, {});
}

Status Core::requireFresh(const Caller& caller, const QString& what) {
    if (sessions->freshLeftMs(caller.record) > 0)
        return ok();
    (void)record(caller.user.username, QStringLiteral("session.step_up_required"), Layer::Session, Outcome::Denied,
                 FactorCategory::None, caller.record.id, what, by(caller.user.id));
    return Error{Errc::StepUpRequired, what, 0};
}

Result<SessionLimit> Core::readSessionLimit() {
    auto st = vault->db().prepare("SELECT key, value FROM meta WHERE key IN ('session_limit', 'session_limit_mode')");
    if (!st)
        return st.error();
    SessionLimit limit;
    while (st->step()) {
        if (st->text(0) == QLatin1String(kLimitKey))
            limit.maxPerUser = std::max(0, st->text(1).toInt());
        else if (st->text(1) == QLatin1String("end-oldest"))
            limit.mode = SessionLimitMode::EndOldest;
    }
    if (st->failed())
        return st->error();
    return limit;
}

Status Core::enforceSessionLimit(const UserRow& u, const QString& replacing) {
    auto limit = readSessionLimit();
    if (!limit)
        return limit.error();
    if (limit->maxPerUser <= 0)
        return ok();
    auto live = sessions->countLiveForUser(u.id, replacing);
    if (!live)
        return live.error();
    if (*live < limit->maxPerUser)
        return ok();
    if (limit->mode == SessionLimitMode::Refuse) {
        (void)record(u.username, QStringLiteral("session.limit_reached"), Layer::Session, Outcome::Denied,
                     FactorCategory::None, u.username,
                     QStringLiteral("%1 live sessions, limit %2").arg(*live).arg(limit->maxPerUser), self(u.id));
        return Error{Errc::SessionLimitReached,
                     QStringLiteral("%1 live sessions, limit %2").arg(*live).arg(limit->maxPerUser), 0};
    }
    const int excess = *live - limit->maxPerUser + 1;
    auto ended = sessions->endOldest(u.id, excess, QStringLiteral("session limit (oldest ended)"), replacing);
    if (!ended)
        return ended.error();
    return record(u.username, QStringLiteral("session.limit_ended_oldest"), Layer::Session, Outcome::Info,
                  FactorCategory::None, u.username,
                  QStringLiteral("%1 ended, limit %2").arg(*ended).arg(limit->maxPerUser), self(u.id));
}

Status Core::requireHeld(const Caller& caller, const QList<Permission>& wanted, const QString& object) {
    QStringList missing;
    for (Permission p : wanted)
        if (!isSelfService(p) && !caller.permissions.contains(p))
            missing << permissionName(p);
    if (missing.isEmpty())
        return ok();
    (void)record(caller.user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
                 FactorCategory::None, permissionName(Permission::RolesAssign),
                 QStringLiteral("would grant %1 (not held) on %2").arg(missing.join(u", "), object),
                 by(caller.user.id));
    return Error{Errc::NotPermitted,
                 QStringLiteral("you cannot grant permissions you do not hold yourself (%1)").arg(missing.join(u", ")),
                 0};
}

} // namespace gh
