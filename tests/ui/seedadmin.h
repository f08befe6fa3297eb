// Seeds a GUI test's vault through an in-process facade on the service's clock: the first
// administrator with an authenticator app, her setup session stepped up with it (as a sign-in with
// both factors leaves it), so she can add users and the window signs her in with password + code.
#pragma once

#include "fileclock.h"
#include "gatehouse.h"
#include "verification/otpauth.h"
#include "verification/totp.h"

#include <optional>

namespace gh::test {

struct SeededAdmin {
    Session session;
    QByteArray seed; // the authenticator's secret, for the codes a test types
    TotpParams params;
};

// Null when a step failed. The code that steps the session up is the next step's; the clock then
// stands on that step (the window's first sign-in must use a later one: each code works once).
inline std::optional<SeededAdmin> seedAdminWithTotp(Gatehouse& g, const QString& vault, const QString& admin,
                                                    const QString& password, FileClock& clock) {
    const auto secret = [&password] { return SecureBuffer::fromUtf8(password); };
    if (!g.createVault(vault) || !g.accounts().createFirstAdmin(admin, secret()))
        return std::nullopt;
    auto s = g.login().fullLogin(admin, secret(), QStringLiteral("setup"));
    if (!s)
        return std::nullopt;
    auto e = g.factors().beginTotpEnrollment(*s, QStringLiteral("phone"));
    OtpauthKey key;
    if (!e || otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())), &key) !=
                  OtpauthError::None)
        return std::nullopt;
    if (!g.factors().confirmTotp(*s, e->factorId, totp::generate(key.secret, clock.nowSecs(), key.params)))
        return std::nullopt;
    clock.advance(30);
    const auto next = SecureBuffer::fromUtf8(totp::generate(key.secret, clock.nowSecs(), key.params));
    if (!g.login().stepUp(*s, secret(), FactorKind::Totp, &next))
        return std::nullopt;
    return SeededAdmin{std::move(*s), QByteArray(key.secret.chars(), static_cast<qsizetype>(key.secret.size())),
                       key.params};
}

} // namespace gh::test
