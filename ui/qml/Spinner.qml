import QtQuick
import QtQuick.Controls

// A busy indicator that exists only while it spins. Most never do (a button's spinner, "checking"
// in a row), and building a BusyIndicator for each slowed the first screen (issue 15 item 8).
// Hidden while idle, so rows and layouts leave no gap for it.
Loader {
    property bool running: false

    active: running
    visible: running
    // Fusion pads a BusyIndicator by 6 px a side: at the 18-20 px given here that left an 8 px ring.
    sourceComponent: BusyIndicator {
        running: true
        padding: 1
    }
}
