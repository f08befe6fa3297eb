#include "notices.h"

#include "../vault/vault.h"

namespace gh {

namespace {

// An alert on this topic that the account has not been shown yet: the new one adds nothing.
Result<bool> waiting(Database& db, qint64 userId, const QString& topic) {
    if (topic.isEmpty())
        return false;
    auto st = db.prepare("SELECT count(*) FROM notices WHERE user_id = ? AND topic = ? AND shown_at IS NULL AND "
                         "dismissed_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, userId).bind(2, topic);
    if (!st->step())
        return st->error();
    return st->int64(0) > 0;
}

} // namespace

Status NoticeStore::add(qint64 userId, const QString& text, qint64 now, bool alert, const QString& topic) {
    auto dup = waiting(m_vault.db(), userId, topic);
    if (!dup)
        return dup.error();
    if (*dup)
        return ok();
    auto st =
        m_vault.db().prepare("INSERT INTO notices(user_id, created_at, alert, topic, text) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, userId).bind(2, now).bind(3, alert ? 1 : 0).bind(4, topic).bind(5, text);
    return st->done();
}

Status NoticeStore::addForRole(const QString& role, const QString& text, qint64 now, bool alert, const QString& topic) {
    auto st = m_vault.db().prepare("SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id "
                                   "WHERE r.role = ? AND u.enabled = 1 ORDER BY u.id");
    if (!st)
        return st.error();
    st->bind(1, role);
    QList<qint64> ids;
    while (st->step())
        ids << st->int64(0);
    if (st->failed())
        return st->error();
    for (qint64 id : ids)
        if (Status s = add(id, text, now, alert, topic); !s)
            return s;
    return ok();
}

Result<QList<NoticeRecord>> NoticeStore::open(qint64 userId) {
    auto st = m_vault.db().prepare("SELECT id, created_at, alert, topic, text, shown_at IS NOT NULL FROM notices "
                                   "WHERE user_id = ? AND dismissed_at IS NULL ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, userId);
    QList<NoticeRecord> out;
    while (st->step()) {
        NoticeRecord n;
        n.id = st->int64(0);
        n.userId = userId;
        n.created = QDateTime::fromSecsSinceEpoch(st->int64(1), Qt::UTC);
        n.alert = st->int64(2) != 0;
        n.topic = st->text(3);
        n.text = st->text(4);
        n.shown = st->int64(5) != 0;
        out << n;
    }
    if (st->failed())
        return st->error();
    return out;
}

Status NoticeStore::markShown(qint64 userId, qint64 now) {
    auto st = m_vault.db().prepare(
        "UPDATE notices SET shown_at = ? WHERE user_id = ? AND shown_at IS NULL AND dismissed_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, now).bind(2, userId);
    return st->done();
}

Result<bool> NoticeStore::dismiss(qint64 userId, qint64 id, qint64 now) {
    auto st = m_vault.db().prepare(
        "UPDATE notices SET dismissed_at = ? WHERE id = ? AND user_id = ? AND dismissed_at IS NULL");
    if (!st)
        return st.error();
    st->bind(1, now).bind(2, id).bind(3, userId);
    if (Status s = st->done(); !s)
        return s.error();
    return m_vault.db().changes() == 1;
}

} // namespace gh
