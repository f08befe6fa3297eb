// io.gatehouse.Authority1: other applications ask Gatehouse (issue 11; core/facade/authorityservice.h).
// IssueAppToken turns a person's live session into an application's scoped one, bound to the
// caller's uid; CheckPermission answers from memory on the event loop (no worker hop, no vault
// read); WhoIsSignedIn and EndSession work like their Login counterparts. An application's
// session hears SessionEnded and PermissionsChanged from this interface (Service::sendSignal).
#include "dbusapi.h"
#include "marshal.h"
#include "service.h"

#include "audit/auditevent.h"
#include "verification/factors.h"

namespace gh::service {

namespace {

QVariantMap whoMap(const AppSessionInfo& a) {
    QStringList categories;
    for (FactorCategory c : a.categories)
        categories << factorCategoryName(c);
    return {{QStringLiteral("session_id"), a.session.id},
            {QStringLiteral("username"), a.session.username},
            {QStringLiteral("display_name"), a.session.username}, // accounts have no separate display name yet
            {QStringLiteral("roles"), a.roles},
            {QStringLiteral("factor_categories"), categories},
            {QStringLiteral("aal"), aalName(a.session.aal)},
            {QStringLiteral("app_id"), a.appId},
            {QStringLiteral("permissions"), a.permissions},
            {QStringLiteral("asked"), a.asked},
            {QStringLiteral("idle_left_secs"), a.session.idleLeftSecs},
            {QStringLiteral("absolute_left_secs"), a.session.absoluteLeftSecs},
            {QStringLiteral("fresh_left_secs"), a.session.freshLeftSecs}};
}

} // namespace

void addAuthorityMethods(MethodTable& t) {
    const QString i = dbus::kAuthority;
    const QString token = QStringLiteral("token"), perm = QStringLiteral("permission");
    addWithSession(t, i, QStringLiteral("IssueAppToken"), "aysas", "a{sv}ay",
                   {token, QStringLiteral("app_id"), QStringLiteral("permissions"), QStringLiteral("session"),
                    QStringLiteral("app_token")},
                   [](Call& c, Session& s) -> Reply {
                       const QString app = c.str(1);
                       auto issued = c.vault->gh->authority().delegate(s, app, c.strings(2));
                       c.service.announceEnded(*c.vault); // a session limit may have ended the oldest one
                       if (!issued)
                           return issued.error();
                       c.bind(*issued, {}, app);
                       return c.sessionReply(*issued);
                   });
    // On the event loop: from memory, and it must stay within a few D-Bus round trips. The token
    // is hashed once from the message (no SecureBuffer); when another call holds the facade's
    // lock (a vault write waiting for the disk) the check thread answers instead, so the event
    // loop never waits behind it.
    t[i].insert(
        QStringLiteral("CheckPermission"),
        Method{QStringLiteral("ays"),
               QStringLiteral("bss"),
               [](Call& c) -> Reply {
                   auto digest = c.ownTokenDigest(0);
                   if (!digest)
                       return QVariantList{false, layerName(Layer::Session), QStringLiteral("not a live session")};
                   const QString permission = c.str(1);
                   const auto reply = [&service = c.service, vault = c.vault](const PermissionAnswer& a) {
                       if (a.layer == Layer::Session)
                           service.announceEnded(*vault); // an expiry the check found
                       return QVariantList{a.allowed, layerName(a.layer), a.reason};
                   };
                   if (auto a = c.vault->gh->authority().tryCheck(*digest, permission))
                       return reply(*a);
                   c.later = [reply, vault = c.vault, key = *digest, permission]() -> Reply {
                       return reply(vault->gh->authority().check(key, permission));
                   };
                   return QVariantList();
               },
               true,
               {token, perm, QStringLiteral("allowed"), QStringLiteral("layer"), QStringLiteral("reason")}});
    addWithSession(t, i, QStringLiteral("WhoIsSignedIn"), "ay", "a{sv}", {token, QStringLiteral("who")},
                   [](Call& c, Session& s) -> Reply {
                       auto who = c.vault->gh->authority().whoIsSignedIn(s);
                       if (!who)
                           return who.error();
                       return QVariantList{whoMap(*who)};
                   });
    addWithSession(t, i, QStringLiteral("EndSession"), "ay", "", {token}, [](Call& c, Session& s) -> Reply {
        Status r = c.vault->gh->authority().endSession(s);
        c.service.announceEnded(*c.vault);
        return done(r);
    });
}

} // namespace gh::service
