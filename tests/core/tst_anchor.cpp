// The anti-rollback anchor (core/vault/anchor.h) through Vault and the facade. Covers INT-01 and
// the "Why" cases of issue 17: rollback (an older vault copied back), lost WAL, truncated log,
// a crash between the vault and the anchor write, and an accepted restore that is audited.
#include "audit/auditlog.h"
#include "crypto/primitives.h"
#include "fakes.h"
#include "gatehouse.h"
#include "vault/vault.h"
#include "vaultfiles.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace gh;

class TestAnchor : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    test::MemoryKeyStore m_keys;
    test::SeededRandom m_random{7};
    test::FakeClock m_clock;
    int m_counter = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("v%1.db").arg(++m_counter)); }

    static Status appendEvent(Vault& v, const test::FakeClock& clock, const QString& subject) {
        AuditLog log(v, clock);
        AuditEvent e;
        e.actor = QStringLiteral("alice");
        e.action = QStringLiteral("user.created");
        e.layer = Layer::Access;
        e.outcome = Outcome::Allowed;
        e.subject = subject;
        return log.append(e);
    }

    // Opens, appends `n` events (one commit each), closes (the WAL is checkpointed on close).
    bool appendClosed(const QString& p, int n) {
        auto v = Vault::open(p, m_keys);
        if (!v) {
            qWarning() << describe(v.error()) << v.error().detail;
            return false;
        }
        for (int i = 0; i < n; ++i)
            if (!appendEvent(**v, m_clock, QStringLiteral("event %1").arg(i)))
                return false;
        return true;
    }

    static bool copyFile(const QString& from, const QString& to) {
        QFile::remove(to);
        return QFile::copy(from, to);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(crypto::initialise());
        QVERIFY(m_dir.isValid());
    }

    void newVaultIsAnchored() {
        const QString p = freshPath();
        {
            auto v = Vault::create(p, m_keys, m_random);
            QVERIFY(v);
            QVERIFY((*v)->anchored());
        }
        QVERIFY(m_keys.anchors.contains(Vault::anchorEntry(p)));
        auto v = Vault::open(p, m_keys);
        QVERIFY2(v, qPrintable(v.error().detail));
        QCOMPARE((*v)->anchorReport().verdict, AnchorVerdict::Same);
    }

    // Why: "Rollback. Copying an older vault file back … `status` and `audit verify` both report
    // intact." An older copy is refused with an L1 error that names what was found and what to
    // do, and the file is left exactly as found (INT-01).
    void rollbackOfAnOlderCopyIsRefused() {
        const QString p = freshPath();
        QVERIFY(Vault::create(p, m_keys, m_random));
        QVERIFY(appendClosed(p, 2));
        const QString backup = p + QStringLiteral(".bak");
        QVERIFY(copyFile(p, backup));
        QVERIFY(appendClosed(p, 3));
        QVERIFY(copyFile(backup, p));
        const auto before = test::snapshot(m_dir.path());
        auto v = Vault::open(p, m_keys);
        QCOMPARE(v.code(), Errc::VaultRolledBack);
        QCOMPARE(layerOf(v.code()), Layer::Storage);
        QCOMPARE(exitCodeOf(v.code()), 6);
        QVERIFY2(v.error().detail.contains(QLatin1String("older copy")), qPrintable(v.error().detail));
        QVERIFY(describe(v.error()).contains(QLatin1String("gatehousectl vault accept-restore")));
        QCOMPARE(test::snapshot(m_dir.path()), before); // nothing changed on disk
    }

    // Why: "Lost WAL. A -wal file deleted … after a commit silently drops that committed user add
    // and its audit event." The main file without its WAL is behind the anchor.
    void lostWalIsRefused() {
        const QString p = freshPath();
        QVERIFY(Vault::create(p, m_keys, m_random));
        QVERIFY(appendClosed(p, 1));
        const QString withoutWal = p + QStringLiteral(".main");
        {
            auto v = Vault::open(p, m_keys);
            QVERIFY(v);
            QVERIFY((*v)->db().exec("PRAGMA wal_autocheckpoint=0"));
            QVERIFY(appendEvent(**v, m_clock, QStringLiteral("only in the WAL")));
            QVERIFY(QFile::exists(p + QStringLiteral("-wal")));
            QVERIFY(copyFile(p, withoutWal)); // the main file as it was before the WAL's commits
        }
        QVERIFY(copyFile(withoutWal, p));
        QFile::remove(p + QStringLiteral("-wal"));
        QFile::remove(p + QStringLiteral("-shm"));
        auto v = Vault::open(p, m_keys);
        QCOMPARE(v.code(), Errc::VaultRolledBack);
        QVERIFY2(v.error().detail.contains(QLatin1String("-wal")), qPrintable(v.error().detail));
    }

    // Why: "Truncated log. Removing the newest audit events, or all of them, passes audit
    // verify." Someone with the key drops the append-only triggers and deletes the newest events
    // (with or without setting the commit counter back): refused on open.
    void truncatedLog_data() {
        QTest::addColumn<int>("keep");
        QTest::addColumn<bool>("counterBack");
        QTest::newRow("newest event removed") << 4 << false;
        QTest::newRow("all events removed") << 0 << false;
        QTest::newRow("newest removed, counter set back too") << 3 << true;
    }
    void truncatedLog() {
        QFETCH(int, keep);
        QFETCH(bool, counterBack);
        const QString p = freshPath();
        QVERIFY(Vault::create(p, m_keys, m_random));
        QVERIFY(appendClosed(p, 5));
        qint64 seq = 0;
        {
            auto key = m_keys.read(Vault::keychainEntry(p));
            QVERIFY(key);
            auto v = Vault::openWithKey(p, *key);
            QVERIFY(v);
            auto st = (*v)->db().prepare("SELECT value FROM meta WHERE key = 'commit_seq'");
            QVERIFY(st && st->step());
            seq = st->text(0).toLongLong();
            QVERIFY((*v)->db().exec("DROP TRIGGER audit_no_delete"));
            QVERIFY((*v)->db().exec(
                QByteArray("DELETE FROM audit WHERE id > (SELECT min(id) - 1 FROM audit) + " + QByteArray::number(keep))
                    .constData()));
            if (counterBack)
                QVERIFY((*v)->db().exec(
                    QByteArray("UPDATE meta SET value = '" + QByteArray::number(seq) + "' WHERE key = 'commit_seq'")
                        .constData()));
        }
        auto v = Vault::open(p, m_keys);
        QCOMPARE(v.code(), Errc::VaultRolledBack);
        QVERIFY2(v.error().detail.contains(QLatin1String("removed")), qPrintable(v.error().detail));
    }

    // Why: a crash between the vault commit and the anchor write leaves the vault exactly one
    // commit ahead: repaired on open and audited (vault.anchor_repaired).
    void oneCommitAheadIsRepairedAndAudited() {
        const QString p = freshPath();
        test::FakeClock clock;
        Services services;
        services.clock = &clock;
        services.random = &m_random;
        services.keys = &m_keys;
        services.hashParams = Argon2Params::testing();
        {
            Gatehouse g(services);
            QVERIFY(g.createVault(p));
            m_keys.anchorWritesFail = true; // the process dies between the two writes
            const bool added = bool(g.createFirstAdmin(
                QStringLiteral("admin"), SecureBuffer::fromUtf8(QStringLiteral("correct horse battery staple"))));
            m_keys.anchorWritesFail = false;
            QVERIFY(added);
        }
        {
            auto v = Vault::open(p, m_keys);
            QVERIFY2(v, qPrintable(v.error().detail));
            QCOMPARE((*v)->anchorReport().verdict, AnchorVerdict::Ahead);
            QVERIFY2((*v)->anchorReport().detail.contains(QLatin1String("1 commit(s) ahead")),
                     qPrintable((*v)->anchorReport().detail));
        }
        // Through the facade the repair is in the log.
        const QString q = freshPath();
        {
            Gatehouse g(services);
            QVERIFY(g.createVault(q));
            m_keys.anchorWritesFail = true;
            const bool added = bool(g.createFirstAdmin(
                QStringLiteral("admin"), SecureBuffer::fromUtf8(QStringLiteral("correct horse battery staple"))));
            m_keys.anchorWritesFail = false;
            QVERIFY(added);
        }
        {
            Gatehouse g(services);
            QVERIFY(g.openVault(q));
        }
        auto v = Vault::open(q, m_keys);
        QVERIFY(v);
        AuditLog log(**v, clock);
        auto events = log.recent(10);
        QVERIFY(events);
        bool repaired = false;
        for (const AuditEvent& e : *events)
            repaired = repaired || e.action == QLatin1String("vault.anchor_repaired");
        QVERIFY(repaired);
    }

    // A missing or damaged anchor of a vault that had one is refused too.
    // A Deferred commit (a login's throttle charge) may still be lost with the page cache on a
    // power loss, so the anchor must not record it: it would then call the vault rolled back. The
    // Durable commit that follows anchors both.
    void deferredCommitIsAnchoredByTheNextDurableOne() {
        const QString p = freshPath();
        auto v = Vault::create(p, m_keys, m_random);
        QVERIFY(v);
        const QString entry = Vault::anchorEntry(p);
        static constexpr char kContext[8] = {'g', 'h', 'a', 'n', 'c', 'h', 'o', 'r'}; // vault.cpp's
        const auto seqOf = [&] {
            const auto a = anchor::decode(m_keys.anchors.value(entry), (*v)->subkey(2, kContext));
            return a ? a->seq : -1;
        };
        const qint64 before = seqOf();
        QVERIFY(before >= 0);
        const auto touchMeta = [&](const char* value) {
            return (*v)->transaction(
                [&] {
                    auto st = (*v)->db().prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('test_key', ?)");
                    if (!st)
                        return Status(st.error());
                    st->bind(1, QString::fromLatin1(value));
                    return st->done();
                },
                Vault::Commit::Deferred);
        };
        QVERIFY(touchMeta("deferred"));
        QCOMPARE(seqOf(), before);
        QVERIFY(appendEvent(**v, m_clock, QStringLiteral("durable")));
        QCOMPARE(seqOf(), before + 2);
    }

    void missingOrDamagedAnchorIsRefused() {
        const QString p = freshPath();
        QVERIFY(Vault::create(p, m_keys, m_random));
        const QByteArray good = m_keys.anchors.value(Vault::anchorEntry(p));
        m_keys.anchors.remove(Vault::anchorEntry(p));
        QCOMPARE(Vault::open(p, m_keys).code(), Errc::VaultRolledBack);
        QByteArray bad = good;
        bad[7] = bad[7] == '1' ? '2' : '1'; // the counter digit: the MAC no longer checks
        m_keys.anchors.insert(Vault::anchorEntry(p), bad);
        QCOMPARE(Vault::open(p, m_keys).code(), Errc::VaultRolledBack);
        m_keys.anchors.insert(Vault::anchorEntry(p), good);
        QVERIFY(Vault::open(p, m_keys));
    }

    // A vault made before anchors (no counter, no anchor) gets its first anchor on open.
    void vaultFromBeforeAnchorsGetsOne() {
        const QString p = freshPath();
        QVERIFY(Vault::create(p, m_keys, m_random));
        {
            auto key = m_keys.read(Vault::keychainEntry(p));
            auto v = Vault::openWithKey(p, *key);
            QVERIFY(v && (*v)->db().exec("DELETE FROM meta WHERE key = 'commit_seq'"));
        }
        m_keys.anchors.remove(Vault::anchorEntry(p));
        auto v = Vault::open(p, m_keys);
        QVERIFY2(v, qPrintable(v.error().detail));
        QCOMPARE((*v)->anchorReport().verdict, AnchorVerdict::Created);
        QVERIFY(m_keys.anchors.contains(Vault::anchorEntry(p)));
    }

    // INT-01: a deliberate restore is accepted through the facade, audited with what was found,
    // and afterwards the copy from before the restore is refused in its turn.
    void acceptedRestoreIsAuditedAndMovesTheCounterOn() {
        const QString p = freshPath();
        QVERIFY(Vault::create(p, m_keys, m_random));
        QVERIFY(appendClosed(p, 1));
        const QString backup = p + QStringLiteral(".bak");
        QVERIFY(copyFile(p, backup));
        QVERIFY(appendClosed(p, 3));
        const QString newest = p + QStringLiteral(".newest");
        QVERIFY(copyFile(p, newest));
        QVERIFY(copyFile(backup, p));
        Services services;
        services.clock = &m_clock;
        services.random = &m_random;
        services.keys = &m_keys;
        services.hashParams = Argon2Params::testing();
        {
            Gatehouse g(services);
            QCOMPARE(g.openVault(p).code(), Errc::VaultRolledBack);
            QVERIFY(g.openVault(p, nullptr, true));
        }
        {
            auto v = Vault::open(p, m_keys);
            QVERIFY2(v, qPrintable(v.error().detail));
            AuditLog log(**v, m_clock);
            auto events = log.recent(5);
            QVERIFY(events);
            bool accepted = false;
            for (const AuditEvent& e : *events)
                accepted = accepted || (e.action == QLatin1String("vault.restore_accepted") &&
                                        e.detail.contains(QLatin1String("commit")));
            QVERIFY(accepted);
        }
        // The vault that was newest before the restore is now behind in its turn.
        QVERIFY(copyFile(newest, p));
        QCOMPARE(Vault::open(p, m_keys).code(), Errc::VaultRolledBack);
    }

    // `audit verify` checks the anchor too (issue 17 item 1).
    void auditVerifyReportsTheAnchor() {
        const QString p = freshPath();
        Services services;
        services.clock = &m_clock;
        services.random = &m_random;
        services.keys = &m_keys;
        services.hashParams = Argon2Params::testing();
        Gatehouse g(services);
        QVERIFY(g.createVault(p));
        QVERIFY(g.createFirstAdmin(QStringLiteral("admin"),
                                   SecureBuffer::fromUtf8(QStringLiteral("correct horse battery staple"))));
        auto v = Vault::open(p, m_keys);
        QVERIFY(v);
        auto report = (*v)->checkAnchor();
        QVERIFY(report);
        QCOMPARE(report->verdict, AnchorVerdict::Same);
    }

    // The anchor's text form round-trips and refuses another key.
    void encodingRoundTrips() {
        SecureBuffer k1(32), k2(32);
        k2.data()[0] = 1;
        AnchorState s{42, 7, QByteArray(32, 'x')};
        const QByteArray text = anchor::encode(s, k1);
        QCOMPARE(anchor::decode(text, k1), std::optional<AnchorState>(s));
        QVERIFY(!anchor::decode(text, k2));
        QVERIFY(!anchor::decode(QByteArray("GHA1 1 2 - 00"), k1));
    }

    // System mode's anchor file: written atomically, owner-only, parents 0700.
    void fileAnchorIsOwnerOnly() {
        const QString p = m_dir.filePath(QStringLiteral("state/sub/vault.anchor"));
        QVERIFY(anchor::writeFileDurably(p, QByteArray("GHA1 test")));
        QCOMPARE(QFileInfo(p).permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup |
                                               QFile::WriteOther | QFile::ExeGroup | QFile::ExeOther),
                 QFileDevice::Permissions());
        QCOMPARE(QFileInfo(QFileInfo(p).absolutePath()).permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::ExeGroup | QFile::ExeOther),
                 QFileDevice::Permissions());
        auto back = anchor::readFile(p);
        QVERIFY(back && *back);
        QCOMPARE(**back, QByteArray("GHA1 test"));
        QVERIFY(!QFile::exists(p + QStringLiteral(".tmp")));
    }
};

QTEST_GUILESS_MAIN(TestAnchor)
#include "tst_anchor.moc"
