// People (issue 12): every account with its state, second factors, roles, last sign-in and open
// sessions; search; add a person (the name checked as it is typed, no role unless one is chosen,
// the temporary password shown once with Copy); disable/enable, unlock, reset a password, remove
// a factor, end sessions, delete. For sessions whose roles hold users.read (the Home link); each
// action is offered only when the session's roles allow it, and core checks every call again.
// Changes need a recent sign-in: on StepUpRequired the window's step-up dialog names the action,
// confirms it's you and runs it again.
//
// The temporary password is a secret shown on purpose, once: it stays in this object only until
// the person dismisses it (wiped then), and a copy on the clipboard is cleared after
// kClipboardClearMs if the clipboard still holds it.
#pragma once

#include "gatehouseclient.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace gh::ui {

class AppController;

class PeopleModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.people")
    // Whether this session may see the accounts (users.read): shows the link on Home.
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    // The accounts matching `search`: [{username, self, enabled, locked, throttled, mustChange,
    //   state ("enabled", "disabled", "locked", "throttled", "temporary"), stateText (a throttled
    //   account's says how long it still waits), roles, rolesText, lastLogin, factors: [{id, title, category, detail}],
    //   factorsText, factorCount, sessionCount, sessionsText}]
    Q_PROPERTY(QVariantList people READ people NOTIFY loaded)
    Q_PROPERTY(int total READ total NOTIFY loaded)
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(QStringList roleNames READ roleNames NOTIFY loaded)
    Q_PROPERTY(bool loading READ loading NOTIFY loaded)
    // What the session's roles allow (the buttons shown); core decides each call anyway.
    Q_PROPERTY(bool canManage READ canManage NOTIFY loaded)               // users.manage
    Q_PROPERTY(bool canAssignRoles READ canAssignRoles NOTIFY loaded)     // roles.assign
    Q_PROPERTY(bool canManageFactors READ canManageFactors NOTIFY loaded) // factors.manage_any
    Q_PROPERTY(bool canEndSessions READ canEndSessions NOTIFY loaded)     // sessions.revoke_any
    Q_PROPERTY(QString error READ error NOTIFY messageChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY messageChanged)
    // The temporary password just issued (add or reset), shown once.
    Q_PROPERTY(QString issuedFor READ issuedFor NOTIFY issuedChanged)
    Q_PROPERTY(QString issuedPassword READ issuedPassword NOTIFY issuedChanged)
    Q_PROPERTY(QString issuedExpires READ issuedExpires NOTIFY issuedChanged)
    Q_PROPERTY(QString issuedText READ issuedText NOTIFY issuedChanged)
    Q_PROPERTY(bool adding READ adding NOTIFY addingChanged)

public:
    static constexpr int kClipboardClearMs = 30000;
    static constexpr int kThrottleRefreshMs = 5000; // how often a throttled account's wait is retold

    explicit PeopleModel(AppController* app);
    ~PeopleModel() override;

    bool available() const { return m_available; }
    QVariantList people() const;
    int total() const { return static_cast<int>(m_people.size()); }
    QString search() const { return m_search; }
    void setSearch(const QString& search);
    QStringList roleNames() const { return m_roleNames; }
    bool loading() const { return m_loading; }
    bool canManage() const { return m_held.contains(permissionName(Permission::UsersManage)); }
    bool canAssignRoles() const { return m_held.contains(permissionName(Permission::RolesAssign)); }
    bool canManageFactors() const { return m_held.contains(permissionName(Permission::FactorsManageAny)); }
    bool canEndSessions() const { return m_held.contains(permissionName(Permission::SessionsRevokeAny)); }
    QString error() const { return m_error; }
    QString notice() const { return m_notice; }
    QString issuedFor() const { return m_issuedFor; }
    QString issuedPassword() const { return m_issuedPassword; }
    QString issuedExpires() const;
    QString issuedText() const { return m_issuedText; }
    bool adding() const { return m_adding; }

    // What this session holds (AppController::checkAvailable asks core once for every screen).
    void applyPermissions(const Result<QStringList>& held);
    // Inline validation of a name being typed: empty when it can be added.
    Q_INVOKABLE QString nameProblem(const QString& typed) const;
    // The name as it will be stored (folded to lower case), or empty when it is not valid.
    Q_INVOKABLE QString normalisedName(const QString& typed) const;
    Q_INVOKABLE void openAdd();
    Q_INVOKABLE void closeAdd();
    // `role` empty: no role.
    Q_INVOKABLE void addPerson(const QString& username, const QString& role);
    Q_INVOKABLE void copyIssued();
    Q_INVOKABLE void dismissIssued();

    Q_INVOKABLE void setAccountEnabled(const QString& username, bool enabled);
    Q_INVOKABLE void unlock(const QString& username);
    Q_INVOKABLE void endSessions(const QString& username);
    Q_INVOKABLE void resetPassword(const QString& username);
    Q_INVOKABLE void deletePerson(const QString& username);
    Q_INVOKABLE void removeFactor(const QString& username, qint64 factorId, const QString& reason);

    // The confirmation of a destructive action, naming exactly what happens. `action`: "disable",
    // "endSessions", "reset", "delete", "removeFactor" (with `factorId`).
    Q_INVOKABLE QString confirmText(const QString& action, const QString& username, qint64 factorId = 0) const;
    // Why `action` cannot be done to `username` (the last-administrator guard), or empty.
    Q_INVOKABLE QString guardFor(const QString& action, const QString& username) const;

    Q_INVOKABLE void back();

    void load();
    void unload();
    // Test seam: how long a copied temporary password stays on the clipboard.
    void setClipboardClearMs(int ms) { m_clipboardTimer.setInterval(ms); }

Q_SIGNALS:
    void availableChanged();
    void loaded();
    void searchChanged();
    void messageChanged();
    void issuedChanged();
    void addingChanged();
    void added(); // the add form may clear itself

private:
    using Action = std::function<Status(Client&, const Session&)>;
    // Runs a change; StepUpRequired asks for a step-up (naming `what`) and runs it again; success
    // shows `done` and reloads.
    void change(Action action, const QString& done, const QString& what);
    void setError(const QString& error);
    void setNotice(const QString& notice);
    void issue(const QString& username, SecureBuffer password, const QString& text);
    void clearClipboardIfOurs();
    void refreshThrottled();
    QVariantMap personNamed(const QString& username) const;
    bool canAssignRolesThrough(const QString& username, const QString& exceptRole = {}) const;

    AppController* m_app;
    bool m_available = false;
    QVariantList m_people;
    QString m_search;
    QStringList m_roleNames;
    QList<RoleInfo> m_roles;
    QStringList m_held;
    bool m_loading = false;
    QString m_error;
    QString m_notice;
    bool m_adding = false;

    QString m_issuedFor;
    QString m_issuedPassword;
    QDateTime m_issuedExpires;
    QString m_issuedText;
    QString m_onClipboard; // what Copy put there, until the timer has looked
    QTimer m_clipboardTimer;
    QTimer m_throttleTimer;
};

} // namespace gh::ui
