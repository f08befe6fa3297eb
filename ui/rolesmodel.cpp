#include "rolesmodel.h"

#include "appcontroller.h"
#include "stepupmodel.h"

namespace gh::ui {

// The last-administrator guard is a rule, not a missing permission: core says it as one
// (Errc::LastAdministrator, its detail naming the account and what to do first).
QString RolesModel::guardText(const Error& error) {
    return describe(error);
}

RolesModel::RolesModel(AppController* app) : QObject(app), m_app(app) {}

void RolesModel::setError(const QString& error) {
    m_error = error;
    if (!error.isEmpty())
        m_notice.clear();
    Q_EMIT messageChanged();
}

void RolesModel::setNotice(const QString& notice) {
    m_notice = notice;
    if (!notice.isEmpty())
        m_error.clear();
    Q_EMIT messageChanged();
}

void RolesModel::applyPermissions(const Result<QStringList>& held) {
    m_available = held && held->contains(permissionName(Permission::RolesAssign));
    Q_EMIT availableChanged();
}

void RolesModel::unload() {
    m_users.clear();
    m_roles.clear();
    m_roleNames.clear();
    m_permissions.clear();
    m_groups.clear();
    m_available = false;
    m_error.clear();
    m_notice.clear();
    Q_EMIT loaded();
    Q_EMIT availableChanged();
    Q_EMIT messageChanged();
}

void RolesModel::load() {
    auto session = m_app->session();
    if (!session)
        return unload();
    m_loading = true;
    Q_EMIT loaded();
    struct Facts {
        Result<QList<UserInfo>> users;
        Result<QList<RoleInfo>> roles;
        Result<QStringList> held;
        Result<QList<AppPermission>> declared;
    };
    m_app->run(
        [session](Client& gh) {
            return std::make_shared<Facts>(Facts{gh.listUsers(*session), gh.listRoles(*session),
                                                 gh.permissionsOf(*session), gh.appPermissions(*session)});
        },
        [this](std::shared_ptr<Facts> facts) {
            m_loading = false;
            m_users.clear();
            m_roles.clear();
            m_roleNames.clear();
            m_permissions.clear();
            m_groups.clear();
            const Error* failure = !facts->users      ? &facts->users.error()
                                   : !facts->roles    ? &facts->roles.error()
                                   : !facts->held     ? &facts->held.error()
                                   : !facts->declared ? &facts->declared.error()
                                                      : nullptr;
            if (failure) {
                if (failure->code == Errc::SessionInvalid)
                    return m_app->signOut(describe(*failure));
                setError(describe(*failure));
                Q_EMIT loaded();
                return;
            }
            for (const UserInfo& u : *facts->users) {
                m_users << QVariantMap{
                    {QStringLiteral("username"), u.username},
                    {QStringLiteral("roles"), u.roles},
                    {QStringLiteral("rolesText"), u.roles.isEmpty() ? tr("no role") : u.roles.join(u", ")},
                    {QStringLiteral("enabled"), u.enabled},
                };
            }
            for (const RoleInfo& r : *facts->roles) {
                m_roleNames << r.name;
                m_roles << QVariantMap{
                    {QStringLiteral("name"), r.name},
                    {QStringLiteral("builtIn"), r.builtIn},
                    {QStringLiteral("description"), r.description},
                    {QStringLiteral("permissions"), r.permissions},
                    {QStringLiteral("permissionsText"),
                     r.permissions.isEmpty() ? tr("no permissions") : r.permissions.join(u", ")},
                    {QStringLiteral("holders"), r.holders},
                };
            }
            QVariantList own;
            for (Permission p : allPermissions()) {
                own << QVariantMap{
                    {QStringLiteral("name"), permissionName(p)},
                    {QStringLiteral("description"), permissionDescription(p)},
                    {QStringLiteral("held"), isSelfService(p) || facts->held->contains(permissionName(p))},
                    {QStringLiteral("group"), QStringLiteral("gatehouse")},
                };
            }
            m_permissions << own;
            m_groups << QVariantMap{{QStringLiteral("key"), QStringLiteral("gatehouse")},
                                    {QStringLiteral("title"), tr("Gatehouse")},
                                    {QStringLiteral("application"), false},
                                    {QStringLiteral("permissions"), own}};
            // Applications' permissions (issue 11), grouped by the declaring application (sorted
            // by application, then name). Whoever may assign roles grants them: no built-in role
            // holds them, so none is greyed out here (core decides again).
            const bool mayAssign = facts->held->contains(permissionName(Permission::RolesAssign));
            QVariantList group;
            QString app;
            const auto close = [&] {
                if (group.isEmpty())
                    return;
                m_groups << QVariantMap{{QStringLiteral("key"), app},
                                        {QStringLiteral("title"), tr("Application %1").arg(app)},
                                        {QStringLiteral("application"), true},
                                        {QStringLiteral("permissions"), group}};
                group.clear();
            };
            for (const AppPermission& a : *facts->declared) {
                if (a.app != app) {
                    close();
                    app = a.app;
                }
                QString description = a.description;
                if (a.twoFactor)
                    description += tr(" (two-factor sign-in only)");
                const QVariantMap entry{{QStringLiteral("name"), a.name},
                                        {QStringLiteral("description"), description},
                                        {QStringLiteral("held"), mayAssign},
                                        {QStringLiteral("group"), a.app}};
                group << entry;
                m_permissions << entry;
            }
            close();
            m_available = facts->held->contains(permissionName(Permission::RolesAssign));
            Q_EMIT availableChanged();
            Q_EMIT loaded();
        });
}

void RolesModel::change(Action action, const QString& done, const QString& what) {
    auto session = m_app->session();
    if (!session || m_app->busy())
        return;
    m_app->run([session, action](Client& gh) { return action(gh, *session); },
               [this, action, done, what](Status status) {
                   if (!status) {
                       if (status.code() == Errc::SessionInvalid)
                           return m_app->signOut(describe(status.error()));
                       if (status.code() == Errc::StepUpRequired) {
                           // SES-04/AC-02: the window's step-up dialog asks for the password and, when
                           // the account holds one, a second-factor code; it replaces the held session
                           // and then this change runs again with the fresh one.
                           m_app->stepUp()->request([this, action, done, what] { change(action, done, what); }, what);
                           return;
                       }
                       setError(guardText(status.error()));
                       load();
                       return;
                   }
                   setNotice(done);
                   load();
               });
}

void RolesModel::assign(const QString& username, const QString& role) {
    if (username.isEmpty() || role.isEmpty())
        return;
    change([username, role](Client& gh, const Session& s) { return gh.assignRole(s, username, role); },
           tr("%1 now has the role %2.").arg(username, role), tr("Give %1 the role %2").arg(username, role));
}

void RolesModel::revoke(const QString& username, const QString& role) {
    change([username, role](Client& gh, const Session& s) { return gh.revokeRole(s, username, role); },
           tr("%1 no longer has the role %2.").arg(username, role),
           tr("Remove the role %1 from %2").arg(role, username));
}

void RolesModel::saveRole(const QString& rawName, const QStringList& permissions, const QString& description) {
    const QString name = rawName.trimmed();
    if (name.isEmpty()) {
        setError(tr("Give the role a name."));
        return;
    }
    const bool exists = m_roleNames.contains(name);
    // The checklist shows Gatehouse's and the applications' permissions; one the role holds that
    // it does not show (declared after the screen loaded) stays as it is.
    QStringList shown;
    for (const QVariant& p : std::as_const(m_permissions))
        shown << p.toMap().value(QStringLiteral("name")).toString();
    QStringList wanted = permissions;
    if (exists)
        for (const QVariant& r : std::as_const(m_roles)) {
            const QVariantMap role = r.toMap();
            if (role.value(QStringLiteral("name")).toString() != name)
                continue;
            for (const QString& p : role.value(QStringLiteral("permissions")).toStringList())
                if (!shown.contains(p) && !wanted.contains(p))
                    wanted << p;
        }
    change(
        [name, permissions = wanted, description, exists](Client& gh, const Session& s) {
            return exists ? gh.updateRole(s, name, permissions) : gh.createRole(s, name, permissions, description);
        },
        exists ? tr("Saved the role %1.").arg(name) : tr("Created the role %1.").arg(name),
        exists ? tr("Change the permissions of the role %1").arg(name) : tr("Create the role %1").arg(name));
}

void RolesModel::deleteRole(const QString& name) {
    change([name](Client& gh, const Session& s) { return gh.deleteRole(s, name); },
           tr("Deleted the role %1.").arg(name), tr("Delete the role %1").arg(name));
}

QStringList RolesModel::permissionsWithout(const QString& username, const QString& except) const {
    QStringList held;
    for (const QVariant& u : m_users) {
        const QVariantMap user = u.toMap();
        if (user.value(QStringLiteral("username")).toString() != username)
            continue;
        const QStringList roles = user.value(QStringLiteral("roles")).toStringList();
        for (const QVariant& r : m_roles) {
            const QVariantMap role = r.toMap();
            const QString name = role.value(QStringLiteral("name")).toString();
            if (name != except && roles.contains(name))
                held += role.value(QStringLiteral("permissions")).toStringList();
        }
    }
    return held;
}

QString RolesModel::removalGuard(const QString& username, const QString& role) const {
    // AC-06, as the core counts it: the last enabled account that can assign roles keeps a role
    // that lets it.
    const QString assign = permissionName(Permission::RolesAssign);
    if (permissionsWithout(username, QString()).contains(assign) == false ||
        permissionsWithout(username, role).contains(assign))
        return {};
    for (const QVariant& u : m_users) {
        const QVariantMap user = u.toMap();
        const QString other = user.value(QStringLiteral("username")).toString();
        if (other != username && user.value(QStringLiteral("enabled")).toBool() &&
            permissionsWithout(other, QString()).contains(assign))
            return {};
    }
    return tr("%1 is the only administrator — make someone else one first. Removing %2 would leave nobody "
              "who can give or take roles.")
        .arg(username, role);
}

QString RolesModel::removalText(const QString& username, const QString& role) const {
    return tr("Remove the role %1 from %2? %2 loses what it allows at once, also in sessions that are open "
              "now. You can give it back later.")
        .arg(role, username);
}

void RolesModel::back() {
    m_app->showHome();
}

} // namespace gh::ui
