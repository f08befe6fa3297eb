// The factor model (core/verification/factors): categories and the assurance level of a login.
// Two proofs of one category are one factor (DESIGN.md "The model"; NIST SP 800-63B §2.2).
#include "verification/factors.h"

#include <QtTest>

using namespace gh;
Q_DECLARE_METATYPE(gh::Aal)
Q_DECLARE_METATYPE(gh::FactorKind)
Q_DECLARE_METATYPE(gh::FactorCategory)

class TestFactors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void categories_data() {
        QTest::addColumn<FactorKind>("kind");
        QTest::addColumn<FactorCategory>("category");
        QTest::addColumn<QString>("name");
        QTest::newRow("password is knowledge")
            << FactorKind::Password << FactorCategory::Knowledge << QStringLiteral("password");
        QTest::newRow("TOTP is possession") << FactorKind::Totp << FactorCategory::Possession << QStringLiteral("totp");
        // A saved look-up secret is something you have (NIST SP 800-63B §3.1.2), not something you know.
        QTest::newRow("recovery code is possession")
            << FactorKind::RecoveryCode << FactorCategory::Possession << QStringLiteral("recovery");
    }
    void categories() {
        QFETCH(FactorKind, kind);
        QFETCH(FactorCategory, category);
        QFETCH(QString, name);
        QCOMPARE(categoryOf(kind), category);
        QCOMPARE(factorKindName(kind), name);
    }

    void assurance_data() {
        QTest::addColumn<QList<FactorKind>>("proven");
        QTest::addColumn<Aal>("expected");
        using K = FactorKind;
        QTest::newRow("nothing proven: None") << QList<K>{} << Aal::None;
        QTest::newRow("password: AAL1") << QList<K>{K::Password} << Aal::Aal1;
        QTest::newRow("TOTP alone: AAL1") << QList<K>{K::Totp} << Aal::Aal1;
        QTest::newRow("recovery code alone: AAL1") << QList<K>{K::RecoveryCode} << Aal::Aal1;
        QTest::newRow("password + TOTP: AAL2") << QList<K>{K::Password, K::Totp} << Aal::Aal2;
        QTest::newRow("TOTP + password (order): AAL2") << QList<K>{K::Totp, K::Password} << Aal::Aal2;
        QTest::newRow("password + recovery code: AAL2") << QList<K>{K::Password, K::RecoveryCode} << Aal::Aal2;
        // The category rule: two knowledge factors are never MFA; neither are two possession ones.
        QTest::newRow("password + password: AAL1 (never MFA)") << QList<K>{K::Password, K::Password} << Aal::Aal1;
        QTest::newRow("TOTP + recovery code: AAL1 (same category)") << QList<K>{K::Totp, K::RecoveryCode} << Aal::Aal1;
        QTest::newRow("TOTP + TOTP: AAL1") << QList<K>{K::Totp, K::Totp} << Aal::Aal1;
        // AAL3 is reserved for hardware keys: nothing here reaches it.
        QTest::newRow("password + TOTP + recovery: AAL2, not AAL3")
            << QList<K>{K::Password, K::Totp, K::RecoveryCode} << Aal::Aal2;
        QTest::newRow("password twice + TOTP: AAL2") << QList<K>{K::Password, K::Password, K::Totp} << Aal::Aal2;
    }
    void assurance() {
        QFETCH(QList<FactorKind>, proven);
        QFETCH(Aal, expected);
        QCOMPARE(assuranceOf(proven), expected);
    }

    void aalNames() {
        QCOMPARE(aalName(Aal::Aal1), QStringLiteral("AAL1"));
        QCOMPARE(aalName(Aal::Aal2), QStringLiteral("AAL2"));
        QCOMPARE(aalName(Aal::Aal3), QStringLiteral("AAL3"));
        QVERIFY(!aalName(Aal::None).isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestFactors)
#include "tst_factors.moc"
