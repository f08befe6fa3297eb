// One line of plain text (core/plaintext.h): what labels refuse and what the audit log replaces, by
// code point. Covers AUD-04 (log injection) and the label rule of red team t09.
#include "plaintext.h"

#include <QtTest>

using namespace gh;

namespace {
QString ucs4(std::u32string_view s) {
    return QString::fromUcs4(s.data(), qsizetype(s.size()));
}
const QChar kHigh(char16_t(0xd83d)), kLow(char16_t(0xde00)); // the halves of U+1F600
} // namespace

class TestPlainText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void plainOrNot_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("plain");
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("ASCII with spaces and punctuation") << QStringLiteral("Lab key #2 (blue) – spare") << true;
        QTest::newRow("accents, CJK, emoji") << ucs4(U"Café 研究室 \U0001F511") << true;
        QTest::newRow("combining mark") << ucs4(U"e\u0301") << true;
        QTest::newRow("tab") << QStringLiteral("a\tb") << false;
        QTest::newRow("newline") << QStringLiteral("a\nb") << false;
        QTest::newRow("ESC") << QStringLiteral("a\x1b[2J") << false;
        QTest::newRow("DEL") << QStringLiteral("a\x7f") << false;
        QTest::newRow("C1 control NEL") << ucs4(U"a\u0085b") << false;
        QTest::newRow("bidi override") << ucs4(U"a\u202eb") << false;
        QTest::newRow("bidi isolate") << ucs4(U"a\u2066b") << false;
        QTest::newRow("zero-width joiner") << ucs4(U"a\u200db") << false;
        QTest::newRow("line separator") << ucs4(U"a\u2028b") << false;
        QTest::newRow("paragraph separator") << ucs4(U"a\u2029b") << false;
        QTest::newRow("TAG character (a pair)") << ucs4(U"a\U000E0041b") << false;
        QTest::newRow("private use BMP") << ucs4(U"a\ue000b") << false;
        QTest::newRow("private use plane 15 (a pair)") << ucs4(U"a\U000F0000b") << false;
        QTest::newRow("non-character U+FFFE") << ucs4(U"a\ufffeb") << false;
        QTest::newRow("non-character U+FDD0") << ucs4(U"a\ufdd0b") << false;
        QTest::newRow("non-character U+1FFFF (a pair)") << ucs4(U"a\U0001FFFFb") << false;
        QTest::newRow("lone high surrogate") << (QStringLiteral("a") + kHigh + QStringLiteral("b")) << false;
        QTest::newRow("lone low surrogate") << (QStringLiteral("a") + kLow) << false;
        QTest::newRow("halves swapped") << (QString(kLow) + kHigh) << false;
    }
    void plainOrNot() {
        QFETCH(QString, text);
        QFETCH(bool, plain);
        QCOMPARE(isPlainLine(text), plain);
        // toPlainLine keeps plain text as it is, and makes anything plain.
        const QString cleaned = toPlainLine(text, 1000);
        QVERIFY(isPlainLine(cleaned));
        if (plain)
            QCOMPARE(cleaned, text);
        else
            QVERIFY(cleaned.contains(QChar(0xfffd)));
    }

    // Each code point that is not plain becomes one U+FFFD, a pair included; the rest is kept.
    void replacesByCodePoint() {
        QCOMPARE(toPlainLine(ucs4(U"a\nb\U000E0041c\u202e"), 100), ucs4(U"a\ufffdb\ufffdc\ufffd"));
        QCOMPARE(toPlainLine(QString(kLow) + kHigh, 100), ucs4(U"\ufffd\ufffd"));
    }

    // The cut counts UTF-16 units and never leaves half a pair.
    void cutsBetweenCodePoints() {
        const QString smile = ucs4(U"\U0001F600");
        QCOMPARE(toPlainLine(QStringLiteral("abc") + smile, 5), QStringLiteral("abc") + smile);
        QCOMPARE(toPlainLine(QStringLiteral("abcd") + smile, 5), QStringLiteral("abcd"));
        QCOMPARE(toPlainLine(QStringLiteral("abcdef"), 3), QStringLiteral("abc"));
        QCOMPARE(toPlainLine(QStringLiteral("abc"), 0), QString());
        // A replaced pair is one unit: it fits where the pair would not.
        QCOMPARE(toPlainLine(QStringLiteral("abcd") + ucs4(U"\U000E0041"), 5), ucs4(U"abcd\ufffd"));
    }
};

QTEST_APPLESS_MAIN(TestPlainText)
#include "tst_plaintext.moc"
