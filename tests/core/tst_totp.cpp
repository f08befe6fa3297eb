// TOTP/HOTP codes, the ±1 step window and Base32 (core/verification/totp). Every vector of
// SECURITY.md §B.1 and §B.2 as its own row. Covers OTP-01, OTP-03, ST-05 (seed sizes), §B.5 #2, #6-#8.
#include "crypto/primitives.h"
#include "fakes.h"
#include "verification/totp.h"

#include <QtTest>

using namespace gh;
Q_DECLARE_METATYPE(gh::TotpAlgorithm)

namespace {
// The RFC seeds (§B.2): SHA1 20 bytes, SHA256 32 bytes, SHA512 64 bytes of "1234567890" repeated.
QByteArray rfcSeed(int bytes) {
    QByteArray s;
    while (s.size() < bytes)
        s += "1234567890";
    return s.left(bytes);
}
int seedBytesFor(TotpAlgorithm a) {
    return a == TotpAlgorithm::Sha1 ? 20 : a == TotpAlgorithm::Sha256 ? 32 : 64;
}
TotpParams params(TotpAlgorithm a, int digits, int period = 30) {
    TotpParams p;
    p.algorithm = a;
    p.digits = digits;
    p.period = period;
    return p;
}
QByteArray bytesOf(const SecureBuffer& b) {
    return QByteArray(b.chars(), static_cast<qsizetype>(b.size()));
}
} // namespace

class TestTotp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(crypto::initialise());
        QVERIFY(totp::initialise());
    }

    // covers OTP-01: RFC 4226 Appendix D (§B.1). HOTP(K, C) = TOTP with period 1 at time C.
    void hotpRfc4226_data() {
        QTest::addColumn<qint64>("counter");
        QTest::addColumn<QString>("expected");
        const char* const codes[] = {"755224", "287082", "359152", "969429", "338314",
                                     "254676", "287922", "162583", "399871", "520489"};
        for (int c = 0; c < 10; ++c)
            QTest::addRow("RFC4226 count %d", c) << qint64(c) << QString::fromLatin1(codes[c]);
    }
    void hotpRfc4226() {
        QFETCH(qint64, counter);
        QFETCH(QString, expected);
        const SecureBuffer seed = SecureBuffer::fromBytes(rfcSeed(20));
        QCOMPARE(totp::generate(seed, counter, params(TotpAlgorithm::Sha1, 6, 1)), expected);
        // The same counter with the usual 30 s period: time = counter * 30 (+ anything inside the step).
        QCOMPARE(totp::generate(seed, counter * 30 + 29, params(TotpAlgorithm::Sha1, 6, 30)), expected);
    }

    // covers OTP-01: RFC 6238 Appendix B (§B.2), all three hashes with their own seed sizes, 8 digits,
    // including the leading zero (07081804) and the time beyond 32 bits (20000000000, §B.5 #8).
    void totpRfc6238_data() {
        QTest::addColumn<TotpAlgorithm>("algorithm");
        QTest::addColumn<int>("digits");
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("expected");
        struct Row {
            qint64 t;
            const char *sha1, *sha256, *sha512;
        };
        const Row rows[] = {
            {59, "94287082", "46119246", "90693936"},         {1111111109, "07081804", "68084774", "25091201"},
            {1111111111, "14050471", "67062674", "99943326"}, {1234567890, "89005924", "91819424", "93441116"},
            {2000000000, "69279037", "90698825", "38618901"}, {20000000000LL, "65353130", "77737706", "47863826"},
        };
        for (const Row& r : rows) {
            QTest::addRow("RFC6238 SHA1 t=%lld", r.t) << TotpAlgorithm::Sha1 << 8 << r.t << QString::fromLatin1(r.sha1);
            QTest::addRow("RFC6238 SHA256 t=%lld", r.t)
                << TotpAlgorithm::Sha256 << 8 << r.t << QString::fromLatin1(r.sha256);
            QTest::addRow("RFC6238 SHA512 t=%lld", r.t)
                << TotpAlgorithm::Sha512 << 8 << r.t << QString::fromLatin1(r.sha512);
        }
        // Derived 6-digit SHA1 values (§B.2): zero-padded ("005924").
        const std::pair<qint64, const char*> six[] = {{59, "287082"},         {1111111109, "081804"},
                                                      {1111111111, "050471"}, {1234567890, "005924"},
                                                      {2000000000, "279037"}, {20000000000LL, "353130"}};
        for (const auto& [t, code] : six)
            QTest::addRow("derived SHA1 6 digits t=%lld", t)
                << TotpAlgorithm::Sha1 << 6 << t << QString::fromLatin1(code);
        // Step boundaries (§B.2): t=29 is still step 0, t=30 starts step 1, t=60 step 2.
        QTest::newRow("boundary t=29 step 0") << TotpAlgorithm::Sha1 << 6 << qint64(29) << QStringLiteral("755224");
        QTest::newRow("boundary t=30 step 1") << TotpAlgorithm::Sha1 << 6 << qint64(30) << QStringLiteral("287082");
        QTest::newRow("boundary t=60 step 2") << TotpAlgorithm::Sha1 << 6 << qint64(60) << QStringLiteral("359152");
        QTest::newRow("boundary t=0 step 0") << TotpAlgorithm::Sha1 << 6 << qint64(0) << QStringLiteral("755224");
    }
    void totpRfc6238() {
        QFETCH(TotpAlgorithm, algorithm);
        QFETCH(int, digits);
        QFETCH(qint64, time);
        QFETCH(QString, expected);
        const SecureBuffer seed = SecureBuffer::fromBytes(rfcSeed(seedBytesFor(algorithm)));
        const TotpParams p = params(algorithm, digits);
        const QString code = totp::generate(seed, time, p);
        QCOMPARE(code, expected);
        QCOMPARE(code.size(), digits);
        // …and the verifier accepts it at that time, at the step RFC 6238 names.
        const auto step = totp::match(seed, time, p, expected);
        QVERIFY(step.has_value());
        QCOMPARE(*step, time / 30);
        QCOMPARE(totp::stepOf(time, p), time / 30);
    }

    // §B.2 NEGATIVE vectors / §B.5 #6-#7: the listed values are what HMAC-SHA256 gives with the
    // 20-byte SHA1 seed (the classic bug: one seed for all hashes). With the correct 32-byte seed our
    // code must differ from them; with the 20-byte seed it reproduces them exactly, which shows the
    // seed is used as given (neither padded nor truncated) and truncation reads the last byte of a
    // 32-byte MAC.
    void negativeVectorsSha256With20ByteSeed_data() {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("wrong");
        QTest::addColumn<QString>("rfc");
        QTest::newRow("negative t=59") << qint64(59) << QStringLiteral("32247374") << QStringLiteral("46119246");
        QTest::newRow("negative t=1111111109")
            << qint64(1111111109) << QStringLiteral("34756375") << QStringLiteral("68084774");
        QTest::newRow("negative t=1111111111")
            << qint64(1111111111) << QStringLiteral("74584430") << QStringLiteral("67062674");
        QTest::newRow("negative t=1234567890")
            << qint64(1234567890) << QStringLiteral("42829826") << QStringLiteral("91819424");
        QTest::newRow("negative t=2000000000")
            << qint64(2000000000) << QStringLiteral("78428693") << QStringLiteral("90698825");
        QTest::newRow("negative t=20000000000")
            << qint64(20000000000LL) << QStringLiteral("24142410") << QStringLiteral("77737706");
    }
    void negativeVectorsSha256With20ByteSeed() {
        QFETCH(qint64, time);
        QFETCH(QString, wrong);
        QFETCH(QString, rfc);
        const TotpParams p = params(TotpAlgorithm::Sha256, 8);
        const SecureBuffer seed32 = SecureBuffer::fromBytes(rfcSeed(32));
        const SecureBuffer seed20 = SecureBuffer::fromBytes(rfcSeed(20));
        QVERIFY(totp::generate(seed32, time, p) != wrong);
        QVERIFY(!totp::match(seed32, time, p, wrong).has_value());
        QVERIFY(totp::generate(seed20, time, p) != rfc);
        QCOMPARE(totp::generate(seed20, time, p), wrong);
    }

    void paramsValidity_data() {
        QTest::addColumn<int>("digits");
        QTest::addColumn<int>("period");
        QTest::addColumn<bool>("valid");
        QTest::newRow("default 6/30") << 6 << 30 << true;
        QTest::newRow("8 digits") << 8 << 30 << true;
        QTest::newRow("7 digits") << 7 << 30 << false;
        QTest::newRow("5 digits") << 5 << 30 << false;
        QTest::newRow("10 digits") << 10 << 30 << false;
        QTest::newRow("OTP-03 period 120") << 6 << 120 << true;
        QTest::newRow("OTP-03 period 121") << 6 << 121 << false;
        QTest::newRow("period 1") << 6 << 1 << true;
        QTest::newRow("period 0") << 6 << 0 << false;
        QTest::newRow("period -30") << 6 << -30 << false;
    }
    void paramsValidity() {
        QFETCH(int, digits);
        QFETCH(int, period);
        QFETCH(bool, valid);
        const TotpParams p = params(TotpAlgorithm::Sha1, digits, period);
        QCOMPARE(p.valid(), valid);
        const SecureBuffer seed = SecureBuffer::fromBytes(rfcSeed(20));
        if (!valid)
            QVERIFY(totp::generate(seed, 59, p).isEmpty());
        else
            QCOMPARE(totp::generate(seed, 59, p).size(), digits);
    }

    void defaultsAreCompatible() {
        // OTP-01 / §B.5 #1: the default issued is SHA1, 6 digits, 30 s; seeds are 20 bytes (ST-05).
        const TotpParams p;
        QCOMPARE(p.algorithm, TotpAlgorithm::Sha1);
        QCOMPARE(p.digits, 6);
        QCOMPARE(p.period, 30);
        QCOMPARE(TotpParams::kWindow, 1);
        QCOMPARE(TotpParams::kSeedBytes, 20);
        QVERIFY(p.valid());
    }

    void algorithmNames_data() {
        QTest::addColumn<TotpAlgorithm>("algorithm");
        QTest::addColumn<QString>("name");
        QTest::newRow("SHA1") << TotpAlgorithm::Sha1 << QStringLiteral("SHA1");
        QTest::newRow("SHA256") << TotpAlgorithm::Sha256 << QStringLiteral("SHA256");
        QTest::newRow("SHA512") << TotpAlgorithm::Sha512 << QStringLiteral("SHA512");
    }
    void algorithmNames() {
        QFETCH(TotpAlgorithm, algorithm);
        QFETCH(QString, name);
        QCOMPARE(totpAlgorithmName(algorithm), name);
        QCOMPARE(totpAlgorithmFromName(name), std::optional<TotpAlgorithm>(algorithm));
    }
    void unknownAlgorithmName() {
        QVERIFY(!totpAlgorithmFromName(QStringLiteral("MD5")).has_value());
        QVERIFY(!totpAlgorithmFromName(QStringLiteral("SHA-1 ")).has_value());
        QVERIFY(!totpAlgorithmFromName(QString()).has_value());
    }

    // covers OTP-03: the current step ±1 is accepted and match() names the step; ±2 is not.
    void window_data() {
        QTest::addColumn<qint64>("now");
        QTest::addColumn<int>("offset"); // steps from the current one
        QTest::addColumn<bool>("accepted");
        const qint64 mid = 1111111111;  // mid-step (step 37037037 starts at 1111111110)
        const qint64 edge = 1111111110; // first second of a step
        const qint64 last = 1111111139; // last second of the same step
        for (qint64 now : {mid, edge, last})
            for (int off : {-2, -1, 0, 1, 2})
                QTest::addRow("OTP-03 now=%lld step%+d", now, off) << now << off << (off >= -1 && off <= 1);
    }
    void window() {
        QFETCH(qint64, now);
        QFETCH(int, offset);
        QFETCH(bool, accepted);
        const TotpParams p;
        const SecureBuffer seed = SecureBuffer::fromBytes(rfcSeed(20));
        const std::int64_t step = totp::stepOf(now, p) + offset;
        const QString code = totp::generate(seed, step * p.period, p);
        QCOMPARE(code.size(), 6);
        const auto matched = totp::match(seed, now, p, code);
        QCOMPARE(matched.has_value(), accepted);
        if (accepted)
            QCOMPARE(*matched, step);
    }

    // A code for a step far away, a wrong code and malformed input never match.
    void matchRejects_data() {
        QTest::addColumn<QString>("code");
        // At t=59 (step 1) the window holds steps 0, 1, 2: 755224, 287082, 359152.
        QTest::newRow("step 3 (969429)") << QStringLiteral("969429");
        QTest::newRow("wrong") << QStringLiteral("123456");
        QTest::newRow("too short") << QStringLiteral("28708");
        QTest::newRow("too long") << QStringLiteral("2870820");
        QTest::newRow("8-digit form of a 6-digit code") << QStringLiteral("94287082");
        QTest::newRow("letters") << QStringLiteral("28708a");
        QTest::newRow("sign") << QStringLiteral("+87082");
        QTest::newRow("arabic-indic digits") << QString::fromUtf8("\u0662\u0668\u0667\u0660\u0668\u0662");
        QTest::newRow("empty") << QString();
    }
    void matchRejects() {
        QFETCH(QString, code);
        const SecureBuffer seed = SecureBuffer::fromBytes(rfcSeed(20));
        QVERIFY(!totp::match(seed, 59, TotpParams{}, code).has_value());
    }
    void matchAcceptsWholeWindowAtT59() {
        const SecureBuffer seed = SecureBuffer::fromBytes(rfcSeed(20));
        QCOMPARE(totp::match(seed, 59, TotpParams{}, QStringLiteral("755224")), std::optional<std::int64_t>(0));
        QCOMPARE(totp::match(seed, 59, TotpParams{}, QStringLiteral("287082")), std::optional<std::int64_t>(1));
        QCOMPARE(totp::match(seed, 59, TotpParams{}, QStringLiteral("359152")), std::optional<std::int64_t>(2));
        // A different seed does not accept the same codes.
        const SecureBuffer other = SecureBuffer::fromBytes(rfcSeed(19) + "1");
        QVERIFY(!totp::match(other, 59, TotpParams{}, QStringLiteral("287082")).has_value());
    }
    // §B.5 #8: 64-bit time in match() too.
    void matchBeyond32BitTime() {
        const SecureBuffer seed = SecureBuffer::fromBytes(rfcSeed(20));
        QCOMPARE(totp::match(seed, 20000000000LL, TotpParams{}, QStringLiteral("353130")),
                 std::optional<std::int64_t>(20000000000LL / 30));
    }

    // §B.2: the Base32 strings decode to the seeds; encode emits them without padding (§B.5 #2).
    void base32Known_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("encoded"); // what encode() must produce
        const QString b20 = QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        const QString b32 = QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA");
        const QString b64 = QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3"
                                           "TQOJQGEZDGNBVGY3TQOJQGEZDGNA");
        QTest::newRow("B.1 20-byte seed") << b20 << rfcSeed(20) << b20;
        QTest::newRow("B.2 32-byte seed padded") << b32 + QStringLiteral("====") << rfcSeed(32) << b32;
        QTest::newRow("B.2 32-byte seed unpadded") << b32 << rfcSeed(32) << b32;
        QTest::newRow("B.2 64-byte seed padded") << b64 + QStringLiteral("=") << rfcSeed(64) << b64;
        QTest::newRow("B.2 64-byte seed unpadded") << b64 << rfcSeed(64) << b64;
        QTest::newRow("lower case") << b20.toLower() << rfcSeed(20) << b20;
        QTest::newRow("mixed case") << QStringLiteral("gEzDgNbVgY3tQoJqGeZdGnBvGy3TqOjQ") << rfcSeed(20) << b20;
        QTest::newRow("spaces in groups of 4")
            << QStringLiteral("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ") << rfcSeed(20) << b20;
        QTest::newRow("lower case, spaces, missing padding")
            << QStringLiteral("gezd gnbv gy3t qojq gezd gnbv gy3t qojq gezd gnbv gy3t qojq geza") << rfcSeed(32) << b32;
        QTest::newRow("B.5 wiki JBSWY3DPEHPK3PXP")
            << QStringLiteral("JBSWY3DPEHPK3PXP") << QByteArray("Hello!\xDE\xAD\xBE\xEF", 10)
            << QStringLiteral("JBSWY3DPEHPK3PXP");
        QTest::newRow("RFC4648 f") << QStringLiteral("MY======") << QByteArray("f") << QStringLiteral("MY");
        QTest::newRow("RFC4648 fo") << QStringLiteral("MZXQ") << QByteArray("fo") << QStringLiteral("MZXQ");
        QTest::newRow("RFC4648 foo") << QStringLiteral("MZXW6===") << QByteArray("foo") << QStringLiteral("MZXW6");
        QTest::newRow("RFC4648 foob") << QStringLiteral("MZXW6YQ") << QByteArray("foob") << QStringLiteral("MZXW6YQ");
        QTest::newRow("RFC4648 fooba") << QStringLiteral("MZXW6YTB") << QByteArray("fooba")
                                       << QStringLiteral("MZXW6YTB");
        QTest::newRow("RFC4648 foobar") << QStringLiteral("MZXW6YTBOI======") << QByteArray("foobar")
                                        << QStringLiteral("MZXW6YTBOI");
    }
    void base32Known() {
        QFETCH(QString, text);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, encoded);
        const auto decoded = totp::base32Decode(text);
        QVERIFY(decoded.has_value());
        QCOMPARE(bytesOf(*decoded), bytes);
        const QString out = totp::base32Encode(*decoded);
        QCOMPARE(out, encoded);
        QVERIFY(!out.contains(QLatin1Char('=')));
    }

    void base32RoundTrip_data() {
        QTest::addColumn<int>("size");
        for (int n : {1, 2, 3, 4, 5, 6, 9, 10, 16, 20, 31, 32, 33, 64, 100})
            QTest::addRow("%d bytes", n) << n;
    }
    void base32RoundTrip() {
        QFETCH(int, size);
        test::SeededRandom random(static_cast<quint64>(size));
        const SecureBuffer bytes = random.secret(static_cast<std::size_t>(size));
        const QString text = totp::base32Encode(bytes);
        QCOMPARE(text.size(), (size * 8 + 4) / 5); // unpadded length
        static const QRegularExpression alphabet(QStringLiteral("^[A-Z2-7]+$"));
        QVERIFY(alphabet.match(text).hasMatch());
        const auto back = totp::base32Decode(text);
        QVERIFY(back.has_value());
        QCOMPARE(bytesOf(*back), bytesOf(bytes));
        const auto lower = totp::base32Decode(text.toLower());
        QVERIFY(lower.has_value());
        QCOMPARE(bytesOf(*lower), bytesOf(bytes));
    }

    // Anything that is not Base32 is refused, not skipped.
    void base32Invalid_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("digit 1") << QStringLiteral("GEZDGNBVGY3TQOJ1");
        QTest::newRow("digit 0") << QStringLiteral("GEZDGNBVGY3TQOJ0");
        QTest::newRow("digit 8") << QStringLiteral("GEZDGNBVGY3TQOJ8");
        QTest::newRow("digit 9") << QStringLiteral("9EZDGNBVGY3TQOJQ");
        QTest::newRow("punctuation !") << QStringLiteral("GEZDGNBV!Y3TQOJQ");
        QTest::newRow("base64 +") << QStringLiteral("GEZDGNBV+Y3TQOJQ");
        QTest::newRow("base64 /") << QStringLiteral("GEZDGNBV/Y3TQOJQ");
        QTest::newRow("padding in the middle") << QStringLiteral("GEZD=GNBVGY3TQOJQ");
        QTest::newRow("non-ASCII letter") << QString::fromUtf8("GEZDGNBV\u00c9Y3TQOJQ");
        QTest::newRow("fullwidth letter") << QString::fromUtf8("GEZDGNBV\uff27Y3TQOJQ");
        QTest::newRow("NUL") << QString(QStringLiteral("GEZDGNBV") + QChar(0) + QStringLiteral("Y3TQOJQ"));
        QTest::newRow("tab") << QStringLiteral("GEZDGNBV\tGY3TQOJQ");
        QTest::newRow("percent-encoding left in") << QStringLiteral("GEZD%20GNBV");
        QTest::newRow("1 symbol (impossible length)") << QStringLiteral("A");
        QTest::newRow("3 symbols (impossible length)") << QStringLiteral("AAA");
        QTest::newRow("6 symbols (impossible length)") << QStringLiteral("AAAAAA");
        QTest::newRow("9 symbols (impossible length)") << QStringLiteral("GEZDGNBVG");
        QTest::newRow("empty") << QString();
        QTest::newRow("only padding") << QStringLiteral("========");
        QTest::newRow("only spaces") << QStringLiteral("    ");
    }
    void base32Invalid() {
        QFETCH(QString, text);
        QVERIFY(!totp::base32Decode(text).has_value());
    }
};

QTEST_GUILESS_MAIN(TestTotp)
#include "tst_totp.moc"
