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
    addWithSession(t, i, QStringLiteral("ListSessions"), "aybb", "av",
                   {token, QStringLiteral("allUsers"), QStringLiteral("includeEnded"), QStringLiteral("sessions")},
                   [](Call& c, Session& s) -> Reply {
                       return listReply(c.vault->gh->sessions().listSessions(s, c.flag(1), c.flag(2)));
                   });
    addWithSession(t, i, QStringLiteral("RevokeSession"), "ays", "", {token, QStringLiteral("sessionId")},
                   [](Call& c, Session& s) -> Reply {
                       Status r = c.vault->gh->sessions().revokeSession(s, c.str(1));
                       c.service.announceEnded(*c.vault);
                       return done(r);
                   });
    addWithSession(
        t, i, QStringLiteral("RevokeOtherSessions"), "ay", "i", {token, n},
        [](Call& c, Session& s) -> Reply { return count(c, c.vault->gh->sessions().revokeOtherSessions(s)); });
    addWithSession(
        t, i, QStringLiteral("RevokeUserSessions"), "ays", "i", {token, QStringLiteral("username"), n},
        [](Call& c, Session& s) -> Reply { return count(c, c.vault->gh->sessions().revokeUserSessions(s, c.str(1))); });
    addWithSession(t, i, QStringLiteral("RevokeAllSessions"), "ay", "i", {token, n},
                   [](Call& c, Session& s) -> Reply { return count(c, c.vault->gh->sessions().revokeAllSessions(s)); });
    addWithSession(t, i, QStringLiteral("SessionLimit"), "ay", "a{sv}", {token, QStringLiteral("limit")},
                   [](Call& c, Session& s) -> Reply { return mapReply(c.vault->gh->sessions().sessionLimit(s)); });
    addWithSession(t, i, QStringLiteral("SetSessionLimit"), "aya{sv}", "", {token, QStringLiteral("limit")},
                   [](Call& c, Session& s) -> Reply {
                       SessionLimit limit;
                       wire::read(c.args.value(1).toMap(), limit);
                       return done(c.vault->gh->sessions().setSessionLimit(s, limit));
                   });
}

} // namespace gh::service
