// The password policy (core/verification/passwordpolicy): PW-01…PW-04, PW-08 and the byte cap.
#include "verification/passwordpolicy.h"

#include <QtTest>

using namespace gh;
Q_DECLARE_METATYPE(gh::PasswordIssue)

class TestPasswordPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void verdicts_data() {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("username");
        QTest::addColumn<bool>("mfa");
        QTest::addColumn<PasswordIssue>("issue");
        const QString alice = QStringLiteral("alice");
        // PW-01: length in code points; 15 alone, 8 with a required second factor.
        QTest::newRow("PW-01 14 code points, single factor")
            << QStringLiteral("tangerine umbr") << alice << false << PasswordIssue::TooShort;
        QTest::newRow("PW-01 15 code points, single factor")
            << QStringLiteral("tangerine umbre") << alice << false << PasswordIssue::None;
        QTest::newRow("PW-01 7 code points, MFA")
            << QStringLiteral("x9Fq2mL") << alice << true << PasswordIssue::TooShort;
        QTest::newRow("PW-01 8 code points, MFA") << QStringLiteral("x9Fq2mLp") << alice << true << PasswordIssue::None;
        // PW-02: long passwords are welcome; the hard cap is in bytes.
        QTest::newRow("PW-02 64 code points")
            << QStringLiteral("orchard violet compass lantern ferry quiet harbour maple thistle brook").left(64)
            << alice << false << PasswordIssue::None;
        QTest::newRow("PW-02 128 code points")
            << (QStringLiteral("orchard violet compass ").repeated(5) + QStringLiteral("a quiet harbour lamp"))
                   .left(128)
            << alice << false << PasswordIssue::None;
        QTest::newRow("PW-02 1025 bytes")
            << QStringLiteral("kx7!").repeated(256) + QStringLiteral("q") << alice << false << PasswordIssue::TooLong;
        // PW-03: any printable character, Unicode, emoji; counted as code points.
        QTest::newRow("PW-03 printable ASCII")
            << QStringLiteral("zebra quartz ~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./ plum 42") << alice << false
            << PasswordIssue::None;
        QTest::newRow("PW-03 non-ASCII") << QStringLiteral("Grüße aus Köln, Straße 7") << alice << false
                                         << PasswordIssue::None;
        // 14 emoji are 28 UTF-16 units but 14 code points: too short.
        QTest::newRow("PW-03 14 emoji") << QString::fromUtf8("🦊🐢🦉🐙🦀🐝🦋🐌🐞🦎🐍🦂🦑🐬")
                                        << alice << false << PasswordIssue::TooShort;
        QTest::newRow("PW-03 15 emoji") << QString::fromUtf8(
                                               "🦊🐢🦉🐙🦀🐝🦋🐌🐞🦎🐍🦂🦑🐬🐳")
                                        << alice << false << PasswordIssue::None;
        QTest::newRow("control character")
            << QStringLiteral("tangerine\numbrella river") << alice << false << PasswordIssue::InvalidCharacters;
        QTest::newRow("empty") << QString() << alice << false << PasswordIssue::Empty;
        // PW-04: no composition rules.
        QTest::newRow("PW-04 all lower case passphrase")
            << QStringLiteral("correct horse battery staple") << alice << false << PasswordIssue::None;
        // PW-08: blocklist (cracklib dictionary + repetition) and context words.
        QTest::newRow("PW-08 systematic")
            << QStringLiteral("password12345678") << alice << false << PasswordIssue::Blocklisted;
        QTest::newRow("PW-08 sequence") << QStringLiteral("abcdefghijklmnop") << alice << false
                                        << PasswordIssue::Blocklisted;
        QTest::newRow("PW-08 repeated word")
            << QStringLiteral("sunshinesunshine") << alice << false << PasswordIssue::Blocklisted;
        QTest::newRow("PW-08 one character")
            << QStringLiteral("aaaaaaaaaaaaaaaa") << alice << false << PasswordIssue::Blocklisted;
        QTest::newRow("PW-08 username") << QStringLiteral("aliceALICEalice2024!") << alice << false
                                        << PasswordIssue::ContextWord;
        QTest::newRow("PW-08 product name")
            << QStringLiteral("Gatehouse-2026-Gatehouse") << alice << false << PasswordIssue::ContextWord;
        QTest::newRow("PW-08 context word inside a passphrase is fine")
            << QStringLiteral("alice walks past the old gatehouse") << alice << false << PasswordIssue::None;
    }
    void verdicts() {
        QFETCH(QString, password);
        QFETCH(QString, username);
        QFETCH(bool, mfa);
        QFETCH(PasswordIssue, issue);
        const PasswordVerdict v = PasswordPolicy::check(password, username, mfa);
        QCOMPARE(v.issue, issue);
        QVERIFY(!PasswordPolicy::explain(v).isEmpty());
    }

    // PW-03: NFKC makes precomposed and decomposed "é" the same password.
    void nfkcNormalisation() {
        const QString precomposed = QString::fromUtf8("caf\u00e9 au lait, s'il vous pla\u00eet");
        const QString decomposed = QString::fromUtf8("cafe\u0301 au lait, s'il vous plai\u0302t");
        QVERIFY(precomposed != decomposed);
        QCOMPARE(PasswordPolicy::normalise(precomposed), PasswordPolicy::normalise(decomposed));
        QCOMPARE(PasswordPolicy::codePoints(PasswordPolicy::normalise(decomposed)), precomposed.size());
    }

    // PW-08: refusals give a reason and guidance.
    void explanationsNameTheReason() {
        const auto shortVerdict = PasswordPolicy::check(QStringLiteral("short"), QStringLiteral("bob"));
        QVERIFY(PasswordPolicy::explain(shortVerdict).contains(QStringLiteral("15")));
        const auto context = PasswordPolicy::check(QStringLiteral("bobbybobbybob123"), QStringLiteral("bobby"));
        QCOMPARE(context.issue, PasswordIssue::ContextWord);
        QVERIFY(PasswordPolicy::explain(context).contains(QStringLiteral("bobby")));
        const auto listed = PasswordPolicy::check(QStringLiteral("password12345678"), QStringLiteral("bob"));
        QVERIFY(PasswordPolicy::explain(listed).contains(listed.reason));
        QVERIFY(!listed.reason.isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestPasswordPolicy)
#include "tst_passwordpolicy.moc"
