// SecureBuffer, randomness and constant-time comparison (core/crypto). Covers ST-04, ST-06.
#include "crypto/primitives.h"
#include "crypto/random.h"
#include "crypto/securebuffer.h"
#include "crypto/selftest.h"
#include "fakes.h"

#include <QSet>
#include <QtTest>

using namespace gh;

class TestSecureBuffer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(crypto::initialise()); }

    void holdsAndMovesBytes() {
        SecureBuffer a("secret", 6);
        QCOMPARE(a.size(), std::size_t(6));
        QCOMPARE(QByteArray(a.chars(), 6), QByteArray("secret"));
        SecureBuffer b = std::move(a);
        QCOMPARE(a.size(), std::size_t(0)); // NOLINT(bugprone-use-after-move): moved-from is empty
        QVERIFY(a.isEmpty());
        QCOMPARE(QByteArray(b.chars(), 6), QByteArray("secret"));
        SecureBuffer c = b.clone();
        QCOMPARE(QByteArray(c.chars(), 6), QByteArray("secret"));
        QVERIFY(c.data() != b.data());
    }

    void hexRoundTrip() {
        SecureBuffer key("\x00\x01\xfe\xff", 4);
        SecureBuffer hex = key.toHex();
        QCOMPARE(QByteArray(hex.chars(), static_cast<qsizetype>(hex.size())), QByteArray("0001feff"));
        bool ok = false;
        SecureBuffer back = SecureBuffer::fromHex(hex.chars(), hex.size(), &ok);
        QVERIFY(ok);
        QCOMPARE(QByteArray(back.chars(), 4), QByteArray("\x00\x01\xfe\xff", 4));
        SecureBuffer::fromHex("0g", 2, &ok);
        QVERIFY(!ok);
        SecureBuffer::fromHex("abc", 3, &ok);
        QVERIFY(!ok);
    }

    void wipeClearsDetachedStorage() {
        QByteArray bytes("password");
        wipe(bytes);
        QVERIFY(bytes.isEmpty());
        QString text = QStringLiteral("password");
        text.detach();
        wipe(text);
        QVERIFY(text.isEmpty());
    }

    void constantTimeEqual() {
        QVERIFY(crypto::constantTimeEqual(QByteArray("abcd"), QByteArray("abcd")));
        QVERIFY(!crypto::constantTimeEqual(QByteArray("abcd"), QByteArray("abce")));
        QVERIFY(!crypto::constantTimeEqual(QByteArray("abcd"), QByteArray("abc")));
        QVERIFY(crypto::constantTimeEqual(QByteArray(), QByteArray()));
    }

    // ST-04: secrets come from the OS CSPRNG: 1000 draws of 32 bytes never repeat.
    void systemRandomDoesNotRepeat() {
        SystemRandom random;
        QSet<QByteArray> seen;
        for (int i = 0; i < 1000; ++i)
            seen.insert(random.bytes(32));
        QCOMPARE(seen.size(), 1000);
    }

    void uniformStaysInRangeAndCoversIt() {
        test::SeededRandom random(7);
        QSet<quint32> seen;
        for (int i = 0; i < 2000; ++i) {
            const quint32 v = random.uniform(31);
            QVERIFY(v < 31);
            seen.insert(v);
        }
        QCOMPARE(seen.size(), 31);
        SecureBuffer text = random.text(40, "ab");
        for (std::size_t i = 0; i < text.size(); ++i)
            QVERIFY(text.data()[i] == 'a' || text.data()[i] == 'b');
    }

    void selfTestPasses() {
        const auto report = crypto::runSelfTest();
        QVERIFY2(report.passed, qPrintable(report.failedCheck));
    }
};

QTEST_GUILESS_MAIN(TestSecureBuffer)
#include "tst_securebuffer.moc"
