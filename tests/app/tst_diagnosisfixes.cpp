// Issue 12 item 5: every fix the audit diagnosis gives names an action that exists. The audit
// diagnosis advised "an administrator can set a temporary one" for a forgotten password while no
// such action existed anywhere. This walks the diagnosis table (core/audit/diagnosis.cpp): one
// event per specific diagnosis, the generic one of every layer, and the diagnosis of every error
// code; takes each "gatehousectl WORDS" the texts name, and hands the words to gatehousectl's own
// parser (cli.cpp): an unknown command or subcommand fails here. Screen names in "(SCREEN, or
// gatehousectl …)" must be screens of the GUI. Covers the DESIGN.md layer table (diagnosis names
// the fix) and AUD-01's explanations.
#include "audit/diagnosis.h"
#include "cli.h"
#include "errors.h"

#include <QRegularExpression>
#include <QtTest>

using namespace gh;

namespace {

AuditEvent sample(const char* action, Layer layer, Outcome outcome, const char* detail, const char* subject = "bob") {
    AuditEvent e;
    e.action = QString::fromLatin1(action);
    e.layer = layer;
    e.outcome = outcome;
    e.actor = QStringLiteral("alice");
    e.subject = QString::fromLatin1(subject);
    e.detail = QString::fromLatin1(detail);
    return e;
}

// The GUI's screens (DESIGN.md "Product interface", and People from issue 12).
const QStringList kScreens = {QStringLiteral("Home"),  QStringLiteral("My security"), QStringLiteral("Active sessions"),
                              QStringLiteral("Roles"), QStringLiteral("Audit"),       QStringLiteral("People")};

// "gatehousectl user unlock bob)" → {"user", "unlock", "bob"}: the words up to punctuation.
QList<QStringList> commandsIn(const QString& text) {
    QList<QStringList> out;
    static const QRegularExpression re(QStringLiteral("gatehousectl((?: (?:--)?[A-Za-z0-9][A-Za-z0-9_#.-]*)+)"));
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        QString words = it.next().captured(1).trimmed();
        while (words.endsWith(QLatin1Char('.')))
            words.chop(1);
        out << words.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    }
    return out;
}

} // namespace

class TestDiagnosisFixes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyFixNamesAnExistingAction_data() {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("text"); // explanation + fix
        auto row = [](const QString& name, const Diagnosis& d) {
            QTest::newRow(qPrintable(name)) << d.title << (d.explanation + QLatin1Char('\n') + d.fix);
        };
        using L = Layer;
        using O = Outcome;
        // One event for each specific diagnosis (diagnose(const AuditEvent&)).
        const struct {
            const char* name;
            AuditEvent e;
        } events[] = {
            {"wrong recovery code", sample("login.failed", L::Verification, O::Failed, "wrong recovery code")},
            {"expired code", sample("login.failed", L::Verification, O::Failed, "expired code")},
            {"wrong code", sample("login.failed", L::Verification, O::Failed, "wrong code")},
            {"wrong password", sample("login.failed", L::Verification, O::Failed, "wrong password")},
            {"login failed, no detail", sample("login.failed", L::Verification, O::Failed, "")},
            {"enrollment code", sample("factor.confirm_failed", L::Verification, O::Failed, "")},
            {"factor remove password", sample("factor.remove_failed", L::Verification, O::Failed, "")},
            {"password change", sample("password.change_failed", L::Verification, O::Failed, "")},
            {"throttled", sample("login.throttled", L::Verification, O::Denied, "retry in 30 s")},
            {"locked", sample("login.locked", L::Verification, O::Denied, "100 failures")},
            {"replayed", sample("totp.replayed", L::Verification, O::Denied, "")},
            {"disabled", sample("login.denied", L::Verification, O::Denied, "account disabled")},
            {"temporary expired", sample("login.denied", L::Verification, O::Denied, "temporary password expired")},
            {"session expired", sample("session.expired", L::Session, O::Denied, "idle timeout")},
            {"session revoked", sample("session.revoked", L::Session, O::Info, "revoked")},
            {"session rejected", sample("session.rejected", L::Session, O::Denied, "")},
            {"restricted: password change", sample("access.denied", L::Access, O::Denied,
                                                   "restricted session: password change required", "users.read")},
            {"admin without second factor",
             sample("access.denied", L::Access, O::Denied, "administrators need a second factor", "users.read")},
            {"last administrator",
             sample("access.denied", L::Access, O::Denied, "last-admin guard on alice", "roles.assign")},
            {"step-up", sample("access.denied", L::Access, O::Denied, "step-up required", "users.manage")},
            {"permission denied",
             sample("access.denied", L::Access, O::Denied, "missing users.manage; roles: viewer", "users.manage")},
            {"vault key missing", sample("vault.key_missing", L::Storage, O::Failed, "")},
            {"vault wrong key", sample("vault.wrong_key", L::Storage, O::Failed, "")},
            // The generic diagnosis of each layer (events added later still get one).
            {"generic L1", sample("something.new", L::Storage, O::Failed, "")},
            {"generic L2", sample("something.new", L::Verification, O::Failed, "")},
            {"generic L3", sample("something.new", L::Session, O::Denied, "")},
            {"generic L4", sample("something.new", L::Access, O::Denied, "")},
            {"generic none", sample("something.new", L::None, O::Failed, "bad input")},
        };
        for (const auto& e : events)
            row(QString::fromLatin1(e.name), diagnose(e.e));
        // Every error code seen live (diagnose(const Error&)); the enum is contiguous.
        for (int c = 0; c <= static_cast<int>(Errc::LastAdministrator); ++c) {
            const Error error{static_cast<Errc>(c), QStringLiteral("detail"), 30};
            row(QStringLiteral("error %1").arg(c), diagnose(error));
        }
    }

    void everyFixNamesAnExistingAction() {
        QFETCH(QString, text);
        for (const QStringList& words : commandsIn(text)) {
            QVERIFY2(!words.isEmpty(), qPrintable(text));
            // Placeholders in capitals stand for a value; the parser needs one of the right kind.
            QStringList args{QStringLiteral("--as"), QStringLiteral("alice")};
            for (const QString& w : words)
                args << (w == QLatin1String("ID") || w == QLatin1String("EVENT_ID") ? QStringLiteral("1")
                         : w == w.toUpper() && w.front().isLetter()                 ? QStringLiteral("bob")
                                                                                    : w);
            const cli::Parsed parsed = cli::parse(args);
            // A prose mention may leave out arguments or options ("role assign", "init"), never
            // name a command or subcommand the CLI does not have.
            const bool known = parsed.ok() || (!parsed.error.startsWith(QLatin1String("unknown command")) &&
                                               !parsed.error.contains(QLatin1String("subcommand")) &&
                                               !parsed.error.startsWith(QLatin1String("no command")));
            QVERIFY2(known, qPrintable(QStringLiteral("'gatehousectl %1' in \"%2\": %3")
                                           .arg(words.join(QLatin1Char(' ')), text, parsed.error)));
        }
        // "(SCREEN, or gatehousectl …)": the screen exists in the GUI.
        static const QRegularExpression screen(QStringLiteral("\\(([A-Z][A-Za-z ]+), or gatehousectl"));
        auto it = screen.globalMatch(text);
        while (it.hasNext()) {
            const QString name = it.next().captured(1);
            QVERIFY2(kScreens.contains(name),
                     qPrintable(QStringLiteral("no GUI screen '%1' in \"%2\"").arg(name, text)));
        }
    }

    // The defect the issue quotes: the wrong-password fix now names the reset that exists, and the
    // walk above would fail on a fix naming a command the CLI lacks.
    void forgottenPasswordNamesTheReset() {
        const Diagnosis d = diagnose(sample("login.failed", Layer::Verification, Outcome::Failed, "wrong password"));
        QVERIFY2(d.fix.contains(QStringLiteral("gatehousectl user reset-password bob")), qPrintable(d.fix));
        QVERIFY(!d.fix.contains(QStringLiteral("can set a temporary one")));
        const QList<QStringList> named = commandsIn(QStringLiteral("try gatehousectl user set-temporary bob."));
        QCOMPARE(named.size(), 1);
        QVERIFY(!cli::parse(QStringList{QStringLiteral("--as"), QStringLiteral("alice")} + named.first()).ok());
    }

    // A guard is explained as a guard: its own code and diagnosis, not "permission denied".
    void lastAdministratorIsDiagnosedAsAGuard() {
        const Diagnosis d = diagnose(Error{Errc::LastAdministrator,
                                           QStringLiteral("alice is the only administrator — make someone else one "
                                                          "first (the last administrator cannot be deleted)"),
                                           0});
        QCOMPARE(d.title, QStringLiteral("Last administrator protected"));
        QVERIFY(d.fix.contains(QStringLiteral("gatehousectl role assign")));
    }
};

QTEST_APPLESS_MAIN(TestDiagnosisFixes)
#include "tst_diagnosisfixes.moc"
