#pragma once

#include "../clock.h"
#include "../crypto/securebuffer.h"
#include "../errors.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace gh {

class Vault;
class RandomSource;

struct SessionRecord {
    QString id; // public identifier (not the secret): 16 random bytes, hex
    qint64 userId = 0;
    QString client;
    QDateTime created;
    QDateTime expires;
    int restriction = 0; // gh::Restriction as stored (0 = none)
    QString factors;     // factor kinds this login proved, comma-separated ("password,totp")
    int aal = 1;
};

class SessionStore {
public:
    static constexpr qint64 kAbsoluteLifetimeSecs = 12 * 3600; // DESIGN.md, AAL1/AAL2

    SessionStore(Vault& vault, const Clock& clock, RandomSource& random);

    // Creates the record and returns the secret (held by the caller only) in `secretOut`.
    // `r` carries userId, client, restriction, factors and aal; id and times are filled in.
    Result<SessionRecord> issue(SessionRecord r, SecureBuffer& secretOut);
    // Looks the secret up by its hash; fails when unknown, ended or expired.
    Result<SessionRecord> validate(const SecureBuffer& secret);
    Status end(const QString& id, const QString& reason);
    Status endAllForUser(qint64 userId, const QString& reason);
    Result<int> countActive();

private:
    Vault& m_vault;
    const Clock& m_clock;
    RandomSource& m_random;
};

} // namespace gh
