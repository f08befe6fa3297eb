// io.gatehouse.Gatehouse1.Accounts: the first administrator, then accounts managed by a session
// whose roles allow it (checked in core).
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

#include <unistd.h>

namespace gh::service {

void addAccountsMethods(MethodTable& t) {
    const QString i = dbus::kAccounts;
    const QString token = QStringLiteral("token"), user = QStringLiteral("username");
    add(t, i, QStringLiteral("CreateFirstAdmin"), "say", "", {user, QStringLiteral("password")}, [](Call& c) -> Reply {
        // System mode: whoever asks first would own a fresh vault; only root (or the service's own
        // user) sets up the first administrator.
        if (c.service.systemMode() && c.caller.uid != 0 && c.caller.uid != ::getuid())
            return Error{Errc::NotPermitted, QStringLiteral("only root creates the first administrator in system mode"),
                         0};
        return done(c.vault->gh->accounts().createFirstAdmin(c.str(0), c.secret(1)));
    });
    addWithSession(t, i, QStringLiteral("AddUser"), "ayss", "ay",
                   {token, user, QStringLiteral("role"), QStringLiteral("temporaryPassword")},
                   [](Call& c, Session& s) -> Reply {
                       auto r = c.vault->gh->accounts().addUser(s, c.str(1), c.str(2));
                       if (!r)
                           return r.error();
                       return QVariantList{QByteArray(r->chars(), qsizetype(r->size()))};
                   });
    addWithSession(t, i, QStringLiteral("ListUsers"), "ay", "av", {token, QStringLiteral("users")},
                   [](Call& c, Session& s) -> Reply { return listReply(c.vault->gh->accounts().listUsers(s)); });
    addWithSession(t, i, QStringLiteral("SetUserEnabled"), "aysb", "", {token, user, QStringLiteral("enabled")},
                   [](Call& c, Session& s) -> Reply {
                       Status r = c.vault->gh->accounts().setUserEnabled(s, c.str(1), c.flag(2));
                       c.service.announceEnded(*c.vault);
                       if (!r)
                           return r.error();
                       c.service.announcePermissions(*c.vault, c.str(1));
                       return QVariantList();
                   });
    addWithSession(t, i, QStringLiteral("Notices"), "ay", "av", {token, QStringLiteral("notices")},
                   [](Call& c, Session& s) -> Reply { return listReply(c.vault->gh->accounts().notices(s)); });
    addWithSession(
        t, i, QStringLiteral("DismissNotice"), "ayx", "", {token, QStringLiteral("noticeId")},
        [](Call& c, Session& s) -> Reply { return done(c.vault->gh->accounts().dismissNotice(s, c.num(1))); });
    addWithSession(t, i, QStringLiteral("UnlockUser"), "ays", "", {token, user},
                   [](Call& c, Session& s) -> Reply { return done(c.vault->gh->accounts().unlockUser(s, c.str(1))); });
    addWithSession(t, i, QStringLiteral("AllowEnrollment"), "ays", "", {token, user}, [](Call& c, Session& s) -> Reply {
        return done(c.vault->gh->accounts().allowEnrollment(s, c.str(1)));
    });
    // Issue 12: the temporary password travels once, as a byte array; the account's sessions end
    // (SessionEnded to their holders).
    addWithSession(t, i, QStringLiteral("ResetPassword"), "ays", "ay",
                   {token, user, QStringLiteral("temporaryPassword")}, [](Call& c, Session& s) -> Reply {
                       auto r = c.vault->gh->accounts().resetPassword(s, c.str(1));
                       c.service.announceEnded(*c.vault);
                       if (!r)
                           return r.error();
                       return QVariantList{QByteArray(r->chars(), qsizetype(r->size()))};
                   });
    addWithSession(t, i, QStringLiteral("DeleteUser"), "ays", "", {token, user}, [](Call& c, Session& s) -> Reply {
        Status r = c.vault->gh->accounts().deleteUser(s, c.str(1));
        c.service.announceEnded(*c.vault);
        return done(r);
    });
}

} // namespace gh::service
