// Saved recovery codes (core/verification/recoverycodes): format, entropy, canonical form of what
// people type. Covers RC-01 (≥64 bits, CSPRNG-shaped, hashed with a salted password hash), ST-04.
#include "crypto/primitives.h"
#include "fakes.h"
#include "verification/recoverycodes.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using namespace gh;

namespace {
QString textOf(const SecureBuffer& b) {
    return QString::fromLatin1(b.chars(), static_cast<qsizetype>(b.size()));
}
// Crockford-style Base32: digits and letters without I, L, O, U.
const QString kAlphabet = QStringLiteral("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
const char* const kSample = "ABCD-EFGH-JKMN-PQRS";
} // namespace

class TestRecoveryCodes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(crypto::initialise()); }

    // covers RC-01: "XXXX-XXXX-XXXX-XXXX", 16 symbols × 5 bits = 80 bits ≥ 64.
    void format() {
        QCOMPARE(recoverycodes::kCount, 10);
        QCOMPARE(recoverycodes::kSymbols, 16);
        QVERIFY(recoverycodes::kSymbols * 5 >= 80);
        test::SeededRandom random(7);
        static const QRegularExpression shape(QStringLiteral(
            "^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"));
        for (int i = 0; i < 50; ++i) {
            const QString code = textOf(recoverycodes::generate(random));
            QVERIFY2(shape.match(code).hasMatch(), qPrintable(code));
        }
        SystemRandom system;
        QVERIFY(shape.match(textOf(recoverycodes::generate(system))).hasMatch());
    }

    // covers RC-01: every symbol position uses all 32 symbols (5 full bits each), so a code really
    // carries 80 bits and is not, say, hex in disguise.
    void everyPositionUsesTheWholeAlphabet() {
        test::SeededRandom random(11);
        QList<QSet<QChar>> seen(recoverycodes::kSymbols);
        for (int i = 0; i < 2000; ++i) {
            QString code = textOf(recoverycodes::generate(random));
            code.remove(QLatin1Char('-'));
            QCOMPARE(code.size(), recoverycodes::kSymbols);
            for (int p = 0; p < code.size(); ++p)
                seen[p].insert(code.at(p));
        }
        for (int p = 0; p < recoverycodes::kSymbols; ++p) {
            QCOMPARE(seen[p].size(), 32);
            for (QChar c : seen[p])
                QVERIFY(kAlphabet.contains(c));
        }
    }

    void tenCodesAreDistinct() {
        test::SeededRandom random(3);
        QSet<QString> codes;
        for (int i = 0; i < recoverycodes::kCount; ++i)
            codes.insert(textOf(recoverycodes::generate(random)));
        QCOMPARE(codes.size(), recoverycodes::kCount);
        SystemRandom system;
        QSet<QString> more;
        for (int i = 0; i < recoverycodes::kCount; ++i)
            more.insert(textOf(recoverycodes::generate(system)));
        QCOMPARE(more.size(), recoverycodes::kCount);
    }

    // covers RC-01: below 112 bits → a salted password hash; at least the OWASP floor.
    void hashParamsMeetTheFloor() { QVERIFY(recoverycodes::hashParams().meetsFloor()); }

    // What people type: any case, spaces, dashes, look-alikes — all the same code.
    void canonicalForms_data() {
        QTest::addColumn<QByteArray>("typed");
        QTest::addColumn<QByteArray>("canonical");
        // The canonical form is the printed one, so what is hashed at issue is what is checked.
        const QByteArray c = "ABCD-EFGH-JKMN-PQRS";
        QTest::newRow("as printed") << QByteArray(kSample) << c;
        QTest::newRow("lower case") << QByteArray("abcd-efgh-jkmn-pqrs") << c;
        QTest::newRow("mixed case") << QByteArray("aBcD-eFgH-jKmN-pQrS") << c;
        QTest::newRow("no dashes") << QByteArray("ABCDEFGHJKMNPQRS") << c;
        QTest::newRow("spaces instead of dashes") << QByteArray("ABCD EFGH JKMN PQRS") << c;
        QTest::newRow("surrounding spaces") << QByteArray("  ABCD-EFGH-JKMN-PQRS ") << c;
        QTest::newRow("dashes elsewhere") << QByteArray("AB-CD-EF-GH-JK-MN-PQ-RS") << c;
        QTest::newRow("O reads as 0") << QByteArray("O0O0-1111-2222-3333") << QByteArray("0000-1111-2222-3333");
        QTest::newRow("o reads as 0") << QByteArray("o0o0-1111-2222-3333") << QByteArray("0000-1111-2222-3333");
        QTest::newRow("I and L read as 1") << QByteArray("0000-IiLl-2222-3333") << QByteArray("0000-1111-2222-3333");
        QTest::newRow("digits and letters") << QByteArray("0123-4567-89AB-CDEF") << QByteArray("0123-4567-89AB-CDEF");
        QTest::newRow("last letters") << QByteArray("GHJK-MNPQ-RSTV-WXYZ") << QByteArray("GHJK-MNPQ-RSTV-WXYZ");
    }
    void canonicalForms() {
        QFETCH(QByteArray, typed);
        QFETCH(QByteArray, canonical);
        const auto out = recoverycodes::canonical(SecureBuffer::fromBytes(typed));
        QVERIFY(out.has_value());
        QCOMPARE(QByteArray(out->chars(), static_cast<qsizetype>(out->size())), canonical);
    }

    // A generated code is its own canonical form.
    void generatedCodesAreCanonical() {
        test::SeededRandom random(5);
        for (int i = 0; i < 20; ++i) {
            const SecureBuffer code = recoverycodes::generate(random);
            const QString expected = textOf(code);
            const auto c = recoverycodes::canonical(code);
            QVERIFY(c.has_value());
            QCOMPARE(textOf(*c), expected);
            const auto lower = recoverycodes::canonical(SecureBuffer::fromUtf8(textOf(code).toLower()));
            QVERIFY(lower.has_value());
            QCOMPARE(textOf(*lower), expected);
        }
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("typed");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("only dashes and spaces") << QByteArray("---- ----");
        QTest::newRow("15 symbols") << QByteArray("ABCD-EFGH-JKMN-PQR");
        QTest::newRow("17 symbols") << QByteArray("ABCD-EFGH-JKMN-PQRST");
        QTest::newRow("two codes") << QByteArray("ABCD-EFGH-JKMN-PQRS ABCD-EFGH-JKMN-PQRS");
        QTest::newRow("U is not in the alphabet") << QByteArray("ABCD-EFGH-JKMN-PQRU");
        QTest::newRow("punctuation") << QByteArray("ABCD-EFGH-JKMN-PQR!");
        QTest::newRow("underscore") << QByteArray("ABCD_EFGH_JKMN_PQRS");
        QTest::newRow("non-ASCII") << QByteArray("ABCD-EFGH-JKMN-PQR\xc3\x89");
        QTest::newRow("NUL inside") << QByteArray("ABCD-EFGH-JKMN-PQR\0S", 20);
        QTest::newRow("a TOTP code") << QByteArray("123456");
    }
    void malformed() {
        QFETCH(QByteArray, typed);
        QVERIFY(!recoverycodes::canonical(SecureBuffer::fromBytes(typed)).has_value());
    }
};

QTEST_GUILESS_MAIN(TestRecoveryCodes)
#include "tst_recoverycodes.moc"
