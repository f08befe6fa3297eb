// bench_dbus: Gatehouse through its service boundary (issue 10). Everything here talks to a real
// gatehoused on a private bus, as the GUI and gatehousectl do; the vault key is in the real Secret
// Service (run inside tests/support/with-services.sh, as `make bench` does). Prints three lines:
//   login-overhead: P% over Argon2id (T ms login through gatehoused, A ms Argon2id; median of N pairs)
//   dbus: C µs per session check p50, R× a D-Bus Peer.Ping; L logins/s from 8 clients, S× one client
//   revoke: M ms from gatehousectl sessions revoke to the GUI locked, p50 (N runs; …)
//   concurrency: N commands from 8 gatehousectl processes in 60 s: B busy, F other failures; …
// Targets: P ≤ 2, R ≤ 3, S ≥ 1.5, M ≤ 300, B = 0 with every success's effect present and the
// audit chain intact.
#include "appcontroller.h"
#include "crypto/passwordhash.h"
#include "gatehouseclient.h"
#include "loginmodel.h"
#include "startup.h"
#include "verification/totp.h"

#include <benchmark/benchmark.h>
#include <sodium.h>

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QGuiApplication>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

Q_IMPORT_QML_PLUGIN(Gatehouse_UiPlugin)

namespace {

constexpr const char kPassword[] = "quartz-meadow-lantern-7431-violet";
const QString kUser = QStringLiteral("benchadmin");

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

int fail(const char* what, const gh::Error& e) {
    std::fprintf(stderr, "bench_dbus: %s: %s (%s)\n", what, qPrintable(gh::describe(e)), qPrintable(e.detail));
    return 1;
}

gh::SecureBuffer password() {
    return gh::SecureBuffer(kPassword, std::strlen(kPassword));
}

// A code of the authenticator app `steps` periods from now (±1 is accepted, each step once).
gh::SecureBuffer totpCode(const gh::SecureBuffer& seedBase32, int steps) {
    auto seed = gh::totp::base32Decode(QString::fromLatin1(seedBase32.chars(), qsizetype(seedBase32.size())));
    const qint64 now = QDateTime::currentSecsSinceEpoch() + steps * 30;
    if (!seed)
        return {};
    return gh::SecureBuffer::fromUtf8(gh::totp::generate(*seed, now, gh::TotpParams{}));
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    QGuiApplication app(argc, argv); // the revocation is measured to a real window (Xvfb)
    if (sodium_init() < 0 || !gh::totp::initialise())
        return 1;

    // A private bus with the production service on it, started on demand by the first call.
    QProcess bus;
    bus.start(QStringLiteral("dbus-daemon"),
              {QStringLiteral("--session"), QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    if (!bus.waitForStarted(5000) || !bus.waitForReadyRead(5000))
        return 1;
    const QString address = QString::fromUtf8(bus.readLine().trimmed());
    qputenv("GATEHOUSE_BUS_ADDRESS", address.toUtf8());
    qputenv("GATEHOUSED", QByteArrayLiteral(GATEHOUSED_PATH));

    QTemporaryDir dir;
    const QString vault = dir.filePath(QStringLiteral("vault.db"));
    gh::Client client;
    if (auto s = client.createVault(vault); !s)
        return fail("createVault", s.error());
    if (auto s = client.createFirstAdmin(kUser, password()); !s)
        return fail("createFirstAdmin", s.error());
    const gh::Argon2Params params = gh::Argon2Params::policyDefault();
    char phc[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(phc, kPassword, std::strlen(kPassword), params.opsLimit, params.memLimitBytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return 1;

    // 1. Login overhead: interleaved pairs of (login + logout through the service, untimed
    //    logout) and a local Argon2id verify at the same parameters.
    std::vector<double> loginMs, argonMs;
    for (int i = 0; i < 34; ++i) {
        QElapsedTimer t;
        t.start();
        auto session = client.login(kUser, password(), QStringLiteral("bench_dbus"));
        const double l = double(t.nsecsElapsed()) / 1e6;
        if (!session)
            return fail("login", session.error());
        (void)client.logout(*session);
        t.restart();
        if (crypto_pwhash_str_verify(phc, kPassword, std::strlen(kPassword)) != 0)
            return 1;
        const double a = double(t.nsecsElapsed()) / 1e6;
        if (i >= 2) { // two warm-up pairs
            loginMs.push_back(l);
            argonMs.push_back(a);
        }
    }
    const double loginMedian = median(loginMs), argonMedian = median(argonMs);

    // 2. A session check (Login.Validate: token → info) against the bus's own floor, a Peer.Ping
    //    of the same service over the same connection.
    auto held = client.login(kUser, password(), QStringLiteral("bench_dbus"));
    if (!held)
        return fail("login", held.error());
    QDBusConnection conn = QDBusConnection::connectToBus(address, QStringLiteral("gatehouse-client"));
    std::vector<double> checkUs, pingUs;
    for (int i = 0; i < 3000; ++i) {
        QElapsedTimer t;
        t.start();
        auto info = client.validate(*held);
        const double c = double(t.nsecsElapsed()) / 1e3;
        if (!info)
            return fail("validate", info.error());
        t.restart();
        QDBusMessage ping = QDBusMessage::createMethodCall(
            QStringLiteral("io.gatehouse.Gatehouse1"), QStringLiteral("/io/gatehouse/Gatehouse1"),
            QStringLiteral("org.freedesktop.DBus.Peer"), QStringLiteral("Ping"));
        const QDBusMessage pong = conn.call(ping);
        const double p = double(t.nsecsElapsed()) / 1e3;
        if (pong.type() != QDBusMessage::ReplyMessage)
            return 1;
        if (i >= 100) {
            checkUs.push_back(c);
            pingUs.push_back(p);
        }
    }
    const double checkP50 = median(checkUs), pingP50 = median(pingUs);

    // 4. Revocation latency: a holder (this process, subscribed like the GUI) and gatehousectl
    //    revoking that session from another process, timed from the CLI's start to the signal.
    //    The admin needs a second factor: an authenticator app, then recovery codes for the CLI.
    auto enroll = client.beginTotpEnrollment(*held, QStringLiteral("bench"));
    if (!enroll)
        return fail("beginTotpEnrollment", enroll.error());
    if (auto s = client.confirmTotp(*held, enroll->factorId,
                                    QString::fromLatin1(totpCode(enroll->secretBase32, 0).chars(), 6));
        !s)
        return fail("confirmTotp", s.error());
    {
        gh::SecureBuffer next = totpCode(enroll->secretBase32, 1); // the next step: this one is used
        if (auto s = client.stepUp(*held, password(), gh::FactorKind::Totp, &next); !s)
            return fail("stepUp", s.error());
    }
    // New recovery codes in their two steps (issue 12): begin, then confirm with one of them.
    auto newCodes = [&]() -> gh::Result<std::vector<gh::SecureBuffer>> {
        auto pending = client.beginRecoveryCodes(*held);
        if (!pending)
            return pending.error();
        if (gh::Status c = client.confirmRecoveryCodes(*held, pending->setId, pending->codes.front()); !c)
            return c.error();
        return std::move(pending->codes);
    };
    auto codes = newCodes();
    if (!codes)
        return fail("beginRecoveryCodes", codes.error());
    // 3. Logins per second: one client, then 8 at once (threads sharing the connection, each call
    //    in flight concurrently, as 8 programs would be), each as an account of its own (one
    //    account's parallel sign-ins would wait for each other: attempts in flight count against
    //    their account until they settle).
    // A new account with `role`, signed in once to replace its temporary password: that session.
    const auto newAccount = [&](const QString& name, const QString& role) -> gh::Result<gh::Session> {
        auto temp = client.addUser(*held, name, role);
        if (!temp)
            return temp.error();
        auto first = client.login(name, *temp, QStringLiteral("bench_dbus"));
        if (!first)
            return first.error();
        if (auto s = client.changePassword(*first, *temp, password()); !s)
            return s.error();
        return first;
    };
    std::vector<QString> users;
    for (int u = 0; u < 8; ++u) {
        const QString name = QStringLiteral("user%1").arg(u);
        auto first = newAccount(name, QString());
        if (!first)
            return fail("new account", first.error());
        (void)client.logout(*first);
        users.push_back(name);
    }
    // Administrators who revoke from gatehousectl in part 4, each with an authenticator app of its
    // own: a TOTP step signs in once per account, and seven runs take a few seconds, so one app
    // could not give each run a fresh code (a recovery code would cost ten Argon2id checks).
    struct Revoker {
        QString name;
        gh::SecureBuffer seed;
    };
    std::vector<Revoker> revokers;
    for (int r = 0; r < 7; ++r) {
        const QString name = QStringLiteral("revoker%1").arg(r);
        auto first = newAccount(name, QStringLiteral("admin"));
        if (!first)
            return fail("new administrator", first.error());
        auto phone = client.beginTotpEnrollment(*first, QStringLiteral("bench"));
        if (!phone)
            return fail("beginTotpEnrollment", phone.error());
        if (auto s = client.confirmTotp(*first, phone->factorId,
                                        QString::fromLatin1(totpCode(phone->secretBase32, 0).chars(), 6));
            !s)
            return fail("confirmTotp", s.error());
        (void)client.logout(*first);
        revokers.push_back({name, std::move(phone->secretBase32)});
    }
    auto rate = [&](int clients, int perClient) {
        std::atomic<int> failures{0};
        QElapsedTimer t;
        t.start();
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c)
            threads.emplace_back([&, c] {
                for (int i = 0; i < perClient; ++i) {
                    auto s = client.login(users.at(std::size_t(c)), password(), QStringLiteral("bench_dbus"));
                    if (!s) {
                        if (failures++ == 0)
                            std::fprintf(stderr, "bench_dbus: login under load: %s (%s)\n",
                                         qPrintable(gh::describe(s.error())), qPrintable(s.error().detail));
                    } else
                        (void)client.logout(*s);
                }
            });
        for (auto& th : threads)
            th.join();
        const double secs = double(t.nsecsElapsed()) / 1e9;
        return failures ? -1.0 : clients * perClient / secs;
    };
    const double one = rate(1, 16);
    const double eight = rate(8, 4);
    if (one <= 0 || eight <= 0) {
        std::fprintf(stderr, "bench_dbus: a login failed under load\n");
        return 1;
    }

    // 4. Revocation to a real window: the GUI's own view-models and QML (ui/), signed in as
    //    users[0] and on Home, locked by a revocation from another client. Two measures: the
    //    whole `gatehousectl sessions revoke` command (its start and its own sign-in, Argon2id and
    //    an authenticator code, included), and the revoke call alone (a thread of this program), each to the first
    //    frame the window draws after it switched to the sign-in screen.
    gh::ui::AppController::setOptions({vault});
    QQmlApplicationEngine engine;
    gh::ui::prepareEngine(engine);
    engine.load(gh::ui::mainQml());
    auto* window = engine.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    auto* gui = engine.singletonInstance<gh::ui::AppController*>(qmlTypeId("Gatehouse.Ui", 1, 0, "AppController"));
    if (!window || !gui)
        return fail("GUI", gh::Error{gh::Errc::Internal, QStringLiteral("Main.qml did not load"), 0});
    const auto waitFor = [](const std::function<bool()>& done, int ms) {
        const QDeadlineTimer until(ms);
        while (!done() && !until.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        return done();
    };
    if (!waitFor([&] { return gui->vaultOpen() && !gui->busy(); }, 30000))
        return fail("GUI", gh::Error{gh::Errc::Internal, QStringLiteral("the window did not open the vault"), 0});
    // Signs the window in and returns its session id (empty on failure).
    const auto signInWindow = [&]() -> QString {
        waitFor([&] { return gui->login()->canSignIn(); }, 30000);
        gui->login()->setUsername(users.at(0));
        gui->login()->submitPassword(QString::fromLatin1(kPassword));
        if (!waitFor([&] { return gui->screen() == gh::ui::AppController::Home && !gui->busy(); }, 30000)) {
            std::fprintf(stderr, "bench_dbus: the window is on screen %d, not Home (%s)\n", int(gui->screen()),
                         qPrintable(gui->login()->error()));
            return {};
        }
        return gui->session() ? gui->session()->info.id : QString();
    };
    // Runs `revoke` (which must return at once) and times it to the window's first frame on the
    // sign-in screen; -1 when that does not come within 10 s.
    const auto timeToLock = [&](const std::function<void()>& revoke) -> double {
        QElapsedTimer t;
        double ms = -1;
        bool locked = false;
        QObject scope;
        QObject::connect(gui, &gh::ui::AppController::screenChanged, &scope,
                         [&] { locked = locked || gui->screen() == gh::ui::AppController::Login; });
        QObject::connect(window, &QQuickWindow::frameSwapped, &scope, [&] {
            if (locked && ms < 0)
                ms = double(t.nsecsElapsed()) / 1e6;
        });
        t.start();
        revoke();
        waitFor([&] { return ms >= 0; }, 10000);
        return ms;
    };
    std::vector<double> revokeMs, callMs;
    for (int run = 0; run < 7; ++run) {
        const QString target = signInWindow();
        if (target.isEmpty())
            return fail("GUI sign-in", gh::Error{gh::Errc::Internal, gui->login()->error(), 0});
        // The command signs in as an administrator of its own with the next step's code of that
        // account's app (the current step confirmed the app).
        const Revoker& as = revokers.at(std::size_t(run));
        const gh::SecureBuffer code = totpCode(as.seed, 1);
        QProcess ctl;
        ctl.setProgram(QStringLiteral(GATEHOUSECTL_PATH));
        ctl.setArguments({QStringLiteral("--vault"), vault, QStringLiteral("--as"), as.name,
                          QStringLiteral("--password-stdin"), QStringLiteral("--otp-stdin"), QStringLiteral("sessions"),
                          QStringLiteral("revoke"), target});
        const double ms = timeToLock([&] {
            ctl.start();
            // The code on the stdin line after the password, never in argv (issue 17).
            ctl.write(QByteArray(kPassword) + '\n' + QByteArray(code.chars(), qsizetype(code.size())) + '\n');
            ctl.closeWriteChannel();
        });
        ctl.waitForFinished(10000);
        if (ms < 0) {
            std::fprintf(stderr, "bench_dbus: the window did not lock within 10 s (gatehousectl: %s)\n",
                         ctl.readAllStandardError().constData());
            return 1;
        }
        if (ctl.exitCode() != 0) {
            std::fprintf(stderr, "bench_dbus: gatehousectl sessions revoke exited %d: %s\n", ctl.exitCode(),
                         ctl.readAllStandardError().constData());
            return 1;
        }
        revokeMs.push_back(ms);
    }
    for (int run = 0; run < 7; ++run) {
        const QString target = signInWindow();
        if (target.isEmpty())
            return fail("GUI sign-in", gh::Error{gh::Errc::Internal, gui->login()->error(), 0});
        std::thread caller;
        const double ms = timeToLock([&] { caller = std::thread([&] { (void)client.revokeSession(*held, target); }); });
        caller.join();
        if (ms < 0) {
            std::fprintf(stderr, "bench_dbus: the window did not lock within 10 s of the revoke call\n");
            return 1;
        }
        callMs.push_back(ms);
    }

    // 5. Eight gatehousectl processes, mixed commands, for GATEHOUSE_BENCH_MIX_SECS (default 60)
    //    seconds against the one service: no "vault busy", every reported success has its effect
    //    (each successful `login` leaves exactly one live session: the other commands end theirs),
    //    and the audit chain is intact afterwards.
    const int mixSecs = qEnvironmentVariableIsSet("GATEHOUSE_BENCH_MIX_SECS")
                            ? qEnvironmentVariableIntValue("GATEHOUSE_BENCH_MIX_SECS")
                            : 60;
    std::atomic<int> commands{0}, busy{0}, otherFailures{0};
    std::vector<int> logins(users.size(), 0);
    {
        const QDeadlineTimer until(qint64(mixSecs) * 1000);
        std::vector<std::thread> workers;
        for (std::size_t w = 0; w < users.size(); ++w)
            workers.emplace_back([&, w] {
                const QStringList as{QStringLiteral("--vault"), vault, QStringLiteral("--as"), users.at(w),
                                     QStringLiteral("--password-stdin")};
                const QList<QStringList> mix{
                    {QStringLiteral("login")},
                    {QStringLiteral("status")},
                    {QStringLiteral("sessions"), QStringLiteral("list")},
                    {QStringLiteral("factor"), QStringLiteral("list")},
                    {QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("5")}};
                for (int i = 0; !until.hasExpired(); ++i) {
                    const QStringList& command = mix.at(i % mix.size());
                    QProcess p;
                    p.setProgram(QStringLiteral(GATEHOUSECTL_PATH));
                    p.setArguments(command.first() == QLatin1String("status")
                                       ? QStringList{QStringLiteral("--vault"), vault, QStringLiteral("status")}
                                       : as + command);
                    p.start();
                    p.write(QByteArray(kPassword) + '\n');
                    p.closeWriteChannel();
                    p.waitForFinished(60000);
                    const int rc = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
                    ++commands;
                    if (rc == 6)
                        ++busy;
                    else if (rc != 0)
                        ++otherFailures;
                    else if (command.first() == QLatin1String("login"))
                        ++logins[w];
                }
            });
        for (auto& th : workers)
            th.join();
    }
    gh::SecureBuffer auditCode = std::move(codes->back());
    codes->pop_back();
    auto auditor =
        client.login(kUser, password(), QStringLiteral("bench_dbus"), gh::FactorKind::RecoveryCode, &auditCode);
    if (!auditor)
        return fail("auditor login", auditor.error());
    auto live = client.listSessions(*auditor, true);
    if (!live)
        return fail("listSessions", live.error());
    int mismatched = 0;
    for (std::size_t w = 0; w < users.size(); ++w) {
        int n = 0;
        for (const gh::SessionInfo& si : *live)
            n += si.username == users.at(w) && si.active ? 1 : 0;
        mismatched += n == logins[w] ? 0 : 1;
    }
    auto chain = client.verifyAudit(*auditor);
    if (!chain)
        return fail("verifyAudit", chain.error());

    std::printf("login pairs: %zu; session checks: %zu; revocations: %zu\n", loginMs.size(), checkUs.size(),
                revokeMs.size());
    std::printf("dbus: %.0f µs per session check p50, %.1f× a D-Bus Peer.Ping (%.0f µs); %.1f logins/s from 8 "
                "clients, %.2f× one client (%.1f/s)\n",
                checkP50, checkP50 / pingP50, pingP50, eight, eight / one, one);
    std::printf(
        "revoke: %.0f ms from gatehousectl sessions revoke to the GUI locked, p50 (%zu runs; the command's "
        "start and its own sign-in with password and authenticator code included); %.0f ms from the revoke call, p50\n",
        median(revokeMs), revokeMs.size(), median(callMs));
    std::printf("concurrency: %d commands from 8 gatehousectl processes in %d s: %d busy, %d other failures; "
                "sessions match successful logins for %zu of 8 accounts; audit chain %s (%lld events)\n",
                commands.load(), mixSecs, busy.load(), otherFailures.load(), users.size() - std::size_t(mismatched),
                chain->intact ? "intact" : "BROKEN", static_cast<long long>(chain->events));
    std::printf("login-overhead: %.1f%% over Argon2id (%.2f ms login through gatehoused, %.2f ms Argon2id; median "
                "of %zu interleaved pairs)\n",
                (loginMedian - argonMedian) / argonMedian * 100.0, loginMedian, argonMedian, loginMs.size());
    bus.terminate();
    bus.waitForFinished(3000);
    return 0;
}
