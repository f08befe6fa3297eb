// Second factors through the GUI, end to end (issue 3): the real Main.qml in a real window (Xvfb),
// a real gatehoused (gatehoused-test on a private bus) and the Secret Service. The first
// administrator is sent to the enrollment wizard, the test reads the QR code off a screenshot of
// the window (zbarimg), computes the TOTP code with its own RFC 6238 implementation
// (QMessageAuthenticationCode + Base32 below, independent of Gatehouse's liboath code), confirms
// it, signs out and signs in with password + code. Then the wrong / replayed code messages,
// recovery codes (shown once, saved owner-only, typed back, used once at sign-in) and My security.
// Screenshots go to <build>/tests/ui/screenshots; with GATEHOUSE_SCREENSHOT_DIR set, enroll-totp,
// recovery-codes, login-second-step and my-security also go there (the README's docs/screenshots).
#include "appcontroller.h"
#include "crypto/selftest.h"
#include "errors.h"
#include "gatehouse.h"
#include "guidriver.h"
#include "startup.h"

#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QUrl>
#include <QUrlQuery>
#include <QtQml/QQmlExtensionPlugin>
#include <QtTest>

#include <memory>
#include <sys/stat.h>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

using gh::ui::AppController;
using gh::ui::EnrollModel;

namespace {

const QString kAdmin = QStringLiteral("alice");
const QString kPassword = QStringLiteral("correct horse battery staple");
constexpr int kTimeoutMs = 30000;

QString describe(gh::Errc code) {
    return gh::describe(gh::Error{code, {}, 0});
}

// --- An independent TOTP (RFC 6238 over RFC 4226) for the test ---

std::optional<QByteArray> base32Decode(QString text) {
    static const QString alphabet = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    text = text.toUpper().remove(u' ').remove(u'=');
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (QChar c : text) {
        const qsizetype value = alphabet.indexOf(c);
        if (value < 0)
            return std::nullopt;
        buffer = (buffer << 5) | static_cast<quint32>(value);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.append(static_cast<char>((buffer >> bits) & 0xff));
        }
    }
    return out;
}

struct TotpKey {
    QString issuer;
    QString account;
    QString secretText;
    QByteArray secret;
    QCryptographicHash::Algorithm algorithm = QCryptographicHash::Sha1;
    QString algorithmName = QStringLiteral("SHA1");
    int digits = 6;
    int period = 30;
};

QString hotp(const QByteArray& key, quint64 counter, int digits, QCryptographicHash::Algorithm algorithm) {
    QByteArray message(8, '\0');
    for (int i = 7; i >= 0; --i) {
        message[i] = static_cast<char>(counter & 0xff);
        counter >>= 8;
    }
    const QByteArray mac = QMessageAuthenticationCode::hash(message, key, algorithm);
    const int offset = static_cast<unsigned char>(mac.at(mac.size() - 1)) & 0x0f;
    const quint32 binary = (static_cast<quint32>(static_cast<unsigned char>(mac.at(offset)) & 0x7f) << 24) |
                           (static_cast<quint32>(static_cast<unsigned char>(mac.at(offset + 1))) << 16) |
                           (static_cast<quint32>(static_cast<unsigned char>(mac.at(offset + 2))) << 8) |
                           static_cast<quint32>(static_cast<unsigned char>(mac.at(offset + 3)));
    quint32 modulus = 1;
    for (int i = 0; i < digits; ++i)
        modulus *= 10;
    return QString::number(binary % modulus).rightJustified(digits, u'0');
}

QString totpAtStep(const TotpKey& key, qint64 step) {
    return hotp(key.secret, static_cast<quint64>(step), key.digits, key.algorithm);
}

qint64 stepNow(const TotpKey& key) {
    return QDateTime::currentSecsSinceEpoch() / key.period;
}

// otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=…&digits=…&period=…
std::optional<TotpKey> parseOtpauth(const QString& uri) {
    const QUrl url(uri, QUrl::StrictMode);
    if (url.scheme() != QStringLiteral("otpauth") || url.host() != QStringLiteral("totp"))
        return std::nullopt;
    TotpKey key;
    const QString label = url.path(QUrl::FullyDecoded).mid(1);
    const qsizetype colon = label.indexOf(u':');
    key.account = colon < 0 ? label : label.mid(colon + 1).trimmed();
    const QString prefix = colon < 0 ? QString() : label.left(colon);
    const QUrlQuery query(url);
    key.issuer = query.queryItemValue(QStringLiteral("issuer"), QUrl::FullyDecoded);
    if (!prefix.isEmpty() && prefix != key.issuer)
        return std::nullopt;
    key.secretText = query.queryItemValue(QStringLiteral("secret"));
    auto secret = base32Decode(key.secretText);
    if (!secret || secret->isEmpty())
        return std::nullopt;
    key.secret = *secret;
    if (query.hasQueryItem(QStringLiteral("algorithm")))
        key.algorithmName = query.queryItemValue(QStringLiteral("algorithm")).toUpper();
    if (key.algorithmName == QStringLiteral("SHA256"))
        key.algorithm = QCryptographicHash::Sha256;
    else if (key.algorithmName == QStringLiteral("SHA512"))
        key.algorithm = QCryptographicHash::Sha512;
    else if (key.algorithmName != QStringLiteral("SHA1"))
        return std::nullopt;
    if (query.hasQueryItem(QStringLiteral("digits")))
        key.digits = query.queryItemValue(QStringLiteral("digits")).toInt();
    if (query.hasQueryItem(QStringLiteral("period")))
        key.period = query.queryItemValue(QStringLiteral("period")).toInt();
    if ((key.digits != 6 && key.digits != 8) || key.period <= 0)
        return std::nullopt;
    return key;
}

} // namespace

class tst_GuiMfa : public QObject, public gh::test::GuiDriver {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void independentTotpMatchesRfc6238();
    void adminEnrollsTotpThenSignsInWithCode();
    void recoveryCodesEnrollmentAndMySecurity();
    void recoveryCodeSignsInOnce();
    void newCodesCancelledLeaveTheOldSetWorking();
    void newCodesConfirmedReplaceTheOldSet();

private:
    // Password, then a recovery code (no wait for a fresh TOTP step); stops after Enter.
    void signInWithRecoveryCode(const QString& code);
    // Home → My security → "New codes": the new set, shown (not yet confirmed).
    void openNewCodes(QStringList* fresh);
    QImage screenshot(const QString& name, bool forReadme = false);
    void signInWithPassword();
    QString nextTotpCode();
    void typeCode(const QString& field,
                  const QString& code); // a code of a step not used yet (OTP replay: one use per step)

    QTemporaryDir m_dir;
    QString m_vault;
    std::optional<TotpKey> m_key; // read from the QR code
    qint64 m_lastStep = -1;       // the last TOTP step used
    QStringList m_codes;          // the recovery codes shown
};

void tst_GuiMfa::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(qEnvironmentVariableIsSet("DISPLAY"), "run inside tests/support/with-services.sh (Xvfb)");
    QVERIFY(gh::crypto::runSelfTest().passed);
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("zbarimg")).isEmpty(), "zbarimg (zbar-tools) missing");
    m_vault = m_dir.filePath(QStringLiteral("vault.db"));
    gh::ui::applyStyle();
}

void tst_GuiMfa::cleanup() {
    close();
}

QImage tst_GuiMfa::screenshot(const QString& name, bool forReadme) {
    return saveScreenshot(name, forReadme);
}

void tst_GuiMfa::signInWithPassword() {
    QTRY_VERIFY_WITH_TIMEOUT(m_app->vaultOpen(), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("loginScreen")));
    if (textOf(QStringLiteral("login.username")).isEmpty()) {
        QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.username")));
        typeText(kAdmin);
        press(Qt::Key_Return);
    }
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("login.password")));
    typeText(kPassword);
    QTRY_VERIFY_WITH_TIMEOUT(m_app->login()->canSignIn(), kTimeoutMs); // e.g. the sign-out finishing
    press(Qt::Key_Return);
}

// Types a code into a field once the app is idle and the field has focus, and checks it arrived:
// computing the code may wait for the next time step, during which focus can move.
void tst_GuiMfa::typeCode(const QString& field, const QString& code) {
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs); // Enter is ignored while busy
    QTRY_VERIFY(item(field));
    if (m_window->activeFocusItem() != item(field))
        item(field)->forceActiveFocus();
    QTRY_COMPARE(m_window->activeFocusItem(), item(field));
    typeText(code);
    QTRY_COMPARE(textOf(field), code);
}

QString tst_GuiMfa::nextTotpCode() {
    // The core accepts ±1 step and each step once: use the step after the last one used when the
    // current step is taken, waiting if even that is out of the window.
    qint64 step = std::max(stepNow(*m_key), m_lastStep + 1);
    while (step > stepNow(*m_key) + 1)
        QTest::qWait(500);
    m_lastStep = step;
    return totpAtStep(*m_key, step);
}

void tst_GuiMfa::independentTotpMatchesRfc6238() {
    // RFC 6238 Appendix B, SHA-1, T = 59 and 1111111109: the test's own generator is right.
    TotpKey key;
    key.secret = QByteArrayLiteral("12345678901234567890");
    key.digits = 8;
    QCOMPARE(totpAtStep(key, 59 / 30), QStringLiteral("94287082"));
    QCOMPARE(totpAtStep(key, 1111111109 / 30), QStringLiteral("07081804"));
    // And its Base32 decoder (SECURITY.md §B.5).
    QCOMPARE(base32Decode(QStringLiteral("JBSWY3DPEHPK3PXP")).value(), QByteArray("Hello!\xDE\xAD\xBE\xEF", 10));
}

void tst_GuiMfa::adminEnrollsTotpThenSignsInWithCode() {
    QVERIFY(launch(m_vault));

    // First run: alice, the first administrator.
    QCOMPARE(m_app->screen(), AppController::FirstRun);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->firstRun()->keyMode(), gh::ui::FirstRunModel::Keychain, kTimeoutMs);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("firstRun.username")));
    typeText(kAdmin);
    press(Qt::Key_Tab);
    typeText(kPassword);
    press(Qt::Key_Return);
    typeText(kPassword);
    QTRY_VERIFY(item(QStringLiteral("firstRun.create"))->isEnabled());
    press(Qt::Key_Return);
    // Set-up's second step (issue 13 item 4): her second factor. She leaves it for later: the
    // login screen says set-up is not complete, and her sign-in can only add one.
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Enroll, kTimeoutMs);
    QVERIFY(m_app->enroll()->setup());
    QTRY_VERIFY(isShown(QStringLiteral("enroll.signOut")));
    QCOMPARE(textOf(QStringLiteral("enroll.signOut")), QStringLiteral("Finish set-up later"));
    click(QStringLiteral("enroll.signOut"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Login, kTimeoutMs);
    QTRY_VERIFY(textOf(QStringLiteral("login.notice")).contains(QStringLiteral("Set-up is not complete")));
    QVERIFY(textOf(QStringLiteral("login.notice")).contains(kAdmin));

    // An administrator with only a password: straight to the wizard, with the reason.
    signInWithPassword();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Enroll, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("enrollScreen")));
    QVERIFY(m_app->enroll()->restricted());
    QVERIFY(
        textOf(QStringLiteral("enroll.restriction")).contains(QStringLiteral("Administrators need a second factor")));
    QVERIFY(isShown(QStringLiteral("enroll.signOut")));
    QVERIFY(!isShown(QStringLiteral("enroll.cancel")));
    // Home is not reachable until a second factor is enrolled.
    m_app->showHome();
    m_app->showSecurity();
    QCOMPARE(m_app->screen(), AppController::Enroll);
    QTRY_COMPARE(textOf(QStringLiteral("enroll.aal")), QStringLiteral("AAL1"));

    // Keyboard: focus starts on "Authenticator app"; Enter chooses it.
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("enroll.chooseTotp")));
    screenshot(QStringLiteral("enroll-choose"));
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), EnrollModel::Totp, kTimeoutMs);
    QVERIFY(m_app->enroll()->hasQr());
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("enroll.totpCode")));

    // Read the QR code off the window, as a phone would.
    const QImage shot = screenshot(QStringLiteral("enroll-totp"), true);
    QVERIFY(!shot.isNull());
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const QString png = scratch.filePath(QStringLiteral("window.png"));
    QVERIFY(shot.save(png));
    QProcess zbar;
    zbar.start(QStringLiteral("zbarimg"), {QStringLiteral("--raw"), QStringLiteral("-q"), png});
    QVERIFY(zbar.waitForFinished(kTimeoutMs));
    QCOMPARE(zbar.exitCode(), 0);
    const QString uri = QString::fromUtf8(zbar.readAllStandardOutput()).trimmed();
    QVERIFY2(uri.startsWith(QStringLiteral("otpauth://totp/")), "the window shows no otpauth QR code");
    m_key = parseOtpauth(uri);
    QVERIFY2(m_key.has_value(), "the QR code holds no valid otpauth URI");
    QCOMPARE(m_key->issuer, QStringLiteral("Gatehouse"));
    QCOMPARE(m_key->account, kAdmin);
    QCOMPARE(m_key->secret.size(), 20); // 160-bit seed (ST-05)
    // The manual key and the details shown match the QR code.
    QCOMPARE(textOf(QStringLiteral("enroll.manualKey")).remove(u' '), m_key->secretText);
    QVERIFY(QRegularExpression(QStringLiteral("^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$"))
                .match(textOf(QStringLiteral("enroll.manualKey")))
                .hasMatch());
    QCOMPARE(textOf(QStringLiteral("enroll.issuer")), m_key->issuer);
    QCOMPARE(textOf(QStringLiteral("enroll.account")), kAdmin);
    QCOMPARE(
        textOf(QStringLiteral("enroll.params")),
        QStringLiteral("%1 · %2 digits · every %3 s").arg(m_key->algorithmName).arg(m_key->digits).arg(m_key->period));

    // A wrong code: the shared message, the field cleared and focused again.
    QStringList inWindow;
    for (qint64 s = stepNow(*m_key) - 2; s <= stepNow(*m_key) + 2; ++s)
        inWindow << totpAtStep(*m_key, s);
    QString wrong = QStringLiteral("000000");
    for (int n = 1; inWindow.contains(wrong); ++n)
        wrong = QString::number(n * 111111).right(6);
    typeText(wrong);
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("enroll.error")), describe(gh::Errc::CodeWrong), kTimeoutMs);
    QCOMPARE(m_app->enroll()->step(), EnrollModel::Totp);
    QTRY_COMPARE(textOf(QStringLiteral("enroll.totpCode")), QString());
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("enroll.totpCode")));
    screenshot(QStringLiteral("enroll-totp-wrong"));

    // The right code, computed here from the QR code alone.
    typeCode(QStringLiteral("enroll.totpCode"), nextTotpCode());
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), EnrollModel::Done, kTimeoutMs);
    QVERIFY(!m_app->enroll()->hasQr()); // the seed is gone from the wizard
    QCOMPARE(m_app->enroll()->manualKey(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("enroll.aal")), QStringLiteral("AAL2"), kTimeoutMs);
    QVERIFY(!m_app->enroll()->restricted());
    screenshot(QStringLiteral("enroll-totp-done"));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("enroll.finish")));
    press(Qt::Key_Return);

    // Home: the account reaches AAL2 now, but this session stays at what its sign-in proved
    // (AAL1) until a step-up or a new sign-in with the app (SES-04, issue 16).
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("homeScreen")));
    QVERIFY(textOf(QStringLiteral("home.aal")).startsWith(QStringLiteral("AAL1")));
    // Every line agrees (issue 12 item 4): the session was verified by the password alone, the
    // account now reaches AAL2 at the next sign-in, and no hint says only a password protects it.
    QCOMPARE(textOf(QStringLiteral("home.factor")), QStringLiteral("Password"));
    QTRY_VERIFY_WITH_TIMEOUT(
        textOf(QStringLiteral("home.aal")).endsWith(QStringLiteral("reaches AAL2 at your next sign-in")), kTimeoutMs);
    QVERIFY(!isShown(QStringLiteral("home.mfaHint")));
    QCOMPARE(m_app->session()->info.aal, gh::Aal::Aal1);

    // Sign out, sign in again: password, then the second step.
    click(QStringLiteral("nav.signOut"));
    QTRY_COMPARE(m_app->screen(), AppController::Login);
    signInWithPassword();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("secondFactorScreen")));
    QVERIFY(m_app->secondFactor()->offersTotp());
    QVERIFY(!isShown(QStringLiteral("secondFactor.toggle"))); // no recovery codes yet
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("secondFactor.totp")));
    QVERIFY(!item(QStringLiteral("secondFactor.verify"))->isEnabled());
    screenshot(QStringLiteral("login-second-step"), true);

    // The code already used to confirm: replayed (or expired, if the clock moved on two steps).
    typeText(totpAtStep(*m_key, m_lastStep));
    press(Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!textOf(QStringLiteral("secondFactor.error")).isEmpty(), kTimeoutMs);
    if (stepNow(*m_key) <= m_lastStep + 1)
        QCOMPARE(textOf(QStringLiteral("secondFactor.error")), describe(gh::Errc::CodeReplayed));
    else
        QCOMPARE(textOf(QStringLiteral("secondFactor.error")), describe(gh::Errc::CodeExpired));
    QCOMPARE(m_app->screen(), AppController::SecondFactor);
    screenshot(QStringLiteral("login-second-step-replayed"));

    // A wrong one.
    QTRY_COMPARE(textOf(QStringLiteral("secondFactor.totp")), QString());
    typeText(wrong);
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("secondFactor.error")), describe(gh::Errc::CodeWrong), kTimeoutMs);

    // The next code, by mouse.
    QTRY_COMPARE(textOf(QStringLiteral("secondFactor.totp")), QString());
    typeCode(QStringLiteral("secondFactor.totp"), nextTotpCode());
    click(QStringLiteral("secondFactor.verify"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("homeScreen")));
    QVERIFY(textOf(QStringLiteral("home.aal")).startsWith(QStringLiteral("AAL2")));
    QCOMPARE(textOf(QStringLiteral("home.factor")), QStringLiteral("Password + authenticator code"));
    QVERIFY(!isShown(QStringLiteral("home.mfaHint")));
    screenshot(QStringLiteral("home-aal2"));

    // Cancel on the second step goes back to the password step.
    click(QStringLiteral("nav.signOut"));
    QTRY_COMPARE(m_app->screen(), AppController::Login);
    signInWithPassword();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("secondFactor.cancel")));
    click(QStringLiteral("secondFactor.cancel"));
    QTRY_COMPARE(m_app->screen(), AppController::Login);
}

void tst_GuiMfa::recoveryCodesEnrollmentAndMySecurity() {
    QVERIFY(m_key.has_value());
    QVERIFY(launch(m_vault));
    signInWithPassword();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    const QString totpCode = nextTotpCode();
    typeCode(QStringLiteral("secondFactor.totp"), totpCode);
    press(Qt::Key_Return);
    QTRY_VERIFY2_WITH_TIMEOUT(
        m_app->screen() == AppController::Home,
        qPrintable(QStringLiteral("still on screen %1, error \"%2\", code %3 for step %4 (now %5)")
                       .arg(m_app->screen())
                       .arg(textOf(QStringLiteral("secondFactor.error")), totpCode)
                       .arg(m_lastStep)
                       .arg(stepNow(*m_key))),
        kTimeoutMs);

    // Home → My security → Add a factor → Recovery codes.
    QTRY_VERIFY(item(QStringLiteral("nav.security")));
    click(QStringLiteral("nav.security"));
    QTRY_COMPARE(m_app->screen(), AppController::Security);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->security()->loading(), kTimeoutMs);
    QTRY_VERIFY(isShown(QStringLiteral("security.recoveryCodes")));
    click(QStringLiteral("security.add"));
    QTRY_COMPARE(m_app->screen(), AppController::Enroll);
    QTRY_VERIFY(isShown(QStringLiteral("enroll.cancel"))); // not restricted: Cancel instead of Sign out
    QVERIFY(!isShown(QStringLiteral("enroll.signOut")));
    QTRY_VERIFY(item(QStringLiteral("enroll.chooseRecovery")));
    click(QStringLiteral("enroll.chooseRecovery"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), EnrollModel::Codes, kTimeoutMs);

    // Ten distinct codes, each shown on screen.
    m_codes = m_app->enroll()->codes();
    QCOMPARE(m_codes.size(), 10);
    QCOMPARE(QSet<QString>(m_codes.cbegin(), m_codes.cend()).size(), 10);
    const QRegularExpression format(QStringLiteral("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"));
    for (int i = 0; i < m_codes.size(); ++i) {
        QVERIFY2(format.match(m_codes.at(i)).hasMatch(), qPrintable(m_codes.at(i)));
        QCOMPARE(textOf(QStringLiteral("enroll.code.%1").arg(i)), m_codes.at(i));
    }
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("enroll.typeBack")));
    screenshot(QStringLiteral("recovery-codes"), true);

    // Copy puts them on the clipboard; Save writes an owner-only file.
    click(QStringLiteral("enroll.copy"));
    QTRY_VERIFY(QGuiApplication::clipboard()->text().contains(m_codes.constFirst()));
    QTemporaryDir saveDir;
    const QString saved = saveDir.filePath(QStringLiteral("codes.txt"));
    QVERIFY(m_app->enroll()->saveCodes(QUrl::fromLocalFile(saved)));
    struct stat info {};
    QCOMPARE(::stat(QFile::encodeName(saved).constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777, 0600u);
    QFile file(saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString content = QString::fromUtf8(file.readAll());
    for (const QString& code : std::as_const(m_codes))
        QVERIFY(content.contains(code));
    QVERIFY(textOf(QStringLiteral("enroll.notice")).contains(QStringLiteral("readable by you only")));
    // The save dialog (issue 15 item 7): a Save button, its title, and a folder that exists.
    QObject* dialog = findNamed(m_window->contentItem(), QStringLiteral("enroll.saveDialog"));
    QVERIFY(dialog);
    QCOMPARE(dialog->property("acceptLabel").toString(), QStringLiteral("Save"));
    QCOMPARE(dialog->property("title").toString(), QStringLiteral("Save recovery codes"));
    const QString folder = dialog->property("currentFolder").toUrl().toLocalFile();
    QVERIFY2(QFileInfo(folder).isDir(), qPrintable(folder));
    // A write that fails says what to do, in words, not an errno text.
    const QString nowhere = saveDir.filePath(QStringLiteral("missing/codes.txt"));
    QVERIFY(!m_app->enroll()->saveCodes(QUrl::fromLocalFile(nowhere)));
    QCOMPARE(textOf(QStringLiteral("enroll.error")),
             QStringLiteral("The folder %1 does not exist. Choose another folder.")
                 .arg(QDir::toNativeSeparators(saveDir.filePath(QStringLiteral("missing")))));
    QVERIFY(!textOf(QStringLiteral("enroll.error")).contains(QStringLiteral("No such file")));

    // Type one back: a wrong one is refused, a right one (any case, no dashes) finishes.
    item(QStringLiteral("enroll.typeBack"))->forceActiveFocus();
    typeText(QStringLiteral("AAAA-BBBB-CCCC-DDDD"));
    press(Qt::Key_Return);
    QTRY_VERIFY(textOf(QStringLiteral("enroll.error")).startsWith(QStringLiteral("That is not one of the codes")));
    QCOMPARE(m_app->enroll()->step(), EnrollModel::Codes);
    QTRY_COMPARE(textOf(QStringLiteral("enroll.typeBack")), QString());
    typeText(m_codes.at(3).toLower().remove(u'-'));
    press(Qt::Key_Return);
    QTRY_COMPARE(m_app->enroll()->step(), EnrollModel::Done);
    QVERIFY(m_app->enroll()->codes().isEmpty());                                   // shown once
    QVERIFY(!QGuiApplication::clipboard()->text().contains(m_codes.constFirst())); // clipboard cleared
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("enroll.aal")), QStringLiteral("AAL2"), kTimeoutMs);
    click(QStringLiteral("enroll.finish"));

    // Back in My security: password, authenticator app, recovery codes (10 left).
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Security, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->security()->loading(), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("security.factor.2")));
    QCOMPARE(m_app->security()->factors().size(), 3);
    QStringList kinds;
    for (const QVariant& factor : m_app->security()->factors())
        kinds << factor.toMap().value(QStringLiteral("kind")).toString();
    QCOMPARE(kinds, QStringList({QStringLiteral("password"), QStringLiteral("totp"), QStringLiteral("recovery")}));
    QVERIFY(textOf(QStringLiteral("security.detail.2")).contains(QStringLiteral("10 codes left")));
    QVERIFY(textOf(QStringLiteral("security.detail.1")).contains(QStringLiteral("SHA1 · 6 digits · 30 s")));
    QVERIFY(textOf(QStringLiteral("security.aal")).startsWith(QStringLiteral("AAL2")));
    QVERIFY(!isShown(QStringLiteral("security.recoveryCodes")));

    // Rename the authenticator app.
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("security.add")));
    screenshot(QStringLiteral("my-security-before-rename"));
    click(QStringLiteral("security.rename.1"));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("security.renameField.1")));
    press(Qt::Key_Backspace); // the old name is selected
    typeText(QStringLiteral("Phone"));
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("security.title.1")), QStringLiteral("Authenticator app · Phone"),
                              kTimeoutMs);
    QTRY_VERIFY(textOf(QStringLiteral("security.notice")).contains(QStringLiteral("Phone")));

    // Removing needs the password: a wrong one is refused and nothing is removed.
    click(QStringLiteral("security.remove.2"));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("security.removePassword.2")));
    typeText(QStringLiteral("not my password"));
    press(Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!textOf(QStringLiteral("security.error")).isEmpty(), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    QCOMPARE(m_app->security()->factors().size(), 3);
    QCOMPARE(m_app->screen(), AppController::Security);
    screenshot(QStringLiteral("my-security-remove"));

    // Relaunch-free reload for the README picture.
    m_app->showHome();
    QTRY_COMPARE(m_app->screen(), AppController::Home);
    click(QStringLiteral("nav.security"));
    QTRY_COMPARE(m_app->screen(), AppController::Security);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->security()->loading(), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("security.factor.2")));
    screenshot(QStringLiteral("my-security"), true);
}

void tst_GuiMfa::recoveryCodeSignsInOnce() {
    QVERIFY(m_codes.size() == 10);
    QVERIFY(launch(m_vault));
    signInWithPassword();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    QTRY_VERIFY(isShown(QStringLiteral("secondFactor.toggle")));
    click(QStringLiteral("secondFactor.toggle"));
    QTRY_VERIFY(isShown(QStringLiteral("secondFactor.recovery")));
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("secondFactor.recovery")));
    screenshot(QStringLiteral("login-second-step-recovery"));
    typeText(m_codes.at(0));
    press(Qt::Key_Return);
    QTRY_VERIFY2_WITH_TIMEOUT(m_app->screen() == AppController::Home,
                              qPrintable(textOf(QStringLiteral("secondFactor.error"))), kTimeoutMs);
    QTRY_VERIFY(item(QStringLiteral("homeScreen")));
    // RC-03: the person is told, with the number left.
    QVERIFY2(textOf(QStringLiteral("home.notice")).contains(QStringLiteral("9 of 10 left")),
             qPrintable(textOf(QStringLiteral("home.notice"))));
    QCOMPARE(textOf(QStringLiteral("home.factor")), QStringLiteral("Password + recovery code"));

    // The same code again fails.
    click(QStringLiteral("nav.signOut"));
    QTRY_COMPARE(m_app->screen(), AppController::Login);
    signInWithPassword();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    QTRY_VERIFY(isShown(QStringLiteral("secondFactor.toggle")));
    click(QStringLiteral("secondFactor.toggle"));
    QTRY_VERIFY(isShown(QStringLiteral("secondFactor.recovery")));
    item(QStringLiteral("secondFactor.recovery"))->forceActiveFocus();
    typeText(m_codes.at(0));
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("secondFactor.error")), describe(gh::Errc::CodeWrong), kTimeoutMs);
    QCOMPARE(m_app->screen(), AppController::SecondFactor);
}

void tst_GuiMfa::signInWithRecoveryCode(const QString& code) {
    signInWithPassword();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::SecondFactor, kTimeoutMs);
    QTRY_VERIFY(isShown(QStringLiteral("secondFactor.toggle")));
    click(QStringLiteral("secondFactor.toggle"));
    QTRY_VERIFY(isShown(QStringLiteral("secondFactor.recovery")));
    typeCode(QStringLiteral("secondFactor.recovery"), code);
    press(Qt::Key_Return);
}

void tst_GuiMfa::openNewCodes(QStringList* fresh) {
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Home, kTimeoutMs);
    click(QStringLiteral("nav.security"));
    QTRY_COMPARE(m_app->screen(), AppController::Security);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->security()->loading(), kTimeoutMs);
    QTRY_VERIFY(isShown(QStringLiteral("security.regenerate.2")));
    click(QStringLiteral("security.regenerate.2"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), EnrollModel::Codes, kTimeoutMs);
    *fresh = m_app->enroll()->codes();
}

// Issue 12: "New codes" shows a new set but the old one works until a new code is typed back;
// Cancel drops the new set.
void tst_GuiMfa::newCodesCancelledLeaveTheOldSetWorking() {
    QVERIFY(m_codes.size() == 10);
    QVERIFY(launch(m_vault));
    signInWithRecoveryCode(m_codes.at(1));
    QStringList fresh;
    openNewCodes(&fresh);
    QCOMPARE(fresh.size(), 10);
    for (const QString& code : fresh)
        QVERIFY(!m_codes.contains(code));
    QVERIFY2(m_app->enroll()->replacingCodes(), "the account has codes: the new set replaces them once confirmed");
    screenshot(QStringLiteral("recovery-codes-new-set"));
    click(QStringLiteral("enroll.cancel"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Security, kTimeoutMs);
    QVERIFY(m_app->enroll()->codes().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(textOf(QStringLiteral("security.detail.2")).contains(QStringLiteral("8 codes left")),
                             kTimeoutMs);
    // An old code still signs in; a code of the cancelled set does not.
    m_app->signOut();
    signInWithRecoveryCode(fresh.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("secondFactor.error")), describe(gh::Errc::CodeWrong), kTimeoutMs);
    QCOMPARE(m_app->screen(), AppController::SecondFactor);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    item(QStringLiteral("secondFactor.recovery"))->forceActiveFocus();
    QTRY_COMPARE(textOf(QStringLiteral("secondFactor.recovery")), QString());
    typeCode(QStringLiteral("secondFactor.recovery"), m_codes.at(2));
    press(Qt::Key_Return);
    QTRY_VERIFY2_WITH_TIMEOUT(m_app->screen() == AppController::Home,
                              qPrintable(textOf(QStringLiteral("secondFactor.error"))), kTimeoutMs);
}

// …and typing one new code back replaces it: the old set is refused, the new one signs in.
void tst_GuiMfa::newCodesConfirmedReplaceTheOldSet() {
    QVERIFY(m_codes.size() == 10);
    QVERIFY(launch(m_vault));
    signInWithRecoveryCode(m_codes.at(3));
    QStringList fresh;
    openNewCodes(&fresh);
    QCOMPARE(fresh.size(), 10);
    QTRY_COMPARE(m_window->activeFocusItem(), item(QStringLiteral("enroll.typeBack")));
    typeText(fresh.at(4));
    press(Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->enroll()->step(), EnrollModel::Done, kTimeoutMs);
    click(QStringLiteral("enroll.finish"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app->screen(), AppController::Security, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(textOf(QStringLiteral("security.detail.2")).contains(QStringLiteral("10 codes left")),
                             kTimeoutMs);
    m_app->signOut();
    signInWithRecoveryCode(m_codes.at(4)); // old, never used: refused now
    QTRY_COMPARE_WITH_TIMEOUT(textOf(QStringLiteral("secondFactor.error")), describe(gh::Errc::CodeWrong), kTimeoutMs);
    QCOMPARE(m_app->screen(), AppController::SecondFactor);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app->busy(), kTimeoutMs);
    item(QStringLiteral("secondFactor.recovery"))->forceActiveFocus();
    typeCode(QStringLiteral("secondFactor.recovery"), fresh.at(0));
    press(Qt::Key_Return);
    QTRY_VERIFY2_WITH_TIMEOUT(m_app->screen() == AppController::Home,
                              qPrintable(textOf(QStringLiteral("secondFactor.error"))), kTimeoutMs);
    m_codes = fresh;
}

QTEST_MAIN(tst_GuiMfa)
#include "tst_gui_mfa.moc"
