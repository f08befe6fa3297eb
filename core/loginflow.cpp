// The login state machine of the facade: identify + password (L2) → second factor of another
// category when the account holds one → session (L3). Every step shares the per-username
// throttling counter (RL-01…RL-03), which is cleared only when the whole login succeeds, so a
// known password does not buy unlimited guesses at the code.
#include "gatehouse_p.h"

#include "verification/otpauth.h"
#include "verification/recoverycodes.h"

#include <vector>

namespace gh {

namespace {

struct TotpRow {
    qint64 id = 0;
    SecureBuffer seed;
    TotpParams params;
    qint64 lastStep = -1;
};

// Codes this far outside the window are reported as expired rather than wrong.
constexpr int kExpiredLookback = 10;

} // namespace

// Second factors an account can use at login: active TOTP factors and unused recovery codes.
static Result<QList<FactorKind>> secondFactorsOf(Vault& vault, qint64 userId) {
    auto st = vault.db().prepare(
        "SELECT kind, (SELECT count(*) FROM recovery_codes r WHERE r.factor_id = f.id AND r.used_at IS NULL) "
        "FROM factors f WHERE user_id = ? AND pending = 0");
    if (!st)
        return st.error();
    st->bind(1, userId);
    QList<FactorKind> offered;
    while (st->step()) {
        const QString kind = st->text(0);
        if (kind == factorKindName(FactorKind::Totp) && !offered.contains(FactorKind::Totp))
            offered.prepend(FactorKind::Totp);
        else if (kind == factorKindName(FactorKind::RecoveryCode) && st->int64(1) > 0 &&
                 !offered.contains(FactorKind::RecoveryCode))
            offered.append(FactorKind::RecoveryCode);
        else if (kind == factorKindName(FactorKind::SecurityKey) && !offered.contains(FactorKind::SecurityKey))
            offered.prepend(FactorKind::SecurityKey); // the strongest second factor is offered first
    }
    if (st->failed())
        return st->error();
    // Recovery codes back up a primary second factor; alone they do not make a login two-step.
    if (!offered.contains(FactorKind::Totp) && !offered.contains(FactorKind::SecurityKey))
        offered.clear();
    return offered;
}

static Result<std::vector<TotpRow>> activeTotp(Vault& vault, qint64 userId) {
    auto st = vault.db().prepare("SELECT id, secret, algorithm, digits, period, last_step FROM factors "
                                 "WHERE user_id = ? AND kind = 'totp' AND pending = 0");
    if (!st)
        return st.error();
    st->bind(1, userId);
    std::vector<TotpRow> rows;
    while (st->step()) {
        TotpRow r;
        r.id = st->int64(0);
        r.seed = SecureBuffer::fromBytes(st->blob(1));
        r.params.algorithm = totpAlgorithmFromName(st->text(2)).value_or(TotpAlgorithm::Sha1);
        r.params.digits = static_cast<int>(st->int64(3));
        r.params.period = static_cast<int>(st->int64(4));
        r.lastStep = st->int64(5);
        rows.push_back(std::move(r));
    }
    if (st->failed())
        return st->error();
    return rows;
}

Result<LoginStep> Gatehouse::beginLogin(const QString& rawName, const SecureBuffer& password, const QString& client) {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    const auto valid = normaliseUsername(rawName);
    std::optional<UserRow> user;
    if (valid) {
        auto found = d->findUser(QStringLiteral("username"), *valid);
        if (!found)
            return found.error();
        user = *found;
    }
    // Unknown and invalid names are throttled exactly like real ones (RL-04), under a keyed hash
    // of what was typed: a password typed into the name field never reaches the vault or audit.
    const QString name = user ? user->username : d->maskedName(rawName);
    // Charged before verifying (refunded on success), so parallel attempts cannot share a window.
    if (Status t = d->chargeAttempt(name, FactorCategory::Knowledge); !t)
        return t.error();
    // PW-02: bound the hashing cost before NFKC; no stored password is this long.
    if (password.size() > static_cast<std::size_t>(PasswordPolicy::kHardCapBytes) * 4) {
        d->failAttempt(name, QStringLiteral("login.failed"), FactorCategory::Knowledge,
                       QStringLiteral("password over the length cap"));
        return Errc::AuthenticationFailed;
    }
    const SecureBuffer norm = normalisedPassword(password);
    // Unknown users verify against a dummy hash stored with the vault at the same parameters:
    // same time, same answer (RL-04).
    const QByteArray phc = user ? user->hash : d->dummyHash();
    const bool verified = passwordhash::verify(phc, norm) && user.has_value();

    if (!verified) {
        d->failAttempt(name, QStringLiteral("login.failed"), FactorCategory::Knowledge,
                       QStringLiteral("wrong password or unknown user"));
        return Errc::AuthenticationFailed;
    }
    if (Status r = d->refundAttempt(name); !r)
        return r.error();
    if (!user->enabled) {
        (void)d->record(name, QStringLiteral("login.denied"), Layer::Verification, Outcome::Denied,
                        FactorCategory::Knowledge, name, QStringLiteral("account disabled"));
        return Errc::AccountDisabled;
    }
    const qint64 now = d->clock->nowSecs();
    if (user->mustChange && user->passwordExpiresAt && now >= user->passwordExpiresAt) {
        (void)d->record(name, QStringLiteral("login.denied"), Layer::Verification, Outcome::Denied,
                        FactorCategory::Knowledge, name, QStringLiteral("temporary password expired"));
        return Error{Errc::AuthenticationFailed, QStringLiteral("temporary password expired"), 0};
    }
    // Rehash outside the transaction (it is the slow part), store it now: the password is proven.
    if (passwordhash::needsRehash(user->hash, d->hashParams)) {
        if (const auto rehashed = passwordhash::hash(norm, d->hashParams)) {
            Status s = d->vault->transaction([&]() -> Status {
                auto st = d->vault->db().prepare("UPDATE users SET password_hash = ? WHERE id = ?");
                if (!st)
                    return st.error();
                st->bind(1, QString::fromLatin1(*rehashed)).bind(2, user->id);
                if (Status u = st->done(); !u)
                    return u;
                return d->record(name, QStringLiteral("password.rehashed"), Layer::Verification, Outcome::Info,
                                 FactorCategory::Knowledge, name, QStringLiteral("policy parameters rose"));
            });
            if (!s)
                return s.error();
        }
    }

    auto offered = secondFactorsOf(*d->vault, user->id);
    if (!offered)
        return offered.error();
    LoginStep step;
    if (offered->isEmpty()) {
        auto session = d->completeWith(*user, client, {FactorKind::Password}, QString());
        if (!session)
            return session.error();
        step.complete = true;
        step.session = std::move(session.value());
        return step;
    }
    d->expirePending();
    step.pendingId = QString::fromLatin1(d->random->bytes(16).toHex());
    step.offered = *offered;
    d->pending[step.pendingId] = {user->id, user->username, client, d->clock->monotonicMs(), *offered};
    (void)d->record(name, QStringLiteral("login.first_factor"), Layer::Verification, Outcome::Allowed,
                    FactorCategory::Knowledge, name, QStringLiteral("second factor required"));
    return step;
}

void Gatehouse::cancelLogin(const QString& pendingId) {
    std::lock_guard guard(m_lock);
    d->pending.erase(pendingId);
}

Result<Session> Gatehouse::completeLogin(const QString& pendingId, FactorKind kind, const SecureBuffer& code) {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    d->expirePending();
    const auto it = d->pending.find(pendingId);
    if (it == d->pending.end())
        return Errc::LoginExpired;
    const Impl::PendingLogin login = it->second;
    if (!login.offered.contains(kind))
        return Error{Errc::InvalidArgument, QStringLiteral("This account has no such factor."), 0};
    if (kind == FactorKind::SecurityKey || kind == FactorKind::SecurityKeyUv)
        return Error{Errc::InvalidArgument, QStringLiteral("A security key is used with completeLoginWithKey."), 0};
    if (Status t = d->chargeAttempt(login.username, FactorCategory::Possession); !t)
        return t.error();
    auto user = d->findUser(QStringLiteral("id"), login.userId);
    if (!user)
        return user.error();
    if (!user->has_value() || !(*user)->enabled) {
        d->pending.erase(pendingId);
        return Errc::AccountDisabled;
    }
    const UserRow& u = **user;
    Result<Session> result = kind == FactorKind::Totp ? d->verifyTotpLogin(u, login.client, code)
                                                      : d->verifyRecoveryLogin(u, login.client, code);
    if (result)
        d->pending.erase(pendingId);
    return result;
}

Result<Session> Gatehouse::login(const QString& username, const SecureBuffer& password, const QString& client,
                                 FactorKind secondKind, const SecureBuffer* second) {
    std::lock_guard guard(m_lock);
    auto step = beginLogin(username, password, client);
    if (!step)
        return step.error();
    if (step->complete)
        return std::move(step->session);
    if (!second) {
        cancelLogin(step->pendingId);
        return Errc::SecondFactorRequired;
    }
    auto session = completeLogin(step->pendingId, secondKind, *second);
    cancelLogin(step->pendingId);
    return session;
}

// ---- Impl helpers used above ---------------------------------------------------------------

// Check-and-count in one IMMEDIATE transaction: the attempt is counted as a failure before the
// credential is verified and the count is cleared when the whole login succeeds. Two processes
// cannot both pass one throttle window, and an attempt that cannot be recorded is refused
// (fail closed).
Status Gatehouse::Impl::chargeAttempt(const QString& name, FactorCategory factor) {
    std::optional<Error> refused;
    Status s = vault->transaction([&]() -> Status {
        auto t = throttleOf(name);
        if (!t)
            return t.error();
        if (throttle::locked(t->failures)) {
            refused = Error{Errc::LockedOut, {}, 0};
            return record(name, QStringLiteral("login.locked"), Layer::Verification, Outcome::Denied, factor, name,
                          QStringLiteral("%1 failures").arg(t->failures));
        }
        if (const qint64 wait = throttle::remaining(t->failures, t->lastFailure, clock->nowSecs())) {
            refused = Error{Errc::Throttled, {}, wait};
            return record(name, QStringLiteral("login.throttled"), Layer::Verification, Outcome::Denied, factor, name,
                          QStringLiteral("retry in %1 s").arg(wait));
        }
        charged = {name, t->failures, t->lastFailure};
        return countFailure(name);
    });
    if (!s)
        return s;
    if (refused)
        return *refused;
    return ok();
}

// A proven credential takes back its own charge, restoring the counter exactly as it was, without
// clearing earlier failures: a right password does not wipe out wrong codes (RL-03).
Status Gatehouse::Impl::refundAttempt(const QString& name) {
    if (!charged || charged->name != name)
        return ok();
    auto st = vault->db().prepare(
        charged->failures == 0 ? "DELETE FROM login_throttle WHERE username = ?3"
                               : "UPDATE login_throttle SET failures = ?1, last_failure_at = ?2 WHERE username = ?3");
    if (!st)
        return st.error();
    if (charged->failures != 0)
        st->bind(1, charged->failures).bind(2, charged->lastFailure);
    st->bind(3, name);
    charged.reset();
    return st->done();
}

// The attempt was already counted by chargeAttempt(); this only records what failed.
void Gatehouse::Impl::failAttempt(const QString& name, const QString& action, FactorCategory factor,
                                  const QString& detail, Outcome outcome) {
    (void)record(name, action, Layer::Verification, outcome, factor, name, detail);
}

QString Gatehouse::Impl::maskedName(const QString& typed) {
    const QByteArray key = typed.trimmed().toLower().toUtf8();
    return QStringLiteral("unknown#") +
           QString::fromLatin1(crypto::mac(vault->subkey(2, kNameMaskContext), key).toHex().left(12));
}

// A PHC string at the current parameters for a password nobody knows, kept in the vault so an
// unknown name costs exactly one verification, like a known one (computed once per policy).
Status Gatehouse::Impl::ensureDummyHash() {
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

QByteArray Gatehouse::Impl::dummyHash() {
    if (dummy.isEmpty())
        (void)ensureDummyHash();
    return dummy;
}

void Gatehouse::Impl::expirePending() {
    const qint64 now = clock->monotonicMs();
    for (auto it = pending.begin(); it != pending.end();) {
        if (now - it->second.startedMs > kPendingLoginSecs * 1000)
            it = pending.erase(it);
        else
            ++it;
    }
}

// Success of the whole login: clear the counter, stamp the user, show pending notices, issue.
Result<Session> Gatehouse::Impl::completeWith(const UserRow& u, const QString& client, const QList<FactorKind>& factors,
                                              const QString& notice, const std::function<Status()>& inTransaction) {
    Session session;
    Status s = vault->transaction([&]() -> Status {
        if (inTransaction) {
            if (Status w = inTransaction(); !w)
                return w;
        }
        if (Status c = clearFailures(u.username); !c)
            return c;
        auto st = vault->db().prepare("UPDATE users SET last_login_at = ?, notice = NULL WHERE id = ?");
        if (!st)
            return st.error();
        st->bind(1, clock->nowSecs()).bind(2, u.id);
        if (Status up = st->done(); !up)
            return up;
        FactorCategory strongest = FactorCategory::Knowledge;
        for (FactorKind k : factors)
            if (categoryOf(k) == FactorCategory::Possession)
                strongest = FactorCategory::Possession;
        if (Status a = record(u.username, QStringLiteral("login.succeeded"), Layer::Verification, Outcome::Allowed,
                              strongest, u.username, factorNames(factors));
            !a)
            return a;
        auto issued = issueSession(u, client, factors, QStringLiteral("login"));
        if (!issued)
            return issued.error();
        session = std::move(issued.value());
        return ok();
    });
    if (!s)
        return s.error();
    QStringList notices;
    if (!u.notice.isEmpty())
        notices << u.notice; // e.g. a recovery code was used at an earlier login (RC-03)
    if (!notice.isEmpty())
        notices << notice;
    session.info.noticeForUser = notices.join(QLatin1Char(' '));
    return session;
}

Result<Session> Gatehouse::Impl::verifyTotpLogin(const UserRow& u, const QString& client, const SecureBuffer& code) {
    auto rows = activeTotp(*vault, u.id);
    if (!rows)
        return rows.error();
    const QString typed =
        QString::fromLatin1(code.chars(), static_cast<qsizetype>(code.size())).trimmed().remove(QLatin1Char(' '));
    const qint64 now = clock->nowSecs();
    for (const TotpRow& row : *rows) {
        const auto matched = totp::match(row.seed, now, row.params, typed);
        if (!matched)
            continue;
        // OTP-02: a step at or below the last accepted one is a replay, even after a restart.
        if (*matched <= row.lastStep) {
            failAttempt(u.username, QStringLiteral("totp.replayed"), FactorCategory::Possession,
                        QStringLiteral("factor %1, step %2").arg(row.id).arg(*matched), Outcome::Denied);
            return Errc::CodeReplayed;
        }
        const qint64 step = *matched;
        return completeWith(u, client, {FactorKind::Password, FactorKind::Totp}, QString(), [&]() -> Status {
            // The guard in the WHERE clause makes two concurrent uses of one step impossible.
            auto st = vault->db().prepare("UPDATE factors SET last_step = ?, last_used_at = ? "
                                          "WHERE id = ? AND last_step < ?");
            if (!st)
                return st.error();
            st->bind(1, step).bind(2, clock->nowSecs()).bind(3, row.id).bind(4, step);
            if (Status up = st->done(); !up)
                return up;
            return vault->db().changes() == 1 ? ok() : Status(Errc::CodeReplayed);
        });
    }
    // Not in the window: an old code (or a clock that is off) reads differently from a wrong one.
    bool expired = false;
    for (const TotpRow& row : *rows) {
        for (int k = 2; k <= kExpiredLookback && !expired; ++k) {
            expired = crypto::constantTimeEqual(
                totp::generate(row.seed, now - k * row.params.period, row.params).toLatin1(), typed.toLatin1());
        }
    }
    failAttempt(u.username, QStringLiteral("login.failed"), FactorCategory::Possession,
                expired ? QStringLiteral("expired code") : QStringLiteral("wrong code"));
    return expired ? Errc::CodeExpired : Errc::CodeWrong;
}

Result<Session> Gatehouse::Impl::verifyRecoveryLogin(const UserRow& u, const QString& client,
                                                     const SecureBuffer& code) {
    const auto canonical = recoverycodes::canonical(code);
    if (!canonical) {
        failAttempt(u.username, QStringLiteral("login.failed"), FactorCategory::Possession,
                    QStringLiteral("malformed recovery code"));
        return Errc::CodeWrong;
    }
    auto st = vault->db().prepare("SELECT r.id, r.code_hash FROM recovery_codes r JOIN factors f ON f.id = r.factor_id "
                                  "WHERE f.user_id = ? AND f.kind = 'recovery' AND r.used_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, u.id);
    qint64 matchedId = 0;
    while (st->step()) {
        // Every unused code is checked, match or not, so timing does not tell which one matched.
        const bool match = passwordhash::verify(st->text(1).toLatin1(), *canonical);
        if (match && !matchedId)
            matchedId = st->int64(0);
    }
    if (st->failed())
        return st->error();
    if (!matchedId) {
        failAttempt(u.username, QStringLiteral("login.failed"), FactorCategory::Possession,
                    QStringLiteral("wrong recovery code"));
        return Errc::CodeWrong;
    }
    int left = 0;
    auto result = completeWith(u, client, {FactorKind::Password, FactorKind::RecoveryCode}, QString(), [&]() -> Status {
        auto use = vault->db().prepare("UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL");
        if (!use)
            return use.error();
        use->bind(1, clock->nowSecs()).bind(2, matchedId);
        if (Status s = use->done(); !s)
            return s;
        if (vault->db().changes() != 1)
            return Errc::CodeWrong;
        auto count = vault->db().prepare("SELECT count(*) FROM recovery_codes r JOIN factors f ON f.id = r.factor_id "
                                         "WHERE f.user_id = ? AND r.used_at IS NULL");
        if (!count)
            return count.error();
        count->bind(1, u.id);
        if (!count->step())
            return count->error();
        left = static_cast<int>(count->int64(0));
        auto factor = vault->db().prepare(
            "UPDATE factors SET last_used_at = ? WHERE id = (SELECT factor_id FROM recovery_codes WHERE id = ?)");
        if (!factor)
            return factor.error();
        factor->bind(1, clock->nowSecs()).bind(2, matchedId);
        if (Status s = factor->done(); !s)
            return s;
        return record(u.username, QStringLiteral("recovery.used"), Layer::Verification, Outcome::Allowed,
                      FactorCategory::Possession, u.username, QStringLiteral("%1 codes left").arg(left));
    });
    if (!result)
        return result;
    // RC-03: the person hears about it now and at the next sign-in.
    const QString when = clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    auto notice = vault->db().prepare("UPDATE users SET notice = ? WHERE id = ?");
    if (notice) {
        notice
            ->bind(1, QStringLiteral("A recovery code was used to sign in to this account at %1 UTC; %2 left.")
                          .arg(when)
                          .arg(left))
            .bind(2, u.id);
        (void)notice->done();
    }
    Session session = std::move(result.value());
    const QString now =
        QStringLiteral("You signed in with a recovery code; %1 of %2 left.").arg(left).arg(recoverycodes::kCount);
    session.info.noticeForUser =
        session.info.noticeForUser.isEmpty() ? now : session.info.noticeForUser + QLatin1Char(' ') + now;
    if (left <= 3)
        session.info.noticeForUser += QStringLiteral(" Generate a new set in My security.");
    return session;
}

} // namespace gh
