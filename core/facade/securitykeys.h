// Security keys (FIDO2): what the two services that run key ceremonies share. FactorsService
// enrols keys (Factors.Begin/Finish/AbortSecurityKeyEnrollment); LoginService runs the login step
// (Login.BeginSecurityKeyAssertion, CompleteLoginWithKeyAssertion, AbortSecurityKeyAssertion). Each
// keeps its own ceremonies (KeyCeremonies) between begin and finish: in memory only, never
// persisted, each taken out by the first finish or abort that names it (the full description is at
// the top of securitykeys.cpp).
#pragma once

#include "core.h"

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace gh {

struct KeyRow {
    qint64 factorId = 0;
    QByteArray credentialId;
    QByteArray publicKey;
    int algorithm = 0;
    qint64 signCount = 0;
    QString label;
};

// WebAuthn-shaped client data around the challenge; its SHA-256 is what the key signs.
QByteArray clientDataHash(const char* type, const QByteArray& challenge, const QString& rpId);
// The vault's fixed relying-party id.
Result<QString> rpIdOf(Vault& vault);
// The account's active security keys, oldest first.
Result<std::vector<KeyRow>> keysOf(Vault& vault, qint64 userId);
// Credential ids no key holds, asked for next to (or instead of) a name's own on the paths a
// stranger may start (passwordless, the hard lock's way out), so every name is asked for the same
// number of ids (Gatehouse::kOfferedKeyIds): the same for a name and index every time, keyed by the
// vault, their lengths drawn from the lengths of the ids this vault's keys made (64 bytes before
// any), so the request does not tell names with keys apart (RL-04; red team, issue 13).
Result<QList<QByteArray>> standInCredentialIds(Vault& vault, const QString& name, int count);
// Adds algorithm/UV/AAGUID facts to the security keys in a factor list.
Status fillSecurityKeyDetails(Vault& vault, QList<FactorInfo>& factors);
// A ceremony id that is unknown, used, expired, of another kind or another caller's: one answer
// for all (the caller learns nothing about other people's ceremonies).
Error staleCeremony();
// What the client may report as the key's own failure: the Key… codes a device produces. Anything
// else (a client that names e.g. AuthenticationFailed) is taken as a refused answer.
Error deviceErrorOf(const Error& e);

// One ceremony between begin and finish.
struct KeyCeremony {
    bool enrolment = false;
    qint64 expiresSecs = 0;    // deadline on clock->monotonicMs() / 1000
    QString sessionRecordId;   // enrolment: the session that began it
    qint64 userId = 0;         // enrolment: its account
    QString label;             // enrolment: the key's name
    QString pendingId;         // assertion: the pending login it belongs to
    QByteArray clientDataHash; // over the fresh challenge (FIDO-01/02)
    QList<QByteArray> allow;   // assertion: the credential ids asked for
    bool requireUv = false;    // assertion: the hard lock's way out needs UV
};

// The ceremonies of one service. Used with the facade lock held.
class KeyCeremonies {
public:
    KeyCeremonies(Clock& clock, RandomSource& random) : m_clock(clock), m_random(random) {}
    // A new ceremony under a fresh random id, expiring after Gatehouse::kKeyCeremonySecs
    // (monotonic); and taking one out when it is `mine` (nullopt when unknown, expired or
    // another's, which stays). Both drop expired ones.
    QString add(KeyCeremony c);
    std::optional<KeyCeremony> take(const QString& id, const std::function<bool(const KeyCeremony&)>& mine);

private:
    Clock& m_clock;
    RandomSource& m_random;
    std::map<QString, KeyCeremony> m_ceremonies;
};

} // namespace gh
