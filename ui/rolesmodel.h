// Roles (DESIGN.md GUI screen 6, issue 6): the accounts with their roles, assign and remove,
// custom roles with a permission checklist. Administrators only: the Home link shows when the
// session may assign roles (permissionsOf), and core refuses every call otherwise (AC-01).
// Changes need a fresh session: when core answers StepUpRequired the window's step-up dialog
// (AppController.stepUp, StepUpDialog.qml) confirms it's you and then repeats the refused action.
#pragma once

#include "gatehouseclient.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace gh::ui {

class AppController;

class RolesModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.roles")
    // Whether this session may manage roles (shows the link on Home).
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    // [{username, roles: [names], rolesText, enabled}]
    Q_PROPERTY(QVariantList users READ users NOTIFY loaded)
    // [{name, builtIn, description, permissions: [names], permissionsText, holders}]
    Q_PROPERTY(QVariantList roles READ roles NOTIFY loaded)
    Q_PROPERTY(QStringList roleNames READ roleNames NOTIFY loaded)
    // [{name, description, held, group}] every permission; `held`: the caller may grant it
    Q_PROPERTY(QVariantList permissions READ permissions NOTIFY loaded)
    // The same by who defines them (issue 11): Gatehouse's own first, then each application that
    // declares permissions (core/apps), by application id:
    // [{key: "gatehouse" | app id, title, application: bool, permissions: [as above]}]
    Q_PROPERTY(QVariantList permissionGroups READ permissionGroups NOTIFY loaded)
    Q_PROPERTY(bool loading READ loading NOTIFY loaded)
    Q_PROPERTY(QString error READ error NOTIFY messageChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY messageChanged)

public:
    explicit RolesModel(AppController* app);

    bool available() const { return m_available; }
    QVariantList users() const { return m_users; }
    QVariantList roles() const { return m_roles; }
    QStringList roleNames() const { return m_roleNames; }
    QVariantList permissions() const { return m_permissions; }
    QVariantList permissionGroups() const { return m_groups; }
    bool loading() const { return m_loading; }
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }

    // What this session holds (AppController::checkAvailable asks core once for every screen).
    void applyPermissions(const Result<QStringList>& held);
    Q_INVOKABLE void assign(const QString& username, const QString& role);
    Q_INVOKABLE void revoke(const QString& username, const QString& role);
    // Creates `name` when it does not exist, else replaces its permissions.
    Q_INVOKABLE void saveRole(const QString& name, const QStringList& permissions, const QString& description);
    Q_INVOKABLE void deleteRole(const QString& name);
    // Before removing `role` from `username`: the last-administrator guard as people read it
    // ("alice is the only administrator — make someone else one first"), or empty when the
    // removal may go ahead (core checks again).
    Q_INVOKABLE QString removalGuard(const QString& username, const QString& role) const;
    // What removing it does, for the confirmation.
    Q_INVOKABLE QString removalText(const QString& username, const QString& role) const;
    Q_INVOKABLE void back();

    void load();
    void unload();
    // An error for people; the last-administrator guard said as the rule it is.
    static QString guardText(const Error& error);

Q_SIGNALS:
    void availableChanged();
    void loaded();
    void messageChanged();

private:
    using Action = std::function<Status(Client&, const Session&)>;
    // Runs a change; StepUpRequired asks for a step-up and runs it again; success shows `done` and reloads.
    // `what` names the change for the step-up dialog.
    void change(Action action, const QString& done, const QString& what);
    // The permissions `username` holds through roles other than `except`.
    QStringList permissionsWithout(const QString& username, const QString& except) const;
    void setError(const QString& error);
    void setNotice(const QString& notice);

    AppController* m_app;
    bool m_available = false;
    QVariantList m_users;
    QVariantList m_roles;
    QStringList m_roleNames;
    QVariantList m_permissions;
    QVariantList m_groups;
    bool m_loading = false;
    QString m_error;
    QString m_notice;
};

} // namespace gh::ui
