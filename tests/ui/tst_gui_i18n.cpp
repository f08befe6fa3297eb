// Issue 15 item 5: the GUI in German. ctest starts this program with LANG=de_DE.UTF-8 (and
// LANGUAGE, LC_ALL): the window loads the embedded German translation for the system locale
// (ui/startup.cpp) and the login screen and Home read in German, the core's messages too; plurals
// take their forms from the translations (German here, English from gatehouse_en.ts). Screenshots:
// i18n-login-de.png and i18n-home-de.png (README). Also (RL-04) a masked name in the audit log is
// shown as "an unknown name", its hash only in the event's detail.
#include "appcontroller.h"
#include "auditmodel.h"
#include "crypto/selftest.h"
#include "errors.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "startup.h"
#include "vault/keystore.h"
#include "vault/vault.h"
#include "verification/otpauth.h"
#include "verification/totp.h"

#include <QLocale>
#include <QTranslator>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

#include <algorithm>
#include <cstring>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

namespace {

const QString kAdmin = QStringLiteral("alice");
const char* kPassword = "correct horse battery staple";
const QString kUser = QStringLiteral("bob");
const char* kUserPassword = "bobs own horse battery staple";
constexpr int kTimeoutMs = 30000;

// The first visible text item under `root` that reads `text`.
QQuickItem* withText(QQuickItem* root, const QString& text) {
    if (root->isVisible() && root->property("text").toString() == text && root->property("lineCount").isValid())
        return root;
    for (QQuickItem* child : root->childItems())
        if (QQuickItem* found = withText(child, text))
            return found;
    return nullptr;
}

gh::SecureBuffer pw(const char* s) {
    return gh::SecureBuffer(s, std::strlen(s));
}

} // namespace

class tst_GuiI18n : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void theSystemLocaleChoosesGerman();
    void loginAndHomeReadInGerman();
    void pluralsHaveTheirForms();
    void aMaskedNameIsShownInWords();

private:
    QTemporaryDir m_dir;
    QString m_vault;
};

void tst_GuiI18n::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY2(qEnvironmentVariable("LANG").startsWith(QLatin1String("de")), "ctest sets LANG=de_DE.UTF-8");
    QVERIFY(gh::crypto::runSelfTest().passed);
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    // alice (the administrator) and bob, a viewer who signs in with his password alone.
    gh::Gatehouse g(testServices());
    QVERIFY(g.createVault(m_vault));
    QVERIFY(g.accounts().createFirstAdmin(kAdmin, pw(kPassword)));
    auto alice = g.login().fullLogin(kAdmin, pw(kPassword), QStringLiteral("test"));
    QVERIFY(alice);
    // An administrator adds people only at two-step sign-in: an authenticator app, then a step-up.
    auto e = g.factors().beginTotpEnrollment(*alice, QStringLiteral("phone"));
    QVERIFY(e);
    gh::OtpauthKey key;
    QCOMPARE(gh::otpauth::parse(QString::fromLatin1(e->uri.chars(), static_cast<qsizetype>(e->uri.size())), &key),
             gh::OtpauthError::None);
    qint64 lastStep = -1;
    const auto nextCode = [&] {
        const auto stepNow = [] { return QDateTime::currentSecsSinceEpoch() / 30; };
        const qint64 step = std::max(stepNow(), lastStep + 1);
        while (step > stepNow() + 1)
            QTest::qWait(500);
        lastStep = step;
        return gh::totp::generate(key.secret, step * 30, key.params);
    };
    QVERIFY(g.factors().confirmTotp(*alice, e->factorId, nextCode()));
    const gh::SecureBuffer next = gh::SecureBuffer::fromUtf8(nextCode());
    QVERIFY(g.login().stepUp(*alice, pw(kPassword), gh::FactorKind::Totp, &next));
    auto temp = g.accounts().addUser(*alice, kUser, QStringLiteral("viewer"));
    QVERIFY(temp);
    auto bob = g.login().fullLogin(kUser, *temp, QStringLiteral("test"));
    QVERIFY(bob);
    QVERIFY(g.login().changePassword(*bob, *temp, pw(kUserPassword)));
    (void)g.login().logout(*bob);
    (void)g.login().logout(*alice);
    gh::ui::applyStyle();
}

void tst_GuiI18n::cleanupTestCase() {
    close();
    (void)gh::SecretServiceKeyStore().remove(gh::Vault::keychainEntry(gh::Vault::canonicalPath(m_vault)));
}

void tst_GuiI18n::theSystemLocaleChoosesGerman() {
    // QLocale reads LANG/LC_ALL itself: no glibc locale data (locale-gen) is needed for this.
    QCOMPARE(QLocale().language(), QLocale::German);
    QCOMPARE(gh::ui::installTranslations(), QStringLiteral("de_DE"));
    // The core's messages, as the GUI shows them (gh::describe, context "gh").
    QCOMPARE(gh::describe(gh::Error{gh::Errc::AuthenticationFailed, {}, 0}),
             QStringLiteral("Anmeldung fehlgeschlagen: unbekannter Benutzername oder falsches Passwort."));
    QVERIFY(gh::describe(gh::Error{gh::Errc::Throttled, {}, 30}).contains(QStringLiteral("30 Sekunden")));
}

void tst_GuiI18n::loginAndHomeReadInGerman() {
    QVERIFY(launch(m_vault));
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    QCOMPARE(textOf(QStringLiteral("login.signIn")), QStringLiteral("Anmelden"));
    QCOMPARE(item(QStringLiteral("loginScreen"))->property("title").toString(), QStringLiteral("Anmelden"));
    QCOMPARE(item(QStringLiteral("loginScreen"))->property("subtitle").toString(),
             QStringLiteral("Melden Sie sich mit Ihrem Gatehouse-Konto an."));
    QVERIFY(!saveScreenshot(QStringLiteral("i18n-login-de"), true).isNull());

    // A wrong password: the core's message, in German.
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));
    typeText(kUser);
    press(Qt::Key_Return);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.password")));
    typeText(QStringLiteral("not bobs password"));
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("login.error")),
                              QStringLiteral("Anmeldung fehlgeschlagen: unbekannter Benutzername oder falsches "
                                             "Passwort."),
                              kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QTRY_COMPARE(textOf(QStringLiteral("login.password")), QString());
    item(QStringLiteral("login.password"))->forceActiveFocus();
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.password")));
    typeText(QString::fromLatin1(kUserPassword));
    press(Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(item(QStringLiteral("homeScreen")), kTimeoutMs);

    // Home: the sections, and the sign-in in plain words with the level as the detail.
    QTRY_COMPARE(textOf(QStringLiteral("home.assurance")), QStringLiteral("Einstufige Anmeldung"));
    QVERIFY(textOf(QStringLiteral("home.aal")).startsWith(QStringLiteral("AAL1 · eine Art von Faktor")));
    QCOMPARE(textOf(QStringLiteral("nav.home")), QStringLiteral("Übersicht"));
    QCOMPARE(textOf(QStringLiteral("nav.security")), QStringLiteral("Meine Sicherheit"));
    QCOMPARE(textOf(QStringLiteral("nav.signOut")), QStringLiteral("Abmelden"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QVERIFY(!saveScreenshot(QStringLiteral("i18n-home-de"), true).isNull());

    // The facts' label column fits the longest German label on one line (a fixed 96 px broke
    // "Schlüssel liegt in" and "Bestätigt durch" in two), and the values still start at one x.
    const auto sceneX = [](QQuickItem* i) { return i->mapToScene(QPointF(0, 0)).x(); };
    QCOMPARE(sceneX(item(QStringLiteral("home.assurance"))), sceneX(item(QStringLiteral("home.sessionId"))));
    for (const QString& label : {QStringLiteral("Schlüssel liegt in"), QStringLiteral("Bestätigt durch")}) {
        QQuickItem* text = withText(m_window->contentItem(), label);
        QVERIFY2(text, qPrintable(label));
        QCOMPARE(text->property("lineCount").toInt(), 1);
        QVERIFY(sceneX(text) < sceneX(item(QStringLiteral("home.sessionId"))));
    }

    // Help (F1) with About: the version of the build, and no invented licence.
    press(Qt::Key_F1);
    QTRY_VERIFY(isShown(QStringLiteral("about.version")));
    QCOMPARE(textOf(QStringLiteral("about.version")), gh::ui::AppController::version());
    QCOMPARE(textOf(QStringLiteral("about.licence")), QStringLiteral("Noch nicht gewählt (siehe README)"));
    QVERIFY(!saveScreenshot(QStringLiteral("i18n-help-de"), false).isNull());
    press(Qt::Key_Escape);
    QTRY_VERIFY(!isShown(QStringLiteral("about.version")));
}

void tst_GuiI18n::pluralsHaveTheirForms() {
    const auto de = [](const char* context, const char* text, int n) {
        return QCoreApplication::translate(context, text, nullptr, n);
    };
    QCOMPARE(de("gh::ui::HealthModel", "%n session(s)", 1), QStringLiteral("1 Sitzung"));
    QCOMPARE(de("gh::ui::HealthModel", "%n session(s)", 2), QStringLiteral("2 Sitzungen"));
    QCOMPARE(de("gh::ui::HealthModel", "%n admin(s)", 1), QStringLiteral("1 Admin"));
    QCOMPARE(de("gh::ui::HealthModel", "%n admin(s)", 3), QStringLiteral("3 Admins"));
    // English, which the code is written in, takes its plural forms from gatehouse_en.qm.
    QTranslator en;
    QVERIFY(en.load(QStringLiteral(":/i18n/gatehouse_en")));
    const auto english = [&en](const char* context, const char* text, int n) {
        return en.translate(context, text, nullptr, n)
            .replace(QLatin1String("%Ln"), QString::number(n))
            .replace(QLatin1String("%n"), QString::number(n));
    };
    QCOMPARE(english("gh::ui::HealthModel", "%n session(s)", 1), QStringLiteral("1 session"));
    QCOMPARE(english("gh::ui::HealthModel", "%n session(s)", 2), QStringLiteral("2 sessions"));
    QCOMPARE(english("Audit", "%Ln event(s)", 1), QStringLiteral("1 event"));
    QCOMPARE(english("Audit", "%Ln event(s)", 5), QStringLiteral("5 events"));
}

void tst_GuiI18n::aMaskedNameIsShownInWords() {
    gh::AuditEvent e;
    e.id = 7;
    e.time = QDateTime::currentDateTimeUtc();
    e.action = QStringLiteral("login.failed");
    e.layer = gh::Layer::Verification;
    e.outcome = gh::Outcome::Failed;
    e.actor = QStringLiteral("unknown#0432a1b2c3d4");
    e.subject = e.actor;
    e.detail = QStringLiteral("identification: unknown user");
    const QVariantMap shown = gh::ui::AuditModel::describeEvent(e);
    QCOMPARE(shown.value(QStringLiteral("actor")).toString(), QStringLiteral("ein unbekannter Name"));
    QCOMPARE(shown.value(QStringLiteral("subject")).toString(), QStringLiteral("ein unbekannter Name"));
    QCOMPARE(shown.value(QStringLiteral("maskedName")).toString(), e.actor); // on demand, in the detail
    QCOMPARE(shown.value(QStringLiteral("outcomeText")).toString(), QStringLiteral("fehlgeschlagen"));
    QCOMPARE(shown.value(QStringLiteral("diagnosisLayerName")).toString(), QStringLiteral("Anmeldeprüfung"));
    for (const QString& key : {QStringLiteral("title"), QStringLiteral("explanation"), QStringLiteral("fix")})
        QVERIFY2(!shown.value(key).toString().contains(QLatin1String("unknown#")), qPrintable(key));
}

QTEST_MAIN(tst_GuiI18n)
#include "tst_gui_i18n.moc"
