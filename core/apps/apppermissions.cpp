#include "apppermissions.h"

#include "access/permissions.h"
#include "plaintext.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace gh {

namespace {

constexpr qint64 kMaxFileBytes = 64 * 1024;
constexpr int kMaxLineChars = 1024;
constexpr int kMaxPermissionsPerApp = 256;
constexpr int kMaxNameChars = 64;
constexpr int kMaxDescriptionChars = 200;
const QString kSuffix = QStringLiteral(".conf");

// The first part of each of Gatehouse's own permission names, and "gatehouse" itself: no
// application may declare into them.
QSet<QString> reservedNamespaces() {
    QSet<QString> out{QStringLiteral("gatehouse")};
    for (Permission p : allPermissions())
        out.insert(permissionName(p).section(QLatin1Char('.'), 0, 0));
    return out;
}

} // namespace

QString AppPermissionProblem::text() const {
    return line > 0 ? QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(message)
                    : QStringLiteral("%1: %2").arg(file, message);
}

QStringList AppPermissions::defaultDirs(bool systemMode) {
    if (systemMode)
        return {QStringLiteral("/usr/share/gatehouse/permissions")};
    QString env = qEnvironmentVariable("XDG_DATA_DIRS");
    if (env.isEmpty())
        env = QStringLiteral("/usr/local/share:/usr/share");
    QStringList out;
    for (const QString& d : env.split(QLatin1Char(':'), Qt::SkipEmptyParts))
        if (QDir::isAbsolutePath(d)) // a relative entry is ignored, as the XDG spec says
            out << QDir(d).filePath(QStringLiteral("gatehouse/permissions"));
    out.removeDuplicates();
    return out;
}

bool AppPermissions::validAppId(const QString& appId) {
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*$"));
    if (appId.size() > kMaxNameChars || !re.match(appId).hasMatch())
        return false;
    return !reservedNamespaces().contains(appId.section(QLatin1Char('.'), 0, 0));
}

bool AppPermissions::validName(const QString& appId, const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$"));
    const QString prefix = appId + QLatin1Char('.');
    return name.size() <= kMaxNameChars && name.startsWith(prefix) && name.size() > prefix.size() &&
           re.match(name.mid(prefix.size())).hasMatch();
}

QList<AppPermission> AppPermissions::parse(const QString& appId, const QByteArray& content, const QString& path,
                                           QList<AppPermissionProblem>& problems) {
    const int before = int(problems.size());
    auto bad = [&](int line, const QString& message) { problems << AppPermissionProblem{path, line, message}; };
    QList<AppPermission> out;
    if (!validAppId(appId)) {
        bad(0, QStringLiteral("\"%1\" is not a usable application id (lower-case letters, digits, '_' and '-', parts "
                              "joined by '.', not one of Gatehouse's own namespaces)")
                   .arg(appId));
        return {};
    }
    const QString text = QString::fromUtf8(content);
    if (text.toUtf8() != content) {
        bad(0, QStringLiteral("not valid UTF-8"));
        return {};
    }
    QSet<QString> seen;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const int n = i + 1;
        QString line = lines.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
            continue;
        if (line.size() > kMaxLineChars) {
            bad(n, QStringLiteral("line longer than %1 characters").arg(kMaxLineChars));
            continue;
        }
        const QStringList fields = line.split(QLatin1Char('|'));
        if (fields.size() != 3) {
            bad(n, QStringLiteral("expected three fields \"name | description | flags\", found %1").arg(fields.size()));
            continue;
        }
        AppPermission p;
        p.app = appId;
        p.name = fields.at(0).trimmed();
        p.description = fields.at(1).trimmed();
        if (!validName(appId, p.name)) {
            bad(n, p.name.startsWith(appId + QLatin1Char('.'))
                       ? QStringLiteral("\"%1\" is not a permission name (lower-case letters, digits and '_', parts "
                                        "joined by '.', at most %2 characters)")
                             .arg(p.name)
                             .arg(kMaxNameChars)
                       : QStringLiteral("\"%1\" is outside this application's namespace: names in %2.conf start "
                                        "with \"%2.\"")
                             .arg(p.name, appId));
            continue;
        }
        if (seen.contains(p.name)) {
            bad(n, QStringLiteral("\"%1\" is declared twice").arg(p.name));
            continue;
        }
        if (p.description.isEmpty() || p.description.size() > kMaxDescriptionChars || !isPlainLine(p.description)) {
            bad(n,
                QStringLiteral("the description must be 1 to %1 characters of plain text").arg(kMaxDescriptionChars));
            continue;
        }
        bool flagsOk = true;
        for (const QString& raw : fields.at(2).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString flag = raw.trimmed();
            if (flag == QLatin1String("two-factor"))
                p.twoFactor = true;
            else if (flag == QLatin1String("audited"))
                p.audited = true;
            else if (flag != QLatin1String("-") && !flag.isEmpty()) {
                bad(n, QStringLiteral("unknown flag \"%1\" (known: two-factor, audited)").arg(flag));
                flagsOk = false;
            }
        }
        if (!flagsOk)
            continue;
        seen.insert(p.name);
        out << p;
    }
    if (out.size() > kMaxPermissionsPerApp)
        bad(0, QStringLiteral("declares %1 permissions; at most %2").arg(out.size()).arg(kMaxPermissionsPerApp));
    if (problems.size() > before)
        return {}; // a malformed file loads nothing
    return out;
}

QList<AppPermission> AppPermissions::parseFile(const QString& path, QList<AppPermissionProblem>& problems) {
    const QFileInfo info(path);
    QString appId = info.fileName();
    appId.chop(kSuffix.size());
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        problems << AppPermissionProblem{path, 0, QStringLiteral("cannot be read: %1").arg(f.errorString())};
        return {};
    }
    if (f.size() > kMaxFileBytes) {
        problems << AppPermissionProblem{path, 0, QStringLiteral("larger than %1 bytes").arg(kMaxFileBytes)};
        return {};
    }
    return parse(appId, f.read(kMaxFileBytes + 1), path, problems);
}

AppPermissions AppPermissions::load(const QStringList& dirs) {
    AppPermissions out;
    out.m_dirs = dirs;
    for (const QString& dir : dirs) {
        const QFileInfoList files =
            QDir(dir).entryInfoList({QStringLiteral("*.conf")}, QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo& file : files) {
            QString appId = file.fileName();
            appId.chop(kSuffix.size());
            if (out.m_apps.contains(appId))
                continue; // declared by an earlier directory
            const QList<AppPermission> declared = parseFile(file.absoluteFilePath(), out.m_problems);
            if (declared.isEmpty())
                continue;
            out.m_apps.insert(appId, file.absoluteFilePath());
            for (const AppPermission& p : declared)
                out.m_byName.insert(p.name, p);
        }
    }
    return out;
}

const AppPermission* AppPermissions::find(const QString& name) const {
    auto it = m_byName.constFind(name);
    return it == m_byName.constEnd() ? nullptr : &*it;
}

QList<AppPermission> AppPermissions::all() const {
    QList<AppPermission> out = m_byName.values();
    std::sort(out.begin(), out.end(), [](const AppPermission& a, const AppPermission& b) {
        return a.app != b.app ? a.app < b.app : a.name < b.name;
    });
    return out;
}

QStringList AppPermissions::apps() const {
    QStringList out = m_apps.keys();
    out.sort();
    return out;
}

} // namespace gh
