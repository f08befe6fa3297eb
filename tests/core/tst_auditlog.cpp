// The hash-chained audit log (core/audit). Covers AUD-02, AUD-04.
#include "audit/auditlog.h"
#include "crypto/primitives.h"
#include "fakes.h"
#include "vault/vault.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace gh;

class TestAuditLog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{3};
    test::FakeClock m_clock;
    int m_counter = 0;

    std::unique_ptr<Vault> freshVaultWithEvents(int events) {
        auto v = Vault::create(m_dir.filePath(QStringLiteral("a%1.db").arg(++m_counter)), m_keys, m_random);
        if (!v)
            return nullptr;
        AuditLog log(*v.value(), m_clock);
        for (int i = 1; i <= events; ++i) {
            m_clock.advance(1);
            AuditEvent e;
            e.actor = QStringLiteral("alice");
            e.action = QStringLiteral("login.failed");
            e.layer = Layer::Verification;
            e.outcome = Outcome::Failed;
            e.factor = FactorCategory::Knowledge;
            e.subject = QStringLiteral("event %1").arg(i);
            e.origin = QStringLiteral("gatehousectl (uid 1000, pid %1, bus :1.%1)").arg(100 + i);
            if (!log.append(e))
                return nullptr;
        }
        return std::move(v.value());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(crypto::initialise()); }

    void appendsAndReadsBack() {
        auto v = freshVaultWithEvents(3);
        QVERIFY(v);
        AuditLog log(*v, m_clock);
        auto events = log.recent(10);
        QVERIFY(events);
        QCOMPARE(events->size(), 3);
        QCOMPARE(events->first().subject, QStringLiteral("event 3")); // newest first
        QCOMPARE(events->first().layer, Layer::Verification);
        QCOMPARE(events->first().factor, FactorCategory::Knowledge);
        QCOMPARE(events->first().time.timeSpec(), Qt::UTC); // AUD-02
        QCOMPARE(events->first().time, m_clock.nowUtc());
        auto report = log.verify();
        QVERIFY(report && report->intact);
        QCOMPARE(report->events, qint64(3));
    }

    // AUD-04: untrusted text cannot forge a line or reorder what a reader sees. A newline in the
    // actor, and in the detail (where a client's own error text for an aborted security-key
    // ceremony lands) a bidi override, the Unicode line and paragraph separators and a tab: each
    // becomes U+FFFD; other text stays.
    void fieldsAreSanitised() {
        auto v = freshVaultWithEvents(0);
        QVERIFY(v);
        AuditLog log(*v, m_clock);
        AuditEvent e;
        e.actor = QStringLiteral("mallory\nlogin.succeeded admin");
        e.action = QStringLiteral("login.failed");
        // Checked by code point: an invisible TAG character and a private-use one are two UTF-16
        // units each, neither of them Cf or Co as a unit (red team t09).
        const QString forged = QStringLiteral("the client reports: key ok") + QChar(0x202e) + QStringLiteral("nimda") +
                               QChar(0x2028) + QStringLiteral("login.succeeded") + QChar(0x2029) + QChar(0x09) +
                               QString::fromUcs4(U"\U000E0041\U000F0000") + QStringLiteral("end");
        e.detail = forged;
        // A field is cut at 512 units, never between the halves of a pair (an emoji at 511).
        const QString emoji = QString::fromUcs4(U"\U0001F600");
        e.subject = QString(511, QLatin1Char('a')) + emoji;
        QVERIFY(log.append(e));
        auto events = log.recent(1);
        QVERIFY(events);
        QVERIFY(!events->first().actor.contains(QLatin1Char('\n')));
        const QString stored = events->first().detail;
        for (char32_t c : {U'\x202e', U'\x2028', U'\x2029', U'\t', U'\U000E0041', U'\U000F0000'})
            QVERIFY2(!stored.toUcs4().contains(c), qPrintable(QString::number(c, 16)));
        QCOMPARE(stored.count(QChar(0xfffd)), 6);
        QCOMPARE(stored.size(), forged.size() - 2); // each pair became one U+FFFD
        QVERIFY(stored.startsWith(QStringLiteral("the client reports: key ok")));
        QVERIFY(stored.endsWith(QStringLiteral("end")));
        QCOMPARE(events->first().subject, QString(511, QLatin1Char('a')));
        e.subject = QString(510, QLatin1Char('a')) + emoji;
        QVERIFY(log.append(e));
        events = log.recent(1);
        QVERIFY(events);
        QCOMPARE(events->first().subject, e.subject);
    }

    // Events written before schema 11 have no origin (NULL; their detail ends with "; from …")
    // and were MACed without it; they still verify, and the chain goes on from them. The old
    // form is rebuilt here from the chain format (AuditLog's MacMessage): length-prefixed fields,
    // decimal numbers, then the two account ids.
    void eventsFromBeforeTheOriginColumnVerify() {
        auto v = freshVaultWithEvents(2);
        QVERIFY(v);
        QVERIFY(v->db().exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete"));
        auto last = v->db().prepare("SELECT mac FROM audit WHERE id = 2");
        QVERIFY(last && last->step());
        const QByteArray previous = last->blob(0);
        QByteArray message;
        const auto field = [&](const QByteArray& bytes) {
            const auto n = static_cast<quint32>(bytes.size());
            message.append(char(n >> 24))
                .append(char(n >> 16 & 0xff))
                .append(char(n >> 8 & 0xff))
                .append(char(n & 0xff));
            message.append(bytes);
        };
        const auto number = [&](qint64 n) { field(QByteArray::number(n)); };
        const qint64 atMs = m_clock.nowUtc().toMSecsSinceEpoch();
        const QByteArray detail = "wrong password; from gatehousectl (uid 1000, pid 7, bus :1.7)";
        field(previous);
        number(3);
        number(atMs);
        field("bob");
        field("login.failed");
        number(2);
        field("failed");
        field("knowledge");
        field("bob");
        field(detail);
        number(12);
        number(12);
        const QByteArray mac = crypto::MacKey(v->subkey(1, "ghaudit1")).compute(message);
        auto insert = v->db().prepare("INSERT INTO audit(id, at_ms, actor, action, layer, outcome, factor, subject, "
                                      "detail, mac, actor_id, subject_id, origin) VALUES (3, ?, 'bob', "
                                      "'login.failed', 2, 'failed', 'knowledge', 'bob', ?, ?, 12, 12, NULL)");
        QVERIFY(insert);
        insert->bind(1, atMs).bind(2, QString::fromUtf8(detail)).bind(3, mac);
        QVERIFY(insert->done());
        AuditLog log(*v, m_clock);
        AuditEvent next;
        next.actor = QStringLiteral("alice");
        next.action = QStringLiteral("login.succeeded");
        next.origin = QStringLiteral("gatehouse (uid 1000, pid 8, bus :1.8)");
        QVERIFY(log.append(next));
        auto report = log.verify();
        QVERIFY(report);
        QVERIFY2(report->intact, qPrintable(report->reason));
        QCOMPARE(report->events, qint64(4));
        auto old = log.event(3);
        QVERIFY(old && old->has_value());
        QVERIFY((*old)->origin.isEmpty());
        QCOMPARE((*old)->detail, QString::fromUtf8(detail));
        auto newest = log.event(4);
        QVERIFY(newest && newest->has_value());
        QCOMPARE((*newest)->origin, next.origin);
        // The old form is what was checked: the same row with an origin no longer verifies.
        QVERIFY(v->db().exec("UPDATE audit SET origin = '' WHERE id = 3"));
        report = log.verify();
        QVERIFY(report);
        QVERIFY(!report->intact);
        QCOMPARE(report->firstBrokenId, qint64(3));
    }

    void appendOnlyTriggers() {
        auto v = freshVaultWithEvents(2);
        QVERIFY(v);
        QVERIFY(!v->db().exec("UPDATE audit SET actor = 'x' WHERE id = 1"));
        QVERIFY(!v->db().exec("DELETE FROM audit WHERE id = 1"));
    }

    // Tampering by someone who holds the vault key and drops the triggers is still detected.
    void tamperingBreaksTheChain_data() {
        QTest::addColumn<QByteArray>("sql");
        QTest::addColumn<qint64>("firstBroken");
        QTest::newRow("modified") << QByteArray("UPDATE audit SET outcome = 'allowed' WHERE id = 3") << qint64(3);
        QTest::newRow("deleted") << QByteArray("DELETE FROM audit WHERE id = 3") << qint64(4);
        QTest::newRow("deleted last") << QByteArray("DELETE FROM audit WHERE id = 5") << qint64(0);
        QTest::newRow("reordered")
            << QByteArray("UPDATE audit SET id = -2 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 4; "
                          "UPDATE audit SET id = 4 WHERE id = -2")
            << qint64(2);
        QTest::newRow("inserted") << QByteArray("UPDATE audit SET id = id + 1 WHERE id >= 3 AND id < 0; "
                                                "INSERT INTO audit SELECT 6, at_ms, actor, action, layer, outcome, "
                                                "factor, subject, detail, mac, actor_id, subject_id, origin FROM audit "
                                                "WHERE id = 2")
                                  << qint64(6);
        // AUD-04: the origin the bus vouched for is inside the MAC, so it cannot be changed, removed
        // or moved back into the detail (where a client's own words could pass for it).
        QTest::newRow("origin changed") << QByteArray(
                                               "UPDATE audit SET origin = 'gatehouse (uid 0, pid 1)' WHERE id = 3")
                                        << qint64(3);
        QTest::newRow("origin removed") << QByteArray("UPDATE audit SET origin = NULL WHERE id = 3") << qint64(3);
        QTest::newRow("origin emptied") << QByteArray("UPDATE audit SET origin = '' WHERE id = 3") << qint64(3);
        QTest::newRow("origin into detail")
            << QByteArray("UPDATE audit SET detail = 'from ' || origin, origin = NULL WHERE id = 3") << qint64(3);
    }
    void tamperingBreaksTheChain() {
        QFETCH(QByteArray, sql);
        QFETCH(qint64, firstBroken);
        auto v = freshVaultWithEvents(5);
        QVERIFY(v);
        QVERIFY(v->db().exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete"));
        QVERIFY(v->db().exec(sql.constData()));
        AuditLog log(*v, m_clock);
        auto report = log.verify();
        QVERIFY(report);
        if (firstBroken == 0) {
            // Truncating the tail cannot be seen from the chain alone (documented limit).
            QVERIFY(report->intact);
            QCOMPARE(report->events, qint64(4));
        } else {
            QVERIFY(!report->intact);
            QCOMPARE(report->firstBrokenId, firstBroken);
        }
    }
};

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
