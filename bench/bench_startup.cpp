// bench_startup: start of the gatehouse GUI to the first frame of its first real screen, next to a
// bare Qt Quick window (bench_bare_window) measured in the same run (issue 15 item 8). Both windows
// open at the same size (1100×680), so both draw as many pixels. A third program,
// bench_controls_window (the Fusion style, a label, two fields, a button), shows what any Qt Quick
// Controls application pays over the bare window; it has no target.
//
// gatehoused is started once beforehand (session mode, on the session bus of make bench), as on a
// desktop where the service runs. Each launch gets a fresh, empty XDG_DATA_HOME and the hook
// GATEHOUSE_BENCH_FIRST_FRAME: the GUI (=2) prints "first-frame" on stdout at the first frame of
// its first real screen, after the service has answered (first run: the service's vault is empty),
// and exits; the references (=1) at their first frame. The time is spawn → that line read from the
// pipe. One untimed warm-up launch each (page cache, fontconfig), then N rounds (--runs, default
// 15), rotating which program goes first, each launch after a pause (kSettle) on an idle machine: a
// program that has just exited leaves the X server, the bus and the service work to do, which slowed
// whichever launch came next (the Controls window measured 159 ms right after the GUI, 137 ms after
// a pause, which flattered the GUI's ratio). The medians give the last line:
//   startup: <T> ms to first frame, <R>x a bare Qt Quick window
// Target (issue 15): R ≤ 1.3. Then, without a target, one launch with the service stopped, so the
// GUI starts gatehoused itself and waits for it (the first launch of a session), printed before it.
// Needs a display and a session bus (make bench provides both).
//
// Plain POSIX on purpose: the measuring process loads no Qt and does nothing while a child starts.
#include "launch.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <iterator>
#include <optional>

namespace {

using namespace gh::bench;

#ifdef GH_GATEHOUSE_BIN
constexpr const char* kDefaultGatehouse = GH_GATEHOUSE_BIN;
#else
constexpr const char* kDefaultGatehouse = "";
#endif
#ifdef GH_GATEHOUSED_BIN
constexpr const char* kDefaultService = GH_GATEHOUSED_BIN;
#else
constexpr const char* kDefaultService = "";
#endif
constexpr const char* kDefaultBare = GH_BARE_WINDOW_BIN;
constexpr const char* kDefaultControls = GH_CONTROLS_WINDOW_BIN;
constexpr auto kSettle = std::chrono::milliseconds(300); // before every launch (see the top)

struct Launch {
    std::optional<double> ms; // empty: failed, see error
    std::string error;
};

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

// The processes whose environment holds `entry` (NAME=value): what a launch left running.
std::vector<pid_t> processesWith(const std::string& entry) {
    std::vector<pid_t> out;
    DIR* proc = opendir("/proc");
    if (!proc)
        return out;
    while (dirent* d = readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atoi(d->d_name));
        if (pid <= 0)
            continue;
        std::ifstream env("/proc/" + std::string(d->d_name) + "/environ", std::ios::binary);
        std::string item;
        while (std::getline(env, item, '\0'))
            if (item == entry) {
                out.push_back(pid);
                break;
            }
    }
    closedir(proc);
    return out;
}

// `hook`: the value of GATEHOUSE_BENCH_FIRST_FRAME. `stopLeftRunning`: what the launch started and
// left running (the service the GUI started itself, found by the launch's XDG_DATA_HOME) is stopped.
Launch launchOnce(const std::string& exe, int timeoutMs, int hook, bool stopLeftRunning = false) {
    std::this_thread::sleep_for(kSettle);
    Launch result;
    Scratch scratch("gatehouse-bench-startup");
    if (!scratch.ok()) {
        result.error = std::string("mkdtemp: ") + std::strerror(errno);
        return result;
    }
    const fs::path dataHome = scratch.path() / "data";
    const fs::path stderrLog = scratch.path() / "stderr.log";
    fs::create_directories(dataHome);
    const std::vector<std::string> env =
        environmentWith({"XDG_DATA_HOME=" + dataHome.string(), "GATEHOUSE_BENCH_FIRST_FRAME=" + std::to_string(hook)});

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        result.error = std::string("pipe: ") + std::strerror(errno);
        return result;
    }
    const auto start = Clock::now();
    const pid_t pid = spawn({exe}, env, stderrLog, fds[1]);
    close(fds[1]);
    if (pid < 0) {
        result.error = "cannot start " + exe;
        close(fds[0]);
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
        const std::string tail = tailOf(stderrLog, 2000);
        if (!tail.empty())
            result.error += "; its stderr:\n" + tail;
    }
    if (stopLeftRunning)
        for (pid_t left : processesWith("XDG_DATA_HOME=" + dataHome.string()))
            if (left != getpid())
                kill(left, SIGTERM);
    return result;
}

void usage(const char* self) {
    std::fprintf(stderr,
                 "usage: %s [--gatehouse PATH] [--gatehoused PATH] [--bare PATH] [--controls PATH] [--runs N]\n"
                 "          [--timeout-ms MS]\n"
                 "  --gatehouse PATH   the GUI (default: %s)\n"
                 "  --gatehoused PATH  the service, started once beforehand (default: %s)\n"
                 "  --bare PATH        the bare Qt Quick window (default: %s)\n"
                 "  --controls PATH    the Qt Quick Controls window (default: %s)\n"
                 "  --runs N           timed launches of each, interleaved (default: 15)\n"
                 "  --timeout-ms MS    per launch (default: 30000)\n",
                 self, *kDefaultGatehouse ? kDefaultGatehouse : "(none built)",
                 *kDefaultService ? kDefaultService : "(none built)", kDefaultBare, kDefaultControls);
}

} // namespace

int main(int argc, char** argv) {
    std::string gatehouse = kDefaultGatehouse;
    std::string service = kDefaultService;
    std::string bare = kDefaultBare;
    std::string controls = kDefaultControls;
    int runs = 15;
    int timeoutMs = 30000;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--gatehouse" && hasValue) {
            gatehouse = argv[++i];
        } else if (arg == "--gatehoused" && hasValue) {
            service = argv[++i];
        } else if (arg == "--bare" && hasValue) {
            bare = argv[++i];
        } else if (arg == "--controls" && hasValue) {
            controls = argv[++i];
        } else if (arg == "--runs" && hasValue) {
            runs = std::atoi(argv[++i]);
        } else if (arg == "--timeout-ms" && hasValue) {
            timeoutMs = std::atoi(argv[++i]);
        } else {
            usage(argv[0]);
            return arg == "--help" || arg == "-h" ? 0 : 2;
        }
    }
    if (gatehouse.empty() || service.empty()) {
        std::fprintf(stderr,
                     "bench_startup: the GUI or the service was not built; pass --gatehouse and --gatehoused\n");
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
        int hook;
        std::vector<double> samples;
    };
    Program programs[] = {{"bare window", bare, 1, {}}, {"gatehouse", gatehouse, 2, {}}, {"controls", controls, 1, {}}};
    constexpr int kPrograms = std::size(programs);

    Scratch serviceHome("gatehouse-bench-startup");
    std::string error;
    const pid_t servicePid = startService(service, serviceHome, error);
    if (servicePid < 0) {
        std::fprintf(stderr, "bench_startup: %s\n", error.c_str());
        return 1;
    }
    std::printf("start-up to the first frame of the first screen, %d runs each (after one warm-up), gatehoused "
                "running, fresh XDG_DATA_HOME per launch\n",
                runs);
    int rc = 0;
    for (Program& p : programs) {
        const Launch warm = launchOnce(p.path, timeoutMs, p.hook);
        if (!warm.ms) {
            std::fprintf(stderr, "bench_startup: %s (%s): %s\n", p.label, p.path.c_str(), warm.error.c_str());
            rc = 1;
            break;
        }
        std::printf("  warm-up %-12s %8.1f ms\n", p.label, *warm.ms);
    }
    for (int round = 0; round < runs && rc == 0; ++round) {
        // Rotate the order so no program always follows the same one.
        for (int k = 0; k < kPrograms && rc == 0; ++k) {
            Program& p = programs[(round + k) % kPrograms];
            const Launch l = launchOnce(p.path, timeoutMs, p.hook);
            if (!l.ms) {
                std::fprintf(stderr, "bench_startup: %s (%s): %s\n", p.label, p.path.c_str(), l.error.c_str());
                rc = 1;
                break;
            }
            p.samples.push_back(*l.ms);
            std::printf("  run %d %-12s %8.1f ms\n", round + 1, p.label, *l.ms);
        }
        std::fflush(stdout);
    }
    stop(servicePid);
    if (rc != 0)
        return rc;

    // The first launch of a session: nobody owns the name, the GUI starts gatehoused and waits.
    const Launch cold = launchOnce(gatehouse, timeoutMs, 2, true);
    if (!cold.ms) {
        std::fprintf(stderr, "bench_startup: gatehouse starting the service: %s\n", cold.error.c_str());
        return 1;
    }

    const double bareMs = median(programs[0].samples);
    const double guiMs = median(programs[1].samples);
    for (const Program& p : programs) {
        std::printf("%-12s median %7.1f ms  min %7.1f ms  max %7.1f ms\n", p.label, median(p.samples),
                    *std::min_element(p.samples.begin(), p.samples.end()),
                    *std::max_element(p.samples.begin(), p.samples.end()));
    }
    std::printf("gatehouse starting gatehoused itself (no target): %.1f ms\n", *cold.ms);
    std::printf("a Qt Quick Controls window (Fusion; a label, two fields, a button; no target): %.2fx a bare window\n",
                median(programs[2].samples) / bareMs);
    const double ratio = guiMs / bareMs;
    std::printf("target: <= 1.3x (%s)\n", ratio <= 1.3 ? "met" : "NOT met");
    std::printf("startup: %.1f ms to first frame, %.2fx a bare Qt Quick window\n", guiMs, ratio);
    std::fflush(stdout);
    return 0;
}
