// Security keys in the facade (SECURITY.md FIDO-01…FIDO-07, §B.6): enrollment, the login step,
// cancel, listing details. Every ceremony runs in three parts so a key waiting for a touch never
// holds Gatehouse::m_lock (cancel, polling and other calls keep working):
//   begin  (lock)    authorize, fresh challenge, allow/exclude list from the vault;
//   device (no lock) libfido2 talks to the key; bounded by kKeyTimeoutMs and cancelSecurityKey();
//   finish (lock)    re-check the state begin saw, verify the reply, store in one transaction.
// The challenge lives on the stack of the call, so it is single-use by construction (FIDO-02).
#include "gatehouse_p.h"

#include "verification/fido2.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gh {

namespace {

struct KeyRow {
    qint64 factorId = 0;
    QByteArray credentialId;
    QByteArray publicKey;
    int algorithm = 0;
    qint64 signCount = 0;
    QString label;
};

// WebAuthn-shaped client data around the challenge; its SHA-256 is what the key signs. A desktop
// app is its own client, so "origin" is just the relying party (SECURITY.md §B.6 step 4 note).
QByteArray clientDataHash(const char* type, const QByteArray& challenge, const QString& rpId) {
    QJsonObject o;
    o.insert(QStringLiteral("type"), QString::fromLatin1(type));
    o.insert(QStringLiteral("challenge"),
             QString::fromLatin1(challenge.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
    o.insert(QStringLiteral("origin"), QStringLiteral("gatehouse:") + rpId);
    return crypto::sha256(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Result<QString> rpIdOf(Vault& vault) {
    auto st = vault.db().prepare("SELECT value FROM meta WHERE key = 'fido2_rp_id'");
    if (!st)
        return st.error();
    if (!st->step())
        return st->failed() ? Error(st->error())
                            : Error{Errc::Internal, QStringLiteral("the vault has no relying-party id"), 0};
    return st->text(0);
}

Result<std::vector<KeyRow>> keysOf(Vault& vault, qint64 userId) {
    auto st = vault.db().prepare("SELECT k.factor_id, k.credential_id, k.public_key, k.algorithm, k.sign_count, "
                                 "f.label FROM fido2_credentials k JOIN factors f ON f.id = k.factor_id "
                                 "WHERE f.user_id = ? AND f.kind = 'fido2' AND f.pending = 0 ORDER BY k.factor_id");
    if (!st)
        return st.error();
    st->bind(1, userId);
    std::vector<KeyRow> rows;
    while (st->step()) {
        KeyRow r;
        r.factorId = st->int64(0);
        r.credentialId = st->blob(1);
        r.publicKey = st->blob(2);
        r.algorithm = static_cast<int>(st->int64(3));
        r.signCount = st->int64(4);
        r.label = st->text(5);
        rows.push_back(r);
    }
    if (st->failed())
        return st->error();
    return rows;
}

Result<bool> credentialRegistered(Vault& vault, const QByteArray& id) {
    auto st = vault.db().prepare("SELECT count(*) FROM fido2_credentials WHERE credential_id = ?");
    if (!st)
        return st.error();
    st->bind(1, id);
    if (!st->step())
        return st->error();
    return st->int64(0) > 0;
}

// SES-04 for keys as for TOTP: once an account holds a second factor, a password-only session
// cannot bind another one.
Result<bool> holdsSecondFactor(Vault& vault, qint64 userId) {
    auto st = vault.db().prepare(
        "SELECT count(*) FROM factors WHERE user_id = ? AND kind IN ('totp', 'fido2') AND pending = 0");
    if (!st)
        return st.error();
    st->bind(1, userId);
    if (!st->step())
        return st->error();
    return st->int64(0) > 0;
}

std::optional<QString> cleanKeyName(const QString& raw) {
    const QString label = raw.trimmed().isEmpty() ? QStringLiteral("Security key") : raw.trimmed();
    if (label.size() > 64)
        return std::nullopt;
    for (QChar c : label)
        if (c.category() == QChar::Other_Control)
            return std::nullopt;
    return label;
}

QString attestationLabel(const fido2::VerifiedCredential& v) {
    if (v.format == QLatin1String("none"))
        return QStringLiteral("none");
    return v.selfAttested ? v.format + QStringLiteral(" (self)") : v.format + QStringLiteral(" (x5c)");
}

QDateTime fromSecs(qint64 secs) {
    return secs ? QDateTime::fromSecsSinceEpoch(secs, Qt::UTC) : QDateTime();
}

// Registers the open device as the one cancelSecurityKey() stops, for the scope of an operation.
// A Cancel that came while the device was being opened is not lost: cancelled() reports it.
class ActiveKey {
public:
    ActiveKey(std::mutex& lock, fido2::Device*& slot, bool& requested, fido2::Device* device)
        : m_lock(lock), m_slot(slot), m_requested(requested) {
        std::lock_guard g(m_lock);
        m_slot = device;
    }
    bool cancelled() {
        std::lock_guard g(m_lock);
        return m_requested;
    }
    ~ActiveKey() {
        std::lock_guard g(m_lock);
        m_slot = nullptr;
    }
    ActiveKey(const ActiveKey&) = delete;
    ActiveKey& operator=(const ActiveKey&) = delete;

private:
    std::mutex& m_lock;
    fido2::Device*& m_slot;
    bool& m_requested;
};

Error cancelledError() {
    return Error{Errc::KeyCancelled, QStringLiteral("Cancelled."), 0};
}

// Releases the facade's (recursive) lock for the device part and takes it back after.
class Unlocked {
public:
    explicit Unlocked(std::unique_lock<std::recursive_mutex>& lock) : m_lock(lock) { m_lock.unlock(); }
    ~Unlocked() { m_lock.lock(); }
    Unlocked(const Unlocked&) = delete;
    Unlocked& operator=(const Unlocked&) = delete;

private:
    std::unique_lock<std::recursive_mutex>& m_lock;
};

} // namespace

Status fillSecurityKeyDetails(Vault& vault, QList<FactorInfo>& factors) {
    for (FactorInfo& f : factors) {
        if (f.kind != FactorKind::SecurityKey)
            continue;
        auto st = vault.db().prepare(
            "SELECT algorithm, uv_capable, aaguid, attestation FROM fido2_credentials WHERE factor_id = ?");
        if (!st)
            return st.error();
        st->bind(1, f.id);
        if (st->step()) {
            f.keyAlgorithm = fido2::algorithmName(static_cast<int>(st->int64(0)));
            f.keyUserVerifying = st->int64(1) != 0;
            f.keyAaguid = QString::fromLatin1(st->blob(2).toHex());
            f.keyAttestation = st->text(3);
        }
        if (st->failed())
            return st->error();
    }
    return ok();
}

QList<Fido2DeviceInfo> Gatehouse::securityKeys() {
    return d->fido2->devices(); // the transport only: no vault, no lock
}

Result<QString> Gatehouse::relyingPartyId() {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    return rpIdOf(*d->vault);
}

void Gatehouse::cancelSecurityKey() {
    std::lock_guard g(d->activeKeyLock);
    d->keyCancelRequested = true;
    if (d->activeKey)
        d->activeKey->cancel();
}

Result<FactorInfo> Gatehouse::enrollSecurityKey(Session& session, const QString& devicePath, const QString& name,
                                                const SecureBuffer* pin) {
    std::unique_lock lock(m_lock);
    // ---- begin (locked)
    auto caller = d->authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return caller.error();
    if (Status f = d->requireFresh(*caller, QStringLiteral("adding a factor")); !f) // SES-04, as for TOTP
        return f.error();
    const UserRow user = caller->user;
    auto hadSecond = holdsSecondFactor(*d->vault, user.id);
    if (!hadSecond)
        return hadSecond.error();
    if (*hadSecond && caller->record.aal < static_cast<int>(Aal::Aal2))
        return Error{Errc::StepUpRequired,
                     QStringLiteral("this account has a second factor; confirm it's you with it to change factors"), 0};
    const auto label = cleanKeyName(name);
    if (!label)
        return Error{Errc::InvalidArgument, QStringLiteral("Key names are at most 64 characters, on one line."), 0};
    auto rpId = rpIdOf(*d->vault);
    if (!rpId)
        return rpId.error();
    auto existing = keysOf(*d->vault, user.id);
    if (!existing)
        return existing.error();
    fido2::CreateRequest request;
    request.rpId = *rpId;
    request.rpName = QString::fromLatin1(kIssuer);
    request.userId = d->random->bytes(32); // opaque handle; the credential is not resident, the vault maps it
    request.userName = user.username;
    request.clientDataHash = clientDataHash("webauthn.create", d->random->bytes(fido2::kChallengeBytes), *rpId);
    for (const KeyRow& k : *existing)
        request.exclude << k.credentialId; // the key refuses to register twice (FIDO-01)
    request.pin = pin;

    {
        std::lock_guard g(d->activeKeyLock);
        d->keyCancelRequested = false; // a Cancel from an earlier ceremony does not carry over
    }

    // ---- device (unlocked)
    Result<fido2::Credential> made = Error{Errc::Internal, {}, 0};
    fido2::DeviceFacts facts;
    {
        Unlocked unlocked(lock);
        auto device = fido2::Device::open(*d->fido2, devicePath, kKeyTimeoutMs);
        if (!device) {
            made = device.error();
        } else {
            facts = (*device)->facts();
            ActiveKey active(d->activeKeyLock, d->activeKey, d->keyCancelRequested, device->get());
            made =
                active.cancelled() ? Result<fido2::Credential>(cancelledError()) : (*device)->makeCredential(request);
        }
    }

    // ---- finish (locked)
    auto failed = [&](const Error& e) -> Error {
        (void)d->record(user.username, QStringLiteral("fido2.enroll_failed"), Layer::Verification, Outcome::Failed,
                        FactorCategory::Possession, user.username, describe(e), Impl::self(user.id));
        return e;
    };
    if (!made)
        return failed(made.error());
    // The session may have ended, or gone stale, while the key waited: check again.
    auto again = d->authorize(session, Permission::FactorsManageOwn);
    if (!again)
        return again.error();
    if (Status f = d->requireFresh(*again, QStringLiteral("adding a factor")); !f)
        return f.error();
    auto verified = made->verify(*rpId, request.clientDataHash);
    if (!verified)
        return failed(verified.error());
    const fido2::VerifiedCredential& v = *verified;
    auto taken = credentialRegistered(*d->vault, v.id);
    if (!taken)
        return taken.error();
    if (*taken)
        return failed(Error{Errc::KeyAlreadyRegistered,
                            QStringLiteral("This credential is already registered. Use another key."), 0});

    const qint64 now = d->clock->nowSecs();
    QList<FactorKind> factors = parseFactors(again->record.factors);
    if (!factors.contains(FactorKind::SecurityKey))
        factors << FactorKind::SecurityKey;
    FactorInfo info;
    Session renewed;
    Status s = d->vault->transaction([&]() -> Status {
        auto add = d->vault->db().prepare(
            "INSERT INTO factors(user_id, kind, label, pending, created_at) VALUES (?, 'fido2', ?, 0, ?)");
        if (!add)
            return add.error();
        add->bind(1, user.id).bind(2, *label).bind(3, now);
        if (Status x = add->done(); !x)
            return x;
        info.id = d->vault->db().lastInsertId();
        auto key = d->vault->db().prepare(
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
            .bind(6, (facts.clientPinSet || facts.builtInUv || uvNow) ? 1 : 0)
            .bind(7, uvNow ? 1 : 0)
            .bind(8, (v.flags & fido2::kFlagBe) ? 1 : 0)
            .bind(9, (v.flags & fido2::kFlagBs) ? 1 : 0)
            .bind(10, v.aaguid)
            .bind(11, attestationLabel(v));
        if (Status x = key->done(); !x)
            return x;
        if (Status n =
                d->notices->add(user.id,
                                QStringLiteral("A security key (%1) was added to this account at %2 UTC.")
                                    .arg(*label, d->clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                                now);
            !n)
            return n;
        if (Status a = d->record(user.username, QStringLiteral("factor.added"), Layer::Verification, Outcome::Allowed,
                                 FactorCategory::Possession, user.username,
                                 QStringLiteral("fido2 factor %1; %2; attestation %3")
                                     .arg(info.id)
                                     .arg(fido2::algorithmName(v.algorithm), attestationLabel(v)),
                                 Impl::self(user.id));
            !a)
            return a;
        // As with the first authenticator app: the first second factor ends password-only sessions.
        if (Status e = *hadSecond ? d->sessions->end(again->record.id, QStringLiteral("factor enrolled"))
                                  : d->sessions->endAllForUser(user.id, QStringLiteral("second factor enrolled"));
            !e)
            return e;
        // The key is held now; the session's AAL, freshness and absolute deadline stay what its
        // sign-in proved (issue 16): a sign-in with the key proves AAL3.
        auto issued =
            d->issueSession(user, again->record.client, factors, QStringLiteral("after enrolling a security key"),
                            &again->record, false, again->record.aal);
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
    info.label = *label;
    info.created = fromSecs(now);
    info.keyAlgorithm = fido2::algorithmName(v.algorithm);
    info.keyUserVerifying = facts.clientPinSet || facts.builtInUv || (v.flags & fido2::kFlagUv);
    info.keyAaguid = QString::fromLatin1(v.aaguid.toHex());
    info.keyAttestation = attestationLabel(v);
    return info;
}

Result<Session> Gatehouse::completeLoginWithKey(const QString& pendingId, const QString& devicePath,
                                                const SecureBuffer* pin) {
    std::unique_lock lock(m_lock);
    // ---- begin (locked)
    if (!d->vault)
        return Errc::VaultNotFound;
    d->expirePending();
    auto it = d->pending.find(pendingId);
    if (it == d->pending.end())
        return Errc::LoginExpired;
    const Impl::PendingLogin login = it->second;
    if (!login.offered.contains(FactorKind::SecurityKey))
        return Error{Errc::InvalidArgument, QStringLiteral("This account has no security key."), 0};
    // A throttled or locked account does not get as far as asking for a touch. The attempt itself
    // is charged in `finish`, when there is a signature to check (device-side failures such as no
    // key or a timeout are not guesses; a wrong PIN is limited by the key itself, FIDO-06). A
    // hard-locked account (RL-02) goes on: a key that verifies the user is the owner's way out.
    // The first key attempt after the password is part of the same attempt (Impl::chargeAttempt).
    const std::optional<qint64> exempt =
        login.charges == 0 ? std::optional<qint64>(login.passwordSeq) : std::optional<qint64>();
    if (!login.lockedOut) {
        auto t = d->throttleOf(login.username);
        if (!t)
            return t.error();
        const bool waits =
            !(exempt && *exempt == t->seq) && throttle::remaining(t->failures, t->lastFailure, d->clock->nowSecs()) > 0;
        if (throttle::locked(t->failures) || waits)
            return d->chargeAttempt(login.username, FactorCategory::Possession, login.userId, exempt)
                .error(); // audits the refusal
    }
    auto rpId = rpIdOf(*d->vault);
    if (!rpId)
        return rpId.error();
    std::vector<KeyRow> keys;
    if (login.userId) {
        auto found = keysOf(*d->vault, login.userId);
        if (!found)
            return found.error();
        keys = std::move(found.value());
    }
    if (keys.empty() && !login.lockedOut)
        return Error{Errc::InvalidArgument, QStringLiteral("This account has no security key."), 0};
    fido2::GetRequest request;
    request.rpId = *rpId;
    request.clientDataHash = clientDataHash("webauthn.get", d->random->bytes(fido2::kChallengeBytes), *rpId);
    for (const KeyRow& k : keys)
        request.allow << k.credentialId; // FIDO-02: this user's credentials only
    // On the locked path an unknown name, or an account without keys, asks the key for a random
    // credential: the key answers "not registered" as it would for a stranger's key (RL-04).
    if (request.allow.isEmpty())
        request.allow << d->random->bytes(32);
    // The password already proved knowledge, so UV is not required (FIDO-06); passwordless sign-in
    // (which would require it) is not offered. The hard lock opens only with UV (RL-02, ATK-04).
    request.requireUv = login.lockedOut;
    request.pin = pin;

    {
        std::lock_guard g(d->activeKeyLock);
        d->keyCancelRequested = false; // a Cancel from an earlier ceremony does not carry over
    }

    // ---- device (unlocked)
    Result<fido2::Assertion> got = Error{Errc::Internal, {}, 0};
    {
        Unlocked unlocked(lock);
        auto device = fido2::Device::open(*d->fido2, devicePath, kKeyTimeoutMs);
        if (!device) {
            got = device.error();
        } else {
            ActiveKey active(d->activeKeyLock, d->activeKey, d->keyCancelRequested, device->get());
            got = active.cancelled() ? Result<fido2::Assertion>(cancelledError()) : (*device)->getAssertion(request);
        }
    }

    // ---- finish (locked)
    if (!got) {
        (void)d->record(login.username, QStringLiteral("fido2.login_failed"), Layer::Verification, Outcome::Failed,
                        FactorCategory::Possession, login.username, describe(got.error()), Impl::self(login.userId));
        // On the locked path what the person can act on passes (plug the key in, its PIN, touch
        // it, cancel); anything else (not registered, no user verification) reads as the lock.
        const Errc c = got.code();
        const bool actionable = c == Errc::KeyNotFound || c == Errc::KeyPinRequired || c == Errc::KeyPinWrong ||
                                c == Errc::KeyPinBlocked || c == Errc::KeyTimeout || c == Errc::KeyCancelled ||
                                c == Errc::KeyRemoved || c == Errc::KeyDenied;
        if (login.lockedOut && !actionable) {
            d->pending.erase(pendingId);
            return Error{Errc::LockedOut, QStringLiteral("the key cannot open the lock: %1").arg(describe(got.error())),
                         0};
        }
        return got.error();
    }
    d->expirePending();
    it = d->pending.find(pendingId);
    if (it == d->pending.end())
        return Errc::LoginExpired; // cancelled or expired while the key waited
    int charges = 0;
    if (login.lockedOut) {
        d->pending.erase(it); // one try per password entry
    } else {
        if (Status t = d->chargeAttempt(login.username, FactorCategory::Possession, login.userId, exempt); !t)
            return t.error();
        charges = ++it->second.charges;
    }
    // Every failure on the locked path reads the same, whatever failed (no password oracle).
    auto lockedFailure = [&](const QString& why) -> Error {
        d->failAttempt(login.username, QStringLiteral("login.locked"), FactorCategory::Possession,
                       QStringLiteral("hard lock: %1").arg(why), Outcome::Denied, login.userId);
        return Error{Errc::LockedOut, {}, 0};
    };
    std::optional<UserRow> found;
    if (login.userId) {
        auto user = d->findUser(QStringLiteral("id"), login.userId);
        if (!user)
            return user.error();
        found = *user;
    }
    if (!found || !found->enabled) {
        if (login.lockedOut)
            return lockedFailure(QStringLiteral("no such account"));
        d->pending.erase(pendingId);
        return Errc::AccountDisabled;
    }
    const UserRow& u = *found;
    // FIDO-02: the returned credential must be one we allowed, and still belong to this user
    // (re-read: it may have been removed while the key waited).
    auto current = keysOf(*d->vault, u.id);
    if (!current)
        return current.error();
    const QByteArray returned = got->credentialId();
    const KeyRow* row = nullptr;
    for (const KeyRow& k : *current)
        if (request.allow.contains(k.credentialId) && k.credentialId == returned)
            row = &k;
    if (!row) {
        if (login.lockedOut)
            return lockedFailure(QStringLiteral("a credential not registered to this account"));
        d->failAttempt(u.username, QStringLiteral("login.failed"), FactorCategory::Possession,
                       QStringLiteral("security key answered with a credential not registered to this account"),
                       Outcome::Failed, u.id);
        return Error{Errc::KeyNotRegistered,
                     QStringLiteral("This security key is not registered to this account. Use a key you added."), 0};
    }
    auto verified = got->verify(*rpId, request.clientDataHash, row->algorithm, row->publicKey, request.requireUv);
    if (!verified) {
        if (login.lockedOut)
            return lockedFailure(
                QStringLiteral("fido2 factor %1: %2").arg(row->factorId).arg(describe(verified.error())));
        d->failAttempt(u.username, QStringLiteral("login.failed"), FactorCategory::Possession,
                       QStringLiteral("fido2 factor %1: %2").arg(row->factorId).arg(describe(verified.error())),
                       Outcome::Failed, u.id);
        return verified.error();
    }
    // FIDO-04: a counter that does not grow (when either value is non-zero) may be a cloned key.
    const qint64 stored = row->signCount;
    const qint64 now = static_cast<qint64>(verified->signCount);
    if ((stored != 0 || now != 0) && now <= stored) {
        const QString when = d->clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        d->failAttempt(u.username, QStringLiteral("fido2.clone_suspected"), FactorCategory::Possession,
                       QStringLiteral("fido2 factor %1 (%2): signature counter %3 after %4; refused")
                           .arg(row->factorId)
                           .arg(row->label)
                           .arg(now)
                           .arg(stored),
                       Outcome::Denied, u.id);
        // Tell the person and every administrator at their next sign-in (the audit event is theirs
        // too). Notices append: nothing later can replace this one before it is seen.
        (void)d->notices->add(u.id,
                              QStringLiteral("At %1 UTC your security key \"%2\" was refused: its signature "
                                             "counter went backwards, which can mean it was copied. If you still "
                                             "have it, remove and re-add it; otherwise remove it now.")
                                  .arg(when, row->label),
                              d->clock->nowSecs(), true, QStringLiteral("fido2.clone_suspected:%1").arg(row->factorId));
        (void)d->notices->addForRole(roles::kAdmin,
                                     QStringLiteral("Security alert: at %1 UTC a security key of user %2 was refused "
                                                    "as a possible clone (signature counter went backwards). See the "
                                                    "audit log (fido2.clone_suspected).")
                                         .arg(when, u.username),
                                     d->clock->nowSecs(), true,
                                     QStringLiteral("fido2.clone_suspected.admin:%1").arg(row->factorId));
        return Errc::KeyCloneSuspected;
    }
    const bool uv = verified->flags & fido2::kFlagUv;
    if (login.lockedOut && (!uv || !login.passwordOk))
        return lockedFailure(!uv ? QStringLiteral("the key did not verify the user")
                                 : QStringLiteral("security key right, password wrong"));
    QList<FactorKind> factors{FactorKind::Password, FactorKind::SecurityKey};
    if (uv)
        factors << FactorKind::SecurityKeyUv;
    const qint64 factorId = row->factorId;
    auto result = d->completeWith(u, login.client, factors, QString(), charges, [&]() -> Status {
        // State changes only now, after every check passed; the guard on the old counter makes a
        // concurrent use of the same counter value fail instead of both succeeding.
        auto st = d->vault->db().prepare("UPDATE fido2_credentials SET sign_count = ?, uv_initialized = "
                                         "max(uv_initialized, ?) WHERE factor_id = ? AND sign_count = ?");
        if (!st)
            return st.error();
        st->bind(1, now).bind(2, uv ? 1 : 0).bind(3, factorId).bind(4, stored);
        if (Status x = st->done(); !x)
            return x;
        if (d->vault->db().changes() != 1)
            return Errc::KeyCloneSuspected;
        auto used = d->vault->db().prepare("UPDATE factors SET last_used_at = ? WHERE id = ?");
        if (!used)
            return used.error();
        used->bind(1, d->clock->nowSecs()).bind(2, factorId);
        if (Status x = used->done(); !x)
            return x;
        if (login.lockedOut) // RL-02: the owner's way out; resets the counter, audited, noticed
            return d->liftHardLock(u, QStringLiteral("a security key that verified the user"));
        return ok();
    });
    if (result) {
        d->pending.erase(pendingId);
        if (login.lockedOut) {
            const QString text = QStringLiteral("Your account was locked after too many failed attempts; your "
                                                "password and your security key unlocked it.");
            result->info.noticeForUser =
                result->info.noticeForUser.isEmpty() ? text : result->info.noticeForUser + QLatin1Char(' ') + text;
        }
    }
    return result;
}

} // namespace gh
