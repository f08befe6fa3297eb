// Accounts for facade tests: signs people in with an authenticator app enrolled on the way, and
// makes their next codes from the injected clock. Shared by the suites that need an administrator
// at AAL2 and members with a role (tst_people, tst_accesscontrol, tst_apppermissions, tst_attacks).
#pragma once

#include "fakes.h"
#include "gatehouse.h"
#include "verification/otpauth.h"

#include <map>

namespace gh::test {

class Accounts {
public:
    explicit Accounts(FakeClock& clock) : m_clock(clock) {}

    // Forgets every enrolled app (a fresh vault).
    void clear() { m_totp.clear(); }
    // The code of `name`'s app half a minute on (each code is used once).
    SecureBuffer nextCode(const QString& name);
    // Enrolls an authenticator app on the session's account and steps up with it: the session
    // becomes AAL2 (enrolling alone leaves it at what its sign-in proved, SES-04: `stepUp` false).
    bool enrollTotp(Gatehouse& g, Session& s, const char* password, bool stepUp = true);
    // `name` signs in with `password` and makes the session AAL2 with a new app.
    Result<Session> signInWithApp(Gatehouse& g, const QString& name, const char* password);
    // A new account with `role` (added by `by`), signed in with `password` set in place of its
    // temporary one: unrestricted, AAL1; AAL2 with `mfa`.
    Result<Session> member(Gatehouse& g, const Session& by, const QString& name, const QString& role,
                           const char* password, bool mfa = false);
    // A sign-in with the password and the app's next code.
    Result<Session> relogin(Gatehouse& g, const QString& name, const char* password);

private:
    FakeClock& m_clock;
    std::map<QString, OtpauthKey> m_totp;
};

} // namespace gh::test
