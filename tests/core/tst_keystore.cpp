// The vault key in the real Secret Service (gnome-keyring under the test harness), and the
// README's break-glass path: the stock sqlcipher shell opens the vault with the keychain's hex key.
// Covers ST-03.
#include "crypto/primitives.h"
#include "fakes.h"
#include "vault/keystore.h"
#include "vault/vault.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace gh;

namespace {
// Reads an entry straight from the Secret Service with secret-tool, independent of QtKeychain.
QByteArray lookupWithSecretTool(const QString& entry) {
    QProcess p;
    p.start(QStringLiteral("secret-tool"),
            {QStringLiteral("lookup"), QStringLiteral("server"), QString::fromLatin1(SecretServiceKeyStore::kService),
             QStringLiteral("user"), entry});
    p.waitForFinished(20000);
    return p.readAllStandardOutput().trimmed();
}
} // namespace

class TestKeyStore : public QObject {
    Q_OBJECT
    SecretServiceKeyStore m_store;
    QStringList m_entries;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(crypto::initialise());
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "run under tests/support/with-services.sh (make test)");
    }
    void cleanupTestCase() {
        for (const QString& e : m_entries)
            (void)m_store.remove(e);
    }

    void writeReadRemove() {
        const QString entry = QStringLiteral("test:write-read-remove");
        m_entries << entry;
        SystemRandom random;
        const SecureBuffer key = random.secret(32);
        QVERIFY(m_store.write(entry, key));
        auto back = m_store.read(entry);
        QVERIFY2(back, qPrintable(describe(back.error())));
        QVERIFY(crypto::constantTimeEqual(back->data(), back->size(), key.data(), key.size()));
        // Stored as 64 hex characters, readable by any Secret Service client.
        const SecureBuffer hex = key.toHex();
        QCOMPARE(lookupWithSecretTool(entry), QByteArray(hex.chars(), 64));
        QVERIFY(m_store.remove(entry));
        QCOMPARE(m_store.read(entry).code(), Errc::KeyMissing);
    }

    void missingEntry() { QCOMPARE(m_store.read(QStringLiteral("test:never-written")).code(), Errc::KeyMissing); }

    void malformedEntryIsAWrongKey() {
        const QString entry = QStringLiteral("test:malformed");
        m_entries << entry;
        QProcess p;
        p.start(QStringLiteral("secret-tool"),
                {QStringLiteral("store"), QStringLiteral("--label=test"), QStringLiteral("server"),
                 QString::fromLatin1(SecretServiceKeyStore::kService), QStringLiteral("user"), entry,
                 QStringLiteral("type"), QStringLiteral("plaintext")});
        p.write("not-hex");
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(m_store.read(entry).code(), Errc::VaultWrongKey);
    }

    // A new vault's key is in the keychain under an entry that names the vault, and the stock
    // sqlcipher shell opens the vault with it (README: break-glass).
    void vaultKeyLivesInKeychainAndOpensWithSqlcipherShell() {
        QTemporaryDir dir;
        SystemRandom random;
        const QString p = dir.filePath(QStringLiteral("v.db"));
        {
            auto v = Vault::create(p, m_store, random);
            QVERIFY2(v, qPrintable(describe(v.error())));
            QVERIFY(v.value()->db().exec("INSERT INTO meta(key, value) VALUES ('probe', 'break-glass works')"));
        }
        const QString entry = Vault::keychainEntry(Vault::canonicalPath(p));
        m_entries << entry;
        const QByteArray hex = lookupWithSecretTool(entry);
        QCOMPARE(hex.size(), 64);
        // The key is nowhere in the vault directory in plain form.
        for (const QFileInfo& f : QDir(dir.path()).entryInfoList(QDir::Files)) {
            QFile file(f.filePath());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            QVERIFY(!bytes.contains(hex));
            QVERIFY(!bytes.contains(QByteArray::fromHex(hex)));
        }
        const QString shell = QStandardPaths::findExecutable(QStringLiteral("sqlcipher"));
        QVERIFY2(!shell.isEmpty(), "the sqlcipher shell is installed by installer/deps.sh");
        QProcess sql;
        sql.start(shell, {p});
        sql.write("PRAGMA key = \"x'" + hex + "'\";\nSELECT value FROM meta WHERE key = 'probe';\n");
        sql.closeWriteChannel();
        QVERIFY(sql.waitForFinished(20000));
        QVERIFY2(sql.readAllStandardOutput().contains("break-glass works"), sql.readAllStandardError().constData());
        // And the vault opens through the keychain as usual.
        auto reopened = Vault::open(p, m_store);
        QVERIFY2(reopened, qPrintable(describe(reopened.error())));
    }
};

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_keystore.moc"
