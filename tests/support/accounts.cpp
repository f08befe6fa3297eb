#include "accounts.h"

#include "verification/totp.h"

#include <cstring>

namespace gh::test {

namespace {
SecureBuffer secret(const char* s) {
    return SecureBuffer(s, std::strlen(s));
}
} // namespace

SecureBuffer Accounts::nextCode(const QString& name) {
    m_clock.advance(30);
    const OtpauthKey& key = m_totp.at(name);
    return SecureBuffer::fromUtf8(totp::generate(key.secret, m_clock.nowSecs(), key.params));
}

bool Accounts::enrollTotp(Gatehouse& g, Session& s, const char* password, bool stepUp) {
    m_clock.advance(30);
    auto e = g.factors().beginTotpEnrollment(s, QStringLiteral("phone"));
    if (!e)
        return false;
    OtpauthKey key;
    if (otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())), &key) !=
        OtpauthError::None)
        return false;
    if (!g.factors().confirmTotp(s, e->factorId, totp::generate(key.secret, m_clock.nowSecs(), key.params)))
        return false;
    m_totp[s.info.username] = std::move(key);
    if (!stepUp)
        return true;
    const SecureBuffer code = nextCode(s.info.username);
    return g.login().stepUp(s, secret(password), FactorKind::Totp, &code).ok();
}

Result<Session> Accounts::signInWithApp(Gatehouse& g, const QString& name, const char* password) {
    auto s = g.login().fullLogin(name, secret(password), QStringLiteral("t"));
    if (!s)
        return s.error();
    if (!enrollTotp(g, *s, password))
        return Errc::Internal;
    return s;
}

Result<Session> Accounts::member(Gatehouse& g, const Session& by, const QString& name, const QString& role,
                                 const char* password, bool mfa) {
    auto temp = g.accounts().addUser(by, name, role);
    if (!temp)
        return temp.error();
    auto s = g.login().fullLogin(name, *temp, QStringLiteral("t"));
    if (!s)
        return s.error();
    if (Status c = g.login().changePassword(*s, *temp, secret(password)); !c)
        return c.error();
    if (mfa && !enrollTotp(g, *s, password))
        return Errc::Internal;
    return s;
}

Result<Session> Accounts::relogin(Gatehouse& g, const QString& name, const char* password) {
    const SecureBuffer code = nextCode(name);
    return g.login().fullLogin(name, secret(password), QStringLiteral("t"), FactorKind::Totp, &code);
}

} // namespace gh::test
