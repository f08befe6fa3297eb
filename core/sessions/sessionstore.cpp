#include "sessionstore.h"

#include "../crypto/primitives.h"
#include "../crypto/random.h"
#include "../vault/vault.h"

namespace gh {

namespace {
QByteArray secretHash(const SecureBuffer& secret) {
    return crypto::sha256(secret.data(), secret.size());
}
} // namespace

SessionStore::SessionStore(Vault& vault, const Clock& clock, RandomSource& random)
    : m_vault(vault), m_clock(clock), m_random(random) {}

Result<SessionRecord> SessionStore::issue(SessionRecord r, SecureBuffer& secretOut) {
    r.id = QString::fromLatin1(m_random.bytes(16).toHex());
    r.created = m_clock.nowUtc();
    r.expires = r.created.addSecs(kAbsoluteLifetimeSecs);
    SecureBuffer secret = m_random.secret(32); // 256 bits (SES-01)
    auto st = m_vault.db().prepare("INSERT INTO sessions(id, user_id, secret_hash, client, restricted, created_at, "
                                   "expires_at, factors, aal) VALUES (?,?,?,?,?,?,?,?,?)");
    if (!st)
        return st.error();
    st->bind(1, r.id)
        .bind(2, r.userId)
        .bind(3, secretHash(secret))
        .bind(4, r.client)
        .bind(5, r.restriction)
        .bind(6, r.created.toSecsSinceEpoch())
        .bind(7, r.expires.toSecsSinceEpoch())
        .bind(8, r.factors)
        .bind(9, r.aal);
    if (Status s = st->done(); !s)
        return s.error();
    secretOut = std::move(secret);
    return r;
}

Result<SessionRecord> SessionStore::validate(const SecureBuffer& secret) {
    if (secret.size() != 32)
        return Errc::SessionInvalid;
    auto st = m_vault.db().prepare("SELECT id, user_id, client, restricted, created_at, expires_at, ended_at, "
                                   "factors, aal FROM sessions WHERE secret_hash = ?");
    if (!st)
        return st.error();
    st->bind(1, secretHash(secret));
    if (!st->step())
        return st->failed() ? Result<SessionRecord>(st->error()) : Result<SessionRecord>(Errc::SessionInvalid);
    SessionRecord r;
    r.id = st->text(0);
    r.userId = st->int64(1);
    r.client = st->text(2);
    r.restriction = static_cast<int>(st->int64(3));
    r.factors = st->text(7);
    r.aal = static_cast<int>(st->int64(8));
    r.created = QDateTime::fromSecsSinceEpoch(st->int64(4), Qt::UTC);
    r.expires = QDateTime::fromSecsSinceEpoch(st->int64(5), Qt::UTC);
    if (!st->isNull(6) || m_clock.nowUtc() >= r.expires)
        return Errc::SessionInvalid;
    return r;
}

Status SessionStore::end(const QString& id, const QString& reason) {
    auto st =
        m_vault.db().prepare("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, m_clock.nowSecs()).bind(2, reason).bind(3, id);
    return st->done();
}

Status SessionStore::endAllForUser(qint64 userId, const QString& reason) {
    auto st =
        m_vault.db().prepare("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, m_clock.nowSecs()).bind(2, reason).bind(3, userId);
    return st->done();
}

Result<int> SessionStore::countActive() {
    auto st = m_vault.db().prepare("SELECT count(*) FROM sessions WHERE ended_at IS NULL AND expires_at > ?");
    if (!st)
        return st.error();
    st->bind(1, m_clock.nowSecs());
    if (!st->step())
        return st->error();
    return static_cast<int>(st->int64(0));
}

} // namespace gh
