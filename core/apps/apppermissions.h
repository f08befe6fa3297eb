// Application permissions (issue 11): what other programs declare in
// <data dir>/gatehouse/permissions/<app_id>.conf so administrators can grant them through custom
// roles and the programs can ask Gatehouse (io.gatehouse.Authority1.CheckPermission). The file
// format and the rules are in README.md here. Parsing only: nothing here reads the vault or
// decides who holds what.
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gh {

struct AppPermission {
    QString app;            // the declaring application's id (the file's base name), e.g. "lab"
    QString name;           // "lab.samples.read": always app + "." + at least one more part
    QString description;    // one line for people
    bool twoFactor = false; // held only by a two-factor (AAL2 or better) session
    bool audited = false;   // every check is audited, allowed or not
};

// A line (or a whole file) that was refused: "path:line: message" for people.
struct AppPermissionProblem {
    QString file;
    int line = 0; // 0: the file as a whole
    QString message;
    QString text() const;
};

class AppPermissions {
public:
    // $XDG_DATA_DIRS (default /usr/local/share:/usr/share) + /gatehouse/permissions in session
    // mode; /usr/share/gatehouse/permissions alone in system mode.
    static QStringList defaultDirs(bool systemMode);
    // Reads every <app_id>.conf of `dirs`; an earlier directory wins for an app id that several
    // declare (XDG precedence). A malformed file contributes nothing and leaves a problem per bad
    // line; the other files load.
    static AppPermissions load(const QStringList& dirs);
    // One file; `problems` receives what is wrong with it (empty: every line was good).
    static QList<AppPermission> parseFile(const QString& path, QList<AppPermissionProblem>& problems);
    static QList<AppPermission> parse(const QString& appId, const QByteArray& content, const QString& path,
                                      QList<AppPermissionProblem>& problems);

    // An application id: lower-case parts of [a-z0-9_-] joined by '.', starting with a letter, at
    // most 64 characters, and none of Gatehouse's own namespaces (users, roles, audit, …).
    static bool validAppId(const QString& appId);
    // Whether `name` could name a permission of `appId` (syntax only).
    static bool validName(const QString& appId, const QString& name);

    const AppPermission* find(const QString& name) const;
    bool declares(const QString& name) const { return find(name) != nullptr; }
    bool knowsApp(const QString& appId) const { return m_apps.contains(appId); }
    QList<AppPermission> all() const; // by application, then name
    QStringList apps() const;         // sorted
    QList<AppPermissionProblem> problems() const { return m_problems; }
    QStringList dirs() const { return m_dirs; }

private:
    QStringList m_dirs;
    QHash<QString, AppPermission> m_byName;
    QHash<QString, QString> m_apps; // app id → the file that declared it
    QList<AppPermissionProblem> m_problems;
};

} // namespace gh
