// `gatehousectl sessions list [--all] [--ended]` and `sessions revoke ID | --others`
// (SECURITY.md SES-06): parsing and running, on top of the facade's listing and revocation.
#include "sessioncommands.h"

#include "cli.h"
#include "table.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace gh::cli {

namespace {

void writeLine(FILE* stream, const QString& text) {
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stream);
}
void print(const QString& text) {
    writeLine(stdout, text);
}
void say(const QString& text) {
    std::fflush(stdout);
    writeLine(stderr, text);
}

QJsonValue iso(const QDateTime& time) {
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}
QString local(const QDateTime& time) {
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("-");
}
// "1 h 05 min", "4 min", "35 s"
QString duration(qint64 secs) {
    if (secs >= 3600)
        return QStringLiteral("%1 h %2 min").arg(secs / 3600).arg((secs % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (secs >= 60)
        return QStringLiteral("%1 min").arg(secs / 60);
    return QStringLiteral("%1 s").arg(secs);
}

QJsonObject toJson(const SessionInfo& s) {
    QJsonArray factors;
    QJsonArray categories;
    for (FactorKind k : s.factors) {
        factors.append(factorKindName(k));
        const QString c = factorCategoryName(categoryOf(k));
        if (!categories.contains(c))
            categories.append(c);
    }
    QJsonObject o{
        {QStringLiteral("id"), s.id},
        {QStringLiteral("username"), s.username},
        {QStringLiteral("role"), s.role},
        {QStringLiteral("client"), s.client},
        {QStringLiteral("host"), s.host},
        {QStringLiteral("pid"), s.pid},
        {QStringLiteral("created"), iso(s.created)},
        {QStringLiteral("lastActive"), iso(s.lastActive)},
        {QStringLiteral("lastAuthenticated"), iso(s.lastAuthenticated)},
        {QStringLiteral("factors"), factors},
        {QStringLiteral("categories"), categories},
        {QStringLiteral("aal"), aalName(s.aal)},
        {QStringLiteral("current"), s.current},
        {QStringLiteral("active"), s.active},
        {QStringLiteral("idleTimeoutSeconds"), s.idleTimeoutSecs},
        {QStringLiteral("absoluteDeadline"), iso(s.expires)},
    };
    if (s.active) {
        o.insert(QStringLiteral("idleDeadline"), iso(QDateTime::currentDateTimeUtc().addSecs(s.idleLeftSecs)));
        o.insert(QStringLiteral("idleLeftSeconds"), s.idleLeftSecs);
        o.insert(QStringLiteral("absoluteLeftSeconds"), s.absoluteLeftSecs);
        o.insert(QStringLiteral("ended"), QJsonValue(QJsonValue::Null));
        o.insert(QStringLiteral("endReason"), QJsonValue(QJsonValue::Null));
        o.insert(QStringLiteral("endedBy"), QJsonValue(QJsonValue::Null));
    } else {
        o.insert(QStringLiteral("ended"), iso(s.ended));
        o.insert(QStringLiteral("endReason"), s.endReason);
        o.insert(QStringLiteral("endedBy"), s.endedBy.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s.endedBy));
    }
    return o;
}

void emitJson(const QJsonObject& document) {
    const QByteArray bytes = QJsonDocument(document).toJson(QJsonDocument::Indented);
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stdout);
}

void printTable(const QList<QStringList>& rows) {
    for (const QString& line : tableLines(rows))
        print(line);
}

SessionsOutcome list(Client& g, const Session& session, const Invocation& inv) {
    auto sessions = g.listSessions(session, inv.all, inv.ended);
    if (!sessions)
        return {0, sessions.error()};
    if (inv.json) {
        QJsonArray items;
        for (const SessionInfo& s : *sessions)
            items.append(toJson(s));
        emitJson({{QStringLiteral("sessions"), items}});
        return {};
    }
    QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("USER"), QStringLiteral("CLIENT"),
                             QStringLiteral("CREATED"), QStringLiteral("LAST ACTIVE"), QStringLiteral("IDLE LEFT"),
                             QStringLiteral("ABSOLUTE LEFT"), QStringLiteral("FACTORS"), QStringLiteral("AAL"),
                             QStringLiteral("STATUS")}};
    for (const SessionInfo& s : *sessions) {
        QStringList factors;
        for (FactorKind k : s.factors)
            factors << factorKindName(k);
        QString status;
        if (s.active)
            status = s.current ? QStringLiteral("active (this command)") : QStringLiteral("active");
        else
            status = QStringLiteral("ended %1: %2%3")
                         .arg(local(s.ended), s.endReason,
                              s.endedBy.isEmpty() ? QString() : QStringLiteral(" by ") + s.endedBy);
        rows << QStringList{s.id,
                            s.username,
                            QStringLiteral("%1 (%2, pid %3)").arg(s.client, s.host).arg(s.pid),
                            local(s.created),
                            local(s.lastActive),
                            s.active ? duration(s.idleLeftSecs) : QStringLiteral("-"),
                            s.active ? duration(s.absoluteLeftSecs) : QStringLiteral("-"),
                            factors.join(QLatin1Char('+')),
                            aalName(s.aal),
                            status};
    }
    printTable(rows);
    return {};
}

SessionsOutcome revoke(Client& g, const Session& session, const Invocation& inv) {
    if (inv.others) {
        auto n = g.revokeOtherSessions(session);
        if (!n)
            return {0, n.error()};
        if (inv.json)
            emitJson({{QStringLiteral("ended"), *n}});
        else
            say(*n == 1 ? QStringLiteral("Ended 1 other session.")
                        : QStringLiteral("Ended %1 other sessions.").arg(*n));
        return {};
    }
    if (Status s = g.revokeSession(session, inv.sessionId); !s)
        return {0, s.error()};
    if (inv.json)
        emitJson({{QStringLiteral("ended"), 1}, {QStringLiteral("id"), inv.sessionId}});
    else
        say(QStringLiteral("Ended session %1. Whoever held it is signed out within a second.").arg(inv.sessionId));
    return {};
}

} // namespace

QString parseSessionsCommand(const QStringList& words, Invocation& inv) {
    const QString sub = words.size() > 1 ? words.at(1) : QString();
    if (sub == QLatin1String("list")) {
        inv.command = Command::SessionsList;
        if (words.size() > 2)
            return QStringLiteral("unexpected argument '%1' (usage: sessions list [--all] [--ended])").arg(words.at(2));
        return {};
    }
    if (sub == QLatin1String("revoke")) {
        inv.command = Command::SessionsRevoke;
        if (words.size() > 3)
            return QStringLiteral("unexpected argument '%1' (usage: sessions revoke ID | --others)").arg(words.at(3));
        if (words.size() == 3)
            inv.sessionId = words.at(2);
        if (inv.sessionId.isEmpty() == !inv.others)
            return QStringLiteral("sessions revoke needs a session ID (from 'sessions list') or --others, not both");
        return {};
    }
    if (sub.isEmpty())
        return QStringLiteral("'sessions' needs a subcommand: list or revoke");
    return QStringLiteral("unknown sessions subcommand '%1' (list, revoke)").arg(sub);
}

SessionsOutcome runSessions(Client& gatehouse, const Session& session, const Invocation& inv) {
    return inv.command == Command::SessionsList ? list(gatehouse, session, inv) : revoke(gatehouse, session, inv);
}

} // namespace gh::cli
