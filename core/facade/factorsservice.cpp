// FactorsService (io.gatehouse.Gatehouse1.Factors): second factors of an account: list, enroll (TOTP two-step; recovery
// codes), rename, remove. Every call is authorized in core: one's own factors need FactorsManageOwn, another account's
// FactorsManageAny. Enrollment and removal are audited and noted for the person (RC-03, OTP-05).
#include "factorsservice.h"

#include "core.h"
#include "gatehouse.h"
#include "securitykeys.h"

#include "verification/otpauth.h"
#include "verification/recoverycodes.h"

#include <map>

namespace gh {

namespace {

std::optional<QString> cleanLabel(const QString& raw, const QString& fallback) {
    const QString label = raw.trimmed().isEmpty() ? fallback : raw.trimmed();
    if (label.size() > 64)
        return std::nullopt;
    // One line of plain text: no control characters, and no format characters either (bidi
    // overrides and isolates reorder what people read; issue 17), checked by code point.
    if (!isPlainLine(label))
        return std::nullopt;
    return label;
}

// What the owner reads in a notice: "authenticator app", "security key", "set of recovery codes".
QString factorNoun(const QString& kind) {
    if (kind == QLatin1String("totp"))
        return QStringLiteral("authenticator app");
    if (kind == QLatin1String("fido2"))
        return QStringLiteral("security key");
    if (kind == QLatin1String("recovery"))
        return QStringLiteral("set of recovery codes");
    return kind;
}

QDateTime fromSecs(qint64 secs) {
    return secs ? QDateTime::fromSecsSinceEpoch(secs, Qt::UTC) : QDateTime();
}

} // namespace

// Pending TOTP factors past their expiry are removed when the account's factors are touched.
static Status dropExpiredPending(Vault& vault, qint64 userId, qint64 now) {
    auto st = vault.db().prepare("DELETE FROM factors WHERE user_id = ? AND pending = 1 AND expires_at <= ?");
    if (!st)
        return st.error();
    st->bind(1, userId).bind(2, now);
    return st->done();
}

// Binding a factor needs a login at the account's strongest level (SECURITY.md A.1, "binding a new
// authenticator"; SES-04): once an account holds a second factor (an app or a key), a password-only session
// (e.g. one opened before the app was enrolled) cannot add, confirm or replace factors.
static Status requireBindingStrength(Core& core, qint64 userId, int sessionAal) {
    auto has = core.holdsSecondFactor(userId);
    if (!has)
        return has.error();
    // A step-up with the factor proves what is needed (the GUI and CLI act on StepUpRequired).
    if (*has && sessionAal < static_cast<int>(Aal::Aal2))
        return Error{Errc::StepUpRequired,
                     QStringLiteral("this account has a second factor; confirm it's you with it to change factors"), 0};
    return ok();
}

// The code as typed, digits only, in a wiping buffer (ST-06); the QString copies are wiped.
static SecureBuffer typedCode(const QString& code) {
    QString digits = code.trimmed().remove(QLatin1Char(' '));
    SecureBuffer out = SecureBuffer::fromUtf8(digits);
    wipe(digits);
    return out;
}

// A new set of recovery codes between begin and confirm (issue 12): in memory only, so a restart
// or a cancel leaves the stored set as it was. One pending set per account (a new begin replaces
// an older one). `hashes` are what confirm stores; `macs` (keyed with a per-set random key) are what
// a typed code is compared with, in constant time, without another Argon2id run.
struct FactorsService::PendingCodeSets {
    struct Set {
        qint64 userId = 0;
        qint64 expires = 0; // wall seconds
        QList<QByteArray> hashes;
        SecureBuffer macKey;
        QList<QByteArray> macs;
    };
    std::map<QString, Set> sets;

    void dropExpired(qint64 now) {
        for (auto it = sets.begin(); it != sets.end();)
            it = it->second.expires <= now ? sets.erase(it) : std::next(it);
    }
    void dropForUser(qint64 userId) {
        for (auto it = sets.begin(); it != sets.end();)
            it = it->second.userId == userId ? sets.erase(it) : std::next(it);
    }
};

FactorsService::FactorsService(Core& core)
    : FacadeService(core), m_keyCeremonies(std::make_unique<KeyCeremonies>(*core.clock, *core.random)),
      m_pendingCodes(std::make_unique<PendingCodeSets>()) {}

FactorsService::~FactorsService() = default;

Result<QList<FactorInfo>> FactorsService::listFactors(const Session& session, const QString& username) {
    std::lock_guard guard(m_core.lock);
    return listFactorsLocked(session, username);
}

Result<Session> FactorsService::reissueAfterEnrolment(const UserRow& user, const SessionRecord& caller,
                                                      const QList<FactorKind>& factors, bool hadSecond,
                                                      const QString& reason) {
    if (Status e = hadSecond ? m_core.sessions->end(caller.id, QStringLiteral("factor enrolled"))
                             : m_core.sessions->endAllForUser(user.id, QStringLiteral("second factor enrolled"));
        !e)
        return e.error();
    return m_core.issueSession(user, caller.client, factors, reason, &caller, false, caller.aal);
}

Result<QList<FactorInfo>> FactorsService::listFactorsLocked(const Session& session, const QString& username) {
    auto account = m_core.accountFor(session, Permission::FactorsManageOwn, Permission::FactorsManageAny, username);
    if (!account)
        return account.error();
    if (!username.isEmpty()) {
        // Another account's factors (accountFor checked factors.manage_any): audited with the role
        // that allowed it (issue 13 item 6).
        if (auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
            caller && caller->user.id != account->id)
            m_core.auditForeignRead(*caller, Permission::FactorsManageAny,
                                    QStringLiteral("%1's factors").arg(account->username), account->username,
                                    account->id);
    }
    const qint64 userId = account->id;
    const qint64 userCreated = account->createdAt;
    if (Status s = dropExpiredPending(*m_core.vault, userId, m_core.clock->nowSecs()); !s)
        return s.error();
    auto st = m_core.vault->db().prepare(
        "SELECT id, kind, label, pending, created_at, coalesce(last_used_at, 0), coalesce(expires_at, 0), "
        "algorithm, digits, period, "
        "(SELECT count(*) FROM recovery_codes r WHERE r.factor_id = f.id AND r.used_at IS NULL) "
        "FROM factors f WHERE user_id = ? ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, userId);
    QList<FactorInfo> out;
    // The password is a factor too: listed first, so the categories held are all visible.
    FactorInfo password;
    password.id = 0;
    password.kind = FactorKind::Password;
    password.category = FactorCategory::Knowledge;
    password.label = QStringLiteral("Password");
    password.created = fromSecs(userCreated);
    out << password;
    while (st->step()) {
        FactorInfo f;
        f.id = st->int64(0);
        f.kind = factorKindFromName(st->text(1)).value_or(FactorKind::RecoveryCode);
        f.category = categoryOf(f.kind);
        f.label = st->text(2);
        f.pending = st->int64(3) != 0;
        f.created = fromSecs(st->int64(4));
        f.lastUsed = fromSecs(st->int64(5));
        f.expires = fromSecs(st->int64(6));
        if (f.kind == FactorKind::Totp) {
            f.totp.algorithm = totpAlgorithmFromName(st->text(7)).value_or(TotpAlgorithm::Sha1);
            f.totp.digits = static_cast<int>(st->int64(8));
            f.totp.period = static_cast<int>(st->int64(9));
        }
        f.codesLeft = static_cast<int>(st->int64(10));
        out << f;
    }
    if (st->failed())
        return st->error();
    if (Status k = fillSecurityKeyDetails(*m_core.vault, out); !k)
        return k.error();
    return out;
}

Result<AccountAssurance> FactorsService::assurance(const Session& session) {
    std::lock_guard guard(m_core.lock);
    auto factors = listFactorsLocked(session, {});
    if (!factors)
        return factors.error();
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    AccountAssurance a;
    QList<FactorKind> usable;
    for (const FactorInfo& f : *factors) {
        if (f.pending || (f.kind == FactorKind::RecoveryCode && f.codesLeft == 0))
            continue;
        usable << f.kind;
        if (!a.categories.contains(f.category))
            a.categories << f.category;
    }
    // Recovery codes alone back up, they do not make a login two-step (see secondFactorsOf).
    if (!usable.contains(FactorKind::Totp) && !usable.contains(FactorKind::SecurityKey))
        usable.removeAll(FactorKind::RecoveryCode);
    a.reachable = assuranceOf(usable);
    a.mfaRequired = requiresSecondFactor(caller->permissions);
    return a;
}

Result<TotpEnrollment> FactorsService::beginTotpEnrollment(const Session& session, const QString& rawLabel) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("adding a factor")); !f) // SES-04
        return f.error();
    if (Status b = requireBindingStrength(m_core, caller->user.id, caller->record.aal); !b)
        return b.error();
    if (Status g = m_core.requireEnrollmentGrant(*caller, QStringLiteral("adding an authenticator app")); !g)
        return g.error();
    const auto label = cleanLabel(rawLabel, QStringLiteral("Authenticator app"));
    if (!label)
        return Error{Errc::InvalidArgument,
                     QStringLiteral("Labels are at most 64 characters of plain text on one line (no control or "
                                    "bidirectional-formatting characters)."),
                     0};
    const qint64 now = m_core.clock->nowSecs();
    OtpauthKey key;
    key.issuer = QString::fromLatin1(Gatehouse::kIssuer);
    key.account = caller->user.username;
    key.secret = m_core.random->secret(TotpParams::kSeedBytes); // ST-05: 160 bits from the CSPRNG
    TotpEnrollment e;
    e.params = key.params; // SHA1/6/30: what common apps understand
    e.issuer = key.issuer;
    e.account = key.account;
    e.expires = fromSecs(now + Gatehouse::kPendingFactorSecs);
    Status s = m_core.vault->transaction([&]() -> Status {
        if (Status x = dropExpiredPending(*m_core.vault, caller->user.id, now); !x)
            return x;
        auto st = m_core.vault->db().prepare(
            "INSERT INTO factors(user_id, kind, label, pending, secret, algorithm, digits, period, created_at, "
            "expires_at) VALUES (?, 'totp', ?, 1, ?, ?, ?, ?, ?, ?)");
        if (!st)
            return st.error();
        // A view of the wiping buffer: SQLite copies the bytes into its own (encrypted) page.
        const QByteArray seed = QByteArray::fromRawData(key.secret.chars(), static_cast<qsizetype>(key.secret.size()));
        st->bind(1, caller->user.id)
            .bind(2, *label)
            .bind(3, seed)
            .bind(4, totpAlgorithmName(e.params.algorithm))
            .bind(5, e.params.digits)
            .bind(6, e.params.period)
            .bind(7, now)
            .bind(8, now + Gatehouse::kPendingFactorSecs);
        if (Status done = st->done(); !done)
            return done;
        e.factorId = m_core.vault->db().lastInsertId();
        return m_core.record(caller->user.username, QStringLiteral("factor.enrollment_started"), Layer::Verification,
                             Outcome::Info, FactorCategory::Possession, caller->user.username,
                             QStringLiteral("totp factor %1 pending").arg(e.factorId), Core::self(caller->user.id));
    });
    if (!s)
        return s.error();
    e.uri = otpauth::emit(key);
    e.secretBase32 = totp::base32EncodeSecure(key.secret); // never a QString (ST-05)
    return e;
}

Status FactorsService::confirmTotp(Session& session, qint64 factorId, const QString& code) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("adding a factor")); !f) // SES-04
        return f;
    const UserRow& user = caller->user;
    if (Status b = requireBindingStrength(m_core, user.id, caller->record.aal); !b)
        return b;
    if (Status g = m_core.requireEnrollmentGrant(*caller, QStringLiteral("confirming an authenticator app")); !g)
        return g;
    auto hadSecond = m_core.holdsSecondFactor(user.id);
    if (!hadSecond)
        return hadSecond.error();
    if (Status t = m_core.chargeAttempt(user.username, FactorCategory::Possession, user.id); !t)
        return t;
    const qint64 now = m_core.clock->nowSecs();
    if (Status x = dropExpiredPending(*m_core.vault, user.id, now); !x)
        return x;
    auto st = m_core.vault->db().prepare("SELECT secret, algorithm, digits, period FROM factors "
                                         "WHERE id = ? AND user_id = ? AND kind = 'totp' AND pending = 1");
    if (!st)
        return st.error();
    st->bind(1, factorId).bind(2, user.id);
    const Error notPending{Errc::FactorNotFound,
                           QStringLiteral("no pending authenticator with this id (it may have expired)"), 0};
    if (!st->step())
        return st->failed() ? Status(st->error()) : Status(notPending);
    const QByteArrayView stored = st->blobView(0); // straight into wiping memory (ST-05)
    const SecureBuffer seed(stored.data(), static_cast<std::size_t>(stored.size()));
    TotpParams params;
    params.algorithm = totpAlgorithmFromName(st->text(1)).value_or(TotpAlgorithm::Sha1);
    params.digits = static_cast<int>(st->int64(2));
    params.period = static_cast<int>(st->int64(3));
    const auto step = totp::match(seed, now, params, typedCode(code));
    if (!step) {
        m_core.failAttempt(user.username, QStringLiteral("factor.confirm_failed"), FactorCategory::Possession,
                           QStringLiteral("totp factor %1: wrong code").arg(factorId), Outcome::Failed, user.id);
        return Errc::CodeWrong;
    }
    // The factor is held now; what the session proved (its AAL, its freshness, its absolute
    // deadline) stays: a step-up with the new factor proves more (issue 16, SES-04).
    QList<FactorKind> factors = parseFactors(caller->record.factors);
    if (!factors.contains(FactorKind::Totp))
        factors << FactorKind::Totp;
    Session renewed;
    Status s = m_core.vault->transaction([&]() -> Status {
        auto up = m_core.vault->db().prepare("UPDATE factors SET pending = 0, expires_at = NULL, last_step = ?, "
                                             "last_used_at = ? WHERE id = ? AND user_id = ? AND pending = 1");
        if (!up)
            return up.error();
        up->bind(1, static_cast<qint64>(*step)).bind(2, now).bind(3, factorId).bind(4, user.id);
        if (Status u = up->done(); !u)
            return u;
        if (m_core.vault->db().changes() != 1) // another process confirmed or dropped it meanwhile
            return notPending;
        // The code proved right: its charge goes back, and nothing else (RL-03).
        if (Status c = m_core.refundAttempt(user.username); !c)
            return c;
        if (Status n =
                m_core.notices->add(user.id,
                                    QStringLiteral("An authenticator app was added to this account at %1 UTC.")
                                        .arg(m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                                    now);
            !n)
            return n;
        m_core.announceFactorChange(user,
                                    QStringLiteral("an authenticator app was added at %1 UTC")
                                        .arg(m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
        if (!*hadSecond)
            if (Status g = m_core.consumeEnrollmentGrant(user.id); !g) // single use (ATK-03)
                return g;
        if (Status a = m_core.record(user.username, QStringLiteral("factor.added"), Layer::Verification,
                                     Outcome::Allowed, FactorCategory::Possession, user.username,
                                     QStringLiteral("totp factor %1").arg(factorId), Core::self(user.id));
            !a)
            return a;
        auto issued = reissueAfterEnrolment(user, caller->record, factors, *hadSecond,
                                            QStringLiteral("after enrolling a factor"));
        if (!issued)
            return issued.error();
        renewed = std::move(issued.value());
        return ok();
    });
    if (!s) {
        if (s.code() == Errc::FactorNotFound) {
            (void)m_core.refundAttempt(user.username); // the code was right: a lost race is no guess
            (void)m_core.record(
                user.username, QStringLiteral("factor.confirm_failed"), Layer::Verification, Outcome::Failed,
                FactorCategory::Possession, user.username,
                QStringLiteral("totp factor %1: confirmed or dropped elsewhere meanwhile").arg(factorId),
                Core::self(user.id));
        }
        return s;
    }
    session = std::move(renewed);
    return ok();
}

Result<PendingRecoveryCodes> FactorsService::beginRecoveryCodes(const Session& session) {
    std::unique_lock guard(m_core.lock);
    // Checked before the codes are hashed and again after (the lock is released for Argon2id).
    const auto checks = [&]() -> Result<Core::Caller> {
        auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
        if (!caller)
            return caller.error();
        if (Status f = m_core.requireFresh(*caller, QStringLiteral("replacing recovery codes")); !f) // SES-04
            return f.error();
        if (Status b = requireBindingStrength(m_core, caller->user.id, caller->record.aal); !b)
            return b.error();
        return caller;
    };
    auto caller = checks();
    if (!caller)
        return caller.error();
    PendingRecoveryCodes out;
    for (int i = 0; i < recoverycodes::kCount; ++i)
        out.codes.push_back(recoverycodes::generate(*m_core.random));
    PendingCodeSets::Set set;
    set.macKey = m_core.random->secret(32);
    for (const SecureBuffer& code : out.codes)
        set.macs << crypto::mac(set.macKey, QByteArray::fromRawData(code.chars(), static_cast<qsizetype>(code.size())));
    const Argon2Params params = m_core.recoveryParams();
    guard.unlock();
    for (const SecureBuffer& code : out.codes)
        if (const auto phc = passwordhash::hash(code, params))
            set.hashes << *phc;
    guard.lock();
    if (set.hashes.size() != recoverycodes::kCount)
        return Error{Errc::Internal, QStringLiteral("hashing failed (out of memory?)"), 0};
    caller = checks();
    if (!caller)
        return caller.error();
    const qint64 now = m_core.clock->nowSecs();
    set.userId = caller->user.id;
    set.expires = now + Gatehouse::kPendingFactorSecs;
    out.setId = QString::fromLatin1(m_core.random->bytes(16).toHex());
    out.expires = fromSecs(set.expires);
    m_pendingCodes->dropExpired(now);
    m_pendingCodes->dropForUser(set.userId);
    m_pendingCodes->sets.emplace(out.setId, std::move(set));
    (void)m_core.record(
        caller->user.username, QStringLiteral("recovery.pending"), Layer::Verification, Outcome::Info,
        FactorCategory::Possession, caller->user.username,
        QStringLiteral("%1 new codes shown; the current set works until one is typed back").arg(recoverycodes::kCount),
        Core::self(caller->user.id));
    return out;
}

Status FactorsService::confirmRecoveryCodes(Session& session, const QString& setId, const SecureBuffer& typed) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    const UserRow& user = caller->user;
    const qint64 now = m_core.clock->nowSecs();
    m_pendingCodes->dropExpired(now);
    const auto it = m_pendingCodes->sets.find(setId);
    if (it == m_pendingCodes->sets.end() || it->second.userId != user.id) // another's reads as unknown
        return Error{Errc::FactorNotFound,
                     QStringLiteral("no new recovery codes are waiting for confirmation (they expire after %1 "
                                    "minutes, and a restart or cancel discards them); the current codes still work")
                         .arg(Gatehouse::kPendingFactorSecs / 60),
                     0};
    // Binding the new set replaces a factor: the same strength as beginning it (SES-04 was checked
    // at begin; the set expires within kPendingFactorSecs).
    if (Status b = requireBindingStrength(m_core, user.id, caller->record.aal); !b)
        return b;
    PendingCodeSets::Set& set = it->second;
    bool match = false;
    if (const auto code = recoverycodes::canonical(typed)) {
        const QByteArray mac =
            crypto::mac(set.macKey, QByteArray::fromRawData(code->chars(), static_cast<qsizetype>(code->size())));
        for (const QByteArray& m : std::as_const(set.macs))
            match = crypto::constantTimeEqual(mac, m) || match; // every one compared
    }
    if (!match) {
        (void)m_core.record(user.username, QStringLiteral("recovery.confirm_failed"), Layer::Verification,
                            Outcome::Failed, FactorCategory::Possession, user.username,
                            QStringLiteral("the code typed back is not one of the new set; the current set stays"),
                            Core::self(user.id));
        return Error{Errc::CodeWrong,
                     QStringLiteral("That is not one of the new codes. Type one of the codes just shown; the current "
                                    "codes keep working until you do."),
                     0};
    }
    Status s = m_core.vault->transaction([&]() -> Status {
        // The old set stops working: its factor and (by cascade) its codes go.
        auto drop = m_core.vault->db().prepare("DELETE FROM factors WHERE user_id = ? AND kind = 'recovery'");
        if (!drop)
            return drop.error();
        drop->bind(1, user.id);
        if (Status x = drop->done(); !x)
            return x;
        auto add = m_core.vault->db().prepare(
            "INSERT INTO factors(user_id, kind, label, pending, created_at) VALUES (?, 'recovery', ?, 0, ?)");
        if (!add)
            return add.error();
        add->bind(1, user.id).bind(2, QStringLiteral("Recovery codes")).bind(3, now);
        if (Status x = add->done(); !x)
            return x;
        const qint64 factorId = m_core.vault->db().lastInsertId();
        for (const QByteArray& h : std::as_const(set.hashes)) {
            auto code = m_core.vault->db().prepare("INSERT INTO recovery_codes(factor_id, code_hash) VALUES (?, ?)");
            if (!code)
                return code.error();
            code->bind(1, factorId).bind(2, QString::fromLatin1(h));
            if (Status x = code->done(); !x)
                return x;
        }
        if (Status n = m_core.notices->add(
                user.id,
                QStringLiteral("New recovery codes were saved at %1 UTC; older ones no longer work.")
                    .arg(m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                now);
            !n)
            return n;
        return m_core.record(user.username, QStringLiteral("recovery.regenerated"), Layer::Verification,
                             Outcome::Allowed, FactorCategory::Possession, user.username,
                             QStringLiteral("%1 codes; one typed back").arg(recoverycodes::kCount),
                             Core::self(user.id));
    });
    if (!s)
        return s; // the pending set stays: confirming again may still work
    m_pendingCodes->sets.erase(it);
    return ok();
}

Status FactorsService::cancelRecoveryCodes(const Session& session, const QString& setId) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    const auto it = m_pendingCodes->sets.find(setId);
    if (it == m_pendingCodes->sets.end() || it->second.userId != caller->user.id)
        return ok(); // nothing of the caller's to discard: cancelling twice is no error
    m_pendingCodes->sets.erase(it);
    return m_core.record(caller->user.username, QStringLiteral("recovery.cancelled"), Layer::Verification,
                         Outcome::Info, FactorCategory::Possession, caller->user.username,
                         QStringLiteral("new codes discarded; the current set stays"), Core::self(caller->user.id));
}

Status FactorsService::renameFactor(const Session& session, qint64 factorId, const QString& rawLabel) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    const auto label = cleanLabel(rawLabel, QString());
    if (!label || label->isEmpty())
        return Error{Errc::InvalidArgument, QStringLiteral("Labels are 1 to 64 characters, on one line."), 0};
    auto st = m_core.vault->db().prepare("UPDATE factors SET label = ? WHERE id = ? AND user_id = ?");
    if (!st)
        return st.error();
    st->bind(1, *label).bind(2, factorId).bind(3, caller->user.id);
    if (Status s = st->done(); !s)
        return s;
    if (m_core.vault->db().changes() != 1)
        return Errc::FactorNotFound;
    return m_core.record(caller->user.username, QStringLiteral("factor.renamed"), Layer::Verification, Outcome::Info,
                         FactorCategory::None, caller->user.username, QStringLiteral("factor %1").arg(factorId),
                         Core::self(caller->user.id));
}

Status FactorsService::removeFactor(const Session& session, qint64 factorId, const SecureBuffer& password) {
    std::unique_lock guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    // Removing a factor lowers what the account can prove: a fresh session (SES-04) and the
    // password again (re-authentication).
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("removing a factor")); !f)
        return f;
    const UserRow user = caller->user;
    if (Status t = m_core.chargeAttempt(user.username, FactorCategory::Knowledge, user.id); !t)
        return t;
    const SecureBuffer norm = normalisedPassword(password);
    guard.unlock(); // Argon2id; the session is checked again after it
    const bool proven = passwordhash::verify(user.hash, norm);
    guard.lock();
    if (auto again = m_core.authorize(session, Permission::FactorsManageOwn); !again) { // audited there (L3)
        if (proven)
            (void)m_core.refundAttempt(user.username);
        return again.error();
    }
    if (!proven) {
        m_core.failAttempt(user.username, QStringLiteral("factor.remove_failed"), FactorCategory::Knowledge,
                           QStringLiteral("factor %1: wrong password").arg(factorId), Outcome::Failed, user.id);
        return Errc::AuthenticationFailed;
    }
    if (Status c = m_core.refundAttempt(user.username); !c) // the password is proven
        return c;
    auto st = m_core.vault->db().prepare("SELECT kind FROM factors WHERE id = ? AND user_id = ?");
    if (!st)
        return st.error();
    st->bind(1, factorId).bind(2, user.id);
    if (!st->step())
        return st->failed() ? Status(st->error()) : Status(Errc::FactorNotFound);
    const QString kind = st->text(0);
    Status result = m_core.vault->transaction([&]() -> Status {
        auto del = m_core.vault->db().prepare("DELETE FROM factors WHERE id = ? AND user_id = ?");
        if (!del)
            return del.error();
        del->bind(1, factorId).bind(2, user.id);
        if (Status x = del->done(); !x)
            return x;
        if (m_core.vault->db().changes() != 1) // another process removed it meanwhile
            return Errc::FactorNotFound;
        // Other sessions that were opened with this kind of factor end with it (FIDO-07 by analogy).
        auto end = m_core.vault->db().prepare(
            "UPDATE sessions SET ended_at = ?, end_reason = 'factor removed' WHERE user_id = ? AND id <> ? AND "
            "ended_at IS NULL AND (',' || factors || ',') LIKE ?");
        if (!end)
            return end.error();
        end->bind(1, m_core.clock->nowSecs())
            .bind(2, user.id)
            .bind(3, caller->record.id)
            .bind(4, QStringLiteral("%,%1,%").arg(kind));
        if (Status x = end->done(); !x)
            return x;
        // The caller's own session keeps going, but no longer claims what the account cannot
        // prove any more (issue 12: Home said AAL2 while My security said AAL1): when no active
        // factor of this kind is left, the kind leaves the session's factors and its assurance
        // drops to what the rest proves; an administrator without a second factor is restricted
        // to enrolling one again. Lowering is in place (same secret); the store's change stamp
        // reaches every mirror.
        if (Status d = downgradeAfterRemoval(user, caller->record, kind); !d)
            return d;
        if (Status n =
                m_core.notices->add(user.id,
                                    QStringLiteral("A %1 factor was removed from this account at %2 UTC.")
                                        .arg(kind, m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                                    m_core.clock->nowSecs());
            !n)
            return n;
        m_core.announceFactorChange(
            user, QStringLiteral("a %1 factor was removed at %2 UTC")
                      .arg(kind, m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
        // The owner (fresh session, password again) removed the last second factor of an account
        // that needs one: it may bind a new one (ATK-03), or no administrator could ever again.
        if (auto still = m_core.holdsSecondFactor(user.id);
            still && !*still && requiresSecondFactor(caller->permissions))
            if (Status g = m_core.grantEnrollment(user.id, m_core.clock->nowSecs() + Core::kEnrollmentGrantSecs,
                                                  QStringLiteral("after removing the last second factor"));
                !g)
                return g;
        return m_core.record(user.username, QStringLiteral("factor.removed"), Layer::Verification, Outcome::Allowed,
                             FactorCategory::Possession, user.username,
                             QStringLiteral("%1 factor %2").arg(kind).arg(factorId), Core::self(user.id));
    });
    if (!result && result.code() == Errc::FactorNotFound)
        (void)m_core.record(user.username, QStringLiteral("factor.remove_failed"), Layer::Verification, Outcome::Failed,
                            FactorCategory::Possession, user.username,
                            QStringLiteral("factor %1: removed elsewhere meanwhile").arg(factorId),
                            Core::self(user.id));
    return result;
}

Status FactorsService::downgradeAfterRemoval(const UserRow& user, const SessionRecord& session, const QString& kind) {
    auto left =
        m_core.vault->db().prepare("SELECT count(*) FROM factors WHERE user_id = ? AND kind = ? AND pending = 0");
    if (!left)
        return left.error();
    left->bind(1, user.id).bind(2, kind);
    if (!left->step())
        return left->error();
    if (left->int64(0) > 0)
        return ok(); // another factor of this kind may be what the session proved
    QList<FactorKind> remaining;
    for (FactorKind k : parseFactors(session.factors)) {
        const QString name = factorKindName(k);
        if (name != kind && !(kind == QLatin1String("fido2") && name == QLatin1String("fido2-uv")))
            remaining << k;
    }
    const int aal = std::min(session.aal, static_cast<int>(assuranceOf(remaining)));
    int restriction = session.restriction;
    if (restriction == static_cast<int>(Restriction::None))
        restriction = static_cast<int>(m_core.restrictionFor(user, remaining));
    if (aal == session.aal && restriction == session.restriction && factorNames(remaining) == session.factors)
        return ok();
    auto st = m_core.vault->db().prepare(
        "UPDATE sessions SET aal = ?, factors = ?, restricted = ? WHERE id = ? AND ended_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, aal).bind(2, factorNames(remaining)).bind(3, restriction).bind(4, session.id);
    return st->done();
}

Status FactorsService::removeUserFactor(const Session& session, const QString& username, qint64 factorId,
                                        const QString& rawReason) {
    std::lock_guard guard(m_core.lock);
    auto caller = m_core.authorize(session, Permission::FactorsManageAny, username); // AAL2 (AC-06)
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("removing another account's factor")); !f) // SES-04
        return f;
    const auto name = normaliseUsername(username);
    if (!name)
        return Errc::InvalidUsername;
    const QString reason = rawReason.simplified();
    if (reason.isEmpty() || reason.size() > 200)
        return Error{Errc::InvalidArgument,
                     QStringLiteral("Give a reason the owner will read (1 to 200 characters of plain text on one "
                                    "line), e.g. \"phone lost\"."),
                     0};
    if (!isPlainLine(reason)) // by code point (red team t09)
        return Error{Errc::InvalidArgument, QStringLiteral("The reason must be plain text on one line."), 0};
    auto found = m_core.findUser(QStringLiteral("username"), *name);
    if (!found)
        return found.error();
    if (!found->has_value())
        return Errc::UserNotFound;
    const UserRow target = **found;
    if (target.id == caller->user.id)
        return Error{Errc::InvalidArgument,
                     QStringLiteral("To remove one of your own factors, use factor remove without --user (it asks "
                                    "for your password)."),
                     0};
    // Weakening an account that holds more than the caller does is out of the caller's reach
    // (like granting what one does not hold, AC-06).
    auto held = m_core.roleStore->permissionsOf(target.id);
    if (!held)
        return held.error();
    QStringList missing;
    for (Permission p : *held)
        if (!isSelfService(p) && !caller->permissions.contains(p))
            missing << permissionName(p);
    if (!missing.isEmpty()) {
        (void)m_core.record(
            caller->user.username, QStringLiteral("access.denied"), Layer::Access, Outcome::Denied,
            FactorCategory::None, permissionName(Permission::FactorsManageAny),
            QStringLiteral("remove a factor of %1, who holds %2 (not held)").arg(target.username, missing.join(u", ")),
            {caller->user.id, target.id});
        return Error{Errc::NotPermitted,
                     QStringLiteral("%1 holds permissions you do not hold yourself (%2), so you cannot remove their "
                                    "factors")
                         .arg(target.username, missing.join(u", ")),
                     0};
    }
    auto st = m_core.vault->db().prepare("SELECT kind, label FROM factors WHERE id = ? AND user_id = ?");
    if (!st)
        return st.error();
    st->bind(1, factorId).bind(2, target.id);
    if (!st->step())
        return st->failed() ? Status(st->error())
                            : Status(Error{Errc::FactorNotFound,
                                           QStringLiteral("%1 has no factor %2 (see factor list --user %1)")
                                               .arg(target.username)
                                               .arg(factorId),
                                           0});
    const QString kind = st->text(0);
    const QString label = st->text(1);
    const qint64 now = m_core.clock->nowSecs();
    return m_core.vault->transaction([&]() -> Status {
        auto del = m_core.vault->db().prepare("DELETE FROM factors WHERE id = ? AND user_id = ?");
        if (!del)
            return del.error();
        del->bind(1, factorId).bind(2, target.id);
        if (Status x = del->done(); !x)
            return x;
        if (m_core.vault->db().changes() != 1) // removed elsewhere meanwhile
            return Errc::FactorNotFound;
        // Sessions that proved or hold this kind of factor end with it, so none keeps an
        // assurance the account can no longer reach (every screen then agrees on it).
        auto live = m_core.vault->db().prepare("SELECT id FROM sessions WHERE user_id = ? AND ended_at IS NULL AND "
                                               "((',' || factors || ',') LIKE ? OR (',' || factors || ',') LIKE ?)");
        if (!live)
            return live.error();
        // A key that verified its user is recorded as fido2-uv.
        const QString alsoKind = kind == QLatin1String("fido2") ? QStringLiteral("fido2-uv") : kind;
        live->bind(1, target.id)
            .bind(2, QStringLiteral("%,%1,%").arg(kind))
            .bind(3, QStringLiteral("%,%1,%").arg(alsoKind));
        QStringList ids;
        while (live->step())
            ids << live->text(0);
        if (live->failed())
            return live->error();
        for (const QString& id : ids)
            if (Status e = m_core.sessions->end(id, QStringLiteral("factor removed"), caller->user.username); !e)
                return e;
        if (Status n = m_core.notices->add(
                target.id,
                QStringLiteral("An administrator (%1) removed your %2 \"%3\" at %4 UTC. Reason: %5")
                    .arg(caller->user.username, factorNoun(kind), label,
                         m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm")), reason),
                now, true, QStringLiteral("factor.removed_by_admin"));
            !n)
            return n;
        return m_core.record(caller->user.username, QStringLiteral("factor.removed"), Layer::Verification,
                             Outcome::Allowed, FactorCategory::Possession, target.username,
                             QStringLiteral("%1 factor %2 of %3; reason: %4; %5 sessions ended")
                                 .arg(kind)
                                 .arg(factorId)
                                 .arg(target.username, reason)
                                 .arg(ids.size()),
                             {caller->user.id, target.id});
    });
}

// ---- Security keys ----

namespace {

Result<bool> credentialRegistered(Vault& vault, const QByteArray& id) {
    auto st = vault.db().prepare("SELECT count(*) FROM fido2_credentials WHERE credential_id = ?");
    if (!st)
        return st.error();
    st->bind(1, id);
    if (!st->step())
        return st->error();
    return st->int64(0) > 0;
}

std::optional<QString> cleanKeyName(const QString& raw) {
    const QString label = raw.trimmed().isEmpty() ? QStringLiteral("Security key") : raw.trimmed();
    if (label.size() > 64)
        return std::nullopt;
    if (!isPlainLine(label)) // as other labels (red team t09)
        return std::nullopt;
    return label;
}

QString attestationLabel(const fido2::VerifiedCredential& v) {
    if (v.format == QLatin1String("none"))
        return QStringLiteral("none");
    return v.selfAttested ? v.format + QStringLiteral(" (self)") : v.format + QStringLiteral(" (x5c)");
}

} // namespace

Result<KeyRegistrationRequest> FactorsService::beginSecurityKeyEnrollment(const Session& session, const QString& name) {
    std::lock_guard lock(m_core.lock);
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    if (Status f = m_core.requireFresh(*caller, QStringLiteral("adding a factor")); !f) // SES-04, as for TOTP
        return f.error();
    const UserRow user = caller->user;
    auto hadSecond = m_core.holdsSecondFactor(user.id);
    if (!hadSecond)
        return hadSecond.error();
    if (*hadSecond && caller->record.aal < static_cast<int>(Aal::Aal2))
        return Error{Errc::StepUpRequired,
                     QStringLiteral("this account has a second factor; confirm it's you with it to change factors"), 0};
    if (Status g = m_core.requireEnrollmentGrant(*caller, QStringLiteral("adding a security key")); !g)
        return g.error();
    const auto label = cleanKeyName(name);
    if (!label)
        return Error{Errc::InvalidArgument, QStringLiteral("Key names are at most 64 characters, on one line."), 0};
    auto rpId = rpIdOf(*m_core.vault);
    if (!rpId)
        return rpId.error();
    auto existing = keysOf(*m_core.vault, user.id);
    if (!existing)
        return existing.error();
    KeyRegistrationRequest request;
    request.rpId = *rpId;
    request.rpName = QString::fromLatin1(Gatehouse::kIssuer);
    request.userId = m_core.random->bytes(32); // opaque handle; the credential is not resident, the vault maps it
    request.userName = user.username;
    request.displayName = user.username;
    request.clientDataHash = clientDataHash("webauthn.create", m_core.random->bytes(fido2::kChallengeBytes), *rpId);
    for (const KeyRow& k : *existing)
        request.excludeCredentials << k.credentialId; // the key refuses to register twice (FIDO-01)
    request.algorithms = {fido2::kCoseEdDsa, fido2::kCoseEs256};
    request.timeoutMs = Gatehouse::kKeyTimeoutMs;
    KeyCeremony c;
    c.enrolment = true;
    c.sessionRecordId = caller->record.id;
    c.userId = user.id;
    c.label = *label;
    c.clientDataHash = request.clientDataHash;
    request.ceremonyId = m_keyCeremonies->add(std::move(c));
    return request;
}

Error FactorsService::abortSecurityKeyEnrollment(const Session& session, const QString& ceremonyId,
                                                 const Error& deviceError) {
    std::lock_guard lock(m_core.lock);
    const Error e = deviceErrorOf(deviceError);
    if (!m_core.vault)
        return e;
    auto caller = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return e;
    if (!m_keyCeremonies->take(
            ceremonyId, [&](const KeyCeremony& c) { return c.enrolment && c.sessionRecordId == caller->record.id; }))
        return e; // nothing of this caller's to end
    const UserRow& user = caller->user;
    (void)m_core.record(user.username, QStringLiteral("fido2.enroll_failed"), Layer::Verification, Outcome::Failed,
                        FactorCategory::Possession, user.username, describe(e), Core::self(user.id));
    return e;
}

Result<FactorInfo> FactorsService::finishSecurityKeyEnrollment(Session& session, const QString& ceremonyId,
                                                               const KeyAttestation& attestation) {
    std::lock_guard lock(m_core.lock);
    if (!m_core.vault)
        return Errc::VaultNotFound;
    // The session may have ended, or gone stale, since begin: check again.
    auto again = m_core.authorize(session, Permission::FactorsManageOwn);
    if (!again)
        return again.error();
    const UserRow user = again->user;
    auto failed = [&](const Error& e) -> Error {
        (void)m_core.record(user.username, QStringLiteral("fido2.enroll_failed"), Layer::Verification, Outcome::Failed,
                            FactorCategory::Possession, user.username, describe(e), Core::self(user.id));
        return e;
    };
    // FIDO-01/02: the challenge is single-use and this session's own.
    const auto ceremony = m_keyCeremonies->take(ceremonyId, [&](const KeyCeremony& c) {
        return c.enrolment && c.sessionRecordId == again->record.id && c.userId == user.id;
    });
    if (!ceremony)
        return failed(staleCeremony());
    if (Status f = m_core.requireFresh(*again, QStringLiteral("adding a factor")); !f)
        return f.error();
    auto hadSecond = m_core.holdsSecondFactor(user.id);
    if (!hadSecond)
        return hadSecond.error();
    if (*hadSecond && again->record.aal < static_cast<int>(Aal::Aal2))
        return Error{Errc::StepUpRequired,
                     QStringLiteral("this account has a second factor; confirm it's you with it to change factors"), 0};
    if (Status g = m_core.requireEnrollmentGrant(*again, QStringLiteral("adding a security key")); !g)
        return failed(g.error());
    auto rpId = rpIdOf(*m_core.vault);
    if (!rpId)
        return rpId.error();
    auto verified = fido2::verifyAttestation(attestation, *rpId, ceremony->clientDataHash);
    if (!verified)
        return failed(verified.error());
    const fido2::VerifiedCredential& v = *verified;
    auto taken = credentialRegistered(*m_core.vault, v.id);
    if (!taken)
        return taken.error();
    if (*taken)
        return failed(Error{Errc::KeyAlreadyRegistered,
                            QStringLiteral("This credential is already registered. Use another key."), 0});
    const QString label = ceremony->label; // checked at begin
    // Whether the key has a PIN or built-in UV: what it said of itself in the client, shown to
    // people only; no decision rests on it (the hard lock's way out checks the UV flag itself).
    const bool userVerifying = attestation.pinSet || attestation.builtInUv || (v.flags & fido2::kFlagUv);

    const qint64 now = m_core.clock->nowSecs();
    QList<FactorKind> factors = parseFactors(again->record.factors);
    if (!factors.contains(FactorKind::SecurityKey))
        factors << FactorKind::SecurityKey;
    FactorInfo info;
    Session renewed;
    Status s = m_core.vault->transaction([&]() -> Status {
        auto add = m_core.vault->db().prepare(
            "INSERT INTO factors(user_id, kind, label, pending, created_at) VALUES (?, 'fido2', ?, 0, ?)");
        if (!add)
            return add.error();
        add->bind(1, user.id).bind(2, label).bind(3, now);
        if (Status x = add->done(); !x)
            return x;
        info.id = m_core.vault->db().lastInsertId();
        auto key = m_core.vault->db().prepare(
            "INSERT INTO fido2_credentials(factor_id, credential_id, public_key, algorithm, sign_count, uv_capable, "
            "uv_initialized, backup_eligible, backup_state, aaguid, attestation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?)");
        if (!key)
            return key.error();
        const bool uvNow = v.flags & fido2::kFlagUv;
        key->bind(1, info.id)
            .bind(2, v.id)
            .bind(3, v.publicKey)
            .bind(4, v.algorithm)
            .bind(5, static_cast<qint64>(v.signCount))
            .bind(6, userVerifying ? 1 : 0)
            .bind(7, uvNow ? 1 : 0)
            .bind(8, (v.flags & fido2::kFlagBe) ? 1 : 0)
            .bind(9, (v.flags & fido2::kFlagBs) ? 1 : 0)
            .bind(10, v.aaguid)
            .bind(11, attestationLabel(v));
        if (Status x = key->done(); !x)
            return x;
        if (Status n = m_core.notices->add(
                user.id,
                QStringLiteral("A security key (%1) was added to this account at %2 UTC.")
                    .arg(label, m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                now);
            !n)
            return n;
        m_core.announceFactorChange(
            user, QStringLiteral("a security key (%1) was added at %2 UTC")
                      .arg(label, m_core.clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
        if (Status g = m_core.consumeEnrollmentGrant(user.id); !g) // single use (ATK-03)
            return g;
        if (Status a = m_core.record(user.username, QStringLiteral("factor.added"), Layer::Verification,
                                     Outcome::Allowed, FactorCategory::Possession, user.username,
                                     QStringLiteral("fido2 factor %1; %2; attestation %3")
                                         .arg(info.id)
                                         .arg(fido2::algorithmName(v.algorithm), attestationLabel(v)),
                                     Core::self(user.id));
            !a)
            return a;
        // The key is held now; a sign-in with it proves AAL3.
        auto issued = reissueAfterEnrolment(user, again->record, factors, *hadSecond,
                                            QStringLiteral("after enrolling a security key"));
        if (!issued)
            return issued.error();
        renewed = std::move(issued.value());
        return ok();
    });
    if (!s)
        return s.error();
    session = std::move(renewed);
    info.kind = FactorKind::SecurityKey;
    info.category = FactorCategory::Possession;
    info.label = label;
    info.created = fromSecs(now);
    info.keyAlgorithm = fido2::algorithmName(v.algorithm);
    info.keyUserVerifying = userVerifying;
    info.keyAaguid = QString::fromLatin1(v.aaguid.toHex());
    info.keyAttestation = attestationLabel(v);
    return info;
}

} // namespace gh
