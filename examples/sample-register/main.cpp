// Sample register: an example application that relies on Gatehouse for who is signed in and what
// they may do (io.gatehouse.Authority1, README "Other applications"). It declares lab.samples.read
// and lab.samples.write (lab.conf), asks Gatehouse to sign someone in (RequestSignIn: the
// Gatehouse window asks the person; this program never sees a password or a code), shows the
// register when CheckPermission(lab.samples.read) allows it and the Add button when
// CheckPermission(lab.samples.write) does, checks again on PermissionsChanged, and locks on
// SessionEnded. Plain QtDBus: nothing of Gatehouse's own code is linked in.
//
//   sample-register [--vault PATH] [--test-protocol]
//
// --test-protocol (tests/ui/tst_gui_agent): prints what happens as lines on stdout ("signed-in
// <session>", "check <permission> allowed|denied <layer> <reason>", "permissions-changed",
// "ended <reason>", "error <name> <detail>") and reads commands on stdin ("signin", "check",
// "screenshot PATH", "quit").
#include <QApplication>
#include <QCommandLineParser>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSocketNotifier>
#include <QVBoxLayout>
#include <QWidget>

#include <cstdio>
#include <unistd.h>

namespace {

const QString kService = QStringLiteral("io.gatehouse.Gatehouse1");
const QString kPath = QStringLiteral("/io/gatehouse/Gatehouse1");
const QString kManager = QStringLiteral("io.gatehouse.Gatehouse1.Manager");
const QString kAuthority = QStringLiteral("io.gatehouse.Authority1");
const QString kErrorPrefix = QStringLiteral("io.gatehouse.Gatehouse1.Error.");
const QString kApp = QStringLiteral("lab");
const QString kRead = QStringLiteral("lab.samples.read");
const QString kWrite = QStringLiteral("lab.samples.write");

QDBusConnection gatehouseBus() {
    // Gatehouse's tests run it on a private bus; everyone else uses the session bus.
    const QByteArray address = qgetenv("GATEHOUSE_BUS_ADDRESS");
    if (!address.isEmpty())
        return QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("gatehouse"));
    return QDBusConnection::sessionBus();
}

class Register : public QWidget {
    Q_OBJECT
public:
    Register(const QString& vault, bool protocol) : m_bus(gatehouseBus()), m_vault(vault), m_protocol(protocol) {
        setWindowTitle(tr("Sample register"));
        resize(460, 400);
        auto* layout = new QVBoxLayout(this);
        auto* title = new QLabel(tr("Sample register"), this);
        QFont heading = title->font();
        heading.setPointSizeF(heading.pointSizeF() * 1.5);
        heading.setBold(true);
        title->setFont(heading);
        title->setAccessibleName(title->text());
        m_status = new QLabel(this);
        m_status->setWordWrap(true);
        m_status->setAccessibleName(tr("Status"));
        m_signIn = new QPushButton(tr("Sign in with Gatehouse…"), this);
        m_signIn->setAccessibleName(m_signIn->text());
        m_list = new QListWidget(this);
        m_list->setAccessibleName(tr("Samples"));
        for (const QString& s :
             {tr("S-0141  Blood panel, ward 3"), tr("S-0142  Water, inlet B"), tr("S-0143  Soil core, plot 12")})
            m_list->addItem(s);
        m_newSample = new QLineEdit(this);
        m_newSample->setPlaceholderText(tr("New sample, e.g. S-0144  Swab, bench 2"));
        m_newSample->setAccessibleName(tr("New sample"));
        m_add = new QPushButton(tr("Add sample"), this);
        m_add->setAccessibleName(m_add->text());
        auto* addRow = new QHBoxLayout;
        addRow->addWidget(m_newSample, 1);
        addRow->addWidget(m_add);
        m_why = new QLabel(this);
        m_why->setWordWrap(true);
        m_why->setAccessibleName(tr("Why"));
        auto* signOut = new QPushButton(tr("Sign out"), this);
        m_signOut = signOut;
        layout->addWidget(title);
        layout->addWidget(m_status);
        layout->addWidget(m_signIn);
        layout->addWidget(m_list, 100);
        layout->addLayout(addRow);
        layout->addWidget(m_why);
        layout->addWidget(signOut);
        layout->addStretch(1); // takes the room of the list while it is hidden
        connect(m_signIn, &QPushButton::clicked, this, &Register::signIn);
        connect(m_add, &QPushButton::clicked, this, &Register::addSample);
        connect(m_newSample, &QLineEdit::returnPressed, this, &Register::addSample);
        connect(signOut, &QPushButton::clicked, this, &Register::signOut);
        present(tr("Not signed in. Gatehouse asks who you are; this program never sees your password."), false);
        if (m_protocol) {
            m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
            connect(m_stdin, &QSocketNotifier::activated, this, &Register::command);
        }
    }

private:
    void say(const QString& line) {
        if (!m_protocol)
            return;
        std::fprintf(stdout, "%s\n", qPrintable(line));
        std::fflush(stdout);
    }

    // The vault's object (the one the service serves when none is named, or --vault).
    QString object() {
        if (!m_object.isEmpty())
            return m_object;
        // Absolute: the service refuses a relative path (its working directory is not ours).
        QString path = m_vault.isEmpty() ? QString() : QFileInfo(m_vault).absoluteFilePath();
        if (path.isEmpty()) {
            const QDBusMessage r =
                m_bus.call(QDBusMessage::createMethodCall(kService, kPath, kManager, QStringLiteral("DefaultVault")));
            path = r.arguments().value(0).toString();
        }
        QDBusMessage open = QDBusMessage::createMethodCall(kService, kPath, kManager, QStringLiteral("OpenVault"));
        open.setArguments({path, QByteArray(), false});
        const QDBusMessage r = m_bus.call(open, QDBus::Block, 60000);
        if (r.type() == QDBusMessage::ReplyMessage)
            m_object = r.arguments().value(0).value<QDBusObjectPath>().path();
        return m_object;
    }

    QDBusMessage authority(const QString& member, const QVariantList& args) {
        QDBusMessage m = QDBusMessage::createMethodCall(kService, object(), kAuthority, member);
        m.setArguments(args);
        return m;
    }

    // The screen: signed in or not, the list when it may be seen, Add when samples may be added.
    void present(const QString& status, bool signedIn) {
        m_status->setText(status);
        m_signIn->setVisible(!signedIn);
        m_signOut->setVisible(signedIn);
        m_list->setVisible(signedIn && m_canRead);
        m_newSample->setVisible(signedIn && m_canWrite);
        m_add->setVisible(signedIn && m_canWrite);
    }

    void signIn() {
        if (object().isEmpty()) {
            present(tr("Gatehouse is not running here. Start Gatehouse and try again."), false);
            say(QStringLiteral("error NoService"));
            return;
        }
        m_signIn->setEnabled(false);
        m_status->setText(tr("Waiting for you to answer in the Gatehouse window…"));
        const QDBusMessage ask = authority(QStringLiteral("RequestSignIn"),
                                           {kApp, tr("Open the sample register"), QStringList{kRead, kWrite}});
        auto* watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(ask, 10 * 60 * 1000), this);
        connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher* w) {
            w->deleteLater();
            m_signIn->setEnabled(true);
            const QDBusMessage r = w->reply();
            if (r.type() != QDBusMessage::ReplyMessage) {
                const QString name =
                    r.errorName().startsWith(kErrorPrefix) ? r.errorName().mid(kErrorPrefix.size()) : r.errorName();
                const QString detail = QJsonDocument::fromJson(r.errorMessage().toUtf8())
                                           .object()
                                           .value(QStringLiteral("detail"))
                                           .toString();
                say(QStringLiteral("error %1 %2").arg(name, detail));
                QString text = tr("Not signed in: %1").arg(detail.isEmpty() ? name : detail);
                if (name == QLatin1String("NoAgent"))
                    text = tr("Gatehouse's window is not open to ask you. Open Gatehouse and try again.");
                else if (name == QLatin1String("Cancelled"))
                    text = tr("Sign-in cancelled.");
                else if (name == QLatin1String("Timeout"))
                    text = tr("Nobody answered in the Gatehouse window in time.");
                else if (name == QLatin1String("Denied"))
                    text = tr("Gatehouse refused: %1").arg(detail);
                present(text, false);
                return;
            }
            const QVariantMap info = qdbus_cast<QVariantMap>(r.arguments().value(0));
            m_token = r.arguments().value(1).toByteArray();
            m_session = info.value(QStringLiteral("id")).toString();
            m_user = info.value(QStringLiteral("username")).toString();
            // Targeted at this connection, from the vault's object.
            m_bus.connect(kService, object(), kAuthority, QStringLiteral("SessionEnded"), this,
                          SLOT(onSessionEnded(QString, QString)));
            m_bus.connect(kService, object(), kAuthority, QStringLiteral("PermissionsChanged"), this,
                          SLOT(onPermissionsChanged(QString)));
            say(QStringLiteral("signed-in %1 %2 %3").arg(m_session, m_user).arg(m_token.size()));
            recheck();
        });
    }

    bool check(const QString& permission) {
        const QDBusMessage r = m_bus.call(authority(QStringLiteral("CheckPermission"), {m_token, permission}));
        const bool allowed = r.type() == QDBusMessage::ReplyMessage && r.arguments().value(0).toBool();
        const QString layer = r.arguments().value(1).toString();
        const QString reason =
            r.type() == QDBusMessage::ReplyMessage ? r.arguments().value(2).toString() : r.errorMessage();
        say(QStringLiteral("check %1 %2 %3 %4")
                .arg(permission, allowed ? QStringLiteral("allowed") : QStringLiteral("denied"), layer, reason));
        if (!allowed && permission == kWrite)
            m_why->setText(tr("Adding samples: %1").arg(reason));
        return allowed;
    }

    void recheck() {
        if (m_token.isEmpty())
            return;
        m_why->clear();
        m_canRead = check(kRead);
        m_canWrite = check(kWrite);
        present(tr("Signed in as %1 through Gatehouse.").arg(m_user), true);
    }

    void addSample() {
        const QString text = m_newSample->text().trimmed();
        if (text.isEmpty())
            return;
        // Checked again at the moment of writing, not only when the button appeared.
        if (!check(kWrite)) {
            recheck();
            return;
        }
        m_list->addItem(text);
        m_newSample->clear();
    }

    void signOut() {
        if (!m_token.isEmpty())
            m_bus.call(authority(QStringLiteral("EndSession"), {m_token}));
    }

    void lock(const QString& reason) {
        m_token.fill('\0');
        m_token.clear();
        m_canRead = m_canWrite = false;
        m_why->clear();
        present(tr("Signed out — sign in again. (%1)").arg(reason), false);
    }

    void command() {
        char line[1024];
        const ssize_t n = ::read(STDIN_FILENO, line, sizeof(line) - 1);
        if (n <= 0) {
            m_stdin->setEnabled(false);
            return;
        }
        line[n] = '\0';
        for (const QString& c : QString::fromUtf8(line).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (c == QLatin1String("signin"))
                signIn();
            else if (c == QLatin1String("check"))
                recheck();
            else if (c.startsWith(QLatin1String("screenshot "))) {
                const bool saved = grab().save(c.mid(11).trimmed());
                say(saved ? QStringLiteral("screenshot saved") : QStringLiteral("screenshot failed"));
            } else if (c == QLatin1String("quit"))
                QApplication::quit();
        }
    }

private Q_SLOTS:
    void onSessionEnded(const QString& session, const QString& reason) {
        if (session != m_session)
            return;
        say(QStringLiteral("ended %1").arg(reason));
        lock(reason);
    }
    void onPermissionsChanged(const QString& session) {
        if (session != m_session)
            return;
        say(QStringLiteral("permissions-changed"));
        recheck();
    }

private:
    QDBusConnection m_bus;
    QString m_vault;
    bool m_protocol = false;
    QString m_object;
    QByteArray m_token;
    QString m_session;
    QString m_user;
    bool m_canRead = false;
    bool m_canWrite = false;
    QLabel* m_status;
    QPushButton* m_signIn;
    QPushButton* m_signOut;
    QListWidget* m_list;
    QLineEdit* m_newSample;
    QPushButton* m_add;
    QLabel* m_why;
    QSocketNotifier* m_stdin = nullptr;
};

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sample-register"));
    QApplication::setDesktopFileName(QStringLiteral("lab"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sample register: an example application for Gatehouse"));
    parser.addHelpOption();
    const QCommandLineOption vault(QStringLiteral("vault"), QStringLiteral("Gatehouse's vault at PATH."),
                                   QStringLiteral("PATH"));
    const QCommandLineOption protocol(QStringLiteral("test-protocol"),
                                      QStringLiteral("Print events on stdout, read commands on stdin (tests)."));
    parser.addOptions({vault, protocol});
    parser.process(app);
    Register window(parser.value(vault), parser.isSet(protocol));
    window.show();
    return QApplication::exec();
}

#include "main.moc"
