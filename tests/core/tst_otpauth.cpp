// otpauth:// Key URIs (core/verification/otpauth): emit → parse round trips, the emitted form, and
// one row per parse error. Covers OTP-06 and SECURITY.md §B.5 edge cases #2-#5.
#include "crypto/primitives.h"
#include "verification/otpauth.h"

#include <QRegularExpression>
#include <QtTest>

using namespace gh;
Q_DECLARE_METATYPE(gh::OtpauthError)
Q_DECLARE_METATYPE(gh::TotpAlgorithm)

namespace {
const char* const kSeed20B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890"
QByteArray rfcSeed(int bytes) {
    QByteArray s;
    while (s.size() < bytes)
        s += "1234567890";
    return s.left(bytes);
}
QByteArray bytesOf(const SecureBuffer& b) {
    return QByteArray(b.chars(), static_cast<qsizetype>(b.size()));
}
QString textOf(const SecureBuffer& b) {
    return QString::fromUtf8(b.chars(), static_cast<qsizetype>(b.size()));
}
QString uri(const char* labelAndQuery) {
    return QStringLiteral("otpauth://totp/") + QString::fromUtf8(labelAndQuery);
}
// A valid URI with `extra` appended to the query.
QString withSecret(const char* label, const char* extra) {
    return uri(label) + QStringLiteral("?secret=") + QLatin1String(kSeed20B32) + QString::fromUtf8(extra);
}
OtpauthKey key(const QString& issuer, const QString& account, const QByteArray& secret, TotpParams params = {}) {
    OtpauthKey k;
    k.issuer = issuer;
    k.account = account;
    k.secret = SecureBuffer::fromBytes(secret);
    k.params = params;
    return k;
}
// The raw (still percent-encoded) label and the value of one query parameter of an emitted URI.
QString rawLabel(const QString& u) {
    const qsizetype start = u.indexOf(QLatin1String("totp/"));
    const qsizetype end = u.indexOf(QLatin1Char('?'));
    return start < 0 || end < 0 ? QString() : u.mid(start + 5, end - start - 5);
}
// The raw label split at its issuer separator, which may be written ':' or "%3A" (§B.5 grammar).
QStringList splitLabel(const QString& label) {
    static const QRegularExpression sep(QStringLiteral(":|%3A"), QRegularExpression::CaseInsensitiveOption);
    return label.split(sep);
}
QString rawParam(const QString& u, const QString& name) {
    const QRegularExpression re(QStringLiteral("[?&]") + name + QStringLiteral("=([^&#]*)"));
    const auto m = re.match(u);
    return m.hasMatch() ? m.captured(1) : QString();
}
} // namespace

class TestOtpauth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(crypto::initialise());
        QVERIFY(totp::initialise());
    }

    // covers OTP-06: whatever we emit, we parse back to the same key.
    void roundTrip_data() {
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("account");
        QTest::addColumn<int>("seedBytes");
        QTest::addColumn<TotpAlgorithm>("algorithm");
        QTest::addColumn<int>("digits");
        QTest::addColumn<int>("period");
        QTest::newRow("Gatehouse default")
            << QStringLiteral("Gatehouse") << QStringLiteral("alice") << 20 << TotpAlgorithm::Sha1 << 6 << 30;
        QTest::newRow("space in issuer, @ in account")
            << QStringLiteral("ACME Co") << QStringLiteral("john.doe@email.com") << 20 << TotpAlgorithm::Sha1 << 6
            << 30;
        QTest::newRow("SHA256 32-byte seed 8 digits 60 s")
            << QStringLiteral("Big Corporation") << QStringLiteral("alice smith") << 32 << TotpAlgorithm::Sha256 << 8
            << 60;
        QTest::newRow("SHA512 64-byte seed 120 s")
            << QStringLiteral("Gatehouse") << QStringLiteral("bob") << 64 << TotpAlgorithm::Sha512 << 6 << 120;
        QTest::newRow("& # ? / % + in account")
            << QStringLiteral("Gatehouse") << QStringLiteral("a&b#c?d/e%f+g") << 20 << TotpAlgorithm::Sha1 << 6 << 30;
        QTest::newRow("& and + in issuer")
            << QStringLiteral("R&D + Ops") << QStringLiteral("carol") << 20 << TotpAlgorithm::Sha1 << 6 << 30;
        QTest::newRow("non-ASCII") << QString::fromUtf8("Caf\u00e9 \u00dcber") << QString::fromUtf8("j\u00fcrgen") << 20
                                   << TotpAlgorithm::Sha1 << 6 << 30;
        QTest::newRow("128-bit seed") << QStringLiteral("Gatehouse") << QStringLiteral("dave") << 16
                                      << TotpAlgorithm::Sha1 << 6 << 30;
    }
    void roundTrip() {
        QFETCH(QString, issuer);
        QFETCH(QString, account);
        QFETCH(int, seedBytes);
        QFETCH(TotpAlgorithm, algorithm);
        QFETCH(int, digits);
        QFETCH(int, period);
        TotpParams p;
        p.algorithm = algorithm;
        p.digits = digits;
        p.period = period;
        const SecureBuffer emitted = otpauth::emit(key(issuer, account, rfcSeed(seedBytes), p));
        const QString u = textOf(emitted);
        QVERIFY2(u.startsWith(QLatin1String("otpauth://totp/")), qPrintable(u));
        OtpauthKey out;
        QCOMPARE(otpauth::parse(u, &out), OtpauthError::None);
        QCOMPARE(out.issuer, issuer);
        QCOMPARE(out.account, account);
        QCOMPARE(bytesOf(out.secret), rfcSeed(seedBytes));
        QCOMPARE(out.params.algorithm, algorithm);
        QCOMPARE(out.params.digits, digits);
        QCOMPARE(out.params.period, period);
    }

    // covers OTP-06, §B.5 #2-#4: the emitted text itself.
    void emittedForm() {
        // 32-byte seed: its Base32 ends in "====" which must be stripped (§B.5 #2).
        const QString u =
            textOf(otpauth::emit(key(QStringLiteral("ACME Co"), QStringLiteral("john doe"), rfcSeed(32))));
        QCOMPARE(rawParam(u, QStringLiteral("secret")),
                 QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA"));
        QVERIFY2(!u.contains(QLatin1Char('+')), qPrintable(u)); // §B.5 #3: %20, never '+'
        QVERIFY2(!u.contains(QLatin1Char(' ')), qPrintable(u));
        QCOMPARE(splitLabel(rawLabel(u)), (QStringList{QStringLiteral("ACME%20Co"), QStringLiteral("john%20doe")}));
        QCOMPARE(rawParam(u, QStringLiteral("issuer")), QStringLiteral("ACME%20Co")); // §B.5 #4: equal
        // Each parameter once (no duplicates to confuse other parsers).
        for (const char* name : {"secret", "issuer", "algorithm", "digits", "period"})
            QVERIFY2(u.count(QStringLiteral("&") + QLatin1String(name) + QLatin1Char('=')) +
                             u.count(QStringLiteral("?") + QLatin1String(name) + QLatin1Char('=')) <=
                         1,
                     name);
    }
    void emittedDefaultsAreExplicit() {
        // §B.5 #1: SHA1/6/30, and the URI says so.
        const QString u = textOf(otpauth::emit(key(QStringLiteral("Gatehouse"), QStringLiteral("alice"), rfcSeed(20))));
        QCOMPARE(splitLabel(rawLabel(u)), (QStringList{QStringLiteral("Gatehouse"), QStringLiteral("alice")}));
        QCOMPARE(rawParam(u, QStringLiteral("secret")), QLatin1String(kSeed20B32));
        QCOMPARE(rawParam(u, QStringLiteral("issuer")), QStringLiteral("Gatehouse"));
        const QString alg = rawParam(u, QStringLiteral("algorithm"));
        QVERIFY(alg.isEmpty() || alg == QLatin1String("SHA1"));
        const QString digits = rawParam(u, QStringLiteral("digits"));
        QVERIFY(digits.isEmpty() || digits == QLatin1String("6"));
        const QString period = rawParam(u, QStringLiteral("period"));
        QVERIFY(period.isEmpty() || period == QLatin1String("30"));
    }
    // §B.5 #3: '@' '&' and spaces in the account are percent-encoded, ':' is refused; the label has
    // exactly one separator.
    void emittedAccountIsEncoded_data() {
        QTest::addColumn<QString>("account");
        QTest::addColumn<QString>("mustContain");
        QTest::newRow("@") << QStringLiteral("john.doe@email.com") << QStringLiteral("%40");
        QTest::newRow("&") << QStringLiteral("r&d") << QStringLiteral("%26");
        QTest::newRow(": is refused (B.5 #3)") << QStringLiteral("ali:ce") << QString();
        QTest::newRow("space") << QStringLiteral("alice smith") << QStringLiteral("%20");
    }
    void emittedAccountIsEncoded() {
        QFETCH(QString, account);
        QFETCH(QString, mustContain);
        const SecureBuffer emitted = otpauth::emit(key(QStringLiteral("Gatehouse"), account, rfcSeed(20)));
        const QString u = textOf(emitted);
        if (account.contains(QLatin1Char(':'))) {
            // §B.5 #3 "refuse or escape": every escape of ':' ("%3A") is itself a valid separator, so
            // the only unambiguous choice is to refuse (an empty result).
            QVERIFY2(u.isEmpty(), qPrintable(u));
            return;
        }
        // Exactly one separator: an escaped ':' must not read as a second one ("%3A" is a separator too).
        const QStringList parts = splitLabel(rawLabel(u));
        QVERIFY2(parts.size() == 2, qPrintable(u));
        QCOMPARE(parts.at(0), QStringLiteral("Gatehouse"));
        const QString rest = parts.at(1);
        QVERIFY2(rest.contains(mustContain, Qt::CaseInsensitive), qPrintable(u));
        QVERIFY2(!rest.contains(QLatin1Char('@')), qPrintable(u));
        QVERIFY2(!rest.contains(QLatin1Char('&')), qPrintable(u));
        // …and whatever is emitted parses back to the same account.
        OtpauthKey back;
        QCOMPARE(otpauth::parse(u, &back), OtpauthError::None);
        QCOMPARE(back.account, account);
        QVERIFY2(!rest.contains(QLatin1Char(' ')), qPrintable(u));
    }

    // covers OTP-06, §B.5: the label forms the wiki lists as valid, and ordinary variations.
    void parseValid_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("account");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<TotpAlgorithm>("algorithm");
        QTest::addColumn<int>("digits");
        QTest::addColumn<int>("period");
        const QByteArray s20 = rfcSeed(20);
        const auto sha1 = TotpAlgorithm::Sha1;
        QTest::newRow("B.5 wiki ACME%20Co full example")
            << QStringLiteral("otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
                              "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30")
            << QStringLiteral("ACME Co") << QStringLiteral("john.doe@email.com")
            << QByteArray::fromHex("3dc6caa4824a6d288767b2331e20b43166cb85d9") << sha1 << 6 << 30;
        QTest::newRow("B.5 Example:alice@gmail.com")
            << withSecret("Example:alice@gmail.com", "&issuer=Example") << QStringLiteral("Example")
            << QStringLiteral("alice@gmail.com") << s20 << sha1 << 6 << 30;
        QTest::newRow("B.5 Provider1:Alice%20Smith")
            << withSecret("Provider1:Alice%20Smith", "&issuer=Provider1") << QStringLiteral("Provider1")
            << QStringLiteral("Alice Smith") << s20 << sha1 << 6 << 30;
        QTest::newRow("B.5 Big%20Corporation%3A%20alice%40bigco.com (spaces before account)")
            << withSecret("Big%20Corporation%3A%20alice%40bigco.com", "&issuer=Big%20Corporation")
            << QStringLiteral("Big Corporation") << QStringLiteral("alice@bigco.com") << s20 << sha1 << 6 << 30;
        QTest::newRow("two spaces before account")
            << withSecret("Example:%20%20alice", "&issuer=Example") << QStringLiteral("Example")
            << QStringLiteral("alice") << s20 << sha1 << 6 << 30;
        QTest::newRow("issuer only in the label prefix") << withSecret("Example:alice", "") << QStringLiteral("Example")
                                                         << QStringLiteral("alice") << s20 << sha1 << 6 << 30;
        QTest::newRow("issuer only as parameter") << withSecret("alice", "&issuer=Example") << QStringLiteral("Example")
                                                  << QStringLiteral("alice") << s20 << sha1 << 6 << 30;
        QTest::newRow("issuer parameter first")
            << uri("Example:alice?issuer=Example&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") << QStringLiteral("Example")
            << QStringLiteral("alice") << s20 << sha1 << 6 << 30;
        QTest::newRow("B.5 #2 lower-case secret")
            << uri("Example:alice?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq&issuer=Example") << QStringLiteral("Example")
            << QStringLiteral("alice") << s20 << sha1 << 6 << 30;
        QTest::newRow("B.5 #2 secret with spaces")
            << uri("Example:alice?secret=GEZD%20GNBV%20GY3T%20QOJQ%20GEZD%20GNBV%20GY3T%20QOJQ&issuer=Example")
            << QStringLiteral("Example") << QStringLiteral("alice") << s20 << sha1 << 6 << 30;
        QTest::newRow("B.5 #6 SHA256 32-byte seed 8 digits 60 s")
            << uri("Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&issuer=Example"
                   "&algorithm=SHA256&digits=8&period=60")
            << QStringLiteral("Example") << QStringLiteral("alice") << rfcSeed(32) << TotpAlgorithm::Sha256 << 8 << 60;
        QTest::newRow("SHA512 period 1") << withSecret("Example:alice", "&issuer=Example&algorithm=SHA512&period=1")
                                         << QStringLiteral("Example") << QStringLiteral("alice") << s20
                                         << TotpAlgorithm::Sha512 << 6 << 1;
        QTest::newRow("OTP-03 period 120")
            << withSecret("Example:alice", "&issuer=Example&period=120") << QStringLiteral("Example")
            << QStringLiteral("alice") << s20 << sha1 << 6 << 120;
        QTest::newRow("B.5 #5 exactly 128 bits")
            << uri("Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY&issuer=Example") << QStringLiteral("Example")
            << QStringLiteral("alice") << rfcSeed(16) << sha1 << 6 << 30;
    }
    void parseValid() {
        QFETCH(QString, input);
        QFETCH(QString, issuer);
        QFETCH(QString, account);
        QFETCH(QByteArray, secret);
        QFETCH(TotpAlgorithm, algorithm);
        QFETCH(int, digits);
        QFETCH(int, period);
        OtpauthKey out;
        const OtpauthError e = otpauth::parse(input, &out);
        QVERIFY2(e == OtpauthError::None, qPrintable(describeOtpauthError(e)));
        QCOMPARE(out.issuer, issuer);
        QCOMPARE(out.account, account);
        QCOMPARE(bytesOf(out.secret).toHex(), secret.toHex());
        QCOMPARE(out.params.algorithm, algorithm);
        QCOMPARE(out.params.digits, digits);
        QCOMPARE(out.params.period, period);
    }

    // covers OTP-06, §B.5 #3-#5: each problem gives its own error.
    void parseErrors_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<OtpauthError>("expected");
        using E = OtpauthError;
        QTest::newRow("scheme http") << QStringLiteral(
                                            "http://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
                                     << E::NotOtpauth;
        QTest::newRow("scheme otpauthx") << QStringLiteral(
                                                "otpauthx://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
                                         << E::NotOtpauth;
        QTest::newRow("no scheme") << QStringLiteral("totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
                                   << E::NotOtpauth;
        QTest::newRow("empty") << QString() << E::NotOtpauth;
        QTest::newRow("hotp") << QStringLiteral("otpauth://hotp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                                                "&issuer=Example&counter=0")
                              << E::UnsupportedType;
        QTest::newRow("unknown type") << QStringLiteral(
                                             "otpauth://motp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
                                      << E::UnsupportedType;
        QTest::newRow("missing label") << uri("?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example")
                                       << E::MissingLabel;
        QTest::newRow("missing secret") << uri("Example:alice?issuer=Example") << E::MissingSecret;
        QTest::newRow("no query at all") << uri("Example:alice") << E::MissingSecret;
        QTest::newRow("bad Base32 (digit 1)")
            << uri("Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1&issuer=Example") << E::BadSecret;
        QTest::newRow("bad Base32 (punctuation)")
            << uri("Example:alice?secret=GEZDGNBV*Y3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example") << E::BadSecret;
        QTest::newRow("B.5 #5 wiki JBSWY3DPEHPK3PXP is 80 bits")
            << uri("Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example") << E::SecretTooShort;
        QTest::newRow("B.5 #5 120 bits") << uri("Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBV&issuer=Example")
                                         << E::SecretTooShort;
        QTest::newRow("B.5 #4 issuer mismatch") << withSecret("Example:alice", "&issuer=Evil") << E::IssuerMismatch;
        QTest::newRow("B.5 #4 issuer mismatch (encoded)")
            << withSecret("ACME%20Co:alice", "&issuer=ACME%20Corp") << E::IssuerMismatch;
        QTest::newRow("B.5 #3 ':' inside account") << withSecret("Example:ali:ce", "&issuer=Example") << E::BadLabel;
        QTest::newRow("B.5 #3 '%3A' inside account")
            << withSecret("Example:ali%3Ace", "&issuer=Example") << E::BadLabel;
        QTest::newRow("bad percent-encoding in label")
            << withSecret("Example:al%ZZice", "&issuer=Example") << E::BadLabel;
        // A label or issuer is one line of plain text by the rule of every label (red team t09).
        QTest::newRow("ESC in account") << withSecret("Example:al%1B[2Jice", "&issuer=Example") << E::BadLabel;
        QTest::newRow("bidi override in account")
            << withSecret("Example:alice%E2%80%AEnimda", "&issuer=Example") << E::BadLabel;
        QTest::newRow("TAG character in issuer") << withSecret("alice", "&issuer=Exa%F3%A0%81%81mple") << E::BadLabel;
        QTest::newRow("line separator in issuer") << withSecret("alice", "&issuer=Example%E2%80%A8Bank") << E::BadLabel;
        QTest::newRow("digits 7") << withSecret("Example:alice", "&issuer=Example&digits=7") << E::BadDigits;
        QTest::newRow("digits 10") << withSecret("Example:alice", "&issuer=Example&digits=10") << E::BadDigits;
        QTest::newRow("digits not a number")
            << withSecret("Example:alice", "&issuer=Example&digits=six") << E::BadDigits;
        QTest::newRow("OTP-03 period 0") << withSecret("Example:alice", "&issuer=Example&period=0") << E::BadPeriod;
        QTest::newRow("OTP-03 period 121") << withSecret("Example:alice", "&issuer=Example&period=121") << E::BadPeriod;
        QTest::newRow("period negative") << withSecret("Example:alice", "&issuer=Example&period=-30") << E::BadPeriod;
        QTest::newRow("period huge") << withSecret("Example:alice", "&issuer=Example&period=4294967326")
                                     << E::BadPeriod;
        QTest::newRow("period not a number")
            << withSecret("Example:alice", "&issuer=Example&period=30s") << E::BadPeriod;
        QTest::newRow("algorithm MD5") << withSecret("Example:alice", "&issuer=Example&algorithm=MD5")
                                       << E::BadAlgorithm;
        QTest::newRow("duplicate secret")
            << withSecret("Example:alice", "&issuer=Example&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
            << E::DuplicateParameter;
        QTest::newRow("duplicate issuer")
            << withSecret("Example:alice", "&issuer=Example&issuer=Example") << E::DuplicateParameter;
        QTest::newRow("duplicate digits")
            << withSecret("Example:alice", "&issuer=Example&digits=6&digits=8") << E::DuplicateParameter;
    }
    void parseErrors() {
        QFETCH(QString, input);
        QFETCH(OtpauthError, expected);
        OtpauthKey out;
        const OtpauthError e = otpauth::parse(input, &out);
        QVERIFY2(
            e == expected,
            qPrintable(
                QStringLiteral("got %1, expected %2").arg(describeOtpauthError(e), describeOtpauthError(expected))));
        QVERIFY(!describeOtpauthError(e).isEmpty());
    }

    // Every error has its own description (None has none).
    void errorDescriptionsDiffer() {
        QSet<QString> seen;
        for (int i = int(OtpauthError::NotOtpauth); i <= int(OtpauthError::DuplicateParameter); ++i) {
            const QString d = describeOtpauthError(static_cast<OtpauthError>(i));
            QVERIFY(!d.isEmpty());
            QVERIFY2(!seen.contains(d), qPrintable(d));
            seen.insert(d);
        }
    }
};

QTEST_GUILESS_MAIN(TestOtpauth)
#include "tst_otpauth.moc"
