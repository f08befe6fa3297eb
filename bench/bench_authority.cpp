// bench_authority: io.gatehouse.Authority1 through a real gatehoused on a private bus (issue 11).
// An administrator (password + authenticator app, stepped up) holds a custom role with a declared
// application permission; an "application" (a D-Bus connection of its own) holds a token for it.
// Prints one line:
//   authority: C µs CheckPermission p50, R× a D-Bus Peer.Ping, N checks/s from 4 clients, E ms revoke to SessionEnded
//   p50
// C and the Ping are synchronous calls on one connection (3,000 each, interleaved); N counts the
// answers 4 client processes (this program again, --load-client: each its own bus connection and
// its own QtDBus thread) get in 3 s, each keeping 8 calls in flight and checking every reply is an
// "allowed"; they start together and N is their answers over the longest one's time. The token
// reaches them on stdin, never on a command line. E is from the start of a
// Sessions.RevokeSession call (what `gatehousectl sessions revoke` sends) to the application's
// Authority1.SessionEnded, 30 runs. Targets: R ≤ 3, N ≥ 20,000, E ≤ 300.
#include "dbusapi.h"
#include "gatehouseclient.h"
#include "marshal.h"
#include "verification/totp.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace {

constexpr const char kPassword[] = "quartz-meadow-lantern-7431-violet";
const QString kUser = QStringLiteral("benchadmin");

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

int fail(const char* what, const gh::Error& e) {
    std::fprintf(stderr, "bench_authority: %s: %s (%s)\n", what, qPrintable(gh::describe(e)), qPrintable(e.detail));
    return 1;
}

gh::SecureBuffer password() {
    return gh::SecureBuffer(kPassword, std::strlen(kPassword));
}

gh::SecureBuffer totpCode(const gh::SecureBuffer& seedBase32, int steps) {
    auto seed = gh::totp::base32Decode(QString::fromLatin1(seedBase32.chars(), qsizetype(seedBase32.size())));
    if (!seed)
        return {};
    return gh::SecureBuffer::fromUtf8(
        gh::totp::generate(*seed, QDateTime::currentSecsSinceEpoch() + steps * 30, gh::TotpParams{}));
}

QByteArray bytes(const gh::SecureBuffer& b) {
    return QByteArray(b.chars(), qsizetype(b.size()));
}

// The ended session ids an application connection heard.
class Heard : public QObject {
    Q_OBJECT
public:
    std::vector<QString> ended;
public Q_SLOTS:
    void onEnded(const QString& id, const QString&) { ended.push_back(id); }
};

// One load client (a process of its own): reads the bus address, the vault's object path and the
// token (hex) from stdin, connects, says "ready", and on "go MS" keeps `inFlight` checks in flight
// for MS milliseconds; prints "answers elapsed_ns all_allowed".
int loadClient(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return 1;
    const QString address = QString::fromUtf8(in.readLine().trimmed());
    const QString object = QString::fromUtf8(in.readLine().trimmed());
    QByteArray token = QByteArray::fromHex(in.readLine().trimmed());
    const int inFlight = in.readLine().trimmed().toInt();
    QDBusConnection conn = QDBusConnection::connectToBus(address, QStringLiteral("load"));
    if (!conn.isConnected())
        return 1;
    QDBusMessage check = QDBusMessage::createMethodCall(gh::dbus::kService, object, gh::dbus::kAuthority,
                                                        QStringLiteral("CheckPermission"));
    check.setArguments({token, QStringLiteral("lab.samples.write")});
    if (!conn.call(check).arguments().value(0).toBool())
        return 1;
    std::printf("ready\n");
    std::fflush(stdout);
    const QByteArray go = in.readLine().trimmed();
    if (!go.startsWith("go "))
        return 1;
    const qint64 runMs = go.mid(3).toLongLong();
    bool allAllowed = true;
    long answers = 0;
    QElapsedTimer t;
    t.start();
    std::vector<QDBusPendingCall> window;
    for (int k = 0; k < inFlight; ++k)
        window.push_back(conn.asyncCall(check));
    while (t.elapsed() < runMs) {
        for (auto& pending : window) {
            pending.waitForFinished();
            const QDBusMessage r = pending.reply();
            if (r.type() != QDBusMessage::ReplyMessage || !r.arguments().value(0).toBool())
                allAllowed = false;
            ++answers;
            pending = conn.asyncCall(check);
        }
    }
    for (auto& pending : window) {
        pending.waitForFinished();
        if (pending.reply().type() == QDBusMessage::ReplyMessage)
            ++answers;
    }
    const qint64 elapsed = t.nsecsElapsed();
    std::printf("%ld %lld %d\n", answers, static_cast<long long>(elapsed), allAllowed ? 1 : 0);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--load-client") == 0)
        return loadClient(argc, argv);
    benchmark::Initialize(&argc, argv);
    QCoreApplication app(argc, argv);
    if (!gh::totp::initialise())
        return 1;
    QTemporaryDir dir;
    const QString share = dir.filePath(QStringLiteral("share"));
    QDir().mkpath(share + QStringLiteral("/gatehouse/permissions"));
    {
        QFile f(share + QStringLiteral("/gatehouse/permissions/lab.conf"));
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write("lab.samples.read | See the sample register |\nlab.samples.write | Add and edit samples |\n");
    }
    qputenv("XDG_DATA_DIRS", share.toUtf8());

    QProcess bus;
    bus.start(QStringLiteral("dbus-daemon"),
              {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    if (!bus.waitForStarted(5000) || !bus.waitForReadyRead(5000))
        return 1;
    const QString address = QString::fromUtf8(bus.readLine().trimmed());
    qputenv("GATEHOUSE_BUS_ADDRESS", address.toUtf8());
    if (qEnvironmentVariableIsEmpty("GATEHOUSED")) // another build's service, to compare
        qputenv("GATEHOUSED", QByteArrayLiteral(GATEHOUSED_PATH));

    const QString vault = dir.filePath(QStringLiteral("vault.db"));
    gh::Client client;
    if (auto s = client.createVault(vault); !s)
        return fail("createVault", s.error());
    if (auto s = client.createFirstAdmin(kUser, password()); !s)
        return fail("createFirstAdmin", s.error());
    auto admin = client.login(kUser, password(), QStringLiteral("bench_authority"));
    if (!admin)
        return fail("login", admin.error());
    auto enroll = client.beginTotpEnrollment(*admin, QStringLiteral("bench"));
    if (!enroll)
        return fail("beginTotpEnrollment", enroll.error());
    if (auto s = client.confirmTotp(*admin, enroll->factorId,
                                    QString::fromLatin1(totpCode(enroll->secretBase32, 0).chars(), 6));
        !s)
        return fail("confirmTotp", s.error());
    {
        gh::SecureBuffer next = totpCode(enroll->secretBase32, 1);
        if (auto s = client.stepUp(*admin, password(), gh::FactorKind::Totp, &next); !s)
            return fail("stepUp", s.error());
    }
    if (auto s = client.createRole(*admin, QStringLiteral("lab-writer"),
                                   {QStringLiteral("lab.samples.read"), QStringLiteral("lab.samples.write")});
        !s)
        return fail("createRole", s.error());
    if (auto s = client.assignRole(*admin, kUser, QStringLiteral("lab-writer")); !s)
        return fail("assignRole", s.error());

    // The application's connection and object (the vault this client opened).
    QDBusConnection appBus = QDBusConnection::connectToBus(address, QStringLiteral("app"));
    QDBusMessage open = QDBusMessage::createMethodCall(gh::dbus::kService, gh::dbus::kPath, gh::dbus::kManager,
                                                       QStringLiteral("OpenVault"));
    open.setArguments({vault, QByteArray(), false});
    const QString object = appBus.call(open, QDBus::Block, 60000).arguments().value(0).value<QDBusObjectPath>().path();
    Heard heard;
    appBus.connect(QString(), object, gh::dbus::kAuthority, QStringLiteral("SessionEnded"), &heard,
                   SLOT(onEnded(QString, QString)));
    const auto issue = [&](QString* id) -> QByteArray {
        QDBusMessage m = QDBusMessage::createMethodCall(gh::dbus::kService, object, gh::dbus::kAuthority,
                                                        QStringLiteral("IssueAppToken"));
        m.setArguments({bytes(admin->secret), QStringLiteral("lab"), QStringList{QStringLiteral("lab.samples.write")}});
        const QDBusMessage r = appBus.call(m, QDBus::Block, 60000);
        if (r.type() != QDBusMessage::ReplyMessage) {
            std::fprintf(stderr, "bench_authority: IssueAppToken: %s\n", qPrintable(r.errorMessage()));
            return {};
        }
        if (id)
            *id = gh::wire::mapOf(r.arguments().value(0)).value(QStringLiteral("id")).toString();
        return r.arguments().value(1).toByteArray();
    };
    const QByteArray token = issue(nullptr);
    if (token.isEmpty())
        return 1;
    QDBusMessage check = QDBusMessage::createMethodCall(gh::dbus::kService, object, gh::dbus::kAuthority,
                                                        QStringLiteral("CheckPermission"));
    check.setArguments({token, QStringLiteral("lab.samples.write")});
    const QDBusMessage ping = QDBusMessage::createMethodCall(
        gh::dbus::kService, object, QStringLiteral("org.freedesktop.DBus.Peer"), QStringLiteral("Ping"));

    // 1. CheckPermission vs Peer.Ping, synchronous, interleaved.
    std::vector<double> checkUs, pingUs;
    for (int i = 0; i < 3100; ++i) {
        QElapsedTimer t;
        t.start();
        const QDBusMessage a = appBus.call(check);
        const double c = double(t.nsecsElapsed()) / 1e3;
        if (a.type() != QDBusMessage::ReplyMessage || !a.arguments().value(0).toBool()) {
            std::fprintf(stderr, "bench_authority: CheckPermission: %s %s\n", qPrintable(a.errorMessage()),
                         qPrintable(a.arguments().value(2).toString()));
            return 1;
        }
        t.restart();
        if (appBus.call(ping).type() != QDBusMessage::ReplyMessage)
            return 1;
        const double p = double(t.nsecsElapsed()) / 1e3;
        if (i >= 100) {
            checkUs.push_back(c);
            pingUs.push_back(p);
        }
    }
    const double checkP50 = median(checkUs), pingP50 = median(pingUs);

    // 2. Throughput: 4 client processes, 8 calls in flight each, for 3 s, started together.
    constexpr int kClients = 4, kInFlight = 8;
    constexpr qint64 kRunMs = 3000;
    std::vector<std::unique_ptr<QProcess>> clients;
    for (int c = 0; c < kClients; ++c) {
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(QCoreApplication::applicationFilePath(), {QStringLiteral("--load-client")});
        if (!p->waitForStarted(10000))
            return 1;
        p->write(address.toUtf8() + '\n' + object.toUtf8() + '\n' + token.toHex() + '\n' +
                 QByteArray::number(kInFlight) + '\n');
        clients.push_back(std::move(p));
    }
    for (auto& p : clients)
        if (!p->waitForReadyRead(30000) || p->readLine().trimmed() != "ready") {
            std::fprintf(stderr, "bench_authority: a load client did not start\n");
            return 1;
        }
    for (auto& p : clients)
        p->write("go " + QByteArray::number(kRunMs) + '\n');
    long answered = 0;
    qint64 longestNs = 0;
    bool allowed = true;
    for (auto& p : clients) {
        if (!p->waitForFinished(kRunMs + 60000) || p->exitCode() != 0) {
            std::fprintf(stderr, "bench_authority: a load client failed\n");
            return 1;
        }
        const QList<QByteArray> f = p->readAll().trimmed().split(' ');
        if (f.size() != 3)
            return 1;
        answered += f[0].toLong();
        longestNs = std::max(longestNs, f[1].toLongLong());
        allowed = allowed && f[2] == "1";
    }
    const double perSec = double(answered) * 1e9 / double(std::max<qint64>(1, longestNs));
    if (!allowed) {
        std::fprintf(stderr, "bench_authority: a check under load was not allowed\n");
        return 1;
    }

    // 3. Revocation: Sessions.RevokeSession (as gatehousectl sends it) → Authority1.SessionEnded.
    std::vector<double> revokeMs;
    for (int i = 0; i < 30; ++i) {
        QString id;
        if (issue(&id).isEmpty())
            return 1;
        QElapsedTimer t;
        t.start();
        if (auto s = client.revokeSession(*admin, id); !s)
            return fail("revokeSession", s.error());
        while (std::find(heard.ended.begin(), heard.ended.end(), id) == heard.ended.end()) {
            if (t.elapsed() > 10000) {
                std::fprintf(stderr, "bench_authority: no SessionEnded within 10 s\n");
                return 1;
            }
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        }
        revokeMs.push_back(double(t.nsecsElapsed()) / 1e6);
    }

    std::printf("authority: %.0f µs CheckPermission p50, %.1f× a D-Bus Peer.Ping (%.0f µs), %.0f checks/s from 4 "
                "clients (%d in flight each), %.1f ms revoke to SessionEnded p50 (30 runs)\n",
                checkP50, checkP50 / pingP50, pingP50, perSec, kInFlight, median(revokeMs));
    return 0;
}

#include "bench_authority.moc"
