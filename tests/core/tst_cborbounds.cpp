// The bounds check that CBOR from a client passes before libfido2 parses it (core/verification/
// cborbounds.h; red team of issue 13: an array header claiming 2^32 elements made libcbor allocate
// gigabytes). Well-formed CTAP2 items pass; a count or length beyond the bytes left, indefinite
// lengths, reserved values and nesting beyond the limit are refused. FIDO-01, FIDO-02 (the
// service verifies what the client sends without trusting its shape).
#include "verification/cborbounds.h"

#include <QtTest>

using namespace gh;

class TestCborBounds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void items_data() {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<bool>("bounded");
        QTest::newRow("unsigned 0") << QByteArray("00") << true;
        QTest::newRow("unsigned, 8-byte argument") << QByteArray("1b0000000000000001") << true;
        QTest::newRow("byte string of 3") << QByteArray("43010203") << true;
        QTest::newRow("text string of 2") << QByteArray("626869") << true;
        QTest::newRow("array of 2") << QByteArray("820102") << true;
        QTest::newRow("map {1: -7}") << QByteArray("a10126") << true;
        QTest::newRow("a COSE-shaped map of 4 pairs")
            << QByteArray("a4010203262001215820"
                          "0000000000000000000000000000000000000000000000000000000000000000")
            << true;
        QTest::newRow("tagged") << QByteArray("c24101") << true;
        QTest::newRow("float16") << QByteArray("f93c00") << true;
        QTest::newRow("true") << QByteArray("f5") << true;
        QTest::newRow("empty") << QByteArray("") << false;
        QTest::newRow("two items") << QByteArray("0000") << false;
        QTest::newRow("array claiming 2^32 elements") << QByteArray("9affffffff00") << false;
        QTest::newRow("array claiming 2^64-1 elements") << QByteArray("9bffffffffffffffff00") << false;
        QTest::newRow("map claiming more pairs than bytes") << QByteArray("a3010203") << false;
        QTest::newRow("byte string longer than the input") << QByteArray("5a0000ffff00") << false;
        QTest::newRow("text string longer than the input") << QByteArray("63616263ff").left(6) << false;
        QTest::newRow("indefinite array") << QByteArray("9f01ff") << false;
        QTest::newRow("indefinite byte string") << QByteArray("5f4101ff") << false;
        QTest::newRow("reserved additional info") << QByteArray("1c") << false;
        QTest::newRow("truncated argument") << QByteArray("1a0000") << false;
        QTest::newRow("break out of place") << QByteArray("ff") << false;
        QByteArray deep;
        for (int i = 0; i <= cbor::kMaxDepth + 1; ++i)
            deep += "81";
        QTest::newRow("nested beyond the limit") << (deep + "00") << false;
        QByteArray nested;
        for (int i = 0; i < cbor::kMaxDepth; ++i)
            nested += "81";
        QTest::newRow("nested to the limit") << (nested + "00") << true;
    }
    void items() {
        QFETCH(QByteArray, hex);
        QFETCH(bool, bounded);
        QCOMPARE(cbor::boundedItem(QByteArray::fromHex(hex)), bounded);
    }

    void sequences() {
        QVERIFY(cbor::boundedSequence(QByteArray()));
        QVERIFY(cbor::boundedSequence(QByteArray::fromHex("a10126"
                                                          "a0")));
        QVERIFY(!cbor::boundedSequence(QByteArray::fromHex("a10126"
                                                           "9affffffff")));
    }

    void byteStrings() {
        QCOMPARE(cbor::byteStringContent(QByteArray::fromHex("43010203")), QByteArray::fromHex("010203"));
        QCOMPARE(cbor::byteStringContent(QByteArray::fromHex("5825") + QByteArray(37, 'x')), QByteArray(37, 'x'));
        QVERIFY(cbor::byteStringContent(QByteArray::fromHex("4301020304")).isEmpty()); // a byte past its length
        QVERIFY(cbor::byteStringContent(QByteArray::fromHex("430102")).isEmpty());     // short
        QVERIFY(cbor::byteStringContent(QByteArray::fromHex("63616263")).isEmpty());   // a text string
        QVERIFY(cbor::byteStringContent(QByteArray::fromHex("9affffffff")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCborBounds)
#include "tst_cborbounds.moc"
