#include "auditlog.h"

#include "../crypto/primitives.h"
#include "../vault/vault.h"

namespace gh {

namespace {
constexpr char kMacContext[8] = {'g', 'h', 'a', 'u', 'd', 'i', 't', '1'};

void appendField(QByteArray& out, const QByteArray& field) {
    // Length-prefixed, so no choice of field contents can make two events serialise alike.
    const quint32 n = static_cast<quint32>(field.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(static_cast<char>((n >> shift) & 0xff));
    out.append(field);
}

// Audit fields are single-line text: control, format (bidi overrides) and line/paragraph
// separator characters (log injection) become U+FFFD.
QString sanitise(QString text) {
    for (QChar& c : text)
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
            c.category() == QChar::Separator_Line || c.category() == QChar::Separator_Paragraph)
            c = QChar(0xfffd);
    return text.left(512);
}
} // namespace

QString outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Allowed:
        return QStringLiteral("allowed");
    case Outcome::Denied:
        return QStringLiteral("denied");
    case Outcome::Failed:
        return QStringLiteral("failed");
    case Outcome::Info:
        break;
    }
    return QStringLiteral("info");
}

QString factorCategoryName(FactorCategory category) {
    switch (category) {
    case FactorCategory::Knowledge:
        return QStringLiteral("knowledge");
    case FactorCategory::Possession:
        return QStringLiteral("possession");
    case FactorCategory::Inherence:
        return QStringLiteral("inherence");
    case FactorCategory::None:
        break;
    }
    return QStringLiteral("none");
}

static Outcome outcomeFromName(const QString& s) {
    if (s == QLatin1String("allowed"))
        return Outcome::Allowed;
    if (s == QLatin1String("denied"))
        return Outcome::Denied;
    if (s == QLatin1String("failed"))
        return Outcome::Failed;
    return Outcome::Info;
}

static FactorCategory factorFromName(const QString& s) {
    if (s == QLatin1String("knowledge"))
        return FactorCategory::Knowledge;
    if (s == QLatin1String("possession"))
        return FactorCategory::Possession;
    if (s == QLatin1String("inherence"))
        return FactorCategory::Inherence;
    return FactorCategory::None;
}

AuditLog::AuditLog(Vault& vault, const Clock& clock) : m_vault(vault), m_clock(clock) {}

QByteArray AuditLog::macOf(const AuditEvent& e, const QByteArray& previous) const {
    QByteArray message;
    appendField(message, previous);
    appendField(message, QByteArray::number(e.id));
    appendField(message, QByteArray::number(e.time.toMSecsSinceEpoch()));
    appendField(message, e.actor.toUtf8());
    appendField(message, e.action.toUtf8());
    appendField(message, QByteArray::number(static_cast<int>(e.layer)));
    appendField(message, outcomeName(e.outcome).toUtf8());
    appendField(message, factorCategoryName(e.factor).toUtf8());
    appendField(message, e.subject.toUtf8());
    appendField(message, e.detail.toUtf8());
    return crypto::mac(m_vault.subkey(1, kMacContext), message);
}

Status AuditLog::append(AuditEvent event) {
    return m_vault.transaction([&]() -> Status {
        Database& db = m_vault.db();
        auto last = db.prepare("SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1");
        if (!last)
            return last.error();
        QByteArray previous;
        qint64 lastId = 0;
        if (last->step()) {
            lastId = last->int64(0);
            previous = last->blob(1);
        }
        if (last->failed())
            return last->error();
        event.id = lastId + 1;
        event.time = m_clock.nowUtc();
        event.actor = sanitise(event.actor.isEmpty() ? QStringLiteral("-") : event.actor);
        event.action = sanitise(event.action);
        event.subject = sanitise(event.subject);
        event.detail = sanitise(event.detail);
        auto insert = db.prepare("INSERT INTO audit(id, at_ms, actor, action, layer, outcome, factor, subject, "
                                 "detail, mac) VALUES (?,?,?,?,?,?,?,?,?,?)");
        if (!insert)
            return insert.error();
        insert->bind(1, event.id)
            .bind(2, event.time.toMSecsSinceEpoch())
            .bind(3, event.actor)
            .bind(4, event.action)
            .bind(5, static_cast<int>(event.layer))
            .bind(6, outcomeName(event.outcome))
            .bind(7, factorCategoryName(event.factor))
            .bind(8, event.subject)
            .bind(9, event.detail)
            .bind(10, macOf(event, previous));
        return insert->done();
    });
}

static AuditEvent readEvent(const Statement& st) {
    AuditEvent e;
    e.id = st.int64(0);
    e.time = QDateTime::fromMSecsSinceEpoch(st.int64(1), Qt::UTC);
    e.actor = st.text(2);
    e.action = st.text(3);
    e.layer = static_cast<Layer>(st.int64(4));
    e.outcome = outcomeFromName(st.text(5));
    e.factor = factorFromName(st.text(6));
    e.subject = st.text(7);
    e.detail = st.text(8);
    return e;
}

Result<QList<AuditEvent>> AuditLog::recent(int limit) {
    auto st = m_vault.db().prepare("SELECT id, at_ms, actor, action, layer, outcome, factor, subject, detail "
                                   "FROM audit ORDER BY id DESC LIMIT ?");
    if (!st)
        return st.error();
    st->bind(1, limit);
    QList<AuditEvent> out;
    while (st->step())
        out.append(readEvent(*st));
    if (st->failed())
        return st->error();
    return out;
}

Result<ChainReport> AuditLog::verify() {
    auto st = m_vault.db().prepare("SELECT id, at_ms, actor, action, layer, outcome, factor, subject, detail, mac "
                                   "FROM audit ORDER BY rowid");
    if (!st)
        return st.error();
    ChainReport report;
    QByteArray previous;
    qint64 expectedId = 1;
    while (st->step()) {
        const AuditEvent e = readEvent(*st);
        const QByteArray stored = st->blob(9);
        ++report.events;
        // Ids are consecutive from 1: a deleted event leaves a gap, an inserted one a duplicate
        // or an out-of-place id, a reordered one a MAC that no longer links.
        if (report.intact && (e.id != expectedId || !crypto::constantTimeEqual(macOf(e, previous), stored))) {
            report.intact = false;
            report.firstBrokenId = e.id;
        }
        previous = stored;
        ++expectedId;
    }
    if (st->failed())
        return st->error();
    return report;
}

} // namespace gh
