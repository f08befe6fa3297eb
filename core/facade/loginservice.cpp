// LoginService (io.gatehouse.Gatehouse1.Login): the login state machine of the facade: identify +
// password (L2) → second factor of another category when the account holds one → session (L3).
// Every step shares the per-username throttling counter (RL-01…RL-03). Each attempt is charged
// (failures + 1) before it is verified; a credential that proves right takes back its own charge
// (failures - 1), never writing back an older value, so attempts of other processes in between stay
// counted; a login that succeeds takes back only the charges it made itself. Only unlockUser and the
// owner's way out of the hard lock (password + recovery code, or password + a security key that
// verifies the user) clear the count. Also here: validate/touch, logout, step-up and the password
// change, and the security-key login step (the ceremony is explained in securitykeys.h).
#include "loginservice.h"

#include "core.h"
#include "gatehouse.h"
#include "securitykeys.h"

#include "verification/otpauth.h"
#include "verification/recoverycodes.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace gh {

struct LoginService::PendingLogin {
    qint64 userId = 0;
    QString username;
    QString client;
    qint64 startedMs = 0; // monotonic
    QList<FactorKind> offered;
    int charges = 0;                     // throttle charges this login made (taken back when it succeeds)
    qint64 passwordSeq = -1;             // the charge_seq of its password step (see Core::chargeAttempt)
    bool lockedOut = false;              // the account was hard-locked: only the owner's way out is open
    bool passwordless = false;           // beginKeyLogin: a key that verifies the user, no password (ATK-04)
    bool passwordOk = false;             // the first step's verdict (told only with the second's when locked)
    QByteArray passwordHash;             // the stored hash the first step verified (see stillCurrent)
    quint64 generation = 0;              // Core::accountGeneration at the first step
    std::optional<SessionRecord> reauth; // a step-up of this session (see stepUp)
};

struct LoginService::State {
    explicit State(Core& core) : keyCeremonies(*core.clock, *core.random) {}
    std::map<QString, PendingLogin> pending;
    KeyCeremonies keyCeremonies; // security-key login steps between begin and finish
};

LoginService::LoginService(Core& core) : FacadeService(core), m_state(std::make_unique<State>(core)) {}

LoginService::~LoginService() = default;

namespace {

// A valid P-256 public key (x||y of the curve's generator) no credential has: what a passwordless
// answer that names no key of the account is checked against, so that it costs what a real check
// costs (see completeLoginWithKeyAssertion).
const QByteArray& standInPublicKey() {
    static const QByteArray key =
        QByteArray::fromHex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
    return key;
}

struct TotpRow {
    qint64 id = 0;
    SecureBuffer seed;
    TotpParams params;
    qint64 lastStep = -1;
};

// Codes this far outside the window are reported as expired rather than wrong.
constexpr int kExpiredLookback = 10;
// Consecutive failures at which wrong codes after a right password read as someone else guessing.
constexpr int kRepeatedCodeFailures = 3;

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

// Whether the account holds a set of recovery codes (used up or not).
static bool hasRecoveryFactor(Vault& vault, qint64 userId) {
    auto st = vault.db().prepare("SELECT 1 FROM factors WHERE user_id = ? AND kind = ? AND pending = 0 LIMIT 1");
    if (!st)
        return false;
    st->bind(1, userId).bind(2, factorKindName(FactorKind::RecoveryCode));
    return st->step();
}

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

Result<LoginStep> LoginService::beginLogin(const QString& rawName, const SecureBuffer& password,
                                           const QString& client) {
    return beginLoginAs(rawName, password, client, nullptr);
}

Result<LoginStep> LoginService::beginLoginAs(const QString& rawName, const SecureBuffer& password,
                                             const QString& client, const SessionRecord* reauthRecord) {
    const std::optional<SessionRecord> reauth =
        reauthRecord ? std::optional<SessionRecord>(*reauthRecord) : std::nullopt;
    // Held for the vault work, released for Argon2id (below), so logins on several threads of
    // gatehoused verify in parallel (issue 10: Argon2id never runs under the global lock).
    std::unique_lock guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    // While credential stuffing is in progress, sign-ins are paced per source (ATK-01); a step-up
    // comes from a session already proven and is not.
    if (!reauth)
        if (Status paced = m_core.paceSignIn(client); !paced)
            return paced.error();
    const auto valid = normaliseUsername(rawName);
    auto found = m_core.accountNamed(valid);
    if (!found)
        return found.error();
    std::optional<UserRow> user = *found;
    // Unknown and invalid names are throttled exactly like real ones (RL-04), under a keyed hash
    // of what was typed: a password typed into the name field never reaches the vault or audit.
    const QString name = user ? user->username : m_core.maskedName(rawName);
    const qint64 uid = user ? user->id : 0;
    // Charged before verifying (refunded on success), so parallel attempts cannot share a window.
    // Refused only because of this service's own attempts still verifying: wait for them.
    qint64 seq = -1;
    const auto waitUntil = std::chrono::steady_clock::now() + std::chrono::milliseconds(Core::kInFlightWaitMs);
    for (;;) {
        bool inFlightOnly = false;
        Status t = m_core.chargeAttempt(name, FactorCategory::Knowledge, uid, std::nullopt, &seq,
                                        std::chrono::steady_clock::now() < waitUntil ? &inFlightOnly : nullptr);
        if (t)
            break;
        if (inFlightOnly) {
            m_core.inFlightSettled.wait_until(guard, waitUntil);
            continue;
        }
        if (t.code() == Errc::LockedOut && !reauth)                       // a step-up is no way out: the owner signs in
            return beginLockedLogin(guard, user, name, password, client); // the owner's way out (RL-02)
        return t.error();
    }
    const Core::InFlightCharge inFlight(m_core, name); // settles when this function returns (lock held)
    // PW-02: bound the hashing cost before NFKC; no stored password is this long.
    // ATK-02: the stage that failed goes into the record (never into the answer, which is the same
    // for both, RL-04): identification (a name that is no account) or verification (the proof).
    const QString stage = !valid  ? QStringLiteral("identification: not a valid name")
                          : !user ? QStringLiteral("identification: no such account")
                                  : QStringLiteral("verification: wrong password");
    const auto failed = [&](const QString& why) {
        m_core.failAttempt(name, QStringLiteral("login.failed"), FactorCategory::Knowledge,
                           (user ? why : stage) + m_core.sourceText(client), Outcome::Failed, uid);
        if (!reauth)
            m_core.stuffingFailure(name, !user, client);
        return Errc::AuthenticationFailed;
    };
    if (password.size() > static_cast<std::size_t>(PasswordPolicy::kHardCapBytes) * 4)
        return failed(QStringLiteral("verification: password over the length cap"));
    const SecureBuffer norm = normalisedPassword(password);
    // Unknown users verify against a dummy hash stored with the vault at the same parameters:
    // same time, same answer (RL-04).
    const QByteArray phc = user ? user->hash : m_core.dummyHash();
    // The attempt is already charged (above), so releasing the lock opens no throttle window.
    guard.unlock();
    bool verified = passwordhash::verify(phc, norm);
    // A proven password stored at parameters below the policy is hashed again, also unlocked.
    std::optional<QByteArray> rehashed;
    if (verified && user && passwordhash::needsRehash(phc, m_core.hashParams))
        rehashed = passwordhash::hash(norm, m_core.hashParams);
    guard.lock();
    if (verified && user) {
        // What changed while the lock was free counts: the account as it is now, and the password
        // must still be the one just verified (a concurrent change or reset wins).
        auto now = m_core.findUser(QStringLiteral("id"), user->id);
        if (!now)
            return now.error();
        verified = now->has_value() && (*now)->hash == phc;
        if (verified)
            user = **now;
    }
    verified = verified && user.has_value();

    if (!verified)
        return failed(stage);
    // A password that proves right during credential stuffing is probably leaked (ATK-01).
    if (!reauth)
        m_core.stuffingSuccess(*user, client);
    // The password is proven: its own charge goes back (and nothing else), in the same write
    // transaction as the step's outcome (issue 10: the charge and the outcome are a login's only
    // two writes, and only the outcome waits for the disk). A second step charges its attempts
    // separately; they go back only when the whole login succeeds.
    const auto refundAnd = [&](const QString& action, Outcome outcome, const QString& detail) -> Status {
        return m_core.vault->transaction([&]() -> Status {
            if (Status r = m_core.refundAttempt(name); !r)
                return r;
            return m_core.record(name, action, Layer::Verification, outcome, FactorCategory::Knowledge, name, detail,
                                 Core::self(uid));
        });
    };
    if (!user->enabled) {
        (void)refundAnd(QStringLiteral("login.denied"), Outcome::Denied, QStringLiteral("account disabled"));
        return Errc::AccountDisabled;
    }
    const qint64 now = m_core.clock->nowSecs();
    if (user->mustChange && user->passwordExpiresAt && now >= user->passwordExpiresAt) {
        (void)refundAnd(QStringLiteral("login.denied"), Outcome::Denied, QStringLiteral("temporary password expired"));
        return Error{Errc::AuthenticationFailed, QStringLiteral("temporary password expired"), 0};
    }
    int refund = 1;          // this step's charge, until a transaction below takes it back
    QByteArray stored = phc; // what the vault holds now (a pending login remembers it)
    // The new hash (computed above, unlocked) replaces the one just verified, and only that one.
    if (rehashed) {
        Status s = m_core.vault->transaction([&]() -> Status {
            auto st =
                m_core.vault->db().prepare("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?");
            if (!st)
                return st.error();
            st->bind(1, QString::fromLatin1(*rehashed)).bind(2, user->id).bind(3, QString::fromLatin1(phc));
            if (Status u = st->done(); !u)
                return u;
            if (m_core.vault->db().changes() == 0)
                return ok(); // changed meanwhile: the newer password stands (checked above, so rare)
            stored = *rehashed;
            if (Status r = m_core.refundAttempt(name); !r)
                return r;
            refund = 0;
            return m_core.record(name, QStringLiteral("password.rehashed"), Layer::Verification, Outcome::Info,
                                 FactorCategory::Knowledge, name, QStringLiteral("policy parameters rose"),
                                 Core::self(uid));
        });
        if (!s)
            return s.error();
    }

    auto offered = secondFactorsOf(*m_core.vault, user->id);
    if (!offered)
        return offered.error();
    LoginStep step;
    if (offered->isEmpty()) {
        auto session = completeWith(*user, client, {FactorKind::Password}, QString(), refund, reauthRecord);
        if (!session)
            return session.error();
        step.complete = true;
        step.session = std::move(session.value());
        return step;
    }
    if (Status r = refund ? refundAnd(QStringLiteral("login.first_factor"), Outcome::Allowed,
                                      QStringLiteral("second factor required"))
                          : m_core.record(name, QStringLiteral("login.first_factor"), Layer::Verification,
                                          Outcome::Allowed, FactorCategory::Knowledge, name,
                                          QStringLiteral("second factor required"), Core::self(uid));
        !r)
        return r.error();
    expirePending();
    step.pendingId = QString::fromLatin1(m_core.random->bytes(16).toHex());
    step.offered = *offered;
    PendingLogin pending;
    pending.userId = user->id;
    pending.username = user->username;
    pending.client = client;
    pending.startedMs = m_core.clock->monotonicMs();
    pending.offered = *offered;
    pending.passwordOk = true;
    pending.passwordHash = stored;
    pending.generation = m_core.accountGeneration(user->id);
    pending.passwordSeq = seq;
    pending.reauth = reauth;
    m_state->pending[step.pendingId] = pending;
    return step;
}

Result<LoginStep> LoginService::beginKeyLogin(const QString& rawName, const QString& client) {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    // No password is checked here, so nothing is charged and the password's throttle (or hard
    // lock) does not apply; nor is the key step charged (completeLoginWithKeyAssertion).
    // Every name gets a pending login, known or not (RL-04); an unknown one is kept under the
    // keyed hash that its password attempts use.
    const auto valid = normaliseUsername(rawName);
    auto found = m_core.accountNamed(valid);
    if (!found)
        return found.error();
    std::optional<UserRow> user = *found;
    expirePending();
    LoginStep step;
    step.offered = {FactorKind::SecurityKeyUv};
    step.pendingId = QString::fromLatin1(m_core.random->bytes(16).toHex());
    PendingLogin p;
    p.userId = user ? user->id : 0;
    p.username = user ? user->username : m_core.maskedName(rawName);
    p.client = client;
    p.startedMs = m_core.clock->monotonicMs();
    p.offered = {FactorKind::SecurityKey};
    p.passwordless = true;
    if (user) {
        p.passwordHash = user->hash;
        p.generation = m_core.accountGeneration(user->id);
    }
    m_state->pending[step.pendingId] = p;
    return step;
}

void LoginService::cancelLogin(const QString& pendingId) {
    std::lock_guard guard(m_core.lock);
    m_state->pending.erase(pendingId);
}

Result<Session> LoginService::completeLogin(const QString& pendingId, FactorKind kind, const SecureBuffer& code) {
    std::unique_lock guard(m_core.lock); // released for recovery codes' Argon2id
    if (!m_core.vault)
        return Errc::VaultNotFound;
    expirePending();
    const auto it = m_state->pending.find(pendingId);
    if (it == m_state->pending.end())
        return Errc::LoginExpired;
    const PendingLogin login = it->second;
    if (login.lockedOut) {
        // The hard lock's way out (RL-02): one try per password entry, a recovery code here (a key
        // goes through completeLoginWithKey); every failure reads the same.
        m_state->pending.erase(pendingId);
        std::optional<UserRow> u;
        if (login.userId) {
            auto found = m_core.findUser(QStringLiteral("id"), login.userId);
            if (!found)
                return found.error();
            u = *found;
        }
        if (kind != FactorKind::RecoveryCode || !u) {
            if (kind == FactorKind::RecoveryCode) { // an unknown name: the same work as a known one
                const Argon2Params params = m_core.recoveryParams();
                guard.unlock();
                const QByteArray dummy = passwordhash::dummyHash(params);
                for (int i = 0; i < recoverycodes::kCount; ++i)
                    (void)passwordhash::verify(dummy, code);
                guard.lock();
            }
            m_core.failAttempt(login.username, QStringLiteral("login.locked"), categoryOf(kind),
                               QStringLiteral("hard lock: only a recovery code or a security key that verifies the "
                                              "user opens it"),
                               Outcome::Denied, login.userId);
            return Errc::LockedOut;
        }
        return verifyRecoveryLogin(guard, *u, login.client, code, 0, true,
                                   login.passwordOk && u->enabled && stillCurrent(login, *u));
    }
    if (!login.offered.contains(kind) || login.passwordless) {
        // Past the password (a pending login is made only then): saying the codes are used up
        // tells the person who knows it what to do, and nobody else anything.
        if (kind == FactorKind::RecoveryCode && !login.passwordless && hasRecoveryFactor(*m_core.vault, login.userId))
            return Error{Errc::InvalidArgument,
                         QStringLiteral("Every recovery code of this account has been used. Sign in with the "
                                        "authenticator app or the security key, then make a new set (My security, "
                                        "or gatehousectl factor add-recovery)."),
                         0};
        return Error{Errc::InvalidArgument, QStringLiteral("This account has no such factor."), 0};
    }
    if (kind == FactorKind::SecurityKey || kind == FactorKind::SecurityKeyUv)
        return Error{Errc::InvalidArgument, QStringLiteral("A security key is used with completeLoginWithKey."), 0};
    // The account as it is now: a sign-in begun before a reset, a password change, a disable or a
    // deletion starts again (red team t03), before anything is charged or checked.
    {
        auto now = m_core.findUser(QStringLiteral("id"), login.userId);
        if (!now)
            return now.error();
        if (Status c = restartIfStale(pendingId, login, *now); !c)
            return c.error();
    }
    // The first code after the password is part of the same attempt (see chargeAttempt).
    const std::optional<qint64> exempt =
        login.charges == 0 ? std::optional<qint64>(login.passwordSeq) : std::optional<qint64>();
    if (Status t = m_core.chargeAttempt(login.username, FactorCategory::Possession, login.userId, exempt); !t)
        return t.error();
    const int charges = ++it->second.charges; // this attempt's charge and the earlier ones of this login
    auto user = m_core.findUser(QStringLiteral("id"), login.userId);
    if (!user)
        return user.error();
    if (!user->has_value() || !(*user)->enabled) {
        m_state->pending.erase(pendingId);
        return Errc::AccountDisabled;
    }
    const UserRow& u = **user;
    Result<Session> result = Errc::Internal;
    if (kind == FactorKind::Totp) {
        result = verifyTotpLogin(u, login.client, code, charges, login.reauth ? &*login.reauth : nullptr);
    } else {
        // The codes' Argon2id releases the lock; the step-up is passed along, never left in shared state.
        result = verifyRecoveryLogin(guard, u, login.client, code, charges, false, true,
                                     login.reauth ? &*login.reauth : nullptr);
    }
    if (result)
        m_state->pending.erase(pendingId);
    return result;
}

Result<Session> LoginService::fullLogin(const QString& username, const SecureBuffer& password, const QString& client,
                                        FactorKind secondKind, const SecureBuffer* second) {
    return loginAs(username, password, client, secondKind, second, nullptr);
}

Result<Session> LoginService::loginAs(const QString& username, const SecureBuffer& password, const QString& client,
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

Status LoginService::logout(Session& session) {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    auto record = m_core.sessions->validate(session.secret);
    session.secret = SecureBuffer(); // SES-02: the secret is gone either way
    if (!record)
        return record.code() == Errc::SessionInvalid ? ok() : Status(record.error());
    return m_core.vault->transaction([&]() -> Status {
        if (Status s = m_core.sessions->end(record->id, QStringLiteral("logout")); !s)
            return s;
        return m_core.record(session.info.username, QStringLiteral("session.ended"), Layer::Session, Outcome::Info,
                             FactorCategory::None, record->id, QStringLiteral("logout"), Core::by(record->userId));
    });
}

Result<SessionInfo> LoginService::validate(const Session& session) {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    // A check, not activity (the GUI polls this to notice revocation and expiry).
    auto record = m_core.sessions->validateNow(session.secret, SessionStore::Use::Peek);
    if (!record) {
        Error e = record.error();
        if (e.code == Errc::SessionInvalid) {
            if (!e.detail.isEmpty())
                m_core.auditRejected(session, e); // just expired: ended and audited once
            else
                e.detail = m_core.sessions->endReasonOf(session.secret); // why, for the lock screen
        }
        return e;
    }
    auto user = m_core.findUser(QStringLiteral("id"), record->userId);
    if (!user)
        return user.error();
    if (!user->has_value() || !(*user)->enabled)
        return Errc::SessionInvalid;
    return m_core.infoOf(record.value(), **user);
}

Status LoginService::changePassword(Session& session, const SecureBuffer& current, const SecureBuffer& next) {
    std::unique_lock guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::PasswordChangeOwn);
    if (!caller)
        return caller.error();
    // SES-04: a fresh session, and the current password on top (PW-10). Neither renews anything.
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("changing the password")); !f)
        return f;
    const UserRow user = caller->user;
    if (Status t = m_core.chargeAttempt(user.username, FactorCategory::Knowledge, user.id); !t)
        return t;
    const SecureBuffer currentNorm = normalisedPassword(current);
    const SecureBuffer nextNorm = normalisedPassword(next);
    const PasswordVerdict verdict = PasswordPolicy::check(nextNorm, user.username);
    const bool same =
        crypto::constantTimeEqual(currentNorm.data(), currentNorm.size(), nextNorm.data(), nextNorm.size());
    // Argon2id (the check and the new hash) with the lock released; the session and the stored
    // hash are checked again after it.
    guard.unlock();
    const bool proven = passwordhash::verify(user.hash, currentNorm);
    const auto phc = proven && verdict.acceptable() && !same ? passwordhash::hash(nextNorm, m_core.hashParams)
                                                             : std::optional<QByteArray>();
    guard.lock();
    if (!proven) {
        m_core.failAttempt(user.username, QStringLiteral("password.change_failed"), FactorCategory::Knowledge,
                           QStringLiteral("current password wrong"), Outcome::Failed, user.id);
        return Errc::AuthenticationFailed;
    }
    // The current password is proven: its own charge goes back, whatever the new one's fate.
    if (Status c = m_core.refundAttempt(user.username); !c)
        return c;
    if (!verdict.acceptable())
        return Error{Errc::PasswordRejected, PasswordPolicy::explain(verdict), 0};
    if (same)
        return Error{Errc::PasswordRejected, QStringLiteral("Choose a new password, not the current one."), 0};
    if (!phc)
        return Error{Errc::Internal, QStringLiteral("password hashing failed (out of memory?)"), 0};
    if (auto again = m_core.authorize(session, Permission::PasswordChangeOwn); !again)
        return again.error(); // ended while the lock was free

    Session renewed;
    Status s = m_core.vault->transaction([&]() -> Status {
        auto st = m_core.vault->db().prepare("UPDATE users SET password_hash = ?, must_change_password = 0, "
                                             "password_expires_at = NULL WHERE id = ? AND password_hash = ?");
        if (!st)
            return st.error();
        st->bind(1, QString::fromLatin1(*phc)).bind(2, user.id).bind(3, QString::fromLatin1(user.hash));
        if (Status u = st->done(); !u)
            return u;
        if (m_core.vault->db().changes() != 1) // changed by another process since it was verified
            return Error{Errc::AuthenticationFailed, QStringLiteral("the password was changed meanwhile"), 0};
        // Every session of the account ends with the old password; the caller gets a new secret.
        if (Status e = m_core.sessions->endAllForUser(user.id, QStringLiteral("password changed")); !e)
            return e;
        if (Status a =
                m_core.record(user.username, QStringLiteral("password.changed"), Layer::Verification, Outcome::Allowed,
                              FactorCategory::Knowledge, user.username, {}, Core::self(user.id));
            !a)
            return a;
        UserRow updated = user;
        updated.mustChange = false;
        // The same session continues: its AAL, freshness and absolute deadline stay (SES-03/04).
        auto issued =
            m_core.issueSession(updated, caller->record.client, parseFactors(caller->record.factors),
                                QStringLiteral("after password change"), &caller->record, false, caller->record.aal);
        if (!issued)
            return issued.error();
        renewed = std::move(issued.value());
        return ok();
    });
    if (!s)
        return s;
    session = std::move(renewed);
    return ok();
}

Status LoginService::touch(const Session& session) {
    std::lock_guard guard(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    auto record = m_core.sessions->validate(session.secret, SessionStore::Use::Activity);
    if (!record) {
        m_core.auditRejected(session, record.error());
        return record.error();
    }
    return ok();
}

Status LoginService::stepUp(Session& session, const SecureBuffer& password, FactorKind secondKind,
                            const SecureBuffer* second) {
    std::optional<SessionRecord> reauth;
    QString username;
    {
        std::lock_guard guard(m_core.lock);
        auto caller = m_core.authorize(session, Permission::PasswordChangeOwn); // any live session of any role
        if (!caller)
            return caller.error();
        reauth = caller->record;
        username = caller->user.username;
    }
    // The whole login again (password, then the second factor the account holds): throttling,
    // replay protection and auditing are the login's own, and Argon2id runs outside the lock. It
    // must prove at least this session's AAL; the session it issues keeps this one's absolute
    // deadline, and this one ends in the same transaction (Core::completeWith, Core::issueSession).
    Result<Session> renewed = loginAs(username, password, reauth->client, secondKind, second, &*reauth);
    if (!renewed)
        return renewed.error();
    session = std::move(renewed.value());
    return ok();
}

Result<KeyAssertionRequest> LoginService::beginSecurityKeyAssertion(const QString& pendingId) {
    std::lock_guard lock(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    expirePending();
    auto it = m_state->pending.find(pendingId);
    if (it == m_state->pending.end())
        return Errc::LoginExpired;
    const PendingLogin login = it->second;
    if (!login.offered.contains(FactorKind::SecurityKey))
        return Error{Errc::InvalidArgument, QStringLiteral("This account has no security key."), 0};
    // A throttled or locked account does not get as far as asking for a touch. The attempt itself
    // is charged in finish, when there is a signature to check (device-side failures such as no
    // key or a timeout are not guesses; a wrong PIN is limited by the key itself, FIDO-06). A
    // hard-locked account (RL-02) goes on: a key that verifies the user is the owner's way out.
    // The first key attempt after the password is part of the same attempt (Core::chargeAttempt).
    // A passwordless sign-in is not charged at all (ATK-04, see completeLoginWithKeyAssertion).
    if (!login.lockedOut && !login.passwordless) {
        const std::optional<qint64> exempt =
            login.charges == 0 ? std::optional<qint64>(login.passwordSeq) : std::optional<qint64>();
        auto t = m_core.throttleOf(login.username);
        if (!t)
            return t.error();
        const bool waits = !(exempt && *exempt == t->seq) &&
                           throttle::remaining(t->failures, t->lastFailure, m_core.clock->nowSecs()) > 0;
        if (throttle::locked(t->failures) || waits)
            return m_core.chargeAttempt(login.username, FactorCategory::Possession, login.userId, exempt)
                .error(); // audits the refusal
    }
    auto rpId = rpIdOf(*m_core.vault);
    if (!rpId)
        return rpId.error();
    std::vector<KeyRow> keys;
    if (login.userId) {
        auto found = keysOf(*m_core.vault, login.userId);
        if (!found)
            return found.error();
        keys = std::move(found.value());
    }
    if (keys.empty() && !login.lockedOut && !login.passwordless)
        return Error{Errc::InvalidArgument, QStringLiteral("This account has no security key."), 0};
    KeyAssertionRequest request;
    request.rpId = *rpId;
    request.clientDataHash = clientDataHash("webauthn.get", m_core.random->bytes(fido2::kChallengeBytes), *rpId);
    for (const KeyRow& k : keys)
        request.allowCredentials << k.credentialId; // FIDO-02: this user's credentials only
    // On the locked and the passwordless path (which anyone may start) every name is asked for the
    // same number of ids: its own keys' and stand-ins no key holds. An unknown name, or one without
    // keys, gets stand-ins only, and the key answers "not registered" as it would for a stranger's
    // key (RL-04).
    if (login.lockedOut || login.passwordless) {
        auto fill = standInCredentialIds(*m_core.vault, login.username,
                                         std::max(0, Gatehouse::kOfferedKeyIds - int(request.allowCredentials.size())));
        if (!fill)
            return fill.error();
        request.allowCredentials << *fill;
        std::sort(request.allowCredentials.begin(), request.allowCredentials.end()); // no telling by position
    }
    // The password already proved knowledge, so UV is not required (FIDO-06); passwordless sign-in
    // (beginKeyLogin) requires it: the key's PIN or fingerprint is the second factor there. The hard
    // lock opens only with UV (RL-02, ATK-04).
    request.userVerification = login.lockedOut || login.passwordless;
    request.timeoutMs = Gatehouse::kKeyTimeoutMs;
    KeyCeremony c;
    c.pendingId = pendingId;
    c.clientDataHash = request.clientDataHash;
    c.allow = request.allowCredentials;
    c.requireUv = request.userVerification;
    request.ceremonyId = m_state->keyCeremonies.add(std::move(c));
    return request;
}

Error LoginService::abortSecurityKeyAssertion(const QString& pendingId, const QString& ceremonyId,
                                              const Error& deviceError) {
    std::lock_guard lock(m_core.lock);
    const Error e = deviceErrorOf(deviceError);
    if (!m_core.vault)
        return e;
    if (!m_state->keyCeremonies.take(ceremonyId,
                                     [&](const KeyCeremony& c) { return !c.enrolment && c.pendingId == pendingId; }))
        return e; // nothing of this login's to end
    expirePending();
    auto it = m_state->pending.find(pendingId);
    if (it == m_state->pending.end())
        return Error{Errc::LoginExpired, {}, 0};
    const PendingLogin login = it->second;
    // A key that asks for its PIN has verified nothing yet: the client asks the person and begins
    // again with it. Not a failure, so not recorded as one.
    if (e.code != Errc::KeyPinRequired)
        recordKeyFault(login, QString::number(int(e.code)), QStringLiteral("the client reports: %1").arg(describe(e)));
    // On the locked path what the person can act on passes (plug the key in, its PIN, touch it,
    // cancel); anything else (not registered, no user verification) reads as the lock.
    const Errc code = e.code;
    const bool actionable = code == Errc::KeyNotFound || code == Errc::KeyPinRequired || code == Errc::KeyPinWrong ||
                            code == Errc::KeyPinBlocked || code == Errc::KeyTimeout || code == Errc::KeyCancelled ||
                            code == Errc::KeyRemoved || code == Errc::KeyDenied;
    if (login.lockedOut && !actionable) {
        m_state->pending.erase(pendingId);
        return Error{Errc::LockedOut, QStringLiteral("the key cannot open the lock: %1").arg(describe(e)), 0};
    }
    return e;
}

Result<Session> LoginService::completeLoginWithKeyAssertion(const QString& pendingId, const QString& ceremonyId,
                                                            const KeyAssertion& assertion) {
    std::lock_guard lock(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    // FIDO-02: the challenge is single-use and this pending login's own.
    const auto ceremony = m_state->keyCeremonies.take(
        ceremonyId, [&](const KeyCeremony& c) { return !c.enrolment && c.pendingId == pendingId; });
    expirePending();
    auto it = m_state->pending.find(pendingId);
    if (it == m_state->pending.end())
        return Errc::LoginExpired; // cancelled or expired while the key waited
    if (!ceremony) {
        recordKeyFault(it->second, QStringLiteral("stale"), describe(staleCeremony()));
        return staleCeremony();
    }
    const PendingLogin login = it->second;
    const std::optional<qint64> exempt =
        login.charges == 0 ? std::optional<qint64>(login.passwordSeq) : std::optional<qint64>();
    auto rpId = rpIdOf(*m_core.vault);
    if (!rpId)
        return rpId.error();
    int charges = 0;
    // The locked path reads the account below (every failure reads the same); so does the
    // passwordless one (an unknown name reads like a key that is not registered, RL-04).
    if (!login.lockedOut && !login.passwordless) {
        auto now = m_core.findUser(QStringLiteral("id"), login.userId);
        if (!now)
            return now.error();
        if (Status c = restartIfStale(pendingId, login, *now); !c)
            return c.error();
    }
    // A passwordless sign-in charges no attempt counter (ATK-04): its answer is a signature, which
    // cannot be guessed, and the key limits guesses at its own PIN (FIDO-06). Charging it would let
    // anyone who can send a made-up answer throttle, then lock, the owner's way in (red team,
    // issue 13). For the same reason its failures stay out of the credential-stuffing detector,
    // whose pacing slows every password sign-in. They are recorded per source and name, folded
    // when repeated; the service's call limits pace each caller. Every failure gets one answer:
    // "not registered" (which failed is in the record), so the answer does not tell a name with
    // a key from one without.
    if (login.lockedOut) {
        m_state->pending.erase(it); // one try per password entry
    } else if (!login.passwordless) {
        if (Status t = m_core.chargeAttempt(login.username, FactorCategory::Possession, login.userId, exempt); !t)
            return t.error();
        charges = ++it->second.charges;
    }
    // Every failure on the locked path reads the same, whatever failed (no password oracle).
    auto lockedFailure = [&](const QString& why) -> Error {
        m_core.failAttempt(login.username, QStringLiteral("login.locked"), FactorCategory::Possession,
                           QStringLiteral("hard lock: %1").arg(why), Outcome::Denied, login.userId);
        return Error{Errc::LockedOut, {}, 0};
    };
    // `known`: the name is an account's. Failures for names that are not fold into one row per
    // source, however many names are tried (red team: 200 made-up names were 200 rows a minute).
    auto keyFailure = [&](const QString& why, bool known = true) {
        if (!login.passwordless) {
            m_core.failAttempt(login.username, QStringLiteral("login.failed"), FactorCategory::Possession, why,
                               Outcome::Failed, login.userId);
            return;
        }
        (void)m_core.recordRepeated(
            QStringLiteral("login.failed.key|%1|%2")
                .arg(m_core.sourceKey(login.client), known ? login.username : QStringLiteral("(no account)")),
            login.username, QStringLiteral("login.failed"), Layer::Verification, Outcome::Failed,
            FactorCategory::Possession, login.username,
            QStringLiteral("passwordless: %1%2").arg(why, m_core.sourceText(login.client)), Core::self(login.userId));
    };
    const Error notRegistered{
        Errc::KeyNotRegistered,
        QStringLiteral("This security key is not registered to this account. Use a key you added."), 0};
    std::optional<UserRow> found;
    if (login.userId) {
        auto user = m_core.findUser(QStringLiteral("id"), login.userId);
        if (!user)
            return user.error();
        found = *user;
    }
    // Passwordless, a failure before the signature check takes as long as one after it: the answer
    // is checked against a key all the same (the account's first, else a stand-in), so the time
    // does not tell a stand-in credential id from the real one, or a name with a key from one
    // without (RL-04; red team of issue 13: 0.25 ms apart before).
    auto decoyCheck = [&](const std::vector<KeyRow>* keys) {
        if (!login.passwordless)
            return;
        if (keys && !keys->empty())
            (void)fido2::verifyAssertion(assertion, *rpId, ceremony->clientDataHash, keys->front().algorithm,
                                         keys->front().publicKey, ceremony->requireUv);
        else
            (void)fido2::verifyAssertion(assertion, *rpId, ceremony->clientDataHash, fido2::kCoseEs256,
                                         standInPublicKey(), ceremony->requireUv);
    };
    // Passwordless: an unknown name (or one deleted meanwhile) reads like a key it does not know.
    if (login.passwordless && (!found || !stillCurrent(login, *found))) {
        decoyCheck(nullptr);
        keyFailure(found ? QStringLiteral("the account changed during the sign-in")
                         : QStringLiteral("identification: no such account"),
                   found.has_value());
        return notRegistered;
    }
    if (!found || (!found->enabled && !login.passwordless)) { // passwordless: told after the key's proof
        if (login.lockedOut)
            return lockedFailure(QStringLiteral("no such account"));
        m_state->pending.erase(pendingId);
        return Errc::AccountDisabled;
    }
    const UserRow& u = *found;
    // FIDO-02: the returned credential must be one we allowed, and still belong to this user
    // (re-read: it may have been removed while the key waited).
    auto current = keysOf(*m_core.vault, u.id);
    if (!current)
        return current.error();
    const QByteArray& returned = assertion.credentialId;
    const KeyRow* row = nullptr;
    for (const KeyRow& k : *current)
        if (ceremony->allow.contains(k.credentialId) && k.credentialId == returned)
            row = &k;
    if (!row) {
        if (login.lockedOut)
            return lockedFailure(QStringLiteral("a credential not registered to this account"));
        decoyCheck(&*current);
        keyFailure(QStringLiteral("security key answered with a credential not registered to this account"));
        return notRegistered;
    }
    auto verified = fido2::verifyAssertion(assertion, *rpId, ceremony->clientDataHash, row->algorithm, row->publicKey,
                                           ceremony->requireUv);
    if (!verified) {
        if (login.lockedOut)
            return lockedFailure(
                QStringLiteral("fido2 factor %1: %2").arg(row->factorId).arg(describe(verified.error())));
        keyFailure(QStringLiteral("fido2 factor %1: %2").arg(row->factorId).arg(describe(verified.error())));
        return login.passwordless ? notRegistered : verified.error();
    }
    // FIDO-04: a counter that does not grow (when either value is non-zero) may be a cloned key.
    const qint64 stored = row->signCount;
    const qint64 now = static_cast<qint64>(verified->signCount);
    if ((stored != 0 || now != 0) && now <= stored) {
        const QString when = m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        m_core.failAttempt(u.username, QStringLiteral("fido2.clone_suspected"), FactorCategory::Possession,
                           QStringLiteral("fido2 factor %1 (%2): signature counter %3 after %4; refused")
                               .arg(row->factorId)
                               .arg(row->label)
                               .arg(now)
                               .arg(stored),
                           Outcome::Denied, u.id);
        // Tell the person and every administrator at their next sign-in (the audit event is theirs
        // too). Notices append: nothing later can replace this one before it is seen.
        (void)m_core.notices->add(u.id,
                                  QStringLiteral("At %1 UTC your security key \"%2\" was refused: its signature "
                                                 "counter went backwards, which can mean it was copied. If you still "
                                                 "have it, remove and re-add it; otherwise remove it now.")
                                      .arg(when, row->label),
                                  m_core.clock->nowSecs(), true,
                                  QStringLiteral("fido2.clone_suspected:%1").arg(row->factorId));
        (void)m_core.notices->addForRole(
            roles::kAdmin,
            QStringLiteral("Security alert: at %1 UTC a security key of user %2 was refused "
                           "as a possible clone (signature counter went backwards). See the "
                           "audit log (fido2.clone_suspected).")
                .arg(when, u.username),
            m_core.clock->nowSecs(), true, QStringLiteral("fido2.clone_suspected.admin:%1").arg(row->factorId));
        return Errc::KeyCloneSuspected;
    }
    const bool uv = verified->flags & fido2::kFlagUv;
    if (login.lockedOut && (!uv || !login.passwordOk || !stillCurrent(login, u)))
        return lockedFailure(!uv                 ? QStringLiteral("the key did not verify the user")
                             : !login.passwordOk ? QStringLiteral("security key right, password wrong")
                                                 : QStringLiteral("security key right, password changed since"));
    if (login.passwordless)
        return completeKeyLogin(pendingId, login, u, *row, now, uv);
    QList<FactorKind> factors{FactorKind::Password, FactorKind::SecurityKey};
    if (uv)
        factors << FactorKind::SecurityKeyUv;
    const qint64 factorId = row->factorId;
    auto result = completeWith(u, login.client, factors, QString(), charges, nullptr, [&]() -> Status {
        // State changes only now, after every check passed; the guard on the old counter makes a
        // concurrent use of the same counter value fail instead of both succeeding.
        auto st = m_core.vault->db().prepare("UPDATE fido2_credentials SET sign_count = ?, uv_initialized = "
                                             "max(uv_initialized, ?) WHERE factor_id = ? AND sign_count = ?");
        if (!st)
            return st.error();
        st->bind(1, now).bind(2, uv ? 1 : 0).bind(3, factorId).bind(4, stored);
        if (Status x = st->done(); !x)
            return x;
        if (m_core.vault->db().changes() != 1)
            return Errc::KeyCloneSuspected;
        auto used = m_core.vault->db().prepare("UPDATE factors SET last_used_at = ? WHERE id = ?");
        if (!used)
            return used.error();
        used->bind(1, m_core.clock->nowSecs()).bind(2, factorId);
        if (Status x = used->done(); !x)
            return x;
        if (login.lockedOut) // RL-02: the owner's way out; resets the counter, audited, noticed
            return liftHardLock(u, QStringLiteral("a security key that verified the user"));
        return ok();
    });
    if (result) {
        m_state->pending.erase(pendingId);
        if (login.lockedOut) {
            const QString text = QStringLiteral("Your account was locked after too many failed attempts; your "
                                                "password and your security key unlocked it.");
            result->info.noticeForUser =
                result->info.noticeForUser.isEmpty() ? text : result->info.noticeForUser + QLatin1Char(' ') + text;
        }
    }
    return result;
}

// The passwordless key's proof is verified (signature, counter, the credential is the account's);
// what is left is the account's state, UV, and the session (ATK-04).
Result<Session> LoginService::completeKeyLogin(const QString& pendingId, const PendingLogin& login, const UserRow& u,
                                               const KeyRow& row, qint64 signCount, bool uv) {
    if (!uv) { // verifyAssertion required UV already; this keeps the rule next to its use
        m_core.failAttempt(u.username, QStringLiteral("login.failed"), FactorCategory::Possession,
                           QStringLiteral("passwordless: fido2 factor %1 did not verify the user").arg(row.factorId),
                           Outcome::Failed, u.id);
        return Error{Errc::KeyRejected,
                     QStringLiteral("This security key did not verify you (no PIN or fingerprint), so it cannot sign "
                                    "in without the password."),
                     0};
    }
    if (!u.enabled) {
        (void)m_core.record(u.username, QStringLiteral("login.denied"), Layer::Verification, Outcome::Denied,
                            FactorCategory::Possession, u.username,
                            QStringLiteral("account disabled (passwordless security key)"), Core::self(u.id));
        m_state->pending.erase(pendingId);
        return Errc::AccountDisabled;
    }
    // The password path's state, for the record and the owner: this is the sign-in that throttling
    // by someone else's guessing must not prevent (issue 13 item 3).
    auto pw = m_core.throttleOf(u.username);
    if (!pw)
        return pw.error();
    const qint64 nowSecs = m_core.clock->nowSecs();
    const qint64 wait = throttle::remaining(pw->failures, pw->lastFailure, nowSecs);
    const bool hardLocked = throttle::locked(pw->failures);
    QString detail = QStringLiteral("signed in with a security key (fido2 factor %1, \"%2\") that verified the user, "
                                    "without the password")
                         .arg(row.factorId)
                         .arg(row.label);
    if (hardLocked)
        detail += QStringLiteral(", while the password path is hard-locked (%1 failures)").arg(pw->failures);
    else if (wait > 0)
        detail += QStringLiteral(", while the password path is throttled (%1 failures; retry in %2 s)")
                      .arg(pw->failures)
                      .arg(wait);
    else if (pw->failures > 0)
        detail += QStringLiteral("; %1 recent failed password attempts").arg(pw->failures);
    const qint64 factorId = row.factorId;
    const qint64 stored = row.signCount;
    auto result = completeWith(
        u, login.client, {FactorKind::SecurityKey, FactorKind::SecurityKeyUv}, QString(), 0, nullptr, [&]() -> Status {
            auto st = m_core.vault->db().prepare("UPDATE fido2_credentials SET sign_count = ?, uv_initialized = 1 "
                                                 "WHERE factor_id = ? AND sign_count = ?");
            if (!st)
                return st.error();
            st->bind(1, signCount).bind(2, factorId).bind(3, stored);
            if (Status x = st->done(); !x)
                return x;
            if (m_core.vault->db().changes() != 1)
                return Errc::KeyCloneSuspected;
            auto used = m_core.vault->db().prepare("UPDATE factors SET last_used_at = ? WHERE id = ?");
            if (!used)
                return used.error();
            used->bind(1, nowSecs).bind(2, factorId);
            if (Status x = used->done(); !x)
                return x;
            // The password's count stays what the guesses made it.
            return m_core.record(u.username, QStringLiteral("login.passwordless"), Layer::Verification,
                                 Outcome::Allowed, FactorCategory::Possession, u.username, detail, Core::self(u.id));
        });
    if (!result)
        return result;
    m_state->pending.erase(pendingId);
    if (hardLocked || wait > 0) {
        const QString text =
            QStringLiteral("Signing in with your password is %1 after %2 failed attempts; your security key signed "
                           "you in anyway. If those attempts were not yours, someone is guessing your password: "
                           "consider changing it.")
                .arg(hardLocked ? QStringLiteral("locked") : QStringLiteral("paused"))
                .arg(pw->failures);
        result->info.noticeForUser =
            result->info.noticeForUser.isEmpty() ? text : result->info.noticeForUser + QLatin1Char(' ') + text;
    }
    return result;
}

// ---- Helpers of the login steps ----------------------------------------------------------------

// What a key step reported that verified nothing (the device's failure as the client tells it, a
// stale ceremony). Repeats of one `kind` from one source for one name fold into one row a minute
// (red team, issue 13: one unfolded row per call).
void LoginService::recordKeyFault(const PendingLogin& login, const QString& kind, const QString& detail) {
    (void)m_core.recordRepeated(
        QStringLiteral("fido2.login_failed|%1|%2|%3").arg(m_core.sourceKey(login.client), login.username, kind),
        login.username, QStringLiteral("fido2.login_failed"), Layer::Verification, Outcome::Failed,
        FactorCategory::Possession, login.username, detail + m_core.sourceText(login.client), Core::self(login.userId));
}

bool LoginService::stillCurrent(const PendingLogin& login, const UserRow& u) const {
    return u.id == login.userId && u.hash == login.passwordHash && m_core.accountGeneration(u.id) == login.generation;
}

// A pending login whose password is no longer the account's (a reset, a change), or whose account
// was disabled, deleted or reset since its first step, ends: it must start again with the
// password that is current (red team t03). Audited at L2; nothing is charged.
Status LoginService::restartIfStale(const QString& pendingId, const PendingLogin& login,
                                    const std::optional<UserRow>& now) {
    if (now && now->enabled && stillCurrent(login, *now))
        return ok();
    m_state->pending.erase(pendingId);
    if (!now || !now->enabled) {
        (void)m_core.record(login.username, QStringLiteral("login.denied"), Layer::Verification, Outcome::Denied,
                            FactorCategory::Possession, login.username,
                            QStringLiteral("account disabled or deleted during the sign-in"), Core::self(login.userId));
        return Errc::AccountDisabled;
    }
    (void)m_core.record(login.username, QStringLiteral("login.failed"), Layer::Verification, Outcome::Failed,
                        FactorCategory::Possession, login.username,
                        QStringLiteral("sign-in restarted: the password or the account changed after its first step"),
                        Core::self(login.userId));
    return Error{Errc::AuthenticationFailed,
                 QStringLiteral("sign-in restarted: the password changed (or the account was reset) after it was "
                                "entered; sign in again"),
                 0};
}

void LoginService::expirePending() {
    const qint64 now = m_core.clock->monotonicMs();
    for (auto it = m_state->pending.begin(); it != m_state->pending.end();) {
        if (now - it->second.startedMs > Gatehouse::kPendingLoginSecs * 1000)
            it = m_state->pending.erase(it);
        else
            ++it;
    }
}

Result<LoginStep> LoginService::beginLockedLogin(std::unique_lock<std::mutex>& guard,
                                                 const std::optional<UserRow>& user, const QString& name,
                                                 const SecureBuffer& password, const QString& client) {
    // The same work as an unlocked attempt; the verdict waits for the second step (which reads the
    // account again).
    bool passwordOk = false;
    if (password.size() <= static_cast<std::size_t>(PasswordPolicy::kHardCapBytes) * 4) {
        const SecureBuffer norm = normalisedPassword(password);
        const QByteArray phc = user ? user->hash : m_core.dummyHash();
        guard.unlock();
        passwordOk = passwordhash::verify(phc, norm) && user.has_value();
        guard.lock();
    }
    expirePending();
    LoginStep step;
    step.lockedOut = true;
    // The same offer for every name, known or not, with or without these factors (RL-04).
    step.offered = {FactorKind::SecurityKey, FactorKind::RecoveryCode};
    step.pendingId = QString::fromLatin1(m_core.random->bytes(16).toHex());
    PendingLogin p;
    p.userId = user ? user->id : 0;
    p.username = name;
    p.client = client;
    p.startedMs = m_core.clock->monotonicMs();
    p.offered = step.offered;
    p.lockedOut = true;
    p.passwordOk = passwordOk;
    if (user) {
        p.passwordHash = user->hash;
        p.generation = m_core.accountGeneration(user->id);
    }
    m_state->pending[step.pendingId] = p;
    return step;
}

Status LoginService::liftHardLock(const UserRow& u, const QString& how) {
    auto t = m_core.throttleOf(u.username);
    if (!t)
        return t.error();
    if (Status c = m_core.clearFailures(u.username); !c)
        return c;
    if (Status a = m_core.record(
            u.username, QStringLiteral("login.lock_recovered"), Layer::Verification, Outcome::Allowed,
            FactorCategory::Possession, u.username,
            QStringLiteral("hard lock after %1 failures lifted by the owner: password + %2").arg(t->failures).arg(how),
            Core::self(u.id));
        !a)
        return a;
    return m_core.notices->add(u.id,
                               QStringLiteral("At %1 UTC this account was unlocked with its password and %2, after %3 "
                                              "failed sign-in attempts. If that was not you, change your password and "
                                              "review your factors now.")
                                   .arg(stamp(*m_core.clock), how)
                                   .arg(t->failures),
                               m_core.clock->nowSecs(), true);
}

Status LoginService::collectNotices(const UserRow& u, Session& session) {
    auto open = m_core.notices->open(u.id);
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
    return m_core.notices->markShown(u.id, m_core.clock->nowSecs());
}

// Success of the whole login: take back this login's own charges, stamp the user, hand over the
// account's notices, issue.
Result<Session> LoginService::completeWith(const UserRow& u, const QString& client, const QList<FactorKind>& factors,
                                           const QString& notice, int charges, const SessionRecord* reauth,
                                           const std::function<Status()>& inTransaction) {
    // stepUp(): the proof has to reach the session's own level (SES-04).
    if (reauth && static_cast<int>(assuranceOf(factors)) < reauth->aal) {
        (void)m_core.refundAttempt(u.username, charges); // the credentials were right: not failures
        const QString why = QStringLiteral("this session was opened at %1 and a step-up proved %2")
                                .arg(aalName(static_cast<Aal>(reauth->aal)), aalName(assuranceOf(factors)));
        (void)m_core.record(u.username, QStringLiteral("session.step_up_refused"), Layer::Session, Outcome::Denied,
                            FactorCategory::None, reauth->id, why, Core::self(u.id));
        return Error{
            Errc::NotPermitted,
            QStringLiteral("%1; confirm it's you with the factors you signed in with, or sign in again").arg(why), 0};
    }
    Session session;
    Status s = m_core.vault->transaction([&]() -> Status {
        // Notices first: what the success itself adds (a recovery code used …) waits for the next
        // sign-in (RC-03). A step-up is no sign-in: its holder is told at the next one.
        if (!reauth)
            if (Status n = collectNotices(u, session); !n)
                return n;
        if (inTransaction) {
            if (Status w = inTransaction(); !w)
                return w;
        }
        if (Status c = m_core.refundAttempt(u.username, charges); !c)
            return c;
        auto st = m_core.vault->db().prepare("UPDATE users SET last_login_at = ? WHERE id = ?");
        if (!st)
            return st.error();
        st->bind(1, m_core.clock->nowSecs()).bind(2, u.id);
        if (Status up = st->done(); !up)
            return up;
        const FactorCategory strongest =
            assuranceOf(factors) >= Aal::Aal2 ? FactorCategory::Possession : FactorCategory::Knowledge;
        if (Status a = m_core.record(u.username, QStringLiteral("login.succeeded"), Layer::Verification,
                                     Outcome::Allowed, strongest, u.username, factorNames(factors), Core::self(u.id));
            !a)
            return a;
        QList<AccountNotice> collected = std::move(session.info.notices);
        auto issued = m_core.issueSession(u, client, factors, QStringLiteral("login"), reauth, true, 0,
                                          reauth ? reauth->id : QString());
        if (!issued)
            return issued.error();
        session = std::move(issued.value());
        session.info.notices = std::move(collected);
        if (!reauth)
            return ok();
        // stepUp(): the session it re-authenticates ends now, unless it ended meanwhile (revoked
        // while the password was being verified): then nothing is issued.
        if (Status e = m_core.sessions->end(reauth->id, QStringLiteral("step-up"), u.username); !e)
            return e;
        if (m_core.vault->db().changes() == 0)
            return Error{Errc::SessionInvalid, QStringLiteral("the session ended while it was being confirmed"), 0};
        return m_core.record(u.username, QStringLiteral("session.stepped_up"), Layer::Session, Outcome::Allowed,
                             session.info.factor, session.info.id, QStringLiteral("replaces %1").arg(reauth->id),
                             Core::by(u.id));
    });
    if (s.code() == Errc::SessionLimitReached) {
        // The credentials were right (no charge stays), and the refusal's audit row went with the
        // rolled-back transaction (Core::enforceSessionLimit): both are done again outside it.
        (void)m_core.refundAttempt(u.username, charges);
        (void)m_core.record(u.username, QStringLiteral("session.limit_reached"), Layer::Session, Outcome::Denied,
                            FactorCategory::None, u.username, s.error().detail, Core::self(u.id));
    }
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

Result<Session> LoginService::verifyTotpLogin(const UserRow& u, const QString& client, const SecureBuffer& code,
                                              int charges, const SessionRecord* reauth) {
    auto rows = activeTotp(*m_core.vault, u.id);
    if (!rows)
        return rows.error();
    const SecureBuffer typed = digitsOf(code); // never a QString (ST-06)
    const qint64 now = m_core.clock->nowSecs();
    // OTP-04: a replayed code is audited and the owner is told at the next sign-in.
    auto replayed = [&](qint64 factorId, qint64 step) -> Error {
        m_core.failAttempt(u.username, QStringLiteral("totp.replayed"), FactorCategory::Possession,
                           QStringLiteral("factor %1, step %2").arg(factorId).arg(step), Outcome::Denied, u.id);
        (void)m_core.notices->add(
            u.id,
            QStringLiteral("At %1 UTC an authenticator code that had already been used was entered "
                           "again for this account. If that was not you, someone may know your "
                           "password: change it.")
                .arg(stamp(*m_core.clock)),
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
        auto result = completeWith(
            u, client, {FactorKind::Password, FactorKind::Totp}, QString(), charges, reauth, [&]() -> Status {
                // The guard in the WHERE clause makes two concurrent uses of one step impossible.
                auto st = m_core.vault->db().prepare("UPDATE factors SET last_step = ?, last_used_at = ? "
                                                     "WHERE id = ? AND last_step < ?");
                if (!st)
                    return st.error();
                st->bind(1, step).bind(2, m_core.clock->nowSecs()).bind(3, row.id).bind(4, step);
                if (Status up = st->done(); !up)
                    return up;
                return m_core.vault->db().changes() == 1 ? ok() : Status(Errc::CodeReplayed);
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
    // Wrong codes again and again after the right password (this login's or earlier ones): whoever
    // types them knows the password (issue 13 item 7). The failures still counted are this
    // account's consecutive ones (a right password takes its own charge back).
    QString why = expired ? QStringLiteral("expired code") : QStringLiteral("wrong code");
    if (auto t = m_core.throttleOf(u.username); t && t->failures >= kRepeatedCodeFailures) {
        why += QStringLiteral(" after the right password (%1 failures in a row)").arg(t->failures);
        (void)m_core.notices->add(
            u.id,
            QStringLiteral("At %1 UTC your password was typed correctly and then wrong authenticator codes, again "
                           "and again. If that was not you, your password may be known to someone else: change it.")
                .arg(stamp(*m_core.clock)),
            now, true, QStringLiteral("totp.guessing"));
    }
    m_core.failAttempt(u.username, QStringLiteral("login.failed"), FactorCategory::Possession, why, Outcome::Failed,
                       u.id);
    return expired ? Errc::CodeExpired : Errc::CodeWrong;
}

Result<Session> LoginService::verifyRecoveryLogin(std::unique_lock<std::mutex>& guard, const UserRow& account,
                                                  const QString& client, const SecureBuffer& code, int charges,
                                                  bool liftLock, bool passwordOk, const SessionRecord* reauth) {
    UserRow u = account;
    const Errc wrong = liftLock ? Errc::LockedOut : Errc::CodeWrong;
    const QString failedAction = liftLock ? QStringLiteral("login.locked") : QStringLiteral("login.failed");
    const auto canonical = recoverycodes::canonical(code);
    if (!canonical) {
        m_core.failAttempt(u.username, failedAction, FactorCategory::Possession,
                           QStringLiteral("malformed recovery code"), liftLock ? Outcome::Denied : Outcome::Failed,
                           u.id);
        return wrong;
    }
    auto st = m_core.vault->db().prepare(
        "SELECT r.id, r.code_hash FROM recovery_codes r JOIN factors f ON f.id = r.factor_id "
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
    auto current = m_core.findUser(QStringLiteral("id"), u.id);
    if (!current)
        return current.error();
    if (!current->has_value() || !(*current)->enabled)
        passwordOk = false;
    else
        u = **current;
    if (!matchedId || !passwordOk) {
        // On the locked path the password's verdict is told only together with the code's.
        m_core.failAttempt(u.username, failedAction, FactorCategory::Possession,
                           liftLock ? QStringLiteral("hard lock: recovery code %1, password %2")
                                          .arg(matchedId ? QStringLiteral("right") : QStringLiteral("wrong"),
                                               passwordOk ? QStringLiteral("right") : QStringLiteral("wrong"))
                                    : QStringLiteral("wrong recovery code"),
                           liftLock ? Outcome::Denied : Outcome::Failed, u.id);
        return wrong;
    }
    int left = 0;
    auto result = completeWith(
        u, client, {FactorKind::Password, FactorKind::RecoveryCode}, QString(), charges, reauth, [&]() -> Status {
            auto use =
                m_core.vault->db().prepare("UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL");
            if (!use)
                return use.error();
            use->bind(1, m_core.clock->nowSecs()).bind(2, matchedId);
            if (Status s = use->done(); !s)
                return s;
            if (m_core.vault->db().changes() != 1)
                return wrong; // another process used this code a moment ago
            auto count = m_core.vault->db().prepare("SELECT count(*) FROM recovery_codes r JOIN factors f ON "
                                                    "f.id = r.factor_id WHERE f.user_id = ? AND r.used_at IS NULL");
            if (!count)
                return count.error();
            count->bind(1, u.id);
            if (!count->step())
                return count->error();
            left = static_cast<int>(count->int64(0));
            auto factor = m_core.vault->db().prepare(
                "UPDATE factors SET last_used_at = ? WHERE id = (SELECT factor_id FROM recovery_codes WHERE id = ?)");
            if (!factor)
                return factor.error();
            factor->bind(1, m_core.clock->nowSecs()).bind(2, matchedId);
            if (Status s = factor->done(); !s)
                return s;
            if (Status a = m_core.record(u.username, QStringLiteral("recovery.used"), Layer::Verification,
                                         Outcome::Allowed, FactorCategory::Possession, u.username,
                                         QStringLiteral("%1 codes left").arg(left), Core::self(u.id));
                !a)
                return a;
            if (liftLock)
                if (Status l = liftHardLock(u, QStringLiteral("a recovery code")); !l)
                    return l;
            // RC-03: the person hears about it now and at the next sign-in.
            return m_core.notices->add(
                u.id,
                QStringLiteral("A recovery code was used to sign in to this account at %1 UTC; %2 left.")
                    .arg(stamp(*m_core.clock))
                    .arg(left),
                m_core.clock->nowSecs());
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
