// io.gatehouse.Gatehouse1.Login: sign in (one call, or begin + complete with a second factor),
// validate, touch, step up, change the password, sign out. A pending login can only be completed
// by the uid that began it; every session issued here is bound to the caller's uid.
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

namespace gh::service {

namespace {

// The caller's own words about itself (e.g. "gatehousectl") plus what the bus vouches for.
QString clientOf(const Call& c, const QString& claimed) {
    const QString source = c.caller.describe();
    if (claimed.isEmpty())
        return source;
    // The name the client claims is quoted, so it cannot pass for the source that follows it.
    QString name = claimed.left(64);
    name.replace(QLatin1Char('"'), QLatin1Char('\''));
    return QStringLiteral("\"%1\" via %2").arg(name, source);
}

Status checkPending(Call& c, const QString& pendingId) {
    std::lock_guard guard(c.vault->lock);
    auto it = c.vault->pending.constFind(pendingId);
    if (it != c.vault->pending.constEnd() && it->uid != c.caller.uid)
        return Error{Errc::LoginExpired, QStringLiteral("this sign-in was begun by another user"), 0};
    return ok();
}

void endPending(Call& c, const QString& pendingId) {
    std::lock_guard guard(c.vault->lock);
    c.vault->pending.remove(pendingId);
}

Reply issued(Call& c, Result<Session> s, const QString& replaced = {}) {
    if (s)
        c.bind(*s, replaced);          // first: the session it replaces ended without anyone to tell
    c.service.announceEnded(*c.vault); // a session limit may have ended the oldest one
    if (!s)
        return s.error();
    return c.sessionReply(*s);
}

} // namespace

void addLoginMethods(MethodTable& t) {
    const QString i = dbus::kLogin;
    const QString info = QStringLiteral("info"), token = QStringLiteral("token");
    add(t, i, QStringLiteral("BeginLogin"), "says", "a{sv}a{sv}ay",
        {QStringLiteral("username"), QStringLiteral("password"), QStringLiteral("client"), QStringLiteral("step"), info,
         token},
        [](Call& c) -> Reply {
            c.service.prunePending(*c.vault); // the core forgets a pending login after kPendingLoginSecs
            auto r = c.vault->gh->login().beginLogin(c.str(0), c.secret(1), clientOf(c, c.str(2)));
            c.service.announceEnded(*c.vault);
            if (!r)
                return r.error();
            QVariantList offered;
            for (FactorKind k : r->offered)
                offered << int(k);
            const QVariantMap step{{QStringLiteral("complete"), r->complete},
                                   {QStringLiteral("pendingId"), r->pendingId},
                                   {QStringLiteral("offered"), offered},
                                   {QStringLiteral("lockedOut"), r->lockedOut}};
            if (r->complete) {
                c.bind(r->session);
                QVariantList out{step};
                out << c.sessionReply(r->session);
                return out;
            }
            c.service.beganLogin(*c.vault, r->pendingId, c.caller.uid);
            return QVariantList{step, QVariantMap(), QByteArray()};
        });
    add(t, i, QStringLiteral("CompleteLogin"), "siay", "a{sv}ay",
        {QStringLiteral("pendingId"), QStringLiteral("kind"), QStringLiteral("code"), info, token},
        [](Call& c) -> Reply {
            if (Status s = checkPending(c, c.str(0)); !s)
                return s.error();
            auto r = c.vault->gh->login().completeLogin(c.str(0), static_cast<FactorKind>(c.num(1)), c.secret(2));
            if (r || r.code() == Errc::LoginExpired)
                endPending(c, c.str(0));
            return issued(c, std::move(r));
        });
    // Security keys: the ceremony runs in the client (client/securitykey.h); the service issues
    // the request (fresh challenge kept with the pending login, allow list) and verifies the answer.
    const QString ceremony = QStringLiteral("ceremonyId");
    add(t, i, QStringLiteral("BeginSecurityKeyAssertion"), "s", "a{sv}",
        {QStringLiteral("pendingId"), QStringLiteral("request")}, [](Call& c) -> Reply {
            if (Status s = checkPending(c, c.str(0)); !s)
                return s.error();
            auto r = c.vault->gh->login().beginSecurityKeyAssertion(c.str(0));
            if (!r)
                return r.error();
            return QVariantList{wire::toMap(*r)};
        });
    // Passwordless sign-in with a key that verifies its user (ATK-04): a pending login without a
    // password, for every name alike; the key step above follows with UV required.
    add(t, i, QStringLiteral("BeginKeyLogin"), "ss", "s",
        {QStringLiteral("username"), QStringLiteral("client"), QStringLiteral("pendingId")}, [](Call& c) -> Reply {
            c.service.prunePending(*c.vault);
            auto r = c.vault->gh->login().beginKeyLogin(c.str(0), clientOf(c, c.str(1)));
            if (!r)
                return r.error();
            c.service.beganLogin(*c.vault, r->pendingId, c.caller.uid);
            return QVariantList{r->pendingId};
        });
    add(t, i, QStringLiteral("CompleteLoginWithKeyAssertion"), "ssa{sv}", "a{sv}ay",
        {QStringLiteral("pendingId"), ceremony, QStringLiteral("assertion"), info, token}, [](Call& c) -> Reply {
            if (Status s = checkPending(c, c.str(0)); !s)
                return s.error();
            auto r = c.vault->gh->login().completeLoginWithKeyAssertion(c.str(0), c.str(1),
                                                                        wire::fromMap<KeyAssertion>(c.args.value(2)));
            if (r)
                endPending(c, c.str(0));
            return issued(c, std::move(r));
        });
    // Always answers with an error: the one to show for the key's failure in the client.
    add(t, i, QStringLiteral("AbortSecurityKeyAssertion"), "ssa{sv}", "",
        {QStringLiteral("pendingId"), ceremony, QStringLiteral("error")}, [](Call& c) -> Reply {
            if (Status s = checkPending(c, c.str(0)); !s)
                return s.error();
            return c.vault->gh->login().abortSecurityKeyAssertion(c.str(0), c.str(1),
                                                                  wire::fromMap<Error>(c.args.value(2)));
        });
    add(t, i, QStringLiteral("CancelLogin"), "s", "", {QStringLiteral("pendingId")}, [](Call& c) -> Reply {
        if (Status s = checkPending(c, c.str(0)); !s)
            return s.error();
        c.vault->gh->login().cancelLogin(c.str(0));
        endPending(c, c.str(0));
        return QVariantList();
    });
    add(t, i, QStringLiteral("Login"), "saysiayb", "a{sv}ay",
        {QStringLiteral("username"), QStringLiteral("password"), QStringLiteral("client"), QStringLiteral("secondKind"),
         QStringLiteral("second"), QStringLiteral("hasSecond"), info, token},
        [](Call& c) -> Reply {
            SecureBuffer second = c.secret(4);
            return issued(c, c.vault->gh->login().fullLogin(c.str(0), c.secret(1), clientOf(c, c.str(2)),
                                                            static_cast<FactorKind>(c.num(3)),
                                                            c.flag(5) ? &second : nullptr));
        });
    add(t, i, QStringLiteral("Logout"), "ay", "", {token}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        Status r = c.vault->gh->login().logout(*s);
        c.service.announceEnded(*c.vault);
        if (!r)
            return r.error();
        return QVariantList();
    });
    add(t, i, QStringLiteral("Validate"), "ay", "a{sv}", {token, info}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return QVariantList{wire::toMap(s->info)};
    });
    add(t, i, QStringLiteral("Touch"), "ay", "", {token}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        if (Status r = c.vault->gh->login().touch(*s); !r)
            return r.error();
        return QVariantList();
    });
    add(t, i, QStringLiteral("StepUp"), "ayayiayb", "a{sv}ay",
        {token, QStringLiteral("password"), QStringLiteral("secondKind"), QStringLiteral("second"),
         QStringLiteral("hasSecond"), info, token},
        [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            const QString old = s->info.id;
            SecureBuffer second = c.secret(3);
            Status r = c.vault->gh->login().stepUp(*s, c.secret(1), static_cast<FactorKind>(c.num(2)),
                                                   c.flag(4) ? &second : nullptr);
            if (!r)
                return r.error();
            return issued(c, std::move(*s), old);
        });
    add(t, i, QStringLiteral("ChangePassword"), "ayayay", "a{sv}ay",
        {token, QStringLiteral("current"), QStringLiteral("next"), info, token}, [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            const QString old = s->info.id;
            Status r = c.vault->gh->login().changePassword(*s, c.secret(1), c.secret(2));
            if (!r)
                return r.error();
            return issued(c, std::move(*s), old);
        });
    // The credential-stuffing detector's thresholds (issue 13).
    addWithSession(t, i, QStringLiteral("StuffingPolicy"), "ay", "a{sv}", {token, QStringLiteral("policy")},
                   [](Call& c, Session& s) -> Reply { return mapReply(c.vault->gh->login().stuffingPolicy(s)); });
    addWithSession(t, i, QStringLiteral("SetStuffingPolicy"), "aya{sv}", "", {token, QStringLiteral("policy")},
                   [](Call& c, Session& s) -> Reply {
                       StuffingPolicy policy;
                       wire::read(c.args.value(1).toMap(), policy);
                       return done(c.vault->gh->login().setStuffingPolicy(s, policy));
                   });
}

} // namespace gh::service
