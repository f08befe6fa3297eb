// gatehouse-tokenprobe: a minimal third-party client of gatehoused (gh::Client only) for the
// trust-boundary test. Unlike gatehousectl, it hands the session token out, so a test can copy it
// to a process of another uid — exactly what the service must refuse.
//   gatehouse-tokenprobe login USER      password on stdin; prints "<session id> <token hex>"
//   gatehouse-tokenprobe validate        token hex on stdin; prints "ok <username>" or the error
//   gatehouse-tokenprobe logout          token hex on stdin; prints "ok" or the error
#include "gatehouseclient.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    gh::Client client;
    if (gh::Status open = client.openVault(client.serviceDefaultVault()); !open) {
        std::printf("error %s\n", qPrintable(gh::describe(open.error())));
        return gh::exitCodeOf(open.code());
    }
    QTextStream in(stdin);
    const QString line = in.readLine();
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
    if (args.value(1) == QLatin1String("validate")) {
        auto info = client.validate(session);
        if (!info) {
            std::printf("error %s | %s\n", qPrintable(gh::describe(info.error())), qPrintable(info.error().detail));
            return gh::exitCodeOf(info.code());
        }
        std::printf("ok %s\n", qPrintable(info->username));
        return 0;
    }
    std::printf("usage: gatehouse-tokenprobe login USER | validate | logout\n");
    return 2;
}
