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

#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QTimer>
#include <QUuid>

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
    // The agent protocol (polkit style): see Service::requestSignIn and the README.
    add(t, i, QStringLiteral("RegisterAgent"), "o", "", {QStringLiteral("object_path")},
        [](Call& c) -> Reply { return c.service.registerAgent(c); });
    add(t, i, QStringLiteral("UnregisterAgent"), "o", "", {QStringLiteral("object_path")},
        [](Call& c) -> Reply { return c.service.unregisterAgent(c); });
    add(t, i, QStringLiteral("RequestSignIn"), "ssas", "a{sv}ay",
        {QStringLiteral("app_id"), QStringLiteral("reason"), QStringLiteral("permissions"), QStringLiteral("session"),
         QStringLiteral("app_token")},
        [](Call& c) -> Reply {
            c.service.requestSignIn(c);
            return QVariantList();
        });
    add(t, i, QStringLiteral("AgentResponse"), "say", "bs",
        {QStringLiteral("request_id"), QStringLiteral("person_token"), QStringLiteral("granted"),
         QStringLiteral("detail")},
        [](Call& c) -> Reply { return c.service.agentResponse(c); });
    add(t, i, QStringLiteral("AgentCancelled"), "sb", "", {QStringLiteral("request_id"), QStringLiteral("denied")},
        [](Call& c) -> Reply { return c.service.agentCancelled(c); });
}

namespace {

QString agentObjectPath(const Call& c) {
    const QVariant v = c.args.value(0);
    if (v.canConvert<QDBusObjectPath>())
        return v.value<QDBusObjectPath>().path();
    return v.toString();
}

} // namespace

Reply Service::registerAgent(Call& c) {
    const QString path = agentObjectPath(c);
    if (!path.startsWith(QLatin1Char('/')))
        return Error{Errc::InvalidArgument, QStringLiteral("not an object path: %1").arg(path), 0};
    {
        // The caller registers for its own uid only (its bus credentials); the newest wins.
        std::lock_guard guard(m_agentsLock);
        m_agents.insert(c.caller.uid, AgentRegistration{c.sender, path});
    }
    (void)c.vault->gh->audit().recordServiceEvent(QString(), QStringLiteral("authority.agent"), Layer::Session,
                                                  Outcome::Info, path,
                                                  QStringLiteral("agent registered by %1").arg(c.caller.describe()));
    return QVariantList();
}

Reply Service::unregisterAgent(Call& c) {
    const QString path = agentObjectPath(c);
    std::lock_guard guard(m_agentsLock);
    auto it = m_agents.find(c.caller.uid);
    if (it == m_agents.end() || it->holder != c.sender || it->path != path)
        return Error{Errc::InvalidArgument, QStringLiteral("%1 is not the registered agent").arg(path), 0};
    m_agents.erase(it);
    return QVariantList();
}

void Service::sendError(const QDBusMessage& to, const QString& name, const QString& detail) {
    m_bus.send(to.createErrorReply(dbus::kErrorPrefix + name, wire::errorMessage(Error{Errc::Internal, detail, 0})));
}

void Service::auditSignIn(const PendingSignIn& p, const QString& actor, Layer layer, Outcome outcome,
                          const QString& detail) {
    if (p.vault)
        (void)p.vault->gh->audit().recordServiceEvent(actor, QStringLiteral("authority.signin"), layer, outcome,
                                                      p.appId,
                                                      QStringLiteral("application %1 (%2) asked by %3: %4")
                                                          .arg(p.appId, p.permissions.join(u","), p.caller, detail));
}

void Service::requestSignIn(Call& c) {
    c.deferred = true;
    c.message.setDelayedReply(true);
    PendingSignIn p;
    p.request = c.message;
    p.vault = c.host;
    p.uid = c.caller.uid;
    p.appHolder = c.sender;
    p.caller = c.caller.describe();
    p.appId = c.str(0);
    const QString reason = c.str(1).left(500);
    p.permissions = c.strings(2);
    auto declared = c.vault->gh->authority().declarationsFor(p.appId, p.permissions);
    if (!declared) {
        m_bus.send(c.message.createErrorReply(wire::errorName(declared.code()), wire::errorMessage(declared.error())));
        return;
    }
    p.permissions.clear();
    QStringList descriptions;
    QStringList twoFactor;
    for (const AppPermission& a : *declared) {
        p.permissions << a.name;
        descriptions << a.description;
        if (a.twoFactor)
            twoFactor << a.name;
    }
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        std::lock_guard guard(m_agentsLock);
        auto agent = m_agents.constFind(p.uid);
        if (agent == m_agents.constEnd()) {
            auditSignIn(p, QString(), Layer::Session, Outcome::Denied, QStringLiteral("no agent"));
            sendError(c.message, QStringLiteral("NoAgent"),
                      QStringLiteral("no Gatehouse window is running to ask the person (start gatehouse)"));
            return;
        }
        int mine = 0;
        for (const PendingSignIn& other : std::as_const(m_signIns))
            mine += other.uid == p.uid ? 1 : 0;
        if (mine >= kMaxSignInsPerUid) {
            const Error busy{Errc::ServiceBusy, QStringLiteral("too many sign-in requests are waiting; try again"), 1};
            m_bus.send(c.message.createErrorReply(wire::errorName(busy.code), wire::errorMessage(busy)));
            return;
        }
        p.agent = *agent;
        m_signIns.insert(id, p);
    }
    const QVariantMap request{{QStringLiteral("app_id"), p.appId},
                              {QStringLiteral("reason"), reason},
                              {QStringLiteral("permissions"), p.permissions},
                              {QStringLiteral("descriptions"), descriptions},
                              {QStringLiteral("two_factor"), twoFactor},
                              {QStringLiteral("program"), c.caller.program},
                              {QStringLiteral("pid"), qint64(c.caller.pid)},
                              {QStringLiteral("timeout_secs"), m_options.agentTimeoutMs / 1000}};
    const AgentRegistration agent = p.agent;
    // Timers and the agent's reply belong to the event loop's thread.
    QMetaObject::invokeMethod(
        this,
        [this, id, agent, request] {
            QDBusMessage begin = QDBusMessage::createMethodCall(agent.holder, agent.path, dbus::kAuthorityAgent,
                                                                QStringLiteral("BeginSignIn"));
            begin.setArguments({id, request});
            auto* watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(begin, 10000), this);
            connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, id](QDBusPendingCallWatcher* w) {
                w->deleteLater();
                if (w->isError())
                    failSignIn(
                        id, QStringLiteral("NoAgent"),
                        QStringLiteral("the Gatehouse window did not take the request: %1").arg(w->error().message()),
                        false);
            });
            QTimer::singleShot(m_options.agentTimeoutMs, this, [this, id] {
                failSignIn(id, QStringLiteral("Timeout"),
                           QStringLiteral("nobody answered the sign-in prompt within %1 s")
                               .arg(m_options.agentTimeoutMs / 1000),
                           true);
            });
        },
        Qt::QueuedConnection);
}

void Service::failSignIn(const QString& requestId, const QString& name, const QString& detail, bool tellAgent) {
    PendingSignIn p;
    {
        std::lock_guard guard(m_agentsLock);
        auto it = m_signIns.find(requestId);
        if (it == m_signIns.end())
            return; // answered already
        p = std::move(*it);
        m_signIns.erase(it);
    }
    const bool denied = name == QLatin1String("Denied");
    auditSignIn(p, QString(), denied ? Layer::Access : Layer::Session, Outcome::Denied,
                QStringLiteral("%1 (%2)").arg(name, detail));
    sendError(p.request, name, detail);
    if (tellAgent) {
        QDBusMessage cancel = QDBusMessage::createMethodCall(p.agent.holder, p.agent.path, dbus::kAuthorityAgent,
                                                             QStringLiteral("CancelSignIn"));
        cancel.setArguments({requestId});
        cancel.setAutoStartService(false);
        m_bus.asyncCall(cancel, 5000); // the answer does not matter
    }
}

void Service::agentOrApplicationGone(const QString& uniqueName) {
    QStringList agentGone, appGone;
    {
        std::lock_guard guard(m_agentsLock);
        m_agents.removeIf([&](const auto& it) { return it.value().holder == uniqueName; });
        for (auto it = m_signIns.cbegin(); it != m_signIns.cend(); ++it) {
            if (it->agent.holder == uniqueName)
                agentGone << it.key();
            else if (it->appHolder == uniqueName)
                appGone << it.key();
        }
    }
    for (const QString& id : agentGone)
        failSignIn(id, QStringLiteral("NoAgent"), QStringLiteral("the Gatehouse window went away"), false);
    for (const QString& id : appGone)
        failSignIn(id, QStringLiteral("Cancelled"), QStringLiteral("the application left the bus"), true);
}

Reply Service::agentCancelled(Call& c) {
    const QString id = c.str(0);
    {
        std::lock_guard guard(m_agentsLock);
        auto it = m_signIns.constFind(id);
        if (it == m_signIns.constEnd() || it->agent.holder != c.sender)
            return Error{Errc::InvalidArgument, QStringLiteral("no sign-in request %1 waits for this agent").arg(id),
                         0};
    }
    if (c.flag(1))
        failSignIn(id, QStringLiteral("Denied"), QStringLiteral("the person refused"), false);
    else
        failSignIn(id, QStringLiteral("Cancelled"), QStringLiteral("the person cancelled the sign-in"), false);
    return QVariantList();
}

Reply Service::agentResponse(Call& c) {
    const QString id = c.str(0);
    PendingSignIn p;
    {
        std::lock_guard guard(m_agentsLock);
        auto it = m_signIns.constFind(id);
        if (it == m_signIns.constEnd() || it->agent.holder != c.sender)
            return Error{Errc::InvalidArgument, QStringLiteral("no sign-in request %1 waits for this agent").arg(id),
                         0};
        p = *it;
    }
    // The person's own session, held by the agent's uid (Call::session: a token of another uid
    // is refused and audited L3). Ended, disabled or never issued: the request is denied.
    auto person = c.session(1);
    if (!person) {
        failSignIn(id, QStringLiteral("Denied"), QStringLiteral("the sign-in did not succeed"), true);
        return person.error();
    }
    auto who = c.vault->gh->authority().whoIsSignedIn(*person);
    if (!who) {
        failSignIn(id, QStringLiteral("Denied"), QStringLiteral("the sign-in did not succeed"), true);
        return who.error();
    }
    if (!who->appId.isEmpty())
        return Error{Errc::NotPermitted, QStringLiteral("an application's token cannot answer a sign-in request"), 0};
    // A prompt answers with a sign-in (or step-up) of the last 5 minutes, at the assurance level
    // the asked permissions need; else the agent steps up and answers again (the request keeps
    // waiting).
    if (who->session.freshLeftSecs <= 0)
        return Error{Errc::StepUpRequired, QStringLiteral("confirm it's you: the sign-in is more than 5 minutes old"),
                     0};
    const QString username = who->session.username;
    auto issued = c.vault->gh->authority().delegate(*person, p.appId, p.permissions);
    announceEnded(*c.vault); // a session limit may have ended the oldest one
    // A two-factor permission from a one-factor sign-in whose account holds a second factor: the
    // agent steps up with it and answers again, the request still waiting.
    if (!issued && issued.code() == Errc::StepUpRequired)
        return issued.error();
    {
        std::lock_guard guard(m_agentsLock);
        if (!m_signIns.remove(id)) {
            if (issued)
                (void)c.vault->gh->authority().endSession(*issued);
            return Error{Errc::InvalidArgument, QStringLiteral("the request %1 is no longer waiting").arg(id), 0};
        }
    }
    if (!issued) {
        auditSignIn(p, username, Layer::Access, Outcome::Denied, describe(issued.error()));
        sendError(p.request, QStringLiteral("Denied"), describe(issued.error()));
        return QVariantList{false, describe(issued.error())};
    }
    auto scope = c.vault->gh->authority().whoIsSignedIn(*issued);
    if (!scope || scope->permissions.isEmpty()) {
        (void)c.vault->gh->authority().endSession(*issued);
        const QString why = QStringLiteral("%1 holds none of %2").arg(username, p.permissions.join(u", "));
        auditSignIn(p, username, Layer::Access, Outcome::Denied, why);
        sendError(p.request, QStringLiteral("Denied"), why);
        return QVariantList{false, why};
    }
    bindSession(*c.vault, *issued, p.uid, p.appHolder, p.appId);
    auditSignIn(p, username, Layer::Access, Outcome::Allowed,
                QStringLiteral("signed in as %1 holding %2").arg(username, scope->permissions.join(u",")));
    m_bus.send(p.request.createReply(c.sessionReply(*issued)));
    return QVariantList{true, QStringLiteral("%1 signed in to %2").arg(username, p.appId)};
}

} // namespace gh::service
