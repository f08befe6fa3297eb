// io.gatehouse.Gatehouse1.Factors: authenticator apps (TOTP), recovery codes and security keys of
// the caller's account (or another's, with factors.manage_any). Enrollment secrets (the otpauth
// URI, the Base32 seed, recovery codes) travel once, as byte arrays.
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

namespace gh::service {

namespace {
QByteArray bytesOf(const SecureBuffer& b) {
    return QByteArray(b.chars(), qsizetype(b.size()));
}
} // namespace

void addFactorsMethods(MethodTable& t) {
    const QString i = dbus::kFactors;
    const QString token = QStringLiteral("token"), id = QStringLiteral("factorId");
    add(t, i, QStringLiteral("ListFactors"), "ays", "av",
        {token, QStringLiteral("username"), QStringLiteral("factors")}, [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            auto r = c.vault->gh->factors().listFactors(*s, c.str(1));
            if (!r)
                return r.error();
            return QVariantList{QVariant(wire::toList(*r))};
        });
    add(t, i, QStringLiteral("Assurance"), "ay", "a{sv}", {token, QStringLiteral("assurance")}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        auto r = c.vault->gh->factors().assurance(*s);
        if (!r)
            return r.error();
        return QVariantList{wire::toMap(*r)};
    });
    add(t, i, QStringLiteral("BeginTotpEnrollment"), "ays", "a{sv}ayay",
        {token, QStringLiteral("label"), QStringLiteral("enrollment"), QStringLiteral("uri"),
         QStringLiteral("secretBase32")},
        [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            auto r = c.vault->gh->factors().beginTotpEnrollment(*s, c.str(1));
            if (!r)
                return r.error();
            return QVariantList{wire::toMap(*r), bytesOf(r->uri), bytesOf(r->secretBase32)};
        });
    add(t, i, QStringLiteral("ConfirmTotp"), "ayxay", "a{sv}ay",
        {token, id, QStringLiteral("code"), QStringLiteral("info"), token}, [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            const QString old = s->info.id;
            SecureBuffer code = c.secret(2);
            Status r = c.vault->gh->factors().confirmTotp(*s, c.num(1),
                                                          QString::fromUtf8(code.chars(), qsizetype(code.size())));
            if (!r)
                return r.error();
            c.bind(*s, old);
            return c.sessionReply(*s);
        });
    // Recovery codes in two steps (issue 12): the new codes travel once, as byte arrays; the code
    // typed back travels as one, never as a string.
    add(t, i, QStringLiteral("BeginRecoveryCodes"), "ay", "sxav",
        {token, QStringLiteral("setId"), QStringLiteral("expiresMs"), QStringLiteral("codes")}, [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            auto r = c.vault->gh->factors().beginRecoveryCodes(*s);
            if (!r)
                return r.error();
            QVariantList codes;
            for (const SecureBuffer& code : r->codes)
                codes << bytesOf(code);
            return QVariantList{r->setId, r->expires.toMSecsSinceEpoch(), QVariant(codes)};
        });
    add(t, i, QStringLiteral("ConfirmRecoveryCodes"), "aysay", "",
        {token, QStringLiteral("setId"), QStringLiteral("code")}, [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            return done(c.vault->gh->factors().confirmRecoveryCodes(*s, c.str(1), c.secret(2)));
        });
    add(t, i, QStringLiteral("CancelRecoveryCodes"), "ays", "", {token, QStringLiteral("setId")}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return done(c.vault->gh->factors().cancelRecoveryCodes(*s, c.str(1)));
    });
    add(t, i, QStringLiteral("RenameFactor"), "ayxs", "", {token, id, QStringLiteral("label")}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        if (Status r = c.vault->gh->factors().renameFactor(*s, c.num(1), c.str(2)); !r)
            return r.error();
        return QVariantList();
    });
    add(t, i, QStringLiteral("RemoveFactor"), "ayxay", "", {token, id, QStringLiteral("password")},
        [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            Status r = c.vault->gh->factors().removeFactor(*s, c.num(1), c.secret(2));
            c.service.announceEnded(*c.vault);
            if (!r)
                return r.error();
            return QVariantList();
        });
    add(t, i, QStringLiteral("RemoveUserFactor"), "aysxs", "",
        {token, QStringLiteral("username"), id, QStringLiteral("reason")}, [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            Status r = c.vault->gh->factors().removeUserFactor(*s, c.str(1), c.num(2), c.str(3));
            c.service.announceEnded(*c.vault);
            return done(r);
        });
    // Security keys: the ceremony runs in the client, at the seat (client/securitykey.h); the
    // service issues the request (fresh challenge kept here, exclude list) and verifies the answer.
    const QString ceremony = QStringLiteral("ceremonyId");
    add(t, i, QStringLiteral("BeginSecurityKeyEnrollment"), "ays", "a{sv}",
        {token, QStringLiteral("name"), QStringLiteral("request")}, [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            auto r = c.vault->gh->factors().beginSecurityKeyEnrollment(*s, c.str(1));
            if (!r)
                return r.error();
            return QVariantList{wire::toMap(*r)};
        });
    add(t, i, QStringLiteral("FinishSecurityKeyEnrollment"), "aysa{sv}", "a{sv}a{sv}ay",
        {token, ceremony, QStringLiteral("attestation"), QStringLiteral("factor"), QStringLiteral("info"), token},
        [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            const QString old = s->info.id;
            auto r = c.vault->gh->factors().finishSecurityKeyEnrollment(*s, c.str(1),
                                                                        wire::fromMap<KeyAttestation>(c.args.value(2)));
            if (!r)
                return r.error();
            c.bind(*s, old);
            QVariantList out{wire::toMap(*r)};
            out << c.sessionReply(*s);
            return out;
        });
    // Always answers with an error: the one to show for the key's failure in the client.
    add(t, i, QStringLiteral("AbortSecurityKeyEnrollment"), "aysa{sv}", "", {token, ceremony, QStringLiteral("error")},
        [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            return c.vault->gh->factors().abortSecurityKeyEnrollment(*s, c.str(1),
                                                                     wire::fromMap<Error>(c.args.value(2)));
        });
}

} // namespace gh::service
