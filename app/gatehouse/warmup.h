// Start-up warm-up (issue 15 item 8): while the main thread builds the application object (the
// platform plugin, the X connection, the input methods), a second thread does work the first frame
// will wait for later and that needs nothing from Qt: it loads fontconfig's configuration and maps
// the Qt Quick Controls plugins the window's imports name. Qt's own loads of the same files later
// find them done. On a machine with two cores, this takes that work off the path to the first frame.
#pragma once

#include <thread>

namespace gh::app {

class WarmUp {
public:
    WarmUp();
    ~WarmUp(); // waits for the thread: it never outlives main()
    WarmUp(const WarmUp&) = delete;
    WarmUp& operator=(const WarmUp&) = delete;
    // Waits until the thread is done (before exit() or anything else that tears the process down).
    void finish();

private:
    std::thread thread_;
};

} // namespace gh::app
