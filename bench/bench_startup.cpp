// bench_startup: cold start of the gatehouse GUI to the first frame of its first screen, next to
// a bare Qt Quick window (bench_bare_window) measured in the same run.
//
// Each launch gets a fresh, empty XDG_DATA_HOME (so the GUI shows its first-run screen) and
// GATEHOUSE_BENCH_FIRST_FRAME=1, which makes both programs print "first-frame" on stdout at their
// first QQuickWindow::frameSwapped and exit. The time is spawn → that line read from the pipe.
// One untimed warm-up launch each (page cache, fontconfig), then N rounds, alternating which
// program goes first; the medians give the last line:
//   startup: <T> ms to first frame, <R>x a bare Qt Quick window
// Target (DESIGN.md): R ≤ 1.5. Needs a display (make bench provides Xvfb).
//
// Plain POSIX on purpose: the measuring process loads no Qt and does nothing while a child starts.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

#ifdef GH_GATEHOUSE_BIN
constexpr const char* kDefaultGatehouse = GH_GATEHOUSE_BIN;
#else
constexpr const char* kDefaultGatehouse = "";
#endif
constexpr const char* kDefaultBare = GH_BARE_WINDOW_BIN;

using Clock = std::chrono::steady_clock;

struct Launch {
    std::optional<double> ms; // empty: failed, see error
    std::string error;
};

std::string readTail(const std::filesystem::path& file, std::size_t maxBytes = 2000) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    return text.size() > maxBytes ? "…" + text.substr(text.size() - maxBytes) : text;
}

// Waits for the child to exit, killing it after `graceMs`. Returns its wait status.
int reap(pid_t pid, int graceMs) {
    int status = 0;
    const auto deadline = Clock::now() + std::chrono::milliseconds(graceMs);
    while (true) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return status;
        if (Clock::now() >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return status;
        }
        usleep(2000);
    }
}

Launch launchOnce(const std::string& exe, int timeoutMs) {
    namespace fs = std::filesystem;
    Launch result;

    char scratchTemplate[] = "/tmp/gatehouse-bench-startup.XXXXXX";
    if (!mkdtemp(scratchTemplate)) {
        result.error = std::string("mkdtemp: ") + std::strerror(errno);
        return result;
    }
    const fs::path scratch = scratchTemplate;
    const fs::path dataHome = scratch / "data";
    const fs::path stderrLog = scratch / "stderr.log";
    fs::create_directories(dataHome);

    // The inherited environment (DISPLAY, D-Bus, …) with a fresh data home and the hook on.
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        if (std::strncmp(*e, "XDG_DATA_HOME=", 14) != 0 && std::strncmp(*e, "GATEHOUSE_BENCH_FIRST_FRAME=", 28) != 0)
            env.emplace_back(*e);
    }
    env.push_back("XDG_DATA_HOME=" + dataHome.string());
    env.emplace_back("GATEHOUSE_BENCH_FIRST_FRAME=1");
    std::vector<char*> envp;
    for (std::string& s : env)
        envp.push_back(s.data());
    envp.push_back(nullptr);

    std::string exeArg = exe;
    char* argv[] = {exeArg.data(), nullptr};

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        result.error = std::string("pipe: ") + std::strerror(errno);
        fs::remove_all(scratch);
        return result;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderrLog.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

    const auto start = Clock::now();
    pid_t pid = 0;
    const int spawnError = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (spawnError != 0) {
        result.error = "cannot start " + exe + ": " + std::strerror(spawnError);
        close(fds[0]);
        fs::remove_all(scratch);
        return result;
    }

    // Read stdout line by line until "first-frame", EOF or the timeout.
    std::string buffer;
    bool seen = false;
    const auto deadline = start + std::chrono::milliseconds(timeoutMs);
    while (!seen) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            result.error = "no first-frame line within " + std::to_string(timeoutMs) + " ms";
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        const int r = poll(&p, 1, static_cast<int>(left));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue; // timeout is handled at the top
        char chunk[4096];
        const ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            result.error = "exited without printing first-frame";
            break;
        }
        const auto now = Clock::now();
        buffer.append(chunk, static_cast<std::size_t>(n));
        std::size_t lineStart = 0, newline;
        while ((newline = buffer.find('\n', lineStart)) != std::string::npos) {
            std::string line = buffer.substr(lineStart, newline - lineStart);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            lineStart = newline + 1;
            if (line == "first-frame") {
                result.ms = std::chrono::duration<double, std::milli>(now - start).count();
                seen = true;
                break;
            }
        }
        buffer.erase(0, lineStart);
    }
    close(fds[0]);

    const int status = reap(pid, seen ? 10000 : 0);
    if (seen && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        std::fprintf(stderr, "bench_startup: note: %s did not exit cleanly after its first frame (status %d)\n",
                     exe.c_str(), status);
    if (!seen) {
        const std::string tail = readTail(stderrLog);
        if (!tail.empty())
            result.error += "; its stderr:\n" + tail;
    }
    fs::remove_all(scratch);
    return result;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

void usage(const char* self) {
    std::fprintf(stderr,
                 "usage: %s [--gatehouse PATH] [--bare PATH] [--runs N] [--timeout-ms MS]\n"
                 "  --gatehouse PATH  the GUI (default: %s)\n"
                 "  --bare PATH       the bare Qt Quick window (default: %s)\n"
                 "  --runs N          timed launches of each, interleaved (default: 9)\n"
                 "  --timeout-ms MS   per launch (default: 30000)\n",
                 self, *kDefaultGatehouse ? kDefaultGatehouse : "(none built)", kDefaultBare);
}

} // namespace

int main(int argc, char** argv) {
    std::string gatehouse = kDefaultGatehouse;
    std::string bare = kDefaultBare;
    int runs = 9;
    int timeoutMs = 30000;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--gatehouse" && hasValue) {
            gatehouse = argv[++i];
        } else if (arg == "--bare" && hasValue) {
            bare = argv[++i];
        } else if (arg == "--runs" && hasValue) {
            runs = std::atoi(argv[++i]);
        } else if (arg == "--timeout-ms" && hasValue) {
            timeoutMs = std::atoi(argv[++i]);
        } else {
            usage(argv[0]);
            return arg == "--help" || arg == "-h" ? 0 : 2;
        }
    }
    if (gatehouse.empty()) {
        std::fprintf(stderr, "bench_startup: the gatehouse GUI was not built; pass --gatehouse PATH\n");
        return 1;
    }
    if (runs < 1 || timeoutMs < 1) {
        usage(argv[0]);
        return 2;
    }
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM")) {
        std::fprintf(stderr, "bench_startup: no display; run under tests/support/with-services.sh (make bench)\n");
        return 1;
    }

    struct Program {
        const char* label;
        std::string path;
        std::vector<double> samples;
    };
    Program programs[] = {{"bare window", bare, {}}, {"gatehouse", gatehouse, {}}};

    std::printf("start-up to first frame, %d runs each (after one warm-up), fresh XDG_DATA_HOME per launch\n", runs);
    for (Program& p : programs) {
        const Launch warm = launchOnce(p.path, timeoutMs);
        if (!warm.ms) {
            std::fprintf(stderr, "bench_startup: %s (%s): %s\n", p.label, p.path.c_str(), warm.error.c_str());
            return 1;
        }
        std::printf("  warm-up %-12s %8.1f ms\n", p.label, *warm.ms);
    }
    for (int round = 0; round < runs; ++round) {
        // Alternate the order so neither program always follows the other.
        for (int k = 0; k < 2; ++k) {
            Program& p = programs[(round + k) % 2];
            const Launch l = launchOnce(p.path, timeoutMs);
            if (!l.ms) {
                std::fprintf(stderr, "bench_startup: %s (%s): %s\n", p.label, p.path.c_str(), l.error.c_str());
                return 1;
            }
            p.samples.push_back(*l.ms);
            std::printf("  run %d %-12s %8.1f ms\n", round + 1, p.label, *l.ms);
        }
        std::fflush(stdout);
    }

    const double bareMs = median(programs[0].samples);
    const double guiMs = median(programs[1].samples);
    for (const Program& p : programs) {
        std::printf("%-12s median %7.1f ms  min %7.1f ms  max %7.1f ms\n", p.label, median(p.samples),
                    *std::min_element(p.samples.begin(), p.samples.end()),
                    *std::max_element(p.samples.begin(), p.samples.end()));
    }
    const double ratio = guiMs / bareMs;
    std::printf("target: <= 1.5x (%s)\n", ratio <= 1.5 ? "met" : "NOT met");
    std::printf("startup: %.1f ms to first frame, %.2fx a bare Qt Quick window\n", guiMs, ratio);
    std::fflush(stdout);
    return 0;
}
