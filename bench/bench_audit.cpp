// bench_audit: the audit log at 1,000,000 events (DESIGN.md performance targets, audit row).
//
// A real SQLCipher vault in a temporary directory is filled with 1,000,000 events through
// AuditLog::appendBatch (batches of 10,000, one durable commit each): 1,000 accounts, a realistic mix
// of layers and outcomes (about 5% L4 denials, 5% failures under names that are no account), each
// event recording its accounts' ids and its caller's origin as the service does. Then, on that vault:
//   query_user_newest100     newest 100 events by or about one user (AuditLog::query, user filter)
//   query_l4_denied_newest100 newest 100 denied events in L4 (layer + outcome filter)
//   verify_1M                the whole chain (AuditLog::verify)
//   append_batch_1000        1,000 more events in one durable transaction (synchronous=FULL, WAL);
//                            the result line's rate (append_batch_10000 is printed beside it)
// Medians of the repetitions; the last line reads
//   audit: <Q> ms newest-100-for-user, <V> ms verify-1M, <W> events/s append
// Targets: Q ≤ 2 ms, V ≤ 1,500 ms, W ≥ 20,000 events/s.
#include "audit/auditlog.h"
#include "crypto/primitives.h"
#include "crypto/random.h"
#include "vault/vault.h"

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <vector>

namespace {

class MemoryKeyStore final : public gh::KeyStore {
public:
    gh::Result<gh::SecureBuffer> read(const QString& entry) override {
        const auto it = m_keys.constFind(entry);
        if (it == m_keys.constEnd())
            return gh::Errc::KeyMissing;
        return gh::SecureBuffer::fromBytes(*it);
    }
    gh::Status write(const QString& entry, const gh::SecureBuffer& key) override {
        m_keys.insert(entry, QByteArray(key.chars(), static_cast<qsizetype>(key.size())));
        return gh::ok();
    }
    gh::Status remove(const QString& entry) override {
        m_keys.remove(entry);
        return gh::ok();
    }
    QString describe() const override { return QStringLiteral("memory (benchmark)"); }
    // The anti-rollback anchor as system mode keeps it (issue 17): a file written with fsync and
    // rename after every commit, so the append numbers include its cost.
    gh::Result<std::optional<QByteArray>> readAnchor(const QString&) override {
        return gh::anchor::readFile(anchorFile);
    }
    gh::Status writeAnchor(const QString&, const QByteArray& data) override {
        return gh::anchor::writeFileDurably(anchorFile, data);
    }
    QString anchorFile;

private:
    QHash<QString, QByteArray> m_keys;
};

class CollectingReporter final : public benchmark::ConsoleReporter {
public:
    CollectingReporter() : ConsoleReporter(OO_Tabular) {}
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& run : runs)
            if (!run.error_occurred && run.run_type != Run::RT_Aggregate)
                m_samples[run.run_name.function_name].push_back(run.GetAdjustedRealTime() * scale(run.time_unit));
        ConsoleReporter::ReportRuns(runs);
    }
    bool medianMs(const std::string& name, double* out) const {
        const auto it = m_samples.find(name);
        if (it == m_samples.end() || it->second.empty())
            return false;
        std::vector<double> v = it->second;
        std::sort(v.begin(), v.end());
        const std::size_t n = v.size();
        *out = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
        return true;
    }

private:
    static double scale(benchmark::TimeUnit unit) {
        switch (unit) {
        case benchmark::kNanosecond:
            return 1e-6;
        case benchmark::kMicrosecond:
            return 1e-3;
        case benchmark::kMillisecond:
            return 1.0;
        case benchmark::kSecond:
            return 1e3;
        }
        return 1.0;
    }
    std::map<std::string, std::vector<double>> m_samples;
};

class WallClock final : public gh::Clock {
public:
    QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
    qint64 monotonicMs() const override { return m_timer.elapsed(); }
    WallClock() { m_timer.start(); }

private:
    QElapsedTimer m_timer;
};

constexpr int kEvents = 1000000;
constexpr int kUsers = 1000;
constexpr int kFillBatch = 10000;
constexpr int kAppendBatch = 1000;

// Deterministic mix: i → (actor, action, layer, outcome, subject).
gh::AuditEvent eventNumber(qint64 i) {
    static const QStringList users = [] {
        QStringList u;
        for (int k = 0; k < kUsers; ++k)
            u << QStringLiteral("user%1").arg(k, 4, 10, QLatin1Char('0'));
        return u;
    }();
    const quint64 h = static_cast<quint64>(i) * 0x9E3779B97F4A7C15ull;
    const QString& user = users[static_cast<int>((h >> 20) % kUsers)];
    gh::AuditEvent e;
    e.actor = user;
    e.subject = user;
    switch ((h >> 40) % 20) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
        e.action = QStringLiteral("login.succeeded");
        e.layer = gh::Layer::Verification;
        e.outcome = gh::Outcome::Allowed;
        e.factor = gh::FactorCategory::Knowledge;
        e.detail = QStringLiteral("password,totp");
        break;
    case 10:
    case 11:
    case 12:
        e.action = QStringLiteral("login.failed");
        e.layer = gh::Layer::Verification;
        e.outcome = gh::Outcome::Failed;
        e.factor = gh::FactorCategory::Knowledge;
        e.detail = QStringLiteral("wrong password or unknown user");
        break;
    case 13: // a name that is no account (a typo, or someone trying names)
        e.action = QStringLiteral("login.failed");
        e.layer = gh::Layer::Verification;
        e.outcome = gh::Outcome::Failed;
        e.factor = gh::FactorCategory::Knowledge;
        e.actor = e.subject = QStringLiteral("guest%1").arg(i % 5000);
        e.detail = QStringLiteral("wrong password or unknown user");
        break;
    case 14:
    case 15:
        e.action = QStringLiteral("session.issued");
        e.layer = gh::Layer::Session;
        e.outcome = gh::Outcome::Allowed;
        e.subject = QStringLiteral("s%1").arg(i);
        e.detail = QStringLiteral("gatehouse; AAL2; login");
        break;
    case 16:
        e.action = QStringLiteral("access.denied");
        e.layer = gh::Layer::Access;
        e.outcome = gh::Outcome::Denied;
        e.subject = QStringLiteral("users.manage");
        e.detail = QStringLiteral("role 'operator'");
        break;
    case 17:
        e.action = QStringLiteral("session.expired");
        e.layer = gh::Layer::Session;
        e.outcome = gh::Outcome::Denied;
        e.subject = QStringLiteral("s%1").arg(i - 100);
        e.detail = QStringLiteral("idle 30 min");
        break;
    case 18:
        e.action = QStringLiteral("user.created");
        e.layer = gh::Layer::Access;
        e.outcome = gh::Outcome::Allowed;
        e.actor = users[0];
        break;
    default:
        e.action = QStringLiteral("vault.opened");
        e.layer = gh::Layer::Storage;
        e.outcome = gh::Outcome::Info;
        e.actor = QStringLiteral("system");
        e.subject = QStringLiteral("/home/lab/.local/share/gatehouse/vault.db");
        e.detail = QStringLiteral("Secret Service");
        break;
    }
    // The account ids the service records beside the names (0: not an account), as since schema 7.
    const auto idOf = [](const QString& name) -> qint64 {
        return name.startsWith(QLatin1String("user")) ? name.mid(4).toLongLong() + 1 : 0;
    };
    e.actorId = idOf(e.actor);
    e.subjectId = idOf(e.subject);
    // The caller as the bus vouched for it, as gatehoused records it since schema 11.
    // A gatehousectl run records about four events (sign-in, session, the command, sign-out),
    // each with a new pid and bus name: a new origin every 4 events.
    const qint64 process = i / 4;
    e.origin = QStringLiteral("gatehousectl (uid %1, pid %2, pts/3, bus :1.%3)")
                   .arg(1000 + process % 50)
                   .arg(2000 + process % 30000)
                   .arg(process);
    return e;
}

QList<gh::AuditEvent> batchFrom(qint64 first, int count) {
    QList<gh::AuditEvent> out;
    out.reserve(count);
    for (int k = 0; k < count; ++k)
        out.append(eventNumber(first + k));
    return out;
}

double processCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int fail(const char* what, const gh::Error& error) {
    std::fprintf(stderr, "bench_audit: %s: %s (%s)\n", what, qPrintable(gh::describe(error)), qPrintable(error.detail));
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    QCoreApplication app(argc, argv);
    if (!gh::crypto::initialise()) {
        std::fprintf(stderr, "bench_audit: libsodium failed to initialise\n");
        return 1;
    }
    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_audit: no temporary directory\n");
        return 1;
    }
    MemoryKeyStore keys;
    keys.anchorFile = dir.filePath(QStringLiteral("audit.anchor"));
    gh::SystemRandom random;
    WallClock clock;
    auto vault = gh::Vault::create(dir.filePath(QStringLiteral("audit.db")), keys, random);
    if (!vault)
        return fail("create vault", vault.error());
    // The 1,000 accounts the events name (ids 1–1000, as eventNumber() records them).
    {
        QStringList rows;
        for (int k = 0; k < kUsers; ++k)
            rows << QStringLiteral("(%1, 'user%2', 'x', 0)").arg(k + 1).arg(k, 4, 10, QLatin1Char('0'));
        const QByteArray sql =
            "INSERT INTO users(id, username, password_hash, created_at) VALUES " + rows.join(u',').toUtf8();
        if (gh::Status s = (*vault)->db().exec(sql.constData()); !s)
            return fail("accounts", s.error());
    }
    gh::AuditLog log(**vault, clock);

    QElapsedTimer fillTimer;
    fillTimer.start();
    for (qint64 first = 0; first < kEvents; first += kFillBatch) {
        if (gh::Status s = log.appendBatch(batchFrom(first, kFillBatch)); !s)
            return fail("fill", s.error());
    }
    const double fillSecs = static_cast<double>(fillTimer.elapsed()) / 1000.0;
    std::printf("filled %d events in %.1f s (%.0f events/s, batches of %d)\n", kEvents, fillSecs, kEvents / fillSecs,
                kFillBatch);

    gh::AuditQuery forUser;
    forUser.user = QStringLiteral("user0421");
    forUser.limit = 100;
    gh::AuditQuery deniedL4;
    deniedL4.layer = gh::Layer::Access;
    deniedL4.outcome = gh::Outcome::Denied;
    deniedL4.limit = 100;
    // Correctness before timing: full pages of the right events.
    for (const gh::AuditQuery* q : {&forUser, &deniedL4}) {
        auto page = log.query(*q);
        if (!page)
            return fail("query", page.error());
        if (page->events.size() != 100) {
            std::fprintf(stderr, "bench_audit: a query returned %lld events, not 100\n",
                         static_cast<long long>(page->events.size()));
            return 1;
        }
    }

    benchmark::RegisterBenchmark("query_user_newest100",
                                 [&](benchmark::State& state) {
                                     for (auto _ : state) {
                                         auto page = log.query(forUser);
                                         benchmark::DoNotOptimize(page);
                                     }
                                 })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(50)
        ->Repetitions(5);
    benchmark::RegisterBenchmark("query_l4_denied_newest100",
                                 [&](benchmark::State& state) {
                                     for (auto _ : state) {
                                         auto page = log.query(deniedL4);
                                         benchmark::DoNotOptimize(page);
                                     }
                                 })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(50)
        ->Repetitions(5);
    bool intact = true;
    std::vector<double> verifyCpuMs; // process CPU time (all verify threads), next to the wall time
    benchmark::RegisterBenchmark("verify_1M",
                                 [&](benchmark::State& state) {
                                     for (auto _ : state) {
                                         const double cpu0 = processCpuMs();
                                         auto report = log.verify();
                                         verifyCpuMs.push_back(processCpuMs() - cpu0);
                                         if (!report || !report->intact || report->events < kEvents)
                                             intact = false;
                                     }
                                 })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1)
        ->Repetitions(3);
    qint64 next = kEvents;
    benchmark::RegisterBenchmark("append_batch_1000",
                                 [&](benchmark::State& state) {
                                     for (auto _ : state) {
                                         state.PauseTiming();
                                         QList<gh::AuditEvent> batch = batchFrom(next, kAppendBatch);
                                         next += kAppendBatch;
                                         state.ResumeTiming();
                                         if (gh::Status s = log.appendBatch(std::move(batch)); !s) {
                                             state.SkipWithError(qPrintable(gh::describe(s.error())));
                                             break;
                                         }
                                     }
                                 })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(5)
        ->Repetitions(5);

    benchmark::RegisterBenchmark("append_batch_10000",
                                 [&](benchmark::State& state) {
                                     for (auto _ : state) {
                                         state.PauseTiming();
                                         QList<gh::AuditEvent> batch = batchFrom(next, 10 * kAppendBatch);
                                         next += 10 * kAppendBatch;
                                         state.ResumeTiming();
                                         if (gh::Status s = log.appendBatch(std::move(batch)); !s) {
                                             state.SkipWithError(qPrintable(gh::describe(s.error())));
                                             break;
                                         }
                                     }
                                 })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(2)
        ->Repetitions(3);

    CollectingReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();

    double q = 0, d = 0, v = 0, a = 0;
    if (!reporter.medianMs("query_user_newest100", &q) || !reporter.medianMs("query_l4_denied_newest100", &d) ||
        !reporter.medianMs("verify_1M", &v) || !reporter.medianMs("append_batch_1000", &a) || a <= 0) {
        std::fprintf(stderr, "bench_audit: every benchmark must run to compute the result line\n");
        return 1;
    }
    if (!intact) {
        std::fprintf(stderr, "bench_audit: verify() did not find the chain intact\n");
        return 1;
    }
    const double perSec = kAppendBatch / (a / 1000.0);
    std::sort(verifyCpuMs.begin(), verifyCpuMs.end());
    double a10 = 0;
    if (reporter.medianMs("append_batch_10000", &a10) && a10 > 0)
        std::printf("append in batches of 10,000: %.0f events/s\n", 10 * kAppendBatch / (a10 / 1000.0));
    std::printf("verify-1M: %.0f ms wall, %.0f ms CPU summed over its %d threads (median)\n", v,
                verifyCpuMs.empty() ? 0.0 : verifyCpuMs[verifyCpuMs.size() / 2],
                std::clamp(QThread::idealThreadCount(), 2, 4));
    std::printf("newest 100 denied in L4: %.3f ms (target <= 2 ms: %s)\n", d, d <= 2.0 ? "met" : "NOT met");
    std::printf("targets: newest-100-for-user <= 2 ms (%s), verify-1M <= 1500 ms (%s), append >= 20000/s (%s)\n",
                q <= 2.0 ? "met" : "NOT met", v <= 1500.0 ? "met" : "NOT met", perSec >= 20000 ? "met" : "NOT met");
    std::printf("audit: %.3f ms newest-100-for-user, %.0f ms verify-1M, %.0f events/s append\n", q, v, perSec);
    std::fflush(stdout);
    return 0;
}
