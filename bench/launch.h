// What the launch benches share (bench_startup, bench_desktop): scratch folders, the environment
// with overrides, spawning and stopping a child, the service started once beforehand, the tail of
// a log, and the median. Plain POSIX: the measuring processes load no Qt.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace gh::bench {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A scratch directory under /tmp, removed with this object.
class Scratch {
public:
    explicit Scratch(const std::string& prefix = "gatehouse-bench") {
        std::string name = "/tmp/" + prefix + ".XXXXXX";
        if (mkdtemp(name.data()))
            m_path = name;
    }
    ~Scratch() {
        std::error_code ignored;
        if (!m_path.empty())
            fs::remove_all(m_path, ignored);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    bool ok() const { return !m_path.empty(); }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// The environment of this process with `overrides` (NAME=value) put in place.
inline std::vector<std::string> environmentWith(const std::vector<std::string>& overrides) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        const bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                          [&](const std::string& o) { return o.rfind(name + "=", 0) == 0; });
        if (!replaced)
            env.push_back(entry);
    }
    env.insert(env.end(), overrides.begin(), overrides.end());
    return env;
}

// Starts argv[0] with `env`, stdin from /dev/null, stderr to `log`, and stdout to `stdoutFd` when
// one is given (else to `log` too). Returns the pid, or -1.
inline pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const fs::path& log,
                   int stdoutFd = -1) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (stdoutFd >= 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutFd, STDOUT_FILENO);
    else
        posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

// Ends the child: SIGTERM, then SIGKILL after `graceMs`.
inline void stop(pid_t pid, int graceMs = 5000) {
    kill(pid, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::milliseconds(graceMs);
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (Clock::now() >= deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

inline std::string tailOf(const fs::path& file, std::size_t maxBytes = 1500) {
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > maxBytes ? "..." + text.substr(text.size() - maxBytes) : text;
}

inline double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// gatehoused in session mode on this process's session bus, its vault in `home`/data, as on a
// desktop where the service already runs. Returns its pid once it has had time to take the bus
// name, or -1 with `error` (its log) when it could not start or exited.
inline pid_t startService(const std::string& exe, const Scratch& home, std::string& error) {
    fs::create_directories(home.path() / "data");
    const fs::path log = home.path() / "gatehoused.log";
    const pid_t pid = spawn({exe}, environmentWith({"XDG_DATA_HOME=" + (home.path() / "data").string()}), log);
    if (pid < 0) {
        error = "cannot start " + exe;
        return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500)); // it takes the bus name
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
        error = exe + " exited:\n" + tailOf(log);
        return -1;
    }
    return pid;
}

} // namespace gh::bench
