// gatehouse-tokenprobe: a minimal third-party client of gatehoused (gh::Client only) for the
// trust-boundary test. Unlike gatehousectl, it hands the session token out, so a test can copy it
// to a process of another uid — exactly what the service must refuse.
//   gatehouse-tokenprobe login USER      password on stdin; prints "<session id> <token hex>"
//   gatehouse-tokenprobe validate        token hex on stdin; prints "ok <username>" or the error
//   gatehouse-tokenprobe logout          token hex on stdin; prints "ok" or the error
//   gatehouse-tokenprobe enroll-totp USER  password on stdin; enrolls an authenticator (code made here
//                                          from the key) and prints "ok <base32 key>"
//   gatehouse-tokenprobe app-token USER APP PERM…  password and base32 key on stdin; signs in with the
//                                          code of the next time step, asks io.gatehouse.Authority1 for
//                                          an application token; prints "<session id> <token hex>"
//   gatehouse-tokenprobe check PERM      application token hex on stdin; prints
//                                          "allowed|denied <layer> <reason>" or the error
#include "dbusapi.h"
#include "gatehouseclient.h"
#include "verification/totp.h"

#include <QCoreApplication>
#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QTextStream>

#include <cstdio>

namespace {
// io.gatehouse.Authority1 on the service's default vault (system mode: the only one), called on a
// connection of this process (the token is bound to the uid, its signals to this connection).
QDBusMessage authority(const QString& member, const QVariantList& args) {
    const QString address = qEnvironmentVariable(gh::dbus::kBusAddressEnv);
    QDBusConnection bus = address.isEmpty() ? QDBusConnection::systemBus()
                                            : QDBusConnection::connectToBus(address, QStringLiteral("probe"));
    QDBusMessage m = QDBusMessage::createMethodCall(gh::dbus::kService, gh::dbus::kPath, gh::dbus::kAuthority, member);
    m.setArguments(args);
    return bus.call(m, QDBus::Block, 60000);
}
} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    gh::totp::initialise();
    const QStringList args = QCoreApplication::arguments();
    gh::Client client;
    if (gh::Status open = client.openVault(client.serviceDefaultVault()); !open) {
        std::printf("error %s\n", qPrintable(gh::describe(open.error())));
        return gh::exitCodeOf(open.code());
    }
    QTextStream in(stdin);
    const QString line = in.readLine();
    if (args.value(1) == QLatin1String("enroll-totp") || args.value(1) == QLatin1String("app-token")) {
        const bool enroll = args.value(1) == QLatin1String("enroll-totp");
        const QString key = enroll ? QString() : in.readLine().trimmed();
        auto step = client.beginLogin(args.value(2), gh::SecureBuffer::fromUtf8(line), QStringLiteral("tokenprobe"));
        if (!step) {
            std::printf("error %s\n", qPrintable(gh::describe(step.error())));
            return 3;
        }
        gh::Session session;
        if (step->complete) {
            session = std::move(step->session);
        } else {
            const auto seed = gh::totp::base32Decode(key);
            if (!seed) {
                std::printf("error no key\n");
                return 2;
            }
            // The next time step: the enrolment used this one (a code works once, OTP-02).
            const QString code = gh::totp::generate(*seed, QDateTime::currentSecsSinceEpoch() + 30, gh::TotpParams{});
            auto done = client.completeLogin(step->pendingId, gh::FactorKind::Totp, gh::SecureBuffer::fromUtf8(code));
            if (!done) {
                std::printf("error %s | %s\n", qPrintable(gh::describe(done.error())), qPrintable(done.error().detail));
                return 3;
            }
            session = std::move(*done);
        }
        if (enroll) {
            auto e = client.beginTotpEnrollment(session, QStringLiteral("probe"));
            if (!e) {
                std::printf("error %s\n", qPrintable(gh::describe(e.error())));
                return 1;
            }
            const QString base32 = QString::fromLatin1(e->secretBase32.chars(), qsizetype(e->secretBase32.size()));
            const auto seed = gh::totp::base32Decode(base32);
            if (gh::Status c = client.confirmTotp(
                    session, e->factorId, gh::totp::generate(*seed, QDateTime::currentSecsSinceEpoch(), e->params));
                !c) {
                std::printf("error %s | %s\n", qPrintable(gh::describe(c.error())), qPrintable(c.error().detail));
                return 1;
            }
            std::printf("ok %s\n", qPrintable(base32));
            return 0;
        }
        const QDBusMessage r = authority(
            QStringLiteral("IssueAppToken"),
            {QByteArray(session.secret.chars(), qsizetype(session.secret.size())), args.value(3), args.mid(4)});
        if (r.type() != QDBusMessage::ReplyMessage) {
            std::printf("error %s | %s\n", qPrintable(r.errorName()), qPrintable(r.errorMessage()));
            return 1;
        }
        const QString id = qdbus_cast<QVariantMap>(r.arguments().value(0)).value(QStringLiteral("id")).toString();
        std::printf("%s %s\n", qPrintable(id), r.arguments().value(1).toByteArray().toHex().constData());
        return 0;
    }
    if (args.value(1) == QLatin1String("login")) {
        gh::SecureBuffer password = gh::SecureBuffer::fromUtf8(line);
        auto step = client.beginLogin(args.value(2), password, QStringLiteral("tokenprobe"));
        if (!step || !step->complete) {
            std::printf("error %s\n", step ? "second factor needed" : qPrintable(gh::describe(step.error())));
            return 3;
        }
        gh::SecureBuffer hex = step->session.secret.toHex();
        std::printf("%s %.*s\n", qPrintable(step->session.info.id), int(hex.size()), hex.chars());
        return 0;
    }
    bool good = false;
    const QByteArray text = line.toLatin1();
    gh::Session session;
    session.secret = gh::SecureBuffer::fromHex(text.constData(), std::size_t(text.size()), &good);
    if (args.value(1) == QLatin1String("logout")) {
        if (gh::Status s = client.logout(session); !s) {
            std::printf("error %s | %s\n", qPrintable(gh::describe(s.error())), qPrintable(s.error().detail));
            return gh::exitCodeOf(s.code());
        }
        std::printf("ok\n");
        return 0;
    }
    if (args.value(1) == QLatin1String("check")) {
        const QDBusMessage r =
            authority(QStringLiteral("CheckPermission"),
                      {QByteArray(session.secret.chars(), qsizetype(session.secret.size())), args.value(2)});
        if (r.type() != QDBusMessage::ReplyMessage) {
            std::printf("error %s | %s\n", qPrintable(r.errorName()), qPrintable(r.errorMessage()));
            return 1;
        }
        std::printf("%s %s %s\n", r.arguments().value(0).toBool() ? "allowed" : "denied",
                    qPrintable(r.arguments().value(1).toString()), qPrintable(r.arguments().value(2).toString()));
        return 0;
    }
    if (args.value(1) == QLatin1String("validate")) {
        auto info = client.validate(session);
        if (!info) {
            std::printf("error %s | %s\n", qPrintable(gh::describe(info.error())), qPrintable(info.error().detail));
            return gh::exitCodeOf(info.code());
        }
        std::printf("ok %s\n", qPrintable(info->username));
        return 0;
    }
    std::printf("usage: gatehouse-tokenprobe login USER | validate | logout | enroll-totp USER | app-token USER APP "
                "PERM... | check PERM\n");
    return 2;
}
