// Security keys in the facade (SECURITY.md FIDO-01…FIDO-07, §B.6): what FactorsService (enrolment)
// and LoginService (the login step) share. The key is plugged in at the seat, so the device part of every ceremony runs
// in the client (client/securitykey.h); the facade never opens a device. A ceremony is:
//   begin  (lock)  authorize, fresh challenge, allow/exclude list from the vault; the challenge's
//                  client-data hash is kept in memory under a random ceremony id (never persisted);
//   client         libfido2 talks to the key (touch, PIN, cancel) and sends its answer back;
//   finish (lock)  take the ceremony out (single use, FIDO-02), check it is this caller's and not
//                  expired, re-check the state begin saw, verify the answer, store in one
//                  transaction.
// abort (lock) is finish for a ceremony the key failed in the client: audited, consumed.
#include "securitykeys.h"

#include "gatehouse.h"

#include "crypto/primitives.h"
#include "plaintext.h"
#include "verification/fido2.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace gh {

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

Result<QList<QByteArray>> standInCredentialIds(Vault& vault, const QString& name, int count) {
    static constexpr char kContext[8] = {'g', 'h', 'k', 'e', 'y', 'i', 'd', '1'};
    // The lengths of the ids this vault's keys made, one per key, in a fixed order.
    auto st = vault.db().prepare("SELECT length(credential_id) FROM fido2_credentials ORDER BY credential_id");
    if (!st)
        return st.error();
    QList<int> lengths;
    while (st->step())
        lengths << static_cast<int>(st->int64(0));
    if (st->failed())
        return st->error();
    if (lengths.isEmpty())
        lengths << 64;
    const SecureBuffer key = vault.subkey(3, kContext);
    QList<QByteArray> ids;
    for (int i = 0; i < count; ++i) {
        const QByteArray seed = name.toUtf8() + '\0' + QByteArray::number(i);
        const QByteArray pick = crypto::mac(key, seed + "#length");
        const quint32 r = (quint32(quint8(pick[0])) << 24) | (quint32(quint8(pick[1])) << 16) |
                          (quint32(quint8(pick[2])) << 8) | quint32(quint8(pick[3]));
        const int length = std::max(16, lengths.at(static_cast<qsizetype>(r % quint32(lengths.size()))));
        QByteArray id;
        for (char block = 0; id.size() < length; ++block)
            id += crypto::mac(key, seed + QByteArray(1, block));
        id.truncate(length);
        ids << id;
    }
    return ids;
}

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
        return Error{e.code, toPlainLine(e.detail, 300), 0};
    }
    default:
        return Error{Errc::KeyRejected, QStringLiteral("The security key reported an error."), 0};
    }
}

// Takes the caller's ceremony out of the map (single use); one that is not the caller's stays (a
// stranger naming it cannot spend it), expired ones are dropped.
std::optional<KeyCeremony> KeyCeremonies::take(const QString& id, const std::function<bool(const KeyCeremony&)>& mine) {
    const qint64 now = m_clock.monotonicMs() / 1000;
    for (auto it = m_ceremonies.begin(); it != m_ceremonies.end();)
        it = it->second.expiresSecs <= now ? m_ceremonies.erase(it) : std::next(it);
    auto it = m_ceremonies.find(id);
    if (it == m_ceremonies.end() || !mine(it->second))
        return std::nullopt;
    KeyCeremony c = std::move(it->second);
    m_ceremonies.erase(it);
    return c;
}

QString KeyCeremonies::add(KeyCeremony c) {
    // Deadlines on the monotonic clock: a wall-clock jump neither extends nor ends them.
    // Bounded: a caller that begins and never finishes cannot grow the map without end.
    constexpr std::size_t kMaxCeremonies = 1024;
    const qint64 now = m_clock.monotonicMs() / 1000;
    for (auto it = m_ceremonies.begin(); it != m_ceremonies.end();)
        it = it->second.expiresSecs <= now ? m_ceremonies.erase(it) : std::next(it);
    while (m_ceremonies.size() >= kMaxCeremonies) {
        auto oldest = m_ceremonies.begin();
        for (auto it = m_ceremonies.begin(); it != m_ceremonies.end(); ++it)
            if (it->second.expiresSecs < oldest->second.expiresSecs)
                oldest = it;
        m_ceremonies.erase(oldest);
    }
    c.expiresSecs = now + Gatehouse::kKeyCeremonySecs;
    const QString id = QString::fromLatin1(m_random.bytes(16).toHex());
    m_ceremonies[id] = std::move(c);
    return id;
}

} // namespace gh
