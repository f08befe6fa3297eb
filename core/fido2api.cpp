// Security keys in the facade (SECURITY.md FIDO-01…FIDO-07, §B.6): enrolment, the login step,
// listing details. The key is plugged in at the seat, so the device part of every ceremony runs in
// the client (client/securitykey.h); the facade never opens a device. A ceremony is:
//   begin  (lock)  authorize, fresh challenge, allow/exclude list from the vault; the challenge's
//                  client-data hash is kept in memory under a random ceremony id (never persisted);
//   client         libfido2 talks to the key (touch, PIN, cancel) and sends its answer back;
//   finish (lock)  take the ceremony out (single use, FIDO-02), check it is this caller's and not
//                  expired, re-check the state begin saw, verify the answer, store in one
//                  transaction.
// abort (lock) is finish for a ceremony the key failed in the client: audited, consumed.
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

Result<QString> Gatehouse::relyingPartyId() {
    std::lock_guard guard(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    return rpIdOf(*d->vault);
}

namespace {

// A ceremony id that is unknown, used, expired, of another kind or another caller's: one answer
// for all (the caller learns nothing about other people's ceremonies).
Error staleCeremony() {
    return Error{Errc::KeyRejected,
                 QStringLiteral("This security-key request is unknown, already used or expired. Try again."), 0};
}

// What the client may report as the key's own failure: the Key… codes a device produces. Anything
// else (a client that names e.g. AuthenticationFailed) is taken as a refused answer.
Error deviceErrorOf(const Error& e) {
    switch (e.code) {
    case Errc::KeyNotFound:
    case Errc::KeyNotRegistered:
    case Errc::KeyAlreadyRegistered:
    case Errc::KeyPinRequired:
    case Errc::KeyPinWrong:
    case Errc::KeyPinBlocked:
    case Errc::KeyTimeout:
    case Errc::KeyDenied:
    case Errc::KeyCancelled:
    case Errc::KeyRemoved:
    case Errc::KeyRejected: {
        // Untrusted text for the audit log and the person: one short line.
        QString detail = e.detail.left(300);
        for (QChar& c : detail)
            if (c.category() == QChar::Other_Control)
                c = QLatin1Char(' ');
        return Error{e.code, detail, 0};
    }
    default:
        return Error{Errc::KeyRejected, QStringLiteral("The security key reported an error."), 0};
    }
}

} // namespace

// Takes the caller's ceremony out of the map (single use); one that is not the caller's stays (a
// stranger naming it cannot spend it), expired ones are dropped.
std::optional<Gatehouse::Impl::KeyCeremony>
Gatehouse::Impl::takeKeyCeremony(const QString& id, const std::function<bool(const KeyCeremony&)>& mine) {
    const qint64 now = clock->monotonicMs() / 1000;
    for (auto it = keyCeremonies.begin(); it != keyCeremonies.end();)
        it = it->second.expiresSecs <= now ? keyCeremonies.erase(it) : std::next(it);
    auto it = keyCeremonies.find(id);
    if (it == keyCeremonies.end() || !mine(it->second))
        return std::nullopt;
    KeyCeremony c = std::move(it->second);
    keyCeremonies.erase(it);
    return c;
}

QString Gatehouse::Impl::addKeyCeremony(KeyCeremony c) {
    // Deadlines on the monotonic clock: a wall-clock jump neither extends nor ends them.
    // Bounded: a caller that begins and never finishes cannot grow the map without end.
    constexpr std::size_t kMaxCeremonies = 1024;
    const qint64 now = clock->monotonicMs() / 1000;
    for (auto it = keyCeremonies.begin(); it != keyCeremonies.end();)
        it = it->second.expiresSecs <= now ? keyCeremonies.erase(it) : std::next(it);
    while (keyCeremonies.size() >= kMaxCeremonies) {
        auto oldest = keyCeremonies.begin();
        for (auto it = keyCeremonies.begin(); it != keyCeremonies.end(); ++it)
            if (it->second.expiresSecs < oldest->second.expiresSecs)
                oldest = it;
        keyCeremonies.erase(oldest);
    }
    c.expiresSecs = now + Gatehouse::kKeyCeremonySecs;
    const QString id = QString::fromLatin1(random->bytes(16).toHex());
    keyCeremonies[id] = std::move(c);
    return id;
}

Result<KeyRegistrationRequest> Gatehouse::beginSecurityKeyEnrollment(const Session& session, const QString& name) {
    std::lock_guard lock(m_lock);
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
    KeyRegistrationRequest request;
    request.rpId = *rpId;
    request.rpName = QString::fromLatin1(kIssuer);
    request.userId = d->random->bytes(32); // opaque handle; the credential is not resident, the vault maps it
    request.userName = user.username;
    request.displayName = user.username;
    request.clientDataHash = clientDataHash("webauthn.create", d->random->bytes(fido2::kChallengeBytes), *rpId);
    for (const KeyRow& k : *existing)
        request.excludeCredentials << k.credentialId; // the key refuses to register twice (FIDO-01)
    request.algorithms = {fido2::kCoseEdDsa, fido2::kCoseEs256};
    request.timeoutMs = kKeyTimeoutMs;
    Impl::KeyCeremony c;
    c.enrolment = true;
    c.sessionRecordId = caller->record.id;
    c.userId = user.id;
    c.label = *label;
    c.clientDataHash = request.clientDataHash;
    request.ceremonyId = d->addKeyCeremony(std::move(c));
    return request;
}

Error Gatehouse::abortSecurityKeyEnrollment(const Session& session, const QString& ceremonyId,
                                            const Error& deviceError) {
    std::lock_guard lock(m_lock);
    const Error e = deviceErrorOf(deviceError);
    if (!d->vault)
        return e;
    auto caller = d->authorize(session, Permission::FactorsManageOwn);
    if (!caller)
        return e;
    if (!d->takeKeyCeremony(ceremonyId, [&](const Impl::KeyCeremony& c) {
            return c.enrolment && c.sessionRecordId == caller->record.id;
        }))
        return e; // nothing of this caller's to end
    const UserRow& user = caller->user;
    (void)d->record(user.username, QStringLiteral("fido2.enroll_failed"), Layer::Verification, Outcome::Failed,
                    FactorCategory::Possession, user.username, describe(e), Impl::self(user.id));
    return e;
}

Result<FactorInfo> Gatehouse::finishSecurityKeyEnrollment(Session& session, const QString& ceremonyId,
                                                          const KeyAttestation& attestation) {
    std::lock_guard lock(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    // The session may have ended, or gone stale, since begin: check again.
    auto again = d->authorize(session, Permission::FactorsManageOwn);
    if (!again)
        return again.error();
    const UserRow user = again->user;
    auto failed = [&](const Error& e) -> Error {
        (void)d->record(user.username, QStringLiteral("fido2.enroll_failed"), Layer::Verification, Outcome::Failed,
                        FactorCategory::Possession, user.username, describe(e), Impl::self(user.id));
        return e;
    };
    // FIDO-01/02: the challenge is single-use and this session's own.
    const auto ceremony = d->takeKeyCeremony(ceremonyId, [&](const Impl::KeyCeremony& c) {
        return c.enrolment && c.sessionRecordId == again->record.id && c.userId == user.id;
    });
    if (!ceremony)
        return failed(staleCeremony());
    if (Status f = d->requireFresh(*again, QStringLiteral("adding a factor")); !f)
        return f.error();
    auto hadSecond = holdsSecondFactor(*d->vault, user.id);
    if (!hadSecond)
        return hadSecond.error();
    if (*hadSecond && again->record.aal < static_cast<int>(Aal::Aal2))
        return Error{Errc::StepUpRequired,
                     QStringLiteral("this account has a second factor; confirm it's you with it to change factors"), 0};
    auto rpId = rpIdOf(*d->vault);
    if (!rpId)
        return rpId.error();
    auto verified = fido2::verifyAttestation(attestation, *rpId, ceremony->clientDataHash);
    if (!verified)
        return failed(verified.error());
    const fido2::VerifiedCredential& v = *verified;
    auto taken = credentialRegistered(*d->vault, v.id);
    if (!taken)
        return taken.error();
    if (*taken)
        return failed(Error{Errc::KeyAlreadyRegistered,
                            QStringLiteral("This credential is already registered. Use another key."), 0});
    const QString label = ceremony->label; // checked at begin
    // Whether the key has a PIN or built-in UV: what it said of itself in the client, shown to
    // people only; no decision rests on it (the hard lock's way out checks the UV flag itself).
    const bool userVerifying = attestation.pinSet || attestation.builtInUv || (v.flags & fido2::kFlagUv);

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
        add->bind(1, user.id).bind(2, label).bind(3, now);
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
            .bind(6, userVerifying ? 1 : 0)
            .bind(7, uvNow ? 1 : 0)
            .bind(8, (v.flags & fido2::kFlagBe) ? 1 : 0)
            .bind(9, (v.flags & fido2::kFlagBs) ? 1 : 0)
            .bind(10, v.aaguid)
            .bind(11, attestationLabel(v));
        if (Status x = key->done(); !x)
            return x;
        if (Status n = d->notices->add(user.id,
                                       QStringLiteral("A security key (%1) was added to this account at %2 UTC.")
                                           .arg(label, d->clock->nowUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
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
    info.label = label;
    info.created = fromSecs(now);
    info.keyAlgorithm = fido2::algorithmName(v.algorithm);
    info.keyUserVerifying = userVerifying;
    info.keyAaguid = QString::fromLatin1(v.aaguid.toHex());
    info.keyAttestation = attestationLabel(v);
    return info;
}

Result<KeyAssertionRequest> Gatehouse::beginSecurityKeyAssertion(const QString& pendingId) {
    std::lock_guard lock(m_lock);
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
    // is charged in finish, when there is a signature to check (device-side failures such as no
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
    KeyAssertionRequest request;
    request.rpId = *rpId;
    request.clientDataHash = clientDataHash("webauthn.get", d->random->bytes(fido2::kChallengeBytes), *rpId);
    for (const KeyRow& k : keys)
        request.allowCredentials << k.credentialId; // FIDO-02: this user's credentials only
    // On the locked path an unknown name, or an account without keys, asks the key for a random
    // credential: the key answers "not registered" as it would for a stranger's key (RL-04).
    if (request.allowCredentials.isEmpty())
        request.allowCredentials << d->random->bytes(32);
    // The password already proved knowledge, so UV is not required (FIDO-06); passwordless sign-in
    // (which would require it) is not offered. The hard lock opens only with UV (RL-02, ATK-04).
    request.userVerification = login.lockedOut;
    request.timeoutMs = kKeyTimeoutMs;
    Impl::KeyCeremony c;
    c.pendingId = pendingId;
    c.clientDataHash = request.clientDataHash;
    c.allow = request.allowCredentials;
    c.requireUv = request.userVerification;
    request.ceremonyId = d->addKeyCeremony(std::move(c));
    return request;
}

Error Gatehouse::abortSecurityKeyAssertion(const QString& pendingId, const QString& ceremonyId,
                                           const Error& deviceError) {
    std::lock_guard lock(m_lock);
    const Error e = deviceErrorOf(deviceError);
    if (!d->vault)
        return e;
    if (!d->takeKeyCeremony(ceremonyId,
                            [&](const Impl::KeyCeremony& c) { return !c.enrolment && c.pendingId == pendingId; }))
        return e; // nothing of this login's to end
    d->expirePending();
    auto it = d->pending.find(pendingId);
    if (it == d->pending.end())
        return Error{Errc::LoginExpired, {}, 0};
    const Impl::PendingLogin login = it->second;
    (void)d->record(login.username, QStringLiteral("fido2.login_failed"), Layer::Verification, Outcome::Failed,
                    FactorCategory::Possession, login.username, describe(e), Impl::self(login.userId));
    // On the locked path what the person can act on passes (plug the key in, its PIN, touch it,
    // cancel); anything else (not registered, no user verification) reads as the lock.
    const Errc code = e.code;
    const bool actionable = code == Errc::KeyNotFound || code == Errc::KeyPinRequired || code == Errc::KeyPinWrong ||
                            code == Errc::KeyPinBlocked || code == Errc::KeyTimeout || code == Errc::KeyCancelled ||
                            code == Errc::KeyRemoved || code == Errc::KeyDenied;
    if (login.lockedOut && !actionable) {
        d->pending.erase(pendingId);
        return Error{Errc::LockedOut, QStringLiteral("the key cannot open the lock: %1").arg(describe(e)), 0};
    }
    return e;
}

Result<Session> Gatehouse::completeLoginWithKeyAssertion(const QString& pendingId, const QString& ceremonyId,
                                                         const KeyAssertion& assertion) {
    std::lock_guard lock(m_lock);
    if (!d->vault)
        return Errc::VaultNotFound;
    // FIDO-02: the challenge is single-use and this pending login's own.
    const auto ceremony = d->takeKeyCeremony(
        ceremonyId, [&](const Impl::KeyCeremony& c) { return !c.enrolment && c.pendingId == pendingId; });
    d->expirePending();
    auto it = d->pending.find(pendingId);
    if (it == d->pending.end())
        return Errc::LoginExpired; // cancelled or expired while the key waited
    if (!ceremony) {
        const Impl::PendingLogin& p = it->second;
        (void)d->record(p.username, QStringLiteral("fido2.login_failed"), Layer::Verification, Outcome::Failed,
                        FactorCategory::Possession, p.username, describe(staleCeremony()), Impl::self(p.userId));
        return staleCeremony();
    }
    const Impl::PendingLogin login = it->second;
    const std::optional<qint64> exempt =
        login.charges == 0 ? std::optional<qint64>(login.passwordSeq) : std::optional<qint64>();
    auto rpId = rpIdOf(*d->vault);
    if (!rpId)
        return rpId.error();
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
    const QByteArray& returned = assertion.credentialId;
    const KeyRow* row = nullptr;
    for (const KeyRow& k : *current)
        if (ceremony->allow.contains(k.credentialId) && k.credentialId == returned)
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
    auto verified = fido2::verifyAssertion(assertion, *rpId, ceremony->clientDataHash, row->algorithm, row->publicKey,
                                           ceremony->requireUv);
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
