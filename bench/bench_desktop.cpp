// bench_desktop: how soon the gatehouse window is on screen, next to KeePassXC measured in the
// same run, and how much memory the GUI holds once it is idle (issue 15 item 8).
//
// The measuring process watches the X server's root window (SubstructureNotify) and times each
// launch from spawn to the MapNotify of the program's first top-level window: the moment a window
// manager would show it. gatehoused is started once beforehand (the GUI finds it on the bus, as on
// a desktop where the service is already running); each launch gets fresh, empty XDG_CONFIG_HOME,
// XDG_DATA_HOME and XDG_CACHE_HOME, so both programs show their first screen (gatehouse: the
// first-run set-up, KeePassXC: its welcome page). One untimed warm-up launch of each, then N rounds
// (--runs, default 15) alternating which program goes first. After each gatehouse launch the bench
// waits --idle-ms (default 3000) and reads the GUI's resident set (VmRSS) before closing it.
// Last line:
//   desktop: <M> ms to mapped window, <K>× KeePassXC, <R> MiB idle RSS
// M is gatehouse's median, K the ratio of the two medians, R the largest idle RSS of all launches.
// Targets: K < 1 and R ≤ 150. Needs a display and a session bus (make bench provides both) and
// KeePassXC (`make bench` installs it: installer/deps.sh --bench).
//
// Plain POSIX and xcb: the measuring process loads no Qt.
#include "launch.h"

#include <xcb/xcb.h>

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
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

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

using namespace gh::bench;

struct Options {
    std::string gatehouse = kDefaultGatehouse;
    std::string service = kDefaultService;
    std::string keepassxc = "/usr/bin/keepassxc";
    int runs = 15;
    int idleMs = 3000;
    int timeoutMs = 30000;
};

struct Launch {
    std::optional<double> mappedMs; // empty: failed, see error
    std::optional<double> idleRssMiB;
    std::string error;
};

std::optional<double> residentMiB(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtod(line.c_str() + 6, nullptr) / 1024.0; // kB
    return std::nullopt;
}

// The X connection that sees every top-level window being mapped.
class MapWatcher {
public:
    bool open() {
        m_conn = xcb_connect(nullptr, nullptr);
        if (!m_conn || xcb_connection_has_error(m_conn))
            return false;
        m_root = xcb_setup_roots_iterator(xcb_get_setup(m_conn)).data->root;
        const uint32_t mask = XCB_EVENT_MASK_SUBSTRUCTURE_NOTIFY;
        xcb_change_window_attributes(m_conn, m_root, XCB_CW_EVENT_MASK, &mask);
        xcb_flush(m_conn);
        return true;
    }
    ~MapWatcher() {
        if (m_conn)
            xcb_disconnect(m_conn);
    }
    // Drops what happened before a launch.
    void drain() {
        while (xcb_generic_event_t* e = xcb_poll_for_event(m_conn))
            std::free(e);
    }
    // Waits for a top-level window (not override-redirect: no tooltip or popup) to be mapped;
    // false on timeout or when `alive` says the child has gone.
    template <class Alive> bool waitForMap(Clock::time_point deadline, Alive alive) {
        const int fd = xcb_get_file_descriptor(m_conn);
        while (Clock::now() < deadline) {
            while (xcb_generic_event_t* e = xcb_poll_for_event(m_conn)) {
                const bool mapped = (e->response_type & 0x7f) == XCB_MAP_NOTIFY &&
                                    !reinterpret_cast<xcb_map_notify_event_t*>(e)->override_redirect;
                std::free(e);
                if (mapped)
                    return true;
            }
            if (xcb_connection_has_error(m_conn) || !alive())
                return false;
            pollfd p{fd, POLLIN, 0};
            poll(&p, 1, 20);
        }
        return false;
    }

private:
    xcb_connection_t* m_conn = nullptr;
    xcb_window_t m_root = 0;
};

Launch launchOnce(MapWatcher& x, const std::string& exe, const Options& o, bool measureRss) {
    Launch result;
    Scratch home("gatehouse-bench-desktop");
    if (!home.ok()) {
        result.error = "cannot create a scratch directory";
        return result;
    }
    for (const char* d : {"config", "data", "cache"})
        fs::create_directories(home.path() / d);
    const fs::path log = home.path() / "output.log";
    const std::vector<std::string> env = environmentWith({
        "XDG_CONFIG_HOME=" + (home.path() / "config").string(),
        "XDG_DATA_HOME=" + (home.path() / "data").string(),
        "XDG_CACHE_HOME=" + (home.path() / "cache").string(),
    });
    x.drain();
    const auto start = Clock::now();
    const pid_t pid = spawn({exe}, env, log);
    if (pid < 0) {
        result.error = "cannot start " + exe;
        return result;
    }
    bool exited = false;
    const bool mapped = x.waitForMap(start + std::chrono::milliseconds(o.timeoutMs), [&] {
        int status = 0;
        exited = waitpid(pid, &status, WNOHANG) == pid;
        return !exited;
    });
    const auto end = Clock::now();
    if (!mapped) {
        result.error = exe + (exited ? " exited" : " mapped no window in time") + "; its output:\n" + tailOf(log);
        if (!exited)
            stop(pid);
        return result;
    }
    result.mappedMs = std::chrono::duration<double, std::milli>(end - start).count();
    if (measureRss) {
        std::this_thread::sleep_for(std::chrono::milliseconds(o.idleMs));
        result.idleRssMiB = residentMiB(pid);
    }
    stop(pid);
    return result;
}

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--gatehouse" && hasValue)
            o.gatehouse = argv[++i];
        else if (a == "--gatehoused" && hasValue)
            o.service = argv[++i];
        else if (a == "--keepassxc" && hasValue)
            o.keepassxc = argv[++i];
        else if (a == "--runs" && hasValue)
            o.runs = std::max(1, std::atoi(argv[++i]));
        else if (a == "--idle-ms" && hasValue)
            o.idleMs = std::max(0, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: bench_desktop [--gatehouse PATH] [--gatehoused PATH] [--keepassxc PATH] "
                                 "[--runs N] [--idle-ms MS]\n");
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o))
        return 2;
    for (const std::string& exe : {o.gatehouse, o.service, o.keepassxc})
        if (exe.empty() || access(exe.c_str(), X_OK) != 0) {
            std::fprintf(stderr,
                         "bench_desktop: %s is not an executable (see --help; KeePassXC: make bench "
                         "installs it)\n",
                         exe.empty() ? "(no path)" : exe.c_str());
            return 1;
        }
    MapWatcher x;
    if (!x.open()) {
        std::fprintf(stderr, "bench_desktop: no X display (run it through make bench)\n");
        return 1;
    }
    // The service, already running as on a desktop; its vault in its own scratch home.
    Scratch serviceHome("gatehouse-bench-desktop");
    std::string error;
    const pid_t service = startService(o.service, serviceHome, error);
    if (service < 0) {
        std::fprintf(stderr, "bench_desktop: %s\n", error.c_str());
        return 1;
    }

    int rc = 0;
    std::vector<double> gatehouse, keepassxc, rss;
    auto once = [&](bool isGatehouse, bool timed) {
        const Launch l = launchOnce(x, isGatehouse ? o.gatehouse : o.keepassxc, o, isGatehouse && timed);
        if (!l.mappedMs) {
            std::fprintf(stderr, "bench_desktop: %s\n", l.error.c_str());
            rc = 1;
            return;
        }
        if (!timed)
            return;
        (isGatehouse ? gatehouse : keepassxc).push_back(*l.mappedMs);
        if (l.idleRssMiB)
            rss.push_back(*l.idleRssMiB);
        std::printf("%-10s %8.1f ms to mapped window%s\n", isGatehouse ? "gatehouse" : "keepassxc", *l.mappedMs,
                    l.idleRssMiB ? (", " + std::to_string(int(*l.idleRssMiB + 0.5)) + " MiB idle RSS").c_str() : "");
        std::fflush(stdout);
    };
    once(true, false); // warm-up: page cache, fontconfig, the service's first answers
    once(false, false);
    for (int round = 0; round < o.runs && rc == 0; ++round) {
        const bool gatehouseFirst = round % 2 == 0;
        once(gatehouseFirst, true);
        once(!gatehouseFirst, true);
    }
    stop(service);
    if (rc != 0 || gatehouse.empty() || keepassxc.empty() || rss.empty())
        return 1;
    const double m = median(gatehouse);
    const double k = m / median(keepassxc);
    const double r = *std::max_element(rss.begin(), rss.end());
    std::printf("KeePassXC median %.1f ms (%zu launches each); target K < 1 and R <= 150: %s\n", median(keepassxc),
                gatehouse.size(), k < 1 && r <= 150 ? "met" : "NOT met");
    std::printf("desktop: %.1f ms to mapped window, %.2fx KeePassXC, %.0f MiB idle RSS\n", m, k, r);
    return 0;
}
