// Issue 10, item 8: a core dump forced with `kill -ABRT` from gatehoused, gatehouse or
// gatehousectl is not written. Each program runs with an empty directory as its cwd, with
// RLIMIT_CORE raised to unlimited for it (so only the program's own gh::disableCoreDumps() can
// prevent the dump), on a private session bus with its own unlocked gnome-keyring
// (dbus-run-session), and is killed with SIGABRT once it runs. No core file may appear in the
// cwd, and /proc/<pid>/limits must show a core size limit of 0 before the kill. When the test
// runs as a uid other than root, the files in /proc/<pid> must be root's (PR_SET_DUMPABLE 0).
//
// The method only sees dumps that the kernel writes into the cwd, i.e. when
// /proc/sys/kernel/core_pattern is a relative file name. The control case (`sleep`, started the
// same way) must leave a core there; when it does not (a pipe to systemd-coredump or apport, a
// hard limit of 0, …) every case is skipped with the reason, never passed.
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <optional>

#include <csignal>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// Runs inside dbus-run-session: a keyring on the private bus, then the program under test in
// place of this shell (so the pid written to $GH_PIDFILE is the program's).
const char* const kLauncher = R"sh(
printf 'gatehouse-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1 || true
i=0
while [ "$i" -lt 50 ] && ! dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
    sleep 0.1; i=$((i + 1))
done
echo $$ > "$GH_PIDFILE"
exec "$@"
)sh";

struct Outcome {
    QString failure;                   // the method could not run (empty when it did)
    QStringList dumps;                 // files named like a core that appeared in the cwd after the kill
    QString coreLimits;                // "soft hard" from /proc/<pid>/limits just before the kill
    QByteArray output;                 // everything the program printed
    std::optional<uint> dumpableOwner; // owner of /proc/<pid>/environ, if it tells the dumpable flag
};

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// "soft hard" of the "Max core file size" line, or an empty string.
QString coreLimits(qint64 pid) {
    const QByteArray limits = readFile(QStringLiteral("/proc/%1/limits").arg(pid));
    for (const QByteArray& line : limits.split('\n')) {
        if (!line.startsWith("Max core file size"))
            continue;
        const QList<QByteArray> words = line.mid(18).simplified().split(' ');
        if (words.size() >= 2)
            return QString::fromLatin1(words[0] + ' ' + words[1]);
    }
    return {};
}

bool alive(qint64 pid) {
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    return close > 0 && stat.size() > close + 2 && stat[close + 2] != 'Z';
}

// The kernel hands the files in /proc/<pid> of a non-dumpable process to root, so their owner
// tells the flag when the process runs as another uid (nullopt when it runs as root).
std::optional<uint> dumpableOwner(qint64 pid) {
    const QFileInfo info(QStringLiteral("/proc/%1/environ").arg(pid));
    const QByteArray status = readFile(QStringLiteral("/proc/%1/status").arg(pid));
    const qsizetype at = status.indexOf("\nUid:");
    if (at < 0 || status.mid(at + 5).simplified().split(' ').value(0) == "0")
        return std::nullopt;
    return info.ownerId();
}

// Children of this process: what is left of a case once dbus-run-session is gone (the keyring,
// a gatehoused that a client started), reparented here because this process is a subreaper.
QList<pid_t> children() {
    QList<pid_t> found;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool number = false;
        const pid_t pid = entry.toInt(&number);
        if (!number)
            continue;
        const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
        const QList<QByteArray> rest = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1 && rest[1].toInt() == ::getpid())
            found.append(pid);
    }
    return found;
}

void endOrphans() {
    for (int round = 0; round < 30; ++round) {
        const QList<pid_t> left = children();
        if (left.isEmpty())
            return;
        for (pid_t pid : left) {
            ::kill(pid, round < 10 ? SIGTERM : SIGKILL);
            ::waitpid(pid, nullptr, WNOHANG);
        }
        QTest::qWait(100);
    }
}

} // namespace

class TestNoCoreDump : public QObject {
    Q_OBJECT

private:
    std::optional<QString> m_controlSkip; // set once the control ran: empty when it saw a dump

    // What the kernel names a core file in the cwd: core_pattern up to its first %-specifier.
    static QString corePrefix() {
        const QString pattern =
            QString::fromLatin1(readFile(QStringLiteral("/proc/sys/kernel/core_pattern"))).trimmed();
        return pattern.left(pattern.indexOf(QLatin1Char('%')));
    }

    // Starts PROGRAM ARGS as described at the top, waits until it runs (and, when `hardened`, has
    // lowered its core limit or 10 s passed), kills it with SIGABRT and reports what it left.
    Outcome abortInEmptyDir(const QString& program, const QStringList& args, bool hardened) {
        Outcome result;
        QTemporaryDir root;
        const QString cwd = root.filePath(QStringLiteral("cwd"));
        const QString pidFile = root.filePath(QStringLiteral("pid"));
        for (const char* dir : {"cwd", "home", "data", "config", "cache", "run"})
            QDir(root.path()).mkdir(QString::fromLatin1(dir));
        QFile::setPermissions(root.filePath(QStringLiteral("run")),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        env.remove(QStringLiteral("GNOME_KEYRING_CONTROL"));
        env.insert(QStringLiteral("HOME"), root.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), root.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), root.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), root.filePath(QStringLiteral("cache")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), root.filePath(QStringLiteral("run")));
        env.insert(QStringLiteral("GH_PIDFILE"), pidFile);

        QProcess process;
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(cwd);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.setChildProcessModifier([] {
            // Own process group (for the clean-up) and the highest core limit allowed.
            ::setpgid(0, 0);
            rlimit limit{};
            ::getrlimit(RLIMIT_CORE, &limit);
            limit.rlim_cur = limit.rlim_max = RLIM_INFINITY;
            if (::setrlimit(RLIMIT_CORE, &limit) != 0) {
                ::getrlimit(RLIMIT_CORE, &limit);
                limit.rlim_cur = limit.rlim_max;
                ::setrlimit(RLIMIT_CORE, &limit);
            }
        });
        process.start(QStringLiteral("dbus-run-session"),
                      QStringList{QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                                  QString::fromLatin1(kLauncher), QStringLiteral("sh"), program} +
                          args);
        const auto cleanUp = qScopeGuard([&] {
            if (process.state() != QProcess::NotRunning) {
                ::kill(-static_cast<pid_t>(process.processId()), SIGKILL);
                process.waitForFinished(10000);
            }
            endOrphans();
        });
        if (!process.waitForStarted(10000)) {
            result.failure = QStringLiteral("dbus-run-session did not start: ") + process.errorString();
            return result;
        }

        // The launcher writes the pid, then execs the program in its place.
        qint64 pid = 0;
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired() && process.state() == QProcess::Running) {
            const QByteArray text = readFile(pidFile);
            if (text.endsWith('\n'))
                pid = text.trimmed().toLongLong();
            if (pid > 0 && readFile(QStringLiteral("/proc/%1/comm").arg(pid)).trimmed() != "sh")
                break;
            QTest::qWait(50);
        }
        deadline.setRemainingTime(10000);
        while (hardened && !deadline.hasExpired() && alive(pid) && coreLimits(pid) != QLatin1String("0 0"))
            QTest::qWait(50);
        QTest::qWait(500); // let it get on with its start-up
        if (pid <= 0 || !alive(pid)) {
            process.waitForFinished(5000);
            result.output = process.readAll();
            result.failure = QStringLiteral("%1 did not stay running").arg(program);
            return result;
        }

        const QStringList before = QDir(cwd).entryList(QDir::Files | QDir::Hidden | QDir::System);
        result.coreLimits = coreLimits(pid);
        result.dumpableOwner = dumpableOwner(pid);
        ::kill(static_cast<pid_t>(pid), SIGABRT);
        // dbus-run-session returns once the program is gone, i.e. after any core was written.
        if (!process.waitForFinished(60000))
            result.failure = QStringLiteral("dbus-run-session did not end after the kill");
        result.output = process.readAll();
        const QString prefix = corePrefix();
        for (const QString& name : QDir(cwd).entryList(QDir::Files | QDir::Hidden | QDir::System))
            if (!before.contains(name) && name.startsWith(prefix))
                result.dumps.append(name);
        return result;
    }

    // Empty when the method sees a dump here; else why it cannot (the cases are skipped).
    QString controlSkipReason() {
        if (m_controlSkip)
            return *m_controlSkip;
        const QByteArray pattern = readFile(QStringLiteral("/proc/sys/kernel/core_pattern")).trimmed();
        if (pattern.startsWith('|') || pattern.contains('/')) {
            m_controlSkip = QStringLiteral("core_pattern is \"%1\": dumps do not land in the process's cwd, where "
                                           "this test looks for them")
                                .arg(QString::fromLatin1(pattern));
            return *m_controlSkip;
        }
        const Outcome control = abortInEmptyDir(QStringLiteral("sleep"), {QStringLiteral("30")}, false);
        if (!control.failure.isEmpty())
            m_controlSkip = QStringLiteral("the control could not run: ") + control.failure;
        else if (control.dumps.isEmpty())
            m_controlSkip = QStringLiteral("the control (sleep, core limit %1, core_pattern \"%2\") left no core, so "
                                           "a missing core would prove nothing")
                                .arg(control.coreLimits, QString::fromLatin1(pattern));
        else
            m_controlSkip = QString();
        return *m_controlSkip;
    }

    void checkProgram(const QString& program, const QStringList& args) {
        if (const QString reason = controlSkipReason(); !reason.isEmpty())
            QSKIP(qPrintable(reason));
        const Outcome outcome = abortInEmptyDir(program, args, true);
        QVERIFY2(outcome.failure.isEmpty(),
                 qPrintable(outcome.failure + QStringLiteral("\n") + QString::fromLocal8Bit(outcome.output)));
        QVERIFY2(outcome.dumps.isEmpty(),
                 qPrintable(
                     QStringLiteral("%1 left a core dump: %2").arg(program, outcome.dumps.join(QStringLiteral(", ")))));
        QCOMPARE(outcome.coreLimits, QStringLiteral("0 0")); // "Max core file size 0 0"
        if (outcome.dumpableOwner)
            QVERIFY2(*outcome.dumpableOwner == 0, "/proc/<pid>/environ is not root's: the program is still dumpable");
        else
            qInfo("PR_SET_DUMPABLE not checked: the program runs as root (its /proc/<pid> files are root's anyway)");
    }

private Q_SLOTS:
    void initTestCase() {
        // Orphans of a case (the keyring, a daemon a client started) become our children.
        QVERIFY(::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0);
    }

    // The method detects a dump: sleep, started and killed the same way, leaves one.
    void control_sleepLeavesCore() {
        if (const QString reason = controlSkipReason(); !reason.isEmpty())
            QSKIP(qPrintable(reason));
    }

    void daemon() { checkProgram(QStringLiteral(GATEHOUSE_DAEMON_PATH), {QStringLiteral("--session")}); }

    void gui() {
        if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            QSKIP("no display (make test provides Xvfb through tests/support/with-services.sh)");
        checkProgram(QStringLiteral(GATEHOUSE_GUI_PATH), {});
    }

    // init waits for the administrator's password on stdin (kept open here).
    void cli() {
        QTemporaryDir vaultDir;
        checkProgram(QStringLiteral(GATEHOUSE_CLI_PATH),
                     {QStringLiteral("--vault"), vaultDir.filePath(QStringLiteral("v.db")), QStringLiteral("init"),
                      QStringLiteral("--admin"), QStringLiteral("alice")});
    }
};

QTEST_GUILESS_MAIN(TestNoCoreDump)
#include "tst_nocoredump.moc"
