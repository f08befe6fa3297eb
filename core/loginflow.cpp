// The login state machine of the facade: identify + password (L2) → second factor of another
// category when the account holds one → session (L3). Every step shares the per-username
// throttling counter (RL-01…RL-03). Each attempt is charged (failures + 1) before it is verified;
// a credential that proves right takes back its own charge (failures - 1), never writing back an
// older value, so attempts of other processes in between stay counted; a login that succeeds takes
// back only the charges it made itself. Only unlockUser and the owner's way out of the hard lock
// (password + recovery code, or password + a security key that verifies the user) clear the count.
#include "gatehouse_p.h"

#include "verification/otpauth.h"
#include "verification/recoverycodes.h"

#include <chrono>
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

QString stamp(const Clock& clock) {
    return clock.nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

// The digits of a typed code (spaces dropped) in a wiping buffer; empty when anything else is there.
SecureBuffer digitsOf(const SecureBuffer& typed) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < typed.size(); ++i) {
        const char c = typed.chars()[i];
        if (c >= '0' && c <= '9')
            ++n;
        else if (c != ' ')
            return {};
    }
    SecureBuffer out(n);
    std::size_t j = 0;
    for (std::size_t i = 0; i < typed.size(); ++i)
        if (typed.chars()[i] != ' ')
            out.data()[j++] = typed.data()[i];
    return out;
}

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
        const QByteArrayView seed = st->blobView(1); // straight into wiping memory (ST-05)
        r.seed = SecureBuffer(seed.data(), static_cast<std::size_t>(seed.size()));
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
    return beginLoginAs(rawName, password, client, nullptr);
}

Result<LoginStep> Gatehouse::beginLoginAs(const QString& rawName, const SecureBuffer& password, const QString& client,
                                          const SessionRecord* reauthRecord) {
    const std::optional<SessionRecord> reauth =
        reauthRecord ? std::optional<SessionRecord>(*reauthRecord) : std::nullopt;
    // Held for the vault work, released for Argon2id (below), so logins on several threads of
    // gatehoused verify in parallel (issue 10: Argon2id never runs under the global lock).
    std::unique_lock guard(m_lock);
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
    const qint64 uid = user ? user->id : 0;
    // Charged before verifying (refunded on success), so parallel attempts cannot share a window.
    // Refused only because of this service's own attempts still verifying: wait for them.
    qint64 seq = -1;
    const auto waitUntil = std::chrono::steady_clock::now() + std::chrono::milliseconds(Impl::kInFlightWaitMs);
    for (;;) {
        bool inFlightOnly = false;
        Status t = d->chargeAttempt(name, FactorCategory::Knowledge, uid, std::nullopt, &seq,
                                    std::chrono::steady_clock::now() < waitUntil ? &inFlightOnly : nullptr);
        if (t)
            break;
        if (inFlightOnly) {
            d->inFlightSettled.wait_until(guard, waitUntil);
            continue;
        }
        if (t.code() == Errc::LockedOut && !reauth) // a step-up is no way out: the owner signs in
            return d->beginLockedLogin(guard, user, name, password, client); // the owner's way out (RL-02)
        return t.error();
    }
    const Impl::InFlightCharge inFlight(*d, name); // settles when this function returns (lock held)
    // PW-02: bound the hashing cost before NFKC; no stored password is this long.
    if (password.size() > static_cast<std::size_t>(PasswordPolicy::kHardCapBytes) * 4) {
        d->failAttempt(name, QStringLiteral("login.failed"), FactorCategory::Knowledge,
                       QStringLiteral("password over the length cap"), Outcome::Failed, uid);
        return Errc::AuthenticationFailed;
    }
    const SecureBuffer norm = normalisedPassword(password);
    // Unknown users verify against a dummy hash stored with the vault at the same parameters:
    // same time, same answer (RL-04).
    const QByteArray phc = user ? user->hash : d->dummyHash();
    // The attempt is already charged (above), so releasing the lock opens no throttle window.
    guard.unlock();
    bool verified = passwordhash::verify(phc, norm);
    // A proven password stored at parameters below the policy is hashed again, also unlocked.
    std::optional<QByteArray> rehashed;
    if (verified && user && passwordhash::needsRehash(phc, d->hashParams))
        rehashed = passwordhash::hash(norm, d->hashParams);
    guard.lock();
    if (verified && user) {
        // What changed while the lock was free counts: the account as it is now, and the password
        // must still be the one just verified (a concurrent change or reset wins).
        auto now = d->findUser(QStringLiteral("id"), user->id);
        if (!now)
            return now.error();
        verified = now->has_value() && (*now)->hash == phc;
        if (verified)
            user = **now;
    }
    verified = verified && user.has_value();

    if (!verified) {
        d->failAttempt(name, QStringLiteral("login.failed"), FactorCategory::Knowledge,
                       QStringLiteral("wrong password or unknown user"), Outcome::Failed, uid);
        return Errc::AuthenticationFailed;
    }
    // The password is proven: its own charge goes back (and nothing else), in the same write
    // transaction as the step's outcome (issue 10: the charge and the outcome are a login's only
    // two writes, and only the outcome waits for the disk). A second step charges its attempts
    // separately; they go back only when the whole login succeeds.
    const auto refundAnd = [&](const QString& action, Outcome outcome, const QString& detail) -> Status {
        return d->vault->transaction([&]() -> Status {
            if (Status r = d->refundAttempt(name); !r)
                return r;
            return d->record(name, action, Layer::Verification, outcome, FactorCategory::Knowledge, name, detail,
                             Impl::self(uid));
        });
    };
    if (!user->enabled) {
        (void)refundAnd(QStringLiteral("login.denied"), Outcome::Denied, QStringLiteral("account disabled"));
        return Errc::AccountDisabled;
    }
    const qint64 now = d->clock->nowSecs();
    if (user->mustChange && user->passwordExpiresAt && now >= user->passwordExpiresAt) {
        (void)refundAnd(QStringLiteral("login.denied"), Outcome::Denied, QStringLiteral("temporary password expired"));
        return Error{Errc::AuthenticationFailed, QStringLiteral("temporary password expired"), 0};
    }
    int refund = 1; // this step's charge, until a transaction below takes it back
    // The new hash (computed above, unlocked) replaces the one just verified, and only that one.
    if (rehashed) {
        Status s = d->vault->transaction([&]() -> Status {
            auto st = d->vault->db().prepare("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?");
            if (!st)
                return st.error();
            st->bind(1, QString::fromLatin1(*rehashed)).bind(2, user->id).bind(3, QString::fromLatin1(phc));
            if (Status u = st->done(); !u)
                return u;
            if (d->vault->db().changes() == 0)
                return ok(); // changed meanwhile: the newer password stands (checked above, so rare)
            if (Status r = d->refundAttempt(name); !r)
                return r;
            refund = 0;
            return d->record(name, QStringLiteral("password.rehashed"), Layer::Verification, Outcome::Info,
                             FactorCategory::Knowledge, name, QStringLiteral("policy parameters rose"),
                             Impl::self(uid));
        });
        if (!s)
            return s.error();
    }

    auto offered = secondFactorsOf(*d->vault, user->id);
    if (!offered)
        return offered.error();
    LoginStep step;
    if (offered->isEmpty()) {
        const Impl::ReauthScope scope(*d, reauth);
        auto session = d->completeWith(*user, client, {FactorKind::Password}, QString(), refund);
        if (!session)
            return session.error();
        step.complete = true;
        step.session = std::move(session.value());
        return step;
    }
    if (Status r = refund ? refundAnd(QStringLiteral("login.first_factor"), Outcome::Allowed,
                                      QStringLiteral("second factor required"))
                          : d->record(name, QStringLiteral("login.first_factor"), Layer::Verification, Outcome::Allowed,
                                      FactorCategory::Knowledge, name, QStringLiteral("second factor required"),
                                      Impl::self(uid));
        !r)
        return r.error();
    d->expirePending();
    step.pendingId = QString::fromLatin1(d->random->bytes(16).toHex());
    step.offered = *offered;
    Impl::PendingLogin pending;
    pending.userId = user->id;
    pending.username = user->username;
    pending.client = client;
    pending.startedMs = d->clock->monotonicMs();
    pending.offered = *offered;
    pending.passwordOk = true;
    pending.passwordSeq = seq;
    pending.reauth = reauth;
    d->pending[step.pendingId] = pending;
    return step;
}

void Gatehouse::cancelLogin(const QString& pendingId) {
    std::lock_guard guard(m_lock);
    d->pending.erase(pendingId);
}

Result<Session> Gatehouse::completeLogin(const QString& pendingId, FactorKind kind, const SecureBuffer& code) {
    std::unique_lock guard(m_lock); // released for recovery codes' Argon2id
    if (!d->vault)
        return Errc::VaultNotFound;
    d->expirePending();
    const auto it = d->pending.find(pendingId);
    if (it == d->pending.end())
        return Errc::LoginExpired;
    const Impl::PendingLogin login = it->second;
    if (login.lockedOut) {
        // The hard lock's way out (RL-02): one try per password entry, a recovery code here (a key
        // goes through completeLoginWithKey); every failure reads the same.
        d->pending.erase(pendingId);
        std::optional<UserRow> u;
        if (login.userId) {
            auto found = d->findUser(QStringLiteral("id"), login.userId);
            if (!found)
                return found.error();
            u = *found;
        }
        if (kind != FactorKind::RecoveryCode || !u) {
            if (kind == FactorKind::RecoveryCode) { // an unknown name: the same work as a known one
                const Argon2Params params = d->recoveryParams();
                guard.unlock();
                const QByteArray dummy = passwordhash::dummyHash(params);
                for (int i = 0; i < recoverycodes::kCount; ++i)
                    (void)passwordhash::verify(dummy, code);
                guard.lock();
            }
            d->failAttempt(login.username, QStringLiteral("login.locked"), categoryOf(kind),
                           QStringLiteral("hard lock: only a recovery code or a security key that verifies the "
                                          "user opens it"),
                           Outcome::Denied, login.userId);
            return Errc::LockedOut;
        }
        return d->verifyRecoveryLogin(guard, *u, login.client, code, 0, true, login.passwordOk && u->enabled);
    }
    if (!login.offered.contains(kind))
        return Error{Errc::InvalidArgument, QStringLiteral("This account has no such factor."), 0};
    if (kind == FactorKind::SecurityKey || kind == FactorKind::SecurityKeyUv)
        return Error{Errc::InvalidArgument, QStringLiteral("A security key is used with completeLoginWithKey."), 0};
    // The first code after the password is part of the same attempt (see chargeAttempt).
    const std::optional<qint64> exempt =
        login.charges == 0 ? std::optional<qint64>(login.passwordSeq) : std::optional<qint64>();
    if (Status t = d->chargeAttempt(login.username, FactorCategory::Possession, login.userId, exempt); !t)
        return t.error();
    const int charges = ++it->second.charges; // this attempt's charge and the earlier ones of this login
    auto user = d->findUser(QStringLiteral("id"), login.userId);
    if (!user)
        return user.error();
    if (!user->has_value() || !(*user)->enabled) {
        d->pending.erase(pendingId);
        return Errc::AccountDisabled;
    }
    const UserRow& u = **user;
    Result<Session> result = Errc::Internal;
    if (kind == FactorKind::Totp) {
        const Impl::ReauthScope scope(*d, login.reauth); // no unlock until it ends
        result = d->verifyTotpLogin(u, login.client, code, charges);
    } else {
        // The codes' Argon2id releases the lock: the step-up scope is set after it, inside.
        result = d->verifyRecoveryLogin(guard, u, login.client, code, charges, false, true, login.reauth);
    }
    if (result)
        d->pending.erase(pendingId);
    return result;
}

Result<Session> Gatehouse::login(const QString& username, const SecureBuffer& password, const QString& client,
                                 FactorKind secondKind, const SecureBuffer* second) {
    return loginAs(username, password, client, secondKind, second, nullptr);
}

Result<Session> Gatehouse::loginAs(const QString& username, const SecureBuffer& password, const QString& client,
                                   FactorKind secondKind, const SecureBuffer* second, const SessionRecord* reauth) {
    // No lock of its own: each step takes it, and beginLogin must be able to release it for Argon2id.
    auto step = beginLoginAs(username, password, client, reauth);
    if (!step)
        return step.error();
    if (step->complete)
        return std::move(step->session);
    if (step->lockedOut && (!second || secondKind != FactorKind::RecoveryCode)) {
        cancelLogin(step->pendingId);
        return Errc::LockedOut;
    }
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
// credential is verified (failures + 1, with the time). Two processes cannot both pass one
// throttle window, and an attempt that cannot be recorded is refused (fail closed).
Status Gatehouse::Impl::chargeAttempt(const QString& name, FactorCategory factor, qint64 userId,
                                      std::optional<qint64> exemptIfSeq, qint64* seqOut, bool* inFlightOnly) {
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
                return record(name, QStringLiteral("login.locked"), Layer::Verification, Outcome::Denied, factor, name,
                              QStringLiteral("%1 failures").arg(t->failures), self(userId));
            }
            if (const qint64 wait = exempt ? 0 : throttle::remaining(t->failures, t->lastFailure, now)) {
                refused = Error{Errc::Throttled, {}, wait};
                return record(name, QStringLiteral("login.throttled"), Layer::Verification, Outcome::Denied, factor,
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
void Gatehouse::Impl::failAttempt(const QString& name, const QString& action, FactorCategory factor,
                                  const QString& detail, Outcome outcome, qint64 userId) {
    (void)record(name, action, Layer::Verification, outcome, factor, name, detail, self(userId));
}

// RL-04: the same normalisation as usernames (NFKC, case folding, trimmed), keyed so the audit
// log never holds what was typed.
QString Gatehouse::Impl::maskedName(const QString& typed) {
    const QByteArray key = foldName(typed).toUtf8();
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

Result<bool> Gatehouse::Impl::holdsSecondFactor(qint64 userId) {
    auto st = vault->db().prepare(
        "SELECT count(*) FROM factors WHERE user_id = ? AND kind IN ('totp', 'fido2') AND pending = 0");
    if (!st)
        return st.error();
    st->bind(1, userId);
    if (!st->step())
        return st->error();
    return st->int64(0) > 0;
}

Result<LoginStep> Gatehouse::Impl::beginLockedLogin(std::unique_lock<std::recursive_mutex>& guard,
                                                    const std::optional<UserRow>& user, const QString& name,
                                                    const SecureBuffer& password, const QString& client) {
    // The same work as an unlocked attempt; the verdict waits for the second step (which reads the
    // account again).
    bool passwordOk = false;
    if (password.size() <= static_cast<std::size_t>(PasswordPolicy::kHardCapBytes) * 4) {
        const SecureBuffer norm = normalisedPassword(password);
        const QByteArray phc = user ? user->hash : dummyHash();
        guard.unlock();
        passwordOk = passwordhash::verify(phc, norm) && user.has_value();
        guard.lock();
    }
    expirePending();
    LoginStep step;
    step.lockedOut = true;
    // The same offer for every name, known or not, with or without these factors (RL-04).
    step.offered = {FactorKind::SecurityKey, FactorKind::RecoveryCode};
    step.pendingId = QString::fromLatin1(random->bytes(16).toHex());
    PendingLogin p;
    p.userId = user ? user->id : 0;
    p.username = name;
    p.client = client;
    p.startedMs = clock->monotonicMs();
    p.offered = step.offered;
    p.lockedOut = true;
    p.passwordOk = passwordOk;
    pending[step.pendingId] = p;
    return step;
}

Status Gatehouse::Impl::liftHardLock(const UserRow& u, const QString& how) {
    auto t = throttleOf(u.username);
    if (!t)
        return t.error();
    if (Status c = clearFailures(u.username); !c)
        return c;
    if (Status a = record(
            u.username, QStringLiteral("login.lock_recovered"), Layer::Verification, Outcome::Allowed,
            FactorCategory::Possession, u.username,
            QStringLiteral("hard lock after %1 failures lifted by the owner: password + %2").arg(t->failures).arg(how),
            self(u.id));
        !a)
        return a;
    return notices->add(u.id,
                        QStringLiteral("At %1 UTC this account was unlocked with its password and %2, after %3 "
                                       "failed sign-in attempts. If that was not you, change your password and "
                                       "review your factors now.")
                            .arg(stamp(*clock), how)
                            .arg(t->failures),
                        clock->nowSecs(), true);
}

Status Gatehouse::Impl::collectNotices(const UserRow& u, Session& session) {
    auto open = notices->open(u.id);
    if (!open)
        return open.error();
    for (const NoticeRecord& n : *open) {
        AccountNotice a;
        a.id = n.id;
        a.created = n.created;
        a.alert = n.alert;
        a.text = n.text;
        a.shown = n.shown;
        session.info.notices << a;
    }
    return notices->markShown(u.id, clock->nowSecs());
}

// Success of the whole login: take back this login's own charges, stamp the user, hand over the
// account's notices, issue.
Result<Session> Gatehouse::Impl::completeWith(const UserRow& u, const QString& client, const QList<FactorKind>& factors,
                                              const QString& notice, int charges,
                                              const std::function<Status()>& inTransaction) {
    // stepUp(): the proof has to reach the session's own level (SES-04).
    if (reauthenticating && static_cast<int>(assuranceOf(factors)) < reauthenticating->aal) {
        (void)refundAttempt(u.username, charges); // the credentials were right: not failures
        const QString why = QStringLiteral("this session was opened at %1 and a step-up proved %2")
                                .arg(aalName(static_cast<Aal>(reauthenticating->aal)), aalName(assuranceOf(factors)));
        (void)record(u.username, QStringLiteral("session.step_up_refused"), Layer::Session, Outcome::Denied,
                     FactorCategory::None, reauthenticating->id, why, self(u.id));
        return Error{
            Errc::NotPermitted,
            QStringLiteral("%1; confirm it's you with the factors you signed in with, or sign in again").arg(why), 0};
    }
    Session session;
    Status s = vault->transaction([&]() -> Status {
        // Notices first: what the success itself adds (a recovery code used …) waits for the next
        // sign-in (RC-03). A step-up is no sign-in: its holder is told at the next one.
        if (!reauthenticating)
            if (Status n = collectNotices(u, session); !n)
                return n;
        if (inTransaction) {
            if (Status w = inTransaction(); !w)
                return w;
        }
        if (Status c = refundAttempt(u.username, charges); !c)
            return c;
        auto st = vault->db().prepare("UPDATE users SET last_login_at = ? WHERE id = ?");
        if (!st)
            return st.error();
        st->bind(1, clock->nowSecs()).bind(2, u.id);
        if (Status up = st->done(); !up)
            return up;
        const FactorCategory strongest =
            assuranceOf(factors) >= Aal::Aal2 ? FactorCategory::Possession : FactorCategory::Knowledge;
        if (Status a = record(u.username, QStringLiteral("login.succeeded"), Layer::Verification, Outcome::Allowed,
                              strongest, u.username, factorNames(factors), self(u.id));
            !a)
            return a;
        QList<AccountNotice> collected = std::move(session.info.notices);
        auto issued = issueSession(u, client, factors, QStringLiteral("login"));
        if (!issued)
            return issued.error();
        session = std::move(issued.value());
        session.info.notices = std::move(collected);
        if (!reauthenticating)
            return ok();
        // stepUp(): the session it re-authenticates ends now, unless it ended meanwhile (revoked
        // while the password was being verified): then nothing is issued.
        if (Status e = sessions->end(reauthenticating->id, QStringLiteral("step-up"), u.username); !e)
            return e;
        if (vault->db().changes() == 0)
            return Error{Errc::SessionInvalid, QStringLiteral("the session ended while it was being confirmed"), 0};
        return record(u.username, QStringLiteral("session.stepped_up"), Layer::Session, Outcome::Allowed,
                      session.info.factor, session.info.id, QStringLiteral("replaces %1").arg(reauthenticating->id),
                      by(u.id));
    });
    if (!s)
        return s.error();
    QStringList texts;
    for (const AccountNotice& n : session.info.notices)
        if (!n.shown)
            texts << n.text; // e.g. a recovery code was used at an earlier login (RC-03)
    if (!notice.isEmpty())
        texts << notice;
    session.info.noticeForUser = texts.join(QLatin1Char(' '));
    return session;
}

Result<Session> Gatehouse::Impl::verifyTotpLogin(const UserRow& u, const QString& client, const SecureBuffer& code,
                                                 int charges) {
    auto rows = activeTotp(*vault, u.id);
    if (!rows)
        return rows.error();
    const SecureBuffer typed = digitsOf(code); // never a QString (ST-06)
    const qint64 now = clock->nowSecs();
    // OTP-04: a replayed code is audited and the owner is told at the next sign-in.
    auto replayed = [&](qint64 factorId, qint64 step) -> Error {
        failAttempt(u.username, QStringLiteral("totp.replayed"), FactorCategory::Possession,
                    QStringLiteral("factor %1, step %2").arg(factorId).arg(step), Outcome::Denied, u.id);
        (void)notices->add(u.id,
                           QStringLiteral("At %1 UTC an authenticator code that had already been used was entered "
                                          "again for this account. If that was not you, someone may know your "
                                          "password: change it.")
                               .arg(stamp(*clock)),
                           now, true, QStringLiteral("totp.replayed"));
        return Error{Errc::CodeReplayed, {}, 0};
    };
    for (const TotpRow& row : *rows) {
        const auto matched = totp::match(row.seed, now, row.params, typed);
        if (!matched)
            continue;
        // OTP-02: a step at or below the last accepted one is a replay, even after a restart.
        if (*matched <= row.lastStep)
            return replayed(row.id, *matched);
        const qint64 step = *matched;
        auto result =
            completeWith(u, client, {FactorKind::Password, FactorKind::Totp}, QString(), charges, [&]() -> Status {
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
        if (!result && result.code() == Errc::CodeReplayed)
            return replayed(row.id, step); // another process used this step a moment ago
        return result;
    }
    // Not in the window: an old code (or a clock that is off) reads differently from a wrong one.
    bool expired = false;
    for (const TotpRow& row : *rows) {
        for (int k = 2; k <= kExpiredLookback && !expired; ++k) {
            QString old = totp::generate(row.seed, now - k * row.params.period, row.params);
            QByteArray digits = old.toLatin1();
            expired = crypto::constantTimeEqual(reinterpret_cast<const unsigned char*>(digits.constData()),
                                                static_cast<std::size_t>(digits.size()), typed.data(), typed.size());
            wipe(digits);
            wipe(old);
        }
    }
    failAttempt(u.username, QStringLiteral("login.failed"), FactorCategory::Possession,
                expired ? QStringLiteral("expired code") : QStringLiteral("wrong code"), Outcome::Failed, u.id);
    return expired ? Errc::CodeExpired : Errc::CodeWrong;
}

Result<Session> Gatehouse::Impl::verifyRecoveryLogin(std::unique_lock<std::recursive_mutex>& guard,
                                                     const UserRow& account, const QString& client,
                                                     const SecureBuffer& code, int charges, bool liftLock,
                                                     bool passwordOk, const std::optional<SessionRecord>& reauth) {
    UserRow u = account;
    const Errc wrong = liftLock ? Errc::LockedOut : Errc::CodeWrong;
    const QString failedAction = liftLock ? QStringLiteral("login.locked") : QStringLiteral("login.failed");
    const auto canonical = recoverycodes::canonical(code);
    if (!canonical) {
        failAttempt(u.username, failedAction, FactorCategory::Possession, QStringLiteral("malformed recovery code"),
                    liftLock ? Outcome::Denied : Outcome::Failed, u.id);
        return wrong;
    }
    auto st = vault->db().prepare("SELECT r.id, r.code_hash FROM recovery_codes r JOIN factors f ON f.id = r.factor_id "
                                  "WHERE f.user_id = ? AND f.kind = 'recovery' AND r.used_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, u.id);
    std::vector<std::pair<qint64, QByteArray>> unused;
    while (st->step())
        unused.emplace_back(st->int64(0), st->text(1).toLatin1());
    if (st->failed())
        return st->error();
    st.value() = {}; // no statement stays open while the lock is free
    qint64 matchedId = 0;
    guard.unlock();
    // Every unused code is checked, match or not, so timing does not tell which one matched.
    for (const auto& [id, hash] : unused)
        if (passwordhash::verify(hash, *canonical) && !matchedId)
            matchedId = id;
    guard.lock();
    // What changed while the lock was free counts: the account as it is now (disabled, deleted);
    // the code's own use is guarded below (used_at IS NULL).
    auto current = findUser(QStringLiteral("id"), u.id);
    if (!current)
        return current.error();
    if (!current->has_value() || !(*current)->enabled)
        passwordOk = false;
    else
        u = **current;
    if (!matchedId || !passwordOk) {
        // On the locked path the password's verdict is told only together with the code's.
        failAttempt(u.username, failedAction, FactorCategory::Possession,
                    liftLock ? QStringLiteral("hard lock: recovery code %1, password %2")
                                   .arg(matchedId ? QStringLiteral("right") : QStringLiteral("wrong"),
                                        passwordOk ? QStringLiteral("right") : QStringLiteral("wrong"))
                             : QStringLiteral("wrong recovery code"),
                    liftLock ? Outcome::Denied : Outcome::Failed, u.id);
        return wrong;
    }
    int left = 0;
    const ReauthScope scope(*this, reauth); // the lock is held from here on
    auto result =
        completeWith(u, client, {FactorKind::Password, FactorKind::RecoveryCode}, QString(), charges, [&]() -> Status {
            auto use = vault->db().prepare("UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL");
            if (!use)
                return use.error();
            use->bind(1, clock->nowSecs()).bind(2, matchedId);
            if (Status s = use->done(); !s)
                return s;
            if (vault->db().changes() != 1)
                return wrong; // another process used this code a moment ago
            auto count = vault->db().prepare("SELECT count(*) FROM recovery_codes r JOIN factors f ON "
                                             "f.id = r.factor_id WHERE f.user_id = ? AND r.used_at IS NULL");
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
            if (Status a = record(u.username, QStringLiteral("recovery.used"), Layer::Verification, Outcome::Allowed,
                                  FactorCategory::Possession, u.username, QStringLiteral("%1 codes left").arg(left),
                                  self(u.id));
                !a)
                return a;
            if (liftLock)
                if (Status l = liftHardLock(u, QStringLiteral("a recovery code")); !l)
                    return l;
            // RC-03: the person hears about it now and at the next sign-in.
            return notices->add(
                u.id,
                QStringLiteral("A recovery code was used to sign in to this account at %1 UTC; %2 left.")
                    .arg(stamp(*clock))
                    .arg(left),
                clock->nowSecs());
        });
    if (!result)
        return result;
    Session session = std::move(result.value());
    QString now =
        QStringLiteral("You signed in with a recovery code; %1 of %2 left.").arg(left).arg(recoverycodes::kCount);
    if (liftLock)
        now.prepend(QStringLiteral("Your account was locked after too many failed attempts; your password and a "
                                   "recovery code unlocked it. "));
    session.info.noticeForUser =
        session.info.noticeForUser.isEmpty() ? now : session.info.noticeForUser + QLatin1Char(' ') + now;
    if (left <= 3)
        session.info.noticeForUser += QStringLiteral(" Generate a new set in My security.");
    return session;
}

} // namespace gh
