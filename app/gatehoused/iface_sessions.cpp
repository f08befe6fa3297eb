// io.gatehouse.Gatehouse1.Sessions: list and end sessions, the concurrent-session limit. Ending a
// session pushes SessionEnded to the process that holds it (a targeted signal, no polling).
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

namespace gh::service {

namespace {
Reply count(Call& c, Result<int> r) {
    c.service.announceEnded(*c.vault);
    if (!r)
        return r.error();
    return QVariantList{*r};
}
} // namespace

void addSessionsMethods(MethodTable& t) {
    const QString i = dbus::kSessions;
    const QString token = QStringLiteral("token"), n = QStringLiteral("ended");
    add(t, i, QStringLiteral("ListSessions"), "aybb", "av",
        {token, QStringLiteral("allUsers"), QStringLiteral("includeEnded"), QStringLiteral("sessions")},
        [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            auto r = c.vault->gh->listSessions(*s, c.flag(1), c.flag(2));
            if (!r)
                return r.error();
            return QVariantList{QVariant(wire::toList(*r))};
        });
    add(t, i, QStringLiteral("RevokeSession"), "ays", "", {token, QStringLiteral("sessionId")}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        Status r = c.vault->gh->revokeSession(*s, c.str(1));
        c.service.announceEnded(*c.vault);
        if (!r)
            return r.error();
        return QVariantList();
    });
    add(t, i, QStringLiteral("RevokeOtherSessions"), "ay", "i", {token, n}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return count(c, c.vault->gh->revokeOtherSessions(*s));
    });
    add(t, i, QStringLiteral("RevokeUserSessions"), "ays", "i", {token, QStringLiteral("username"), n},
        [](Call& c) -> Reply {
            auto s = c.session(0);
            if (!s)
                return s.error();
            return count(c, c.vault->gh->revokeUserSessions(*s, c.str(1)));
        });
    add(t, i, QStringLiteral("RevokeAllSessions"), "ay", "i", {token, n}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        return count(c, c.vault->gh->revokeAllSessions(*s));
    });
    add(t, i, QStringLiteral("SessionLimit"), "ay", "a{sv}", {token, QStringLiteral("limit")}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        auto r = c.vault->gh->sessionLimit(*s);
        if (!r)
            return r.error();
        return QVariantList{wire::toMap(*r)};
    });
    add(t, i, QStringLiteral("SetSessionLimit"), "aya{sv}", "", {token, QStringLiteral("limit")}, [](Call& c) -> Reply {
        auto s = c.session(0);
        if (!s)
            return s.error();
        SessionLimit limit;
        wire::read(c.args.value(1).toMap(), limit);
        if (Status r = c.vault->gh->setSessionLimit(*s, limit); !r)
            return r.error();
        return QVariantList();
    });
}

} // namespace gh::service
