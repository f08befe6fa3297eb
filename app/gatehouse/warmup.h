// Start-up warm-up (issue 15 item 8): work the first frame would wait for, done on a second thread
// while the main thread builds the application object and the engine. It maps the Qt Quick Controls
// plugins the window's imports name (Qt's own dlopen of the same files later only counts a
// reference) and, once the application object exists, loads fontconfig's configuration (which Qt's
// first text layout then finds ready). On a machine with two cores this takes that work off the path
// to the first frame: it comes 4 to 6 ms sooner (README, performance).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace gh::app {

class WarmUp {
public:
    // Call first thing in main(), before the application object and any other thread exist.
    WarmUp();
    ~WarmUp(); // finish()
    WarmUp(const WarmUp&) = delete;
    WarmUp& operator=(const WarmUp&) = delete;

    // The application object exists: fontconfig may be read now. Not before: QGuiApplication's
    // constructor sets the C locale and edits the environment, both of which fontconfig reads.
    void applicationBuilt();
    // Waits for the thread (before exit(), or before the application object is destroyed: Qt's font
    // database frees fontconfig's configuration then). Skips what has not started.
    void finish();

private:
    void run(const std::string& qmlDir);

    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_built = false;
    bool m_finishing = false;
    std::thread m_thread;
};

} // namespace gh::app
